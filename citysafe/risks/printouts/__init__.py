"""Printouts of risk records: the risk list ledger (风险清单, Excel) and the risk notification card (风险告知卡, PDF)."""
