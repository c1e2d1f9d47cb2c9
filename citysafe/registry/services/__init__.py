"""Registry writes. Every function: role + scope check, validation naming each bad field,
one transaction, audit record. Views, API, admin and commands call these."""
from citysafe.core.records import archive_record, purge_record, restore_record
from citysafe.registry.services.areas import create_area, create_industry, update_area, update_industry
from citysafe.registry.services.enterprises import create_enterprise, transition_enterprise, update_enterprise
from citysafe.registry.services.organisations import create_organisation, update_organisation
from citysafe.registry.services.persons import create_person, update_person
from citysafe.registry.services.places import create_place, update_place

__all__ = [
    "create_area", "update_area", "create_industry", "update_industry",
    "create_enterprise", "update_enterprise", "transition_enterprise",
    "create_organisation", "update_organisation",
    "create_person", "update_person",
    "create_place", "update_place",
    "archive_record", "purge_record", "restore_record",
]
