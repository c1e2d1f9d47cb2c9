"""Import and export of the registry (REQUIREMENTS C2-C4, C6, C19): Excel templates and
ledgers (台账), GeoJSON and zipped Shapefile areas, background jobs with progress."""
