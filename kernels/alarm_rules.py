"""Alarm rule evaluation over a batch of readings, vectorised with numpy (no Django).

Each *track* is one (sensor, rule) pair with its memory between batches (`TrackState`):
the level in force, a level waiting out its hold time and since when, the last value.
Levels follow the warning scale: 1 is the highest, 0 means no alarm.

Per reading the signal is the value (high / low / crowd, the caller divides a crowd count by
the place's capacity) or its rate of change per minute against the track's previous reading
(rate). A level is *raised* when the signal reaches its threshold (at or above for high,
at or below for low) and *kept* while it has not fallen back past the threshold by the
deadband (hysteresis, so a value dithering around a threshold does not chatter). A higher
level takes effect only after it has held for `hold` seconds (every reading in between at or
past it); a lower one takes effect at once (the deadband already filters noise).

The scan is sequential in time within a track but vectorised across tracks: step k handles
the k-th reading of every track at once, so a batch of many sensors with a few readings each
needs a few numpy steps, not a Python loop per reading.
"""
from dataclasses import dataclass

import numpy as np

LEVELS = 3


def rank_of_level(level):
    """Level 1 (highest) … 3 → rank 3 … 1; 0 → 0. Ranks compare the natural way."""
    level = np.asarray(level)
    return np.where(level > 0, LEVELS + 1 - level, 0)


def level_of_rank(rank):
    rank = np.asarray(rank)
    return np.where(rank > 0, LEVELS + 1 - rank, 0)


def crossed_rank(signal, thresholds, direction, offset=0.0):
    """Highest rank whose threshold the signal reaches. `thresholds` is (n, 3) for levels 1…3
    (NaN: unused), `direction` +1 (high) or -1 (low) per row; `offset` moves the thresholds
    back by a deadband (the keep test). NaN signals reach nothing."""
    signal = np.asarray(signal, dtype=float)[:, None]
    direction = np.asarray(direction, dtype=float)[:, None]
    limit = np.asarray(thresholds, dtype=float) - direction * np.asarray(offset, dtype=float).reshape(-1, 1)
    reached = (direction * signal >= direction * limit) & ~np.isnan(limit)   # NaN compares False
    ranks = np.arange(LEVELS, 0, -1)                                         # columns = levels 1..3
    return np.where(reached, ranks, 0).max(axis=1)


@dataclass
class TrackState:
    """Per-track arrays (length = number of tracks). Times are epoch seconds (float)."""

    level: np.ndarray          # int, 0 or 1..3 (1 highest)
    pending: np.ndarray        # int, level waiting for its hold time
    pending_since: np.ndarray  # float, NaN when none
    last_t: np.ndarray         # float, NaN before any reading
    last_v: np.ndarray         # float

    @classmethod
    def empty(cls, n):
        nan = np.full(n, np.nan)
        return cls(np.zeros(n, int), np.zeros(n, int), nan.copy(), nan.copy(), nan.copy())


@dataclass
class BatchOutcome:
    """What happened to each track in the batch (length = number of tracks)."""

    state: TrackState
    peak: np.ndarray           # highest level in force at any time in the batch (0 none)
    opened_at: np.ndarray      # first time the level rose from 0 in this batch (NaN: did not)
    cleared_at: np.ndarray     # last time the level fell to 0 in this batch (NaN: did not)
    changed: np.ndarray        # bool: the level in force changed at least once
    last_signal: np.ndarray    # signal of the last reading (NaN: none)


def evaluate(track, t, v, state: TrackState, thresholds, direction, hold, deadband, *, rate=None) -> BatchOutcome:
    """Evaluate a batch. `track`, `t`, `v` are per reading (any order); `thresholds` (n, 3),
    `direction`, `hold`, `deadband` and `rate` (bool: the signal is the rate per minute) per
    track. Returns the new state and what happened; `state` is not modified."""
    track = np.asarray(track, dtype=np.int64)
    t = np.asarray(t, dtype=float)
    v = np.asarray(v, dtype=float)
    n = len(state.level)
    rate = np.zeros(n, bool) if rate is None else np.asarray(rate, bool)
    hold = np.asarray(hold, dtype=float)
    rank_now = rank_of_level(state.level).astype(int)
    pending = rank_of_level(state.pending).astype(int)
    pending_since = state.pending_since.astype(float).copy()
    last_t, last_v = state.last_t.astype(float).copy(), state.last_v.astype(float).copy()
    peak, changed = rank_now.copy() * 0, np.zeros(n, bool)
    opened_at, cleared_at, last_signal = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)

    order = np.lexsort((t, track))
    track, t, v = track[order], t[order], v[order]
    # position of each reading within its track (0, 1, 2 …)
    starts = np.r_[0, np.flatnonzero(np.diff(track)) + 1]
    position = np.arange(len(track)) - np.repeat(starts, np.diff(np.r_[starts, len(track)]))
    for k in range(int(position.max()) + 1 if len(track) else 0):
        at = position == k
        rows, tk, vk = track[at], t[at], v[at]
        dt = tk - last_t[rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = np.where(dt > 0, (vk - last_v[rows]) / dt * 60.0, np.nan)
        signal = np.where(rate[rows], slope, vk)
        raised = crossed_rank(signal, thresholds[rows], direction[rows])
        kept = crossed_rank(signal, thresholds[rows], direction[rows], deadband[rows])
        current = rank_now[rows]
        known = ~np.isnan(signal)
        target = np.where(known, np.maximum(raised, np.minimum(current, kept)), current)
        rising = target > current
        # a rise waits out the hold: restart the clock when the pending level changes
        restart = rising & (pending[rows] != target)
        since = np.where(restart, tk, pending_since[rows])
        ready = rising & (tk - since >= hold[rows])
        new = np.where(rising, np.where(ready, target, current), target)
        pending[rows] = np.where(rising & ~ready, target, 0)
        pending_since[rows] = np.where(rising & ~ready, since, np.nan)
        opened = (current == 0) & (new > 0)
        cleared = (current > 0) & (new == 0)
        opened_at[rows] = np.where(opened & np.isnan(opened_at[rows]), tk, opened_at[rows])
        cleared_at[rows] = np.where(cleared, tk, cleared_at[rows])
        changed[rows] |= new != current
        rank_now[rows] = new
        peak[rows] = np.maximum(peak[rows], new)
        last_signal[rows] = signal
        newer = ~(tk < last_t[rows])            # late readings do not move the rate baseline back
        last_t[rows] = np.where(newer, tk, last_t[rows])
        last_v[rows] = np.where(newer, vk, last_v[rows])
    new_state = TrackState(level_of_rank(rank_now).astype(int), level_of_rank(pending).astype(int),
                           pending_since, last_t, last_v)
    return BatchOutcome(new_state, level_of_rank(peak).astype(int), opened_at, cleared_at, changed, last_signal)


def silent(last_t, now, timeout):
    """Tracks whose last reading is older than `timeout` seconds (never reported: silent)."""
    last_t = np.asarray(last_t, dtype=float)
    return np.isnan(last_t) | (now - last_t > np.asarray(timeout, dtype=float))
