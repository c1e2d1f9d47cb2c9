"""Realistic readings for the demo sensors (`manage.py simulate_sensors`): each sensor follows
a random walk around a type's baseline, crowd counts follow the day against the place's
capacity, and now and then a sensor makes an excursion (a gas leak building up and dispersing,
a tank filling past its high level, a crowd surge) or drops out for a while (no readings)."""
import math
import random
from dataclasses import dataclass

BASELINES = {   # type → (normal value, noise, excursion peak)
    "gas": (2.0, 0.5, 60.0), "liquid_level": (60.0, 0.3, 97.0), "temperature": (20.0, 0.3, 62.0),
    "pressure": (0.8, 0.01, 1.7), "water_level": (12.0, 0.02, 18.5), "dust": (1.0, 0.2, 12.0),
    "noise": (55.0, 2.0, 90.0), "radiation": (0.15, 0.02, 3.0), "wind": (3.0, 0.5, 18.0),
    "humidity": (45.0, 1.0, 95.0),
}
EXCURSION_CHANCE = 0.002     # per sensor per tick
DROPOUT_CHANCE = 0.001
EXCURSION_TICKS = 30
DROPOUT_TICKS = 60


@dataclass
class SimSensor:
    code: str
    sensor_type: str
    low: float
    high: float
    capacity: int | None = None
    value: float = math.nan
    excursion: int = 0
    dropout: int = 0


class Simulator:
    def __init__(self, sensors: list[SimSensor], seed: int = 622926):
        self.sensors, self.rng = sensors, random.Random(seed)  # noqa: S311 (demo data)

    def _crowd(self, sensor, t):
        hour = (t / 3600 + 8) % 24                        # Beijing time of day
        daily = max(0.05, math.sin(math.pi * (hour - 7) / 14)) if 7 <= hour <= 21 else 0.05
        base = (sensor.capacity or 1000) * 0.6 * daily
        surge = 1.0 + (0.9 * math.sin(math.pi * sensor.excursion / EXCURSION_TICKS) if sensor.excursion else 0)
        return base * surge * (1 + self.rng.gauss(0, 0.03))

    def tick(self, t: float) -> list[tuple[str, float, float]]:
        readings = []
        for s in self.sensors:
            if s.dropout:
                s.dropout -= 1
                continue
            if self.rng.random() < DROPOUT_CHANCE:
                s.dropout = DROPOUT_TICKS
                continue
            if not s.excursion and self.rng.random() < EXCURSION_CHANCE:
                s.excursion = EXCURSION_TICKS
            if s.sensor_type == "crowd":
                value = self._crowd(s, t)
            else:
                normal, noise, peak = BASELINES.get(s.sensor_type, (0.5 * (s.low + s.high), 0.01 * (s.high - s.low),
                                                                    s.high))
                if math.isnan(s.value):
                    s.value = normal
                s.value += self.rng.gauss(0, noise) + 0.05 * (normal - s.value)   # mean-reverting walk
                value = s.value
                if s.excursion:
                    value += (peak - normal) * math.sin(math.pi * s.excursion / EXCURSION_TICKS)
            if s.excursion:
                s.excursion -= 1
            readings.append((s.code, round(t, 3), round(min(max(value, s.low), s.high), 4)))
        return readings
