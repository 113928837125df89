"""Hover-and-hold on the UI side: tie a hold to the one widget under the cursor.

A hover cursor device (the camera) knows where the cursor rests, not what is drawn
there. It sends ``POINT(x, y, value=progress)`` while the hand points and one
``DWELL(x, y)`` when the hold completes. Only the screen knows which widget is under
(x, y), so this small guard, fed every POINT/DWELL on the UI thread:

- finds the widget under the cursor with the screen's ``hit_test(x, y)``;
- when that widget changes, tells the device to restart its hold (``reset_hold``,
  e.g. ``CameraInput.reset_hold``), so a hold begun on one button never completes on
  its neighbour;
- reports the ring to draw (:attr:`ring`: widget and progress, or None);
- turns DWELL into "activate this widget" only if the whole hold happened on it (a
  restarted hold, progress 0, was seen after the widget last changed).

Stdlib only, no Kivy: the screen passes its own hit test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .intents import Intent, Kind


class HoverGuard:
    def __init__(self, hit_test: Callable[[float, float], Any],
                 reset_hold: Callable[[], None] | None = None) -> None:
        self._hit_test = hit_test
        self._reset_hold = reset_hold
        self._widget: Any = None
        self._fresh = False  # a hold that started on the current widget is running
        self.ring: tuple[Any, float] | None = None

    def on_intent(self, intent: Intent) -> Any:
        """Feed POINT and DWELL intents; returns the widget to activate, or None."""
        if intent.kind is Kind.POINT:
            widget = self._hit_test(*intent.xy)
            progress = float(intent.value or 0.0)
            if widget is not self._widget:
                self._widget, self._fresh = widget, progress == 0.0
                if self._reset_hold is not None:
                    self._reset_hold()
            elif progress == 0.0:
                self._fresh = True
            shown = progress if self._fresh else 0.0
            self.ring = (widget, shown) if widget is not None and shown > 0 else None
            return None
        if intent.kind is Kind.DWELL:
            widget = self._hit_test(*intent.xy)
            ok = widget is not None and widget is self._widget and self._fresh
            self._fresh = False
            self.ring = None
            return widget if ok else None
        return None

    def leave(self) -> None:
        """The cursor is gone (no hand): forget the widget and the ring."""
        self._widget, self._fresh, self.ring = None, False, None
