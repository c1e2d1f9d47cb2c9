"""The to-do registry: apps tell the home page what a user has to act on.

An app registers a provider in its AppConfig.ready(); a provider takes the signed-in user and
returns a list of `TodoItem`s it may see (the provider applies the data scope through the app's
own selectors). Core imports no app, so hazards, alarms and warnings can add providers later
without touching the home page."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TodoItem:
    title: str
    url: str = ""
    due: datetime | None = None
    level: str = "info"  # info | warning | danger


Provider = Callable[[object], list[TodoItem]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider once (ready() may run twice in tests); usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister(provider: Provider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def providers() -> tuple[Provider, ...]:
    return tuple(_providers)


def items_for(user) -> list[TodoItem]:
    """Every registered provider's items for the user, soonest deadline first, undated last."""
    items: list[TodoItem] = []
    for provider in _providers:
        items.extend(provider(user) or [])
    return sorted(items, key=lambda i: (i.due is None, i.due or datetime.min))
