from dataclasses import dataclass


@dataclass(frozen=True)
class ScopeFields:
    """Where a model keeps the keys that data scope filters on (ORM paths).

    Models only declare these paths; `citysafe.core.scope` alone decides what they mean.
    """

    township: str | None = None
    grid: str | None = None
    industry: str | None = None
    enterprise: str | None = None
    organisation: str | None = None
