"""Where other apps plug into alarms, without this app importing them (layering):

- alarm listeners: `register_alarm_listener(fn)`; `fn(alarm, event)` runs inside the
  transaction of the change, event ∈ {"opened", "level", "cleared", "closed"}. The risk map's
  area raise (area_raise.py) is one.
- hazard converters: `register_hazard_converter(fn)`; `fn(actor, alarm, note) -> record`
  creates a hidden hazard from an alarm through the hazards app's own service ("an alarm
  becomes a hazard in one action"). The hazards app registers one in its AppConfig.ready();
  `convert_to_hazard` (services/alarms.py) calls it. Like core.todo's providers.
"""
_LISTENERS: list = []
_CONVERTERS: list = []


def register_alarm_listener(fn) -> None:
    if fn not in _LISTENERS:
        _LISTENERS.append(fn)


def alarm_listeners() -> list:
    return list(_LISTENERS)


def register_hazard_converter(fn) -> None:
    if fn not in _CONVERTERS:
        _CONVERTERS.append(fn)


def hazard_converter():
    return _CONVERTERS[-1] if _CONVERTERS else None
