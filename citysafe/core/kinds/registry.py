"""The registered record kinds. Apps call `register(...)` from AppConfig.ready()."""
from django.core.exceptions import ImproperlyConfigured

from citysafe.core.kinds.schemas import add_name_resolvers

_KINDS: dict[str, object] = {}


def register(*kinds) -> None:
    for kind in kinds:
        existing = _KINDS.get(kind.key)
        if existing is not None and existing is not kind:
            raise ImproperlyConfigured(f"record kind {kind.key!r} is declared twice")
        _KINDS[kind.key] = kind
        for schema in {kind.item, kind.detail} - {None}:
            add_name_resolvers(schema, kind.model)
        if kind.io is not None:
            kind.io.record_kind = kind


def all_kinds() -> list:
    return list(_KINDS.values())


def kinds_of(namespace: str) -> list:
    return [k for k in _KINDS.values() if k.namespace == namespace]


def get_kind(key: str):
    """The kind registered under `key`; KeyError if none."""
    return _KINDS[key]


def kind_for_model(model):
    return next((k for k in _KINDS.values() if k.model is model), None)
