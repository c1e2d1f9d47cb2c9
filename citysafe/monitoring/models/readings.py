"""Readings: raw (partitioned by time on PostgreSQL, migration 0002), per-minute and per-hour
roll-ups for charts, and the latest value per sensor. Written only by services/ingest.py
with set-based SQL (INSERT … ON CONFLICT), never row by row."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.scope_fields import ScopeFields


def through_sensor(path="sensor"):
    """A row belonging to a sensor is visible exactly where its sensor is."""
    return ScopeFields(**{key: f"{path}__{key}" for key in ("township", "grid", "industry", "enterprise")})


class Reading(models.Model):
    """One value of one sensor at one instant; (sensor, ts) is the key, so a repeated reading
    is a duplicate by construction (idempotent ingestion)."""

    pk = models.CompositePrimaryKey("sensor_id", "ts")
    # No database-level foreign key: on PostgreSQL this is a partitioned table, and a
    # per-row FK check would cost ingestion; readings are only written for known sensors.
    sensor = models.ForeignKey("monitoring.Sensor", on_delete=models.DO_NOTHING, db_constraint=False,
                               related_name="+", verbose_name=_("传感器"))
    ts = models.DateTimeField(_("采集时间"))
    value = models.FloatField(_("数值"))

    scope = through_sensor()

    class Meta:
        verbose_name = _("监测数据")
        verbose_name_plural = _("监测数据")
        indexes = [models.Index(fields=["ts"], name="reading_ts")]

    def __str__(self):
        return f"{self.sensor_id}@{self.ts}: {self.value}"


class _Rollup(models.Model):
    sensor = models.ForeignKey("monitoring.Sensor", on_delete=models.CASCADE, db_constraint=False,
                               related_name="+", verbose_name=_("传感器"))
    bucket = models.DateTimeField(_("时段开始"))
    count = models.PositiveIntegerField(_("条数"))
    total = models.FloatField(_("合计"))
    vmin = models.FloatField(_("最小值"))
    vmax = models.FloatField(_("最大值"))

    scope = through_sensor()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.sensor_id}@{self.bucket}: n={self.count}"

    @property
    def mean(self):
        return self.total / self.count if self.count else None


class MinuteRollup(_Rollup):
    pk = models.CompositePrimaryKey("sensor_id", "bucket")

    class Meta:
        verbose_name = _("分钟汇总")
        verbose_name_plural = _("分钟汇总")


class HourRollup(_Rollup):
    pk = models.CompositePrimaryKey("sensor_id", "bucket")

    class Meta:
        verbose_name = _("小时汇总")
        verbose_name_plural = _("小时汇总")


class LatestReading(models.Model):
    sensor = models.OneToOneField("monitoring.Sensor", primary_key=True, on_delete=models.CASCADE,
                                  related_name="latest", verbose_name=_("传感器"))
    ts = models.DateTimeField(_("采集时间"))
    value = models.FloatField(_("数值"))
    received_at = models.DateTimeField(_("接收时间"))

    scope = through_sensor()

    class Meta:
        verbose_name = _("最新数据")
        verbose_name_plural = _("最新数据")

    def __str__(self):
        return f"{self.sensor_id}@{self.ts}: {self.value}"


class PendingEvaluation(models.Model):
    """A stored batch waiting for the alarm evaluator process (MONITORING_EVALUATION=process).

    Written by ingest() in the transaction that stores the readings, so it exists exactly when
    they do; the evaluator deletes it in the transaction that evaluates it, so the queue's
    remaining rows are the committed watermark: a killed evaluator resumes from them, and a
    batch is evaluated once. `payload`: the batch's new rows as little-endian int64 sensor ids,
    float64 epoch seconds and float64 values, each array `count` long."""

    id = models.BigAutoField(primary_key=True)
    count = models.PositiveIntegerField()
    received = models.FloatField()              # epoch seconds (the `now` of the ingest)
    payload = models.BinaryField()

    scope = ScopeFields()                       # internal: no page, API or export shows it

    def __str__(self):
        return f"pending evaluation {self.id} ({self.count} readings)"
