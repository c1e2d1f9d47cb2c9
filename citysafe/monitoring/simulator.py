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


VEHICLE_SPEEDING_CHANCE = 0.004   # per vehicle per tick
VEHICLE_DETOUR_CHANCE = 0.002
VEHICLE_DROPOUT_CHANCE = 0.0005
VEHICLE_EVENT_TICKS = 20
VEHICLE_DROPOUT_TICKS = 150       # at 5 s a tick: past the default 10-minute silence
METRES_PER_DEGREE = 111_320.0


@dataclass
class SimVehicle:
    code: str
    route: list                # [[lon, lat], …], driven to the end and back
    limit: float               # km/h
    travelled: float = 0.0     # metres along the route (mirrored at the ends)
    speeding: int = 0
    detour: int = 0
    dropout: int = 0


class VehicleSimulator:
    """Vehicles driving their approved routes back and forth at about three quarters of their
    limit; now and then one speeds, leaves its route for a while, or goes silent."""

    def __init__(self, vehicles: list[SimVehicle], seed: int = 913):
        self.vehicles, self.rng = vehicles, random.Random(seed)  # noqa: S311 (demo data)

    @staticmethod
    def _legs(route):
        lat0 = math.radians(route[0][1])
        return [math.hypot((b[0] - a[0]) * math.cos(lat0), b[1] - a[1]) * METRES_PER_DEGREE
                for a, b in zip(route, route[1:], strict=False)]

    def _point(self, v: SimVehicle):
        legs = self._legs(v.route)
        total = sum(legs) or 1.0
        d = v.travelled % (2 * total)
        d = d if d <= total else 2 * total - d
        for (a, b), length in zip(zip(v.route, v.route[1:], strict=False), legs, strict=True):
            if d <= length or length == 0:
                f = d / length if length else 0.0
                return a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])
            d -= length
        return v.route[-1][0], v.route[-1][1]

    def tick(self, t: float, dt: float) -> list[tuple[str, float, float, float, float]]:
        """(device, ts, lon, lat, speed km/h) for every vehicle that reports this tick."""
        fixes = []
        for v in self.vehicles:
            if v.dropout:
                v.dropout -= 1
                continue
            if len(v.route) < 2:
                continue
            if self.rng.random() < VEHICLE_DROPOUT_CHANCE:
                v.dropout = VEHICLE_DROPOUT_TICKS
                continue
            if not v.speeding and self.rng.random() < VEHICLE_SPEEDING_CHANCE:
                v.speeding = VEHICLE_EVENT_TICKS
            if not v.detour and self.rng.random() < VEHICLE_DETOUR_CHANCE:
                v.detour = VEHICLE_EVENT_TICKS
            speed = v.limit * (1.2 if v.speeding else 0.75) * (1 + self.rng.gauss(0, 0.05))
            v.travelled += speed / 3.6 * dt
            lon, lat = self._point(v)
            if v.detour:
                lat += 900 / METRES_PER_DEGREE * math.sin(math.pi * v.detour / VEHICLE_EVENT_TICKS)
                v.detour -= 1
            v.speeding = max(0, v.speeding - 1)
            fixes.append((v.code, round(t, 3), round(lon, 6), round(lat, 6), round(max(speed, 0.0), 1)))
        return fixes
