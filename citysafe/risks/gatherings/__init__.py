"""Large gatherings (大型群众性活动): application, risk assessment against the venue, licence by
the public security organ on the workflow engine, and the map while it takes place."""


def register() -> None:
    """Called from RisksConfig.ready(): permissions, field limits and the record kind."""
    from citysafe.core.kinds import register as register_kind
    from citysafe.risks.gatherings import permissions
    from citysafe.risks.gatherings.kinds import GATHERINGS

    permissions.register()
    register_kind(GATHERINGS)
