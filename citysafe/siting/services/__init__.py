"""Siting services. `dig_check(user, geometry, metres)` is the entry point other apps call
(construction: lines near a planned excavation)."""
from citysafe.siting.services.dig_check import dig_check

__all__ = ["dig_check"]
