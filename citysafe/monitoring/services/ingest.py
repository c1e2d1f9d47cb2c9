"""Ingestion of a batch of readings (HTTP and MQTT share it): authenticate the sender, check
every reading, store the good ones idempotently, update roll-ups and latest values, evaluate
alarm rules — one transaction, so a batch is stored whole or not at all and a sender that
retries after a crash gets duplicates counted, never stored twice.

A reading is `(sensor code, time, value)`; time is epoch seconds (or milliseconds) or ISO 8601
with an offset. Rejected, counted and reported by index without losing the rest: unknown
sensor (or one the credential may not send for), bad or future time, time older than the
retention, a value that is not a finite number, a value outside the sensor's physical range.
"""
import csv
import io
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from citysafe.monitoring.models import Gateway, Sensor, token_digest
from citysafe.monitoring.services import storage

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


def _sensors_for(credential: Credential, codes) -> dict:
    queryset = Sensor.objects.filter(code__in=codes, archived_at__isnull=True)
    if credential.gateway_id:
        queryset = queryset.filter(gateway_id=credential.gateway_id)
    elif credential.sensor_id:
        queryset = queryset.filter(pk=credential.sensor_id)
    else:  # an internal caller (the simulator, a test) with no restriction
        pass
    return {code: (pk, lo, hi) for code, pk, lo, hi in queryset.values_list("code", "pk", "range_min", "range_max")}


def ingest(credential: Credential, rows: list, *, now: float | None = None) -> IngestResult:
    """Check, store and evaluate one batch; returns the counts. One transaction."""
    from citysafe.monitoring.services.evaluation import evaluate_batch

    now = time.time() if now is None else now
    result = IngestResult(received=len(rows))
    codes = {r[0] for r in rows if r is not None and isinstance(r[0], str)}
    sensors = _sensors_for(credential, codes)
    oldest = now - settings.MONITORING_RETENTION_DAYS * 86400
    keep_idx, sensor_ids, times, values, lows, highs = [], [], [], [], [], []
    for index, row in enumerate(rows):
        if row is None:
            result.reject(index, "", "bad_row")
            continue
        code, ts, value = row
        known = sensors.get(code) if isinstance(code, str) else None
        if known is None:
            result.reject(index, code, "unknown_sensor")
            continue
        t = _epoch(ts)
        if math.isnan(t):
            result.reject(index, code, "bad_timestamp")
            continue
        if t > now + FUTURE_TOLERANCE_SECONDS:
            result.reject(index, code, "future_timestamp")
            continue
        if t < oldest:
            result.reject(index, code, "too_old")
            continue
        x = _number(value)
        if not math.isfinite(x):
            result.reject(index, code, "not_a_number")
            continue
        keep_idx.append(index)
        sensor_ids.append(known[0])
        times.append(round(t, 6))
        values.append(x)
        lows.append(known[1])
        highs.append(known[2])
    v = np.asarray(values, float)
    out = (v < np.asarray(lows, float)) | (v > np.asarray(highs, float))
    for i in np.flatnonzero(out):
        result.reject(keep_idx[i], rows[keep_idx[i]][0], "out_of_range")
    good = ~out
    s, t, v = np.asarray(sensor_ids, np.int64)[good], np.asarray(times, float)[good], v[good]
    # Duplicates inside the batch: the first wins, the rest are duplicates like stored ones.
    _, first = np.unique(np.stack([s.astype(float), t]), axis=1, return_index=True)
    first.sort()
    offered = len(s)
    s, t, v = s[first], t[first], v[first]
    with transaction.atomic():
        if storage.is_postgres():
            from citysafe.monitoring.services.partitions import ensure_partitions

            ensure_partitions(t)
        s, t, v = storage.insert_readings(s, t, v)
        storage.upsert_rollups("monitoring_minuterollup", s, t, v, 60)
        storage.upsert_rollups("monitoring_hourrollup", s, t, v, 3600)
        storage.upsert_latest(s, t, v, now)
        result.alarms_changed = evaluate_batch(s, t, v, now=now)
    result.stored = len(s)
    result.duplicated = offered - len(s)
    return result
