"""Deterministic demo risk data for the demo county (load_risk_demo, after load_demo)."""
from citysafe.risks.demo.build import build_risk_demo

__all__ = ["build_risk_demo"]
