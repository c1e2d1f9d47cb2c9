"""Reads of the risk app, always through core.scope.narrow."""
