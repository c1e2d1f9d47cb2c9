"""The two-county world of the county path matrices, for the county report tests."""
from tests.security.county_paths_world import two, two_counties  # noqa: F401 (fixtures)
