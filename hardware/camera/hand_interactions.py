"""From a tracked hand over time to intents: cursor, hover-and-hold, air push, swipes, help.

Modelled on Ultraleap TouchFree's interactions, for a camera a step away:

- **Cursor**: the index fingertip, One-Euro-filtered, as ``POINT(x, y)`` every frame a
  hand is seen. ``value`` carries the hover-and-hold progress 0..1 for a progress ring.
- **Hover-and-hold**: while the index finger points (and the hand is not an open palm),
  a cursor that rests within ``dwell_radius`` for ``dwell_start_s`` starts the ring, which
  fills over ``dwell_complete_s``; then one ``DWELL(x, y)``. It fires once per rest: the
  cursor has to move away (or the UI calls :meth:`reset_hold`) before the next one. The
  UI decides what is under the cursor; when that widget changes while the cursor is still
  inside the radius (a border, a screen change) it calls :meth:`reset_hold`.
- **Air push**: a short jab toward the camera. The hand is still, its apparent size
  grows by ``push_scale_ratio`` with little sideways drift, and it is still again, all
  within ``push_window_s`` -> ``SELECT`` (as the jab ends). A hand that comes closer
  slowly, or keeps coming (a customer stepping up to the kiosk), is not a push. The
  cursor is frozen while the hand grows, so the push does not drag it off its button.
- **Swipe**: the palm travels ``swipe_distance`` sideways within ``swipe_window_s``:
  to the customer's right -> ``NEXT``, left -> ``PREVIOUS`` (like the sensor board).
  Both gestures only count from a hand that was already in view for ``_SETTLE_S``: a
  hand sweeping into the picture is arriving, not swiping.
- **Open palm held still** for ``help_hold_s`` -> ``HELP``.

Any gesture starts a ``cooldown_s`` in which no other gesture fires, so one motion is one
intent (a push is not also read as a dwell, a swipe's return stroke not as a swipe), and
a hand left still after a push or swipe does not start a hold until it moves on.
Pure logic on timestamps: deterministic, testable without a camera.
"""

from __future__ import annotations

import collections
import math
from dataclasses import dataclass

from untact.accessibility.intents import Intent, Kind, dwell, simple

from .config import InteractionThresholds
from .hand_tracker import HandObservation
from .one_euro import OneEuroFilter2D

_GROW_LOOKBACK_S = 0.15  # how far back "is the hand growing right now?" looks
_GROW_FREEZE_RATIO = 1.06
_SETTLE_S = 0.2  # a gesture starts from a hand seen (and, for a push, still) this long
_STOP_S = 0.15  # a push ends with the hand's size steady this long
_REARM_DISTANCE = 0.08  # palm travel that re-arms the hold after a push or swipe
_STILL_SIZE = 0.03  # "steady": apparent size within +-3% (landmark jitter is ~1-2%)


@dataclass(frozen=True)
class Cursor:
    """What the kiosk screen draws: where the cursor is and how full the ring is."""

    x: float
    y: float
    progress: float  # hover-and-hold, 0..1
    pointing: bool  # index finger extended: the ring can run
    open_palm: bool


class HandInteractions:
    """Feed one observation (or None) per frame with its timestamp; get intents back."""

    def __init__(self, thresholds: InteractionThresholds | None = None,
                 source: str = "camera") -> None:
        self.t = thresholds or InteractionThresholds()
        self.source = source
        self._filter = OneEuroFilter2D(self.t.filter_min_cutoff, self.t.filter_beta)
        self._history: collections.deque[tuple[float, float, float, float]] = collections.deque()
        self._cooldown_until = -math.inf
        self._history_palm = (0.5, 0.5)
        self.cursor: Cursor | None = None
        self._clear_hand()

    # -- state -------------------------------------------------------------------------
    def _clear_hand(self) -> None:
        self._filter.reset()
        self._history.clear()
        self._rest_anchor: tuple[float, float] | None = None
        self._rest_since = 0.0
        self._dwell_done = False
        self._help_anchor: tuple[float, float] | None = None
        self._help_since = 0.0
        self._help_done = False
        self._rearm_at: tuple[float, float] | None = None
        self.cursor = None

    def reset_hold(self) -> None:
        """The widget under the cursor changed: restart the hover-and-hold from zero."""
        self._rest_anchor = None
        self._dwell_done = False

    @property
    def progress(self) -> float:
        return self.cursor.progress if self.cursor else 0.0

    # -- the frame loop ----------------------------------------------------------------
    def feed(self, hand: HandObservation | None, t: float) -> list[Intent]:
        """Intents caused by the frame taken at ``t`` (seconds, monotonic)."""
        if hand is None or hand.size < self.t.min_hand_size:
            if self.cursor is not None or self._history:
                self._clear_hand()
            return []
        px, py = hand.palm
        self._history_palm = (px, py)
        self._history.append((t, px, py, hand.size))
        horizon = max(self.t.swipe_window_s, self.t.push_window_s) + _SETTLE_S
        while self._history and self._history[0][0] < t - horizon:
            self._history.popleft()

        out: list[Intent] = []
        cooling = t < self._cooldown_until
        gesture = None if cooling else (self._swipe(t) or self._push(t))
        if gesture is not None:
            out.append(simple(gesture, source=self.source))
            self._after_gesture(t)

        tip_x, tip_y = self._filter(*hand.tip, t)
        if self._growing(t) and self.cursor is not None:
            tip_x, tip_y = self.cursor.x, self.cursor.y  # freeze during a push
        tip_x, tip_y = min(max(tip_x, 0.0), 1.0), min(max(tip_y, 0.0), 1.0)
        pointing = hand.extended[1] and not hand.open_palm

        progress = 0.0
        if self._rearm_at is not None:
            if cooling or gesture is not None:  # the motion is still finishing: follow it
                self._rearm_at = (px, py)
            elif math.hypot(px - self._rearm_at[0], py - self._rearm_at[1]) > _REARM_DISTANCE:
                self._rearm_at = None
        if pointing and self._rearm_at is None:
            progress = self._hold(tip_x, tip_y, t)
            if progress >= 1.0 and not self._dwell_done and not cooling and gesture is None:
                self._dwell_done = True
                out.append(dwell(tip_x, tip_y, source=self.source))
                self._after_gesture(t, keep_hold=True)
        else:
            self._rest_anchor, self._dwell_done = None, False
        if hand.open_palm:
            if self._held_open(px, py, t) and not self._help_done and not cooling \
                    and gesture is None:
                self._help_done = True
                out.append(simple(Kind.HELP, source=self.source))
                self._after_gesture(t, keep_hold=True)
        else:
            self._help_anchor, self._help_done = None, False

        self.cursor = Cursor(tip_x, tip_y, progress, pointing, hand.open_palm)
        out.insert(0, Intent(Kind.POINT, x=tip_x, y=tip_y, value=round(progress, 3),
                             source=self.source))
        return out

    def _after_gesture(self, t: float, keep_hold: bool = False) -> None:
        self._cooldown_until = t + self.t.cooldown_s
        self._history.clear()
        if not keep_hold:
            # A push or swipe has acted: a hand left where it ended must not dwell and
            # act again. The hold re-arms once the palm moves on from where it was at the
            # end of the cooldown (or the hand leaves).
            self._rest_anchor, self._dwell_done = None, False
            self._help_anchor, self._help_done = None, False
            self._rearm_at = self._history_palm

    # -- the gestures --------------------------------------------------------------------
    def _swipe(self, t: float) -> Kind | None:
        _, x1, y1, _ = self._history[-1]
        first_seen = self._history[0][0]
        for t0, x0, y0, _ in self._history:
            if t - t0 > self.t.swipe_window_s or t0 - _SETTLE_S < first_seen:
                continue
            dx, dy = x1 - x0, y1 - y0
            if abs(dx) >= self.t.swipe_distance and abs(dy) <= self.t.swipe_max_slope * abs(dx):
                return Kind.NEXT if dx > 0 else Kind.PREVIOUS
        return None

    def _steady(self, since: float, until: float, size: float) -> bool:
        sizes = [s for t, _, _, s in self._history if since <= t <= until]
        return len(sizes) >= 2 and all(abs(s / size - 1) <= _STILL_SIZE for s in sizes)

    def _push(self, t: float) -> Kind | None:
        _, x1, y1, s1 = self._history[-1]
        if not self._steady(t - _STOP_S, t, s1):  # still moving: wait for the jab's end
            return None
        first_seen = self._history[0][0]
        for t0, x0, y0, s0 in self._history:
            if t - t0 > self.t.push_window_s or t0 - _SETTLE_S < first_seen:
                continue
            if s1 >= self.t.push_scale_ratio * s0 and \
                    math.hypot(x1 - x0, y1 - y0) <= self.t.push_max_drift and \
                    self._steady(t0 - _SETTLE_S, t0, s0):
                return Kind.SELECT
        return None

    def _growing(self, t: float) -> bool:
        if not self._history:
            return False
        s1 = self._history[-1][3]
        for t0, _, _, s0 in self._history:
            if t - t0 <= _GROW_LOOKBACK_S:
                return s1 >= _GROW_FREEZE_RATIO * s0
        return False

    def _hold(self, x: float, y: float, t: float) -> float:
        anchor = self._rest_anchor
        if anchor is None or math.hypot(x - anchor[0], y - anchor[1]) > self.t.dwell_radius:
            self._rest_anchor, self._rest_since, self._dwell_done = (x, y), t, False
            return 0.0
        rested = t - self._rest_since - self.t.dwell_start_s
        if self._dwell_done:
            return 1.0
        return min(max(rested / self.t.dwell_complete_s, 0.0), 1.0)

    def _held_open(self, x: float, y: float, t: float) -> bool:
        anchor = self._help_anchor
        if anchor is None or math.hypot(x - anchor[0], y - anchor[1]) > self.t.help_radius:
            self._help_anchor, self._help_since, self._help_done = (x, y), t, False
            return False
        return t - self._help_since >= self.t.help_hold_s
