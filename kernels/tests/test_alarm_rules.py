"""Alarm rule kernel on hand-worked series: thresholds per level, hold, deadband, rate, low
limits, many tracks at once, state carried between batches."""
import numpy as np

from kernels.alarm_rules import TrackState, crossed_rank, evaluate, silent

GAS = np.array([[50.0, 25.0, np.nan]])      # level 1 at 50 %LEL, level 2 at 25 %LEL


def run(values, times=None, *, thresholds=GAS, direction=1.0, hold=0.0, deadband=0.0, rate=False, state=None):
    times = list(range(0, 60 * len(values), 60)) if times is None else times
    n = len(thresholds)
    return evaluate(np.zeros(len(values), int), times, values, state or TrackState.empty(n), thresholds,
                    np.full(n, direction), np.full(n, float(hold)), np.full(n, float(deadband)),
                    rate=np.full(n, rate))


def test_the_highest_level_reached_wins_and_level_one_is_the_highest():
    assert crossed_rank([10, 25, 49.9, 50, 80], np.repeat(GAS, 5, 0), np.ones(5)).tolist() == [0, 2, 2, 3, 3]
    out = run([10, 30, 55])
    assert (out.state.level[0], out.peak[0], out.opened_at[0]) == (1, 1, 60)


def test_a_deadband_keeps_the_level_until_the_value_falls_past_threshold_minus_deadband():
    # level 2 at 25, deadband 3: 23 keeps it (≥ 22), 21.9 clears
    out = run([30, 23, 24, 21.9], deadband=3)
    assert (out.state.level[0], out.cleared_at[0]) == (0, 180)
    out = run([30, 23, 22.5], deadband=3)
    assert out.state.level[0] == 2
    # falling from level 1: 48 (≥ 47) keeps level 1, 46 drops to level 2 (still ≥ 25)
    assert run([60, 48], deadband=3).state.level[0] == 1
    assert run([60, 46], deadband=3).state.level[0] == 2


def test_a_level_takes_effect_only_after_holding_for_the_hold_time():
    # hold 120 s: 30 at t=60, 120, 180 → in force at 180 (120 s after it began)
    out = run([10, 30, 30, 30], hold=120)
    assert (out.state.level[0], out.opened_at[0]) == (2, 180)
    # an interruption restarts the clock: 30, 30, 10, 30, 30 → never held 120 s
    out = run([30, 30, 10, 30, 30], hold=120)
    assert (out.state.level[0], out.state.pending[0]) == (0, 2)


def test_a_hold_spans_batches_through_the_state():
    first = run([30, 30], hold=120)
    assert first.state.level[0] == 0
    second = run([30], times=[120], hold=120, state=first.state)
    assert second.state.level[0] == 2


def test_rate_of_change_per_minute_against_the_previous_reading():
    # water level rate rule: level 2 at 0.05 m/min; readings every 60 s
    rule = np.array([[0.1, 0.05, np.nan]])
    out = run([10.0, 10.02, 10.09, 10.12], thresholds=rule, rate=True)
    # slopes: —, 0.02, 0.07, 0.03 per minute → level 2 at t=120, cleared at t=180
    assert (out.peak[0], out.opened_at[0], out.cleared_at[0], out.state.level[0]) == (2, 120, 180, 0)


def test_a_low_limit_alarms_at_or_below_and_clears_above_threshold_plus_deadband():
    rule = np.array([[np.nan, 10.0, np.nan]])
    out = run([50, 9, 11, 13], thresholds=rule, direction=-1.0, deadband=2)
    assert (out.peak[0], out.cleared_at[0], out.state.level[0]) == (2, 180, 0)


def test_many_tracks_are_evaluated_together_in_any_input_order():
    n = 1000
    rng = np.random.default_rng(1)
    track = np.repeat(np.arange(n), 5)
    t = np.tile(np.arange(5) * 10.0, n)
    v = rng.uniform(0, 60, len(track))
    order = rng.permutation(len(track))
    out = evaluate(track[order], t[order], v[order], TrackState.empty(n), np.repeat(GAS, n, 0), np.ones(n),
                   np.zeros(n), np.zeros(n))
    # without hold or deadband the level in force is the last reading's level
    last = v.reshape(n, 5)[:, -1]
    expected = np.where(last >= 50, 1, np.where(last >= 25, 2, 0))
    assert (out.state.level == expected).all()


def test_silent_tracks_are_those_without_a_recent_reading():
    assert silent([np.nan, 0, 900], 1000, 300).tolist() == [True, True, False]
