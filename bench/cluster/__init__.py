"""Helpers of bench/cluster_mixed_load.py (set-up and load), kept apart so the script reads as one timeline."""
