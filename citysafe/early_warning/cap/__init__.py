"""OASIS Common Alerting Protocol 1.2: export of published versions (export.py) and import
of external alerts, 1.1 or 1.2, as drafts (parse.py)."""
CAP12 = "urn:oasis:names:tc:emergency:cap:1.2"
CAP11 = "urn:oasis:names:tc:emergency:cap:1.1"
CAP10 = "http://www.incident.com/cap/1.0"

# STANDARDS.md "Warnings and CAP": red → Extreme, orange → Severe, yellow → Moderate, blue → Minor.
SEVERITY = {1: "Extreme", 2: "Severe", 3: "Moderate", 4: "Minor"}
LEVEL_FOR_SEVERITY = {"Extreme": 1, "Severe": 2, "Moderate": 3, "Minor": 4, "Unknown": 4}
