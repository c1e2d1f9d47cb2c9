"""The dashboard's reads, each through core.scope (the records a user may see) and each figure
one aggregate query: kpis.py (the numbers, their drill-down links), trends.py (per month / day),
rankings.py (townships and departments), layers.py (map points)."""
