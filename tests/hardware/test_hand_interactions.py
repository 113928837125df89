"""The interaction layer's rules, on exact timelines: thresholds, timing, cooldowns.

Observations are made from the landmarks MediaPipe measured on two real photos (a
pointing hand, an open palm), moved and scaled on a timeline, so the geometry is real
and the timing exact; the end-to-end path through the tracker is in test_hand_clips.
"""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
import pytest
from untact.hardware.camera.config import InteractionThresholds
from untact.hardware.camera.hand_interactions import HandInteractions
from untact.hardware.camera.hand_tracker import HandTracker, observe
from untact.hardware.camera.one_euro import OneEuroFilter

FPS = 30


@pytest.fixture(scope="module")
def shapes(hands_dir):
    """Raw landmarks of a pointing hand and an open palm, centred on their palm, in
    a 640x480 frame's normalised units."""
    out = {}
    with HandTracker(mirror=False, static_images=True, max_hands=1) as tracker:
        for name, photo in [("point", "pointing_index_hagrid.jpg"),
                            ("palm", "open_palm_hagrid.jpg")]:
            img = cv2.imread(str(hands_dir / photo))
            frame = np.full((480, 640, 3), 90, np.uint8)
            frame[95:385, 175:465] = img
            hand = tracker.process(frame)
            pts = hand.points - np.array(hand.palm)
            out[name] = pts
    return out


def obs(shapes, kind="point", x=0.5, y=0.5, scale=1.0, jitter=(0.0, 0.0)):
    pts = shapes[kind] * scale + (x + jitter[0], y + jitter[1])
    return observe(pts, 640, 480, mirror=False)


def run(hi, frames):
    """frames: list of (t, observation or None) -> [(t, intent name)] except POINT."""
    out = []
    for t, o in frames:
        out += [(round(t, 3), i.kind.name) for i in hi.feed(o, t) if i.kind.name != "POINT"]
    return out


def timeline(seconds, fn, t0=0.0):
    return [(t0 + i / FPS, fn(i / FPS)) for i in range(int(round(seconds * FPS)) + 1)]


@pytest.mark.models
def test_dwell_fires_once_after_start_plus_complete(shapes):
    hi = HandInteractions(InteractionThresholds(dwell_start_s=0.2, dwell_complete_s=0.3))
    events = run(hi, timeline(2.0, lambda t: obs(shapes)))
    assert events == [(0.5, "DWELL")]


@pytest.mark.models
def test_progress_is_zero_then_rises_linearly(shapes):
    hi = HandInteractions(InteractionThresholds(dwell_start_s=0.5, dwell_complete_s=0.6))
    values = {round(t, 3): hi.feed(o, t)[0].value for t, o in timeline(1.2, lambda t: obs(shapes))}
    assert values[0.5] == 0.0
    assert values[0.8] == pytest.approx(0.5, abs=0.01)
    assert values[1.1] == 1.0


@pytest.mark.models
def test_moving_away_and_resting_again_dwells_again_but_reset_hold_restarts(shapes):
    th = InteractionThresholds(dwell_start_s=0.2, dwell_complete_s=0.3, cooldown_s=0.1)
    hi = HandInteractions(th)
    first = timeline(1.0, lambda t: obs(shapes, y=0.4))
    second = timeline(1.0, lambda t: obs(shapes, y=0.7), t0=1.1)  # moved 0.3 down
    events = run(hi, first + second)
    assert [e[1] for e in events] == ["DWELL", "DWELL"]
    assert events[1][0] >= 1.1 + 0.5
    hi.reset_hold()  # the UI: another widget is under the cursor now
    events = run(hi, timeline(1.0, lambda t: obs(shapes, y=0.7), t0=2.2))
    assert events == [(2.7, "DWELL")]


@pytest.mark.models
def test_jitter_is_smoothed_and_does_not_stop_the_hold(shapes):
    rng = random.Random(7)
    hi = HandInteractions()
    raw, smooth, out = [], [], []
    for t, _ in timeline(2.0, lambda t: None):
        j = (rng.gauss(0, 0.006), rng.gauss(0, 0.006))
        o = obs(shapes, jitter=j)
        intents = hi.feed(o, t)
        raw.append(o.tip[0])
        smooth.append(intents[0].x)
        out += [i.kind.name for i in intents[1:]]
    assert np.std(smooth[15:]) < 0.35 * np.std(raw[15:])
    assert out == ["DWELL"]


def moves(shapes, kind, segments, rest=0.3):
    """A hand seen still for ``rest`` s, then moving through ``segments``: a list of
    (seconds, dx, dy, scale factor), each ending where the next starts."""
    frames = timeline(rest, lambda t: obs(shapes, kind, x=0.3))
    x, y, k, t0 = 0.3, 0.5, 1.0, rest
    for secs, dx, dy, dk in segments:
        def at(t, x=x, y=y, k=k, secs=secs, dx=dx, dy=dy, dk=dk):
            f = min(t / secs, 1.0) if secs else 1.0
            return obs(shapes, kind, x=x + dx * f, y=y + dy * f, scale=k * (1 + (dk - 1) * f))
        frames += timeline(secs, at, t0=t0 + 1 / FPS)[:-1] if secs else []
        x, y, k, t0 = x + dx, y + dy, k * dk, t0 + secs
    return frames


def names(hi, frames):
    return [e[1] for e in run(hi, frames)]


@pytest.mark.models
def test_swipe_needs_the_distance_within_the_window(shapes):
    def sweep(dist, secs):
        hi = HandInteractions(InteractionThresholds(swipe_distance=0.25, swipe_window_s=0.5))
        return names(hi, moves(shapes, "palm", [(secs, dist, 0, 1), (0.3, 0, 0, 1)]))
    assert sweep(0.4, 0.3) == ["NEXT"]
    assert sweep(-0.3, 0.3) == ["PREVIOUS"]
    assert sweep(0.2, 0.3) == []  # too short
    assert sweep(0.4, 1.5) == []  # too slow: that is pointing


@pytest.mark.models
def test_hand_sweeping_into_view_is_arriving_not_swiping(shapes):
    hi = HandInteractions()
    frames = timeline(0.3, lambda t: obs(shapes, "palm", x=0.1 + 1.5 * t))
    assert run(hi, frames) == []


@pytest.mark.models
def test_diagonal_motion_is_not_a_swipe(shapes):
    hi = HandInteractions()
    assert names(hi, moves(shapes, "palm", [(0.3, 0.3, 0.45, 1), (0.3, 0, 0, 1)])) == []


@pytest.mark.models
def test_swipe_return_stroke_falls_in_the_cooldown(shapes):
    hi = HandInteractions(InteractionThresholds(cooldown_s=0.8))
    frames = moves(shapes, "palm", [(0.3, 0.4, 0, 1), (0.05, 0, 0, 1), (0.3, -0.4, 0, 1)])
    assert names(hi, frames) == ["NEXT"]


@pytest.mark.models
def test_push_is_a_jab_from_still_to_still(shapes):
    def push(segments):
        hi = HandInteractions(InteractionThresholds(push_scale_ratio=1.3))
        return names(hi, moves(shapes, "point", segments))
    assert push([(0.3, 0, 0, 1.5), (0.3, 0, 0, 1)]) == ["SELECT"]
    assert push([(0.3, 0, 0, 1.15), (0.3, 0, 0, 1)]) == []  # too little
    # too slow (stepping closer), or never stopping (approaching): not a push (a pointing
    # hand coming closer slowly keeps the cursor in place, so it may dwell: that is fine)
    assert "SELECT" not in push([(1.2, 0, 0, 1.6), (0.3, 0, 0, 1)])
    assert "SELECT" not in push([(0.3, 0, 0, 1.5), (0.6, 0, 0, 1.5)])
    assert push([(0.3, 0.3, 0, 1.5), (0.3, 0, 0, 1)]) == ["NEXT"]  # sideways: a swipe


@pytest.mark.models
def test_hand_left_still_after_a_push_or_swipe_does_not_dwell_until_it_moves_on(shapes):
    hi = HandInteractions()
    stay = [(0.3, 0, 0, 1.5), (2.0, 0, 0, 1)]
    assert names(hi, moves(shapes, "point", stay)) == ["SELECT"]
    hi = HandInteractions()
    assert names(hi, moves(shapes, "point", [(0.3, 0.4, 0, 1), (2.0, 0, 0, 1)])) == ["NEXT"]
    hi = HandInteractions()  # moving on (down, to the next button) re-arms the hold
    frames = moves(shapes, "point", [(0.3, 0, 0, 1.5), (1.0, 0, 0, 1), (0.4, 0, 0.2, 1),
                                     (1.5, 0, 0, 1)])
    assert names(hi, frames) == ["SELECT", "DWELL"]


@pytest.mark.models
def test_cursor_is_frozen_while_the_hand_pushes(shapes):
    hi = HandInteractions()
    xs = []
    for t, o in timeline(0.6, lambda t: obs(shapes, "point", x=0.5,
                                            scale=1 if t < 0.3 else 1 + (t - 0.3) * 2)):
        xs.append((t, hi.feed(o, t)[0]))
    before = xs[9][1]
    during = [p for t, p in xs if 0.4 < t < 0.45]
    # the fingertip moves as the hand grows, the cursor does not follow it
    assert all(math.hypot(p.x - before.x, p.y - before.y) < 0.02 for p in during)


@pytest.mark.models
def test_open_palm_still_asks_for_help_and_does_not_dwell(shapes):
    hi = HandInteractions(InteractionThresholds(help_hold_s=1.2))
    events = run(hi, timeline(3.0, lambda t: obs(shapes, "palm")))
    assert events == [(1.2, "HELP")]


@pytest.mark.models
def test_absent_or_tiny_hand_gives_nothing(shapes):
    hi = HandInteractions(InteractionThresholds(min_hand_size=0.05))
    assert run(hi, timeline(1.0, lambda t: None)) == []
    tiny = timeline(2.0, lambda t: obs(shapes, "palm", scale=0.2))
    assert all(hi.feed(o, t) == [] for t, o in tiny)
    assert hi.cursor is None


@pytest.mark.models
def test_losing_the_hand_forgets_the_hold(shapes):
    hi = HandInteractions(InteractionThresholds(dwell_start_s=0.2, dwell_complete_s=0.3))
    a = timeline(0.4, lambda t: obs(shapes))
    gap = [(0.45, None)]
    b = timeline(0.4, lambda t: obs(shapes), t0=0.5)
    assert run(hi, a + gap + b) == []  # 0.4 + 0.4 s, but not 0.5 s in one rest


def test_one_euro_follows_fast_moves_and_steadies_slow_ones():
    f = OneEuroFilter(min_cutoff=1.0, beta=8.0)
    for i in range(30):
        f(0.5, i / FPS)
    moved = [f(0.5 + 0.02 * k, (30 + k) / FPS) for k in range(1, 16)]
    assert 0.5 + 0.3 - moved[-1] < 0.06  # a 0.3 move in 0.5 s: caught up within 0.06
    slow = OneEuroFilter(min_cutoff=1.0, beta=8.0)
    out = [slow(0.5 + (0.004 if i % 2 else -0.004), i / FPS) for i in range(60)]
    assert max(out[20:]) - min(out[20:]) < 0.004  # +-0.004 flicker cut to under half
