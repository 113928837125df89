"""Only the nearest hand counts, while MediaPipe follows one hand (and so skips palm
detection): real hand photos of two sizes in one scene, through the real tracker.

The nearer hand is the larger one. Screen space: the far hand is on the customer's left
(x = 0.25), the near one on their right (x = 0.7), so the cursor's side says which hand
drives it.
"""

from __future__ import annotations

import pytest
from untact.hardware.camera.config import CameraConfig
from untact.hardware.camera.worker import TrackingPipeline
from untact.simulator.camera_clips import HandClip, Key

pytestmark = pytest.mark.models

FAR_X, NEAR_X = 0.25, 0.7
# (far photo, its scale, near photo, its scale): the photos frame their hands differently
PAIRS = [("open_palm_hagrid.jpg", 0.2, "pointing_index_hagrid.jpg", 0.4),
         ("pointing_index_hagrid.jpg", 0.3, "thumbs_up_hagrid.jpg", 0.5)]


def two_hands(hands_dir, background, pair, near_from: float, end: float = 2.6) -> HandClip:
    """The far hand from 0.2 s; the near hand from ``near_from`` s; both stay still."""
    far, far_scale, near, near_scale = pair
    return HandClip(hands_dir / near, [Key(0.0, visible=False),
                                       Key(near_from, NEAR_X, 0.5, near_scale),
                                       Key(end, NEAR_X, 0.5, near_scale)],
                    background=background,
                    more_hands=[(hands_dir / far, [Key(0.0, visible=False),
                                                   Key(0.2, FAR_X, 0.45, far_scale),
                                                   Key(end, FAR_X, 0.45, far_scale)])])


def track(clip: HandClip, config: CameraConfig | None = None):
    """(t, hand, cursor) per frame, and the tracker's counters."""
    pipeline = TrackingPipeline(config or CameraConfig(source="clip"))
    try:
        out = [(t, s.hand, s.cursor) for f, t in clip.frames() for s in [pipeline.step(f, t)]]
        return out, pipeline.tracker.checks, pipeline.tracker.reacquired
    finally:
        pipeline.close()
        clip.close()


def side(x: float) -> str:
    return "near" if x > 0.5 else "far"


@pytest.mark.parametrize("pair", PAIRS, ids=["palm-far", "pointing-far"])
def test_a_nearer_hand_that_appears_later_takes_over_the_cursor(hands_dir, background, pair):
    check_s = CameraConfig().nearer_hand_check_s
    frames, checks, reacquired = track(two_hands(hands_dir, background, pair, near_from=1.0))
    before = [(h, c) for t, h, c in frames if 0.4 <= t < 1.0]
    after = [(h, c) for t, h, c in frames if t >= 1.0 + check_s + 0.3]
    assert before and after
    # First only the far hand is there: it is followed.
    assert {side(h.palm[0]) for h, _ in before} == {"far"}
    # Within a check interval of the nearer hand appearing, it drives the cursor for good.
    assert {side(h.palm[0]) for h, _ in after} == {"near"}
    assert {side(c.x) for _, c in after} == {"near"}
    assert min(h.size for h, _ in after) > 1.3 * max(h.size for h, _ in before)
    assert reacquired == 1 and checks >= 3


@pytest.mark.parametrize("pair", PAIRS, ids=["palm-far", "pointing-far"])
def test_two_hands_arriving_together_the_nearer_counts_from_the_start(hands_dir, background,
                                                                      pair):
    frames, _, _ = track(two_hands(hands_dir, background, pair, near_from=0.2, end=1.5))
    seen = [h for _, h, _ in frames if h is not None]
    assert len(seen) > 30
    assert {side(h.palm[0]) for h in seen} == {"near"}


def test_a_smaller_hand_appearing_beside_the_customer_does_not_take_over(hands_dir,
                                                                        background):
    """The customer's (near) hand first; a bystander's small hand joins: nothing changes."""
    clip = HandClip(hands_dir / "open_palm_hagrid.jpg",
                    [Key(0.0, visible=False), Key(1.0, FAR_X, 0.45, 0.2), Key(2.2, FAR_X, 0.45, 0.2)],
                    background=background,
                    more_hands=[(hands_dir / "pointing_index_hagrid.jpg",
                                 [Key(0.0, visible=False), Key(0.2, NEAR_X, 0.5, 0.4),
                                  Key(2.2, NEAR_X, 0.5, 0.4)])])
    frames, checks, reacquired = track(clip)
    seen = [h for t, h, _ in frames if h is not None]
    assert {side(h.palm[0]) for h in seen} == {"near"}
    assert reacquired == 0 and checks >= 3


def test_without_checks_the_first_hand_found_is_kept(hands_dir, background):
    """``nearer_hand_check_s = 0`` (fastest) keeps following the hand it found first: the
    test above would fail without the look around."""
    frames, checks, _ = track(two_hands(hands_dir, background, PAIRS[0], near_from=1.0),
                              CameraConfig(source="clip", nearer_hand_check_s=0))
    assert checks == 0
    assert {side(h.palm[0]) for t, h, _ in frames if t >= 1.8} == {"far"}
