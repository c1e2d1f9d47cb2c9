"""Fixtures of the county path matrices (tests/security/county_paths_world.py): the two counties
built once per module (`two_counties`) and per test in its savepoint (`two`; test_county_matrix.py
keeps its own per-test `two`, which takes precedence in that module)."""
from tests.security.county_paths_world import two, two_counties  # noqa: F401
