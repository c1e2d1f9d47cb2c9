"""Ingestion of a batch of readings (HTTP and MQTT share it): authenticate the sender, check
every reading, store the good ones idempotently, update roll-ups and latest values, and
then evaluate alarm rules. Storage is one transaction, so a batch is stored whole or not at all
and a sender that retries after a crash gets duplicates counted, never stored twice; the alarm
evaluation runs after the commit in the process's evaluator thread (services/evaluator.py).

A reading is `(sensor code, time, value)`; time is epoch seconds (or milliseconds) or ISO 8601
with an offset. Rejected, counted and reported by index without losing the rest: unknown
sensor (or one the credential may not send for), bad or future time, time older than the
retention, a value that is not a finite number, a value outside the sensor's physical range.
"""
import contextlib
import csv
import io
import json
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import orjson
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from citysafe.monitoring.models import Gateway, Sensor, token_digest
from citysafe.monitoring.services import cache, evaluator, storage, storage_sqlite

REASONS = {
    "unknown_sensor": gettext_noop("传感器不存在或不属于该网关/设备"),
    "bad_timestamp": gettext_noop("时间格式错误（应为Unix时间戳或带时区的ISO 8601）"),
    "future_timestamp": gettext_noop("时间晚于当前时间"),
    "too_old": gettext_noop("时间早于数据保留期限"),
    "not_a_number": gettext_noop("数值不是有限数字（NaN、Infinity或非数字）"),
    "out_of_range": gettext_noop("数值超出传感器量程"),
    "bad_row": gettext_noop("记录格式错误（需要 sensor、ts、value 三项）"),
}
MAX_REJECTIONS_LISTED = 100
FUTURE_TOLERANCE_SECONDS = 300


class BadCredential(Exception):
    pass


@dataclass(frozen=True)
class Credential:
    gateway_id: int | None = None
    sensor_id: int | None = None


@dataclass
class IngestResult:
    received: int = 0
    stored: int = 0
    duplicated: int = 0
    rejected: int = 0
    reasons: Counter = field(default_factory=Counter)
    rejections: list = field(default_factory=list)   # first MAX_REJECTIONS_LISTED: {index, sensor, reason, msg}
    alarms_changed: int = 0

    def reject(self, index, sensor, reason):
        self.rejected += 1
        self.reasons[reason] += 1
        if len(self.rejections) < MAX_REJECTIONS_LISTED:
            self.rejections.append({"index": index, "sensor": str(sensor)[:64], "reason": reason,
                                    "msg": _(REASONS[reason])})

    def as_dict(self):
        return {"received": self.received, "stored": self.stored, "duplicated": self.duplicated,
                "rejected": self.rejected, "reasons": dict(self.reasons), "rejections": self.rejections}


def credential_for(raw_token: str) -> Credential:
    """The gateway or sensor a bearer token belongs to (digest lookup), or BadCredential."""
    if not raw_token:
        raise BadCredential
    digest = token_digest(raw_token)
    gateway = Gateway.objects.filter(token_digest=digest, archived_at__isnull=True).values_list("pk", flat=True).first()
    if gateway:
        return Credential(gateway_id=gateway)
    sensor = Sensor.objects.filter(token_digest=digest, archived_at__isnull=True).values_list("pk", flat=True).first()
    if sensor:
        return Credential(sensor_id=sensor)
    raise BadCredential


def parse_json(body: bytes):
    """The request body as JSON. orjson (~3× the standard library's speed on a batch of
    thousands of readings); a body orjson refuses goes to the standard library, which also
    reads the NaN/Infinity literals some gateways send (each such reading is then rejected
    and counted as not_a_number, the rest of the batch kept) — so what is accepted is exactly
    what json.loads accepts (an integer beyond 64 bits comes back as a float, which the checks
    reject alike). Invalid UTF-8 raises UnicodeDecodeError, invalid JSON ValueError."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body.decode("utf-8"))


def rows_from_json(items) -> list:
    """`[{"sensor": code, "ts": …, "value": …}, …]` or `{"readings": [...]}` → rows (a row that
    is not such an object becomes None, rejected as bad_row)."""
    if isinstance(items, dict):
        items = items.get("readings")
    if not isinstance(items, list):
        raise ValueError(_("请求体应为读数数组，或含 readings 数组的对象"))
    return [(i.get("sensor"), i.get("ts"), i.get("value")) if isinstance(i, dict) else None for i in items]


def rows_from_csv(text: str) -> list:
    """CSV with a header naming sensor, ts, value (other columns ignored)."""
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    if not {"sensor", "ts", "value"} <= set(header):
        raise ValueError(_("CSV首行必须包含 sensor、ts、value 三列"))
    a, b, c = header.index("sensor"), header.index("ts"), header.index("value")
    width = max(a, b, c)
    return [(r[a].strip(), r[b].strip(), r[c].strip()) if len(r) > width else None for r in reader]


def _epoch(ts) -> float:
    if isinstance(ts, bool) or ts is None:
        return math.nan
    if isinstance(ts, (int, float)):
        x = float(ts)
    else:
        text = str(ts).strip()
        try:
            x = float(text)
        except ValueError:
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                return math.nan
            if moment.tzinfo is None:
                return math.nan   # a time without an offset is ambiguous (Beijing or UTC?)
            return moment.timestamp()
    if not math.isfinite(x):
        return math.nan
    return x / 1000.0 if x > 1e11 else x   # milliseconds


def _number(value) -> float:
    if isinstance(value, bool) or value is None:
        return math.nan
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip()) if str(value).strip().lower() not in ("nan", "inf", "-inf", "infinity") \
            else math.nan
    except ValueError:
        return math.nan


def _allowed(credential: Credential) -> dict:
    """The sensors this credential may send for: {code: SensorInfo} (per-process cache)."""
    if credential.gateway_id:
        return cache.sensors_of_gateway(credential.gateway_id)
    by_code = cache.sensors_by_code()
    if credential.sensor_id:
        info = cache.sensors_by_pk().get(credential.sensor_id)
        return {code: i for code, i in by_code.items() if i is info} if info else {}
    return by_code   # an internal caller (the simulator, a test) with no restriction


def _numbers(items, convert) -> np.ndarray:
    """Plain ints and floats straight into an array (the common JSON case, no Python call per
    item); anything else (strings from CSV, None, bools) through `convert`."""
    try:
        out = np.array([x if type(x) is float or type(x) is int else np.nan for x in items], float)
    except OverflowError:   # an integer beyond float range
        return np.array([x if type(x) is float else convert(x) for x in items], float)
    for i, x in enumerate(items):
        if not (type(x) is float or type(x) is int):
            out[i] = convert(x)
    return out


def ingest(credential: Credential, rows: list, *, now: float | None = None) -> IngestResult:
    """Check, store and evaluate one batch; returns the counts. One transaction.

    The checks run on whole-batch numpy arrays (one reason code per row, first failing check
    wins), not per row: at 10^4 readings per batch the per-row Python was a third of the time."""
    now = time.time() if now is None else now
    result = IngestResult(received=len(rows))
    sensors = _allowed(credential)
    oldest = now - settings.MONITORING_RETENTION_DAYS * 86400
    n = len(rows)
    ok_row = np.array([r is not None for r in rows], bool)
    rows_ = [r if r is not None else (None, None, None) for r in rows]
    infos = [sensors.get(r[0]) if type(r[0]) is str else None for r in rows_]
    known = np.array([i is not None for i in infos], bool)
    t = _numbers([r[1] for r in rows_], _epoch)
    t[~np.isfinite(t)] = np.nan
    t = np.where(t > 1e11, t / 1000.0, t)             # milliseconds
    v = _numbers([r[2] for r in rows_], _number)
    lows = np.array([i.low if i is not None else np.nan for i in infos], float)
    highs = np.array([i.high if i is not None else np.nan for i in infos], float)
    with np.errstate(invalid="ignore"):
        checks = [(~ok_row, "bad_row"), (~known, "unknown_sensor"), (np.isnan(t), "bad_timestamp"),
                  (t > now + FUTURE_TOLERANCE_SECONDS, "future_timestamp"), (t < oldest, "too_old"),
                  (~np.isfinite(v), "not_a_number"), ((v < lows) | (v > highs), "out_of_range")]
    reason = np.zeros(n, np.int8)
    for code, (failed, _name) in reversed(list(enumerate(checks, start=1))):
        reason[failed] = code                           # earlier checks overwrite later ones
    for index in np.flatnonzero(reason).tolist():
        name = checks[reason[index] - 1][1]
        result.reject(index, rows_[index][0] if name != "bad_row" else "", name)
    good = np.flatnonzero(reason == 0)
    s = np.array([infos[i].pk for i in good.tolist()], np.int64)
    t, v = np.round(t[good], 6), v[good]
    # Duplicates inside the batch: the first wins, the rest are duplicates like stored ones.
    _, first = np.unique(np.stack([s.astype(float), t]), axis=1, return_index=True)
    first.sort()
    offered = len(s)
    s, t, v = s[first], t[first], v[first]
    # SQLite: one writer at a time, so sorting, time formatting and the roll-up arithmetic are
    # done before the transaction takes the write lock (services/storage_sqlite.py)
    prepared = None if storage.is_postgres() else storage_sqlite.prepare(s, t, v, now)
    with storage_sqlite.write_turn() if prepared is not None else contextlib.nullcontext(), transaction.atomic():
        if prepared is None:
            from citysafe.monitoring.services.partitions import ensure_partitions
            from citysafe.monitoring.services.storage_pg import store_batch

            ensure_partitions(t)
            s, t, v = store_batch(s, t, v, now)
        else:
            s, t, v = storage_sqlite.store(prepared)
        result.alarms_changed = evaluator.after_store(s, t, v, now)
    result.stored = len(s)
    result.duplicated = offered - len(s)
    return result
