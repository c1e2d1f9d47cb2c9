"""Where other apps plug into early warning, without this app importing them (layering: the
hazards app sits above this one).

- danger-report sinks: `register_danger_report_sink(fn)`; `fn(report) -> Forwarded | None` files
  a citizen's 险情报告 elsewhere — the hazards app registers one in its AppConfig.ready() that
  makes it a public report (举报) for triage — and returns where it went. It runs inside
  `public_services.report_danger`'s transaction, in a savepoint: a sink that refuses (a
  ValidationError) leaves the danger report stored and unforwarded. Like
  monitoring.hooks.register_hazard_converter.
"""
from dataclasses import dataclass

_SINKS: list = []


@dataclass(frozen=True)
class Forwarded:
    ref: str  # "app_label.Model:<pk>", kept on the DangerReport as the link to the record
    tracking_code: str = ""  # what the citizen can look the record up with, if it has one


def register_danger_report_sink(fn) -> None:
    if fn not in _SINKS:
        _SINKS.append(fn)


def danger_report_sink():
    return _SINKS[-1] if _SINKS else None
