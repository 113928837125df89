"""Staff call: the customer presses HELP, the counter hears it until someone answers.

One :class:`StaffCall` per kiosk. ``raise_call`` on HELP (or when checkout failed),
``acknowledge`` from the admin screen (or the board's button). Listeners - the sender
that lights the board's LED and sounds its buzzer, the admin screen's badge - get a
:class:`StaffCallEvent` for every change. A listener runs in the caller's thread and
must be quick (queue a serial command; schedule a redraw with Kivy's Clock); a listener
that raises is logged and does not stop the others.

Pressing HELP again while a call is open does not open a second call: the event says
``repeat=True`` (count + 1), so the buzzer can sound again for an anxious customer.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from untact.accessibility.listeners import Listeners

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StaffCallEvent:
    active: bool  # True: someone is waiting; False: acknowledged
    count: int  # HELP presses in this call
    raised_at: float | None  # clock time of the first press
    reason: str = ""  # "help", "checkout_error", ...
    repeat: bool = False  # a further press on an open call
    by: str = ""  # who acknowledged ("admin", "board", ...)


Listener = Callable[[StaffCallEvent], None]

MESSAGES = {
    "raised": {"ko": "직원을 불렀습니다. 잠시만 기다려 주세요.",
               "en": "Staff have been called. Please wait a moment."},
    "acknowledged": {"ko": "직원이 곧 도와드리겠습니다.",
                     "en": "A member of staff is coming to help you."},
}


class StaffCall:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._listeners: Listeners[[StaffCallEvent]] = Listeners(log, "staff call")
        self._state = StaffCallEvent(False, 0, None)

    @property
    def state(self) -> StaffCallEvent:
        return self._state

    @property
    def active(self) -> bool:
        return self._state.active

    def waiting_s(self) -> float:
        """How long the customer has waited (0 when no call is open)."""
        s = self._state
        return self._clock() - s.raised_at if s.active and s.raised_at is not None else 0.0

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        return self._listeners.subscribe(listener)

    def raise_call(self, reason: str = "help") -> StaffCallEvent:
        with self._lock:
            s = self._state
            if s.active:
                event = StaffCallEvent(True, s.count + 1, s.raised_at, s.reason, repeat=True)
            else:
                event = StaffCallEvent(True, 1, self._clock(), reason)
            self._state = event
        self._notify(event)
        return event

    def acknowledge(self, by: str = "admin") -> StaffCallEvent | None:
        """Close the open call; returns its final event, or None if none was open."""
        with self._lock:
            s = self._state
            if not s.active:
                return None
            event = StaffCallEvent(False, s.count, s.raised_at, s.reason, by=by)
            self._state = event
        self._notify(event)
        return event

    def _notify(self, event: StaffCallEvent) -> None:
        self._listeners.notify(event)


__all__ = ["MESSAGES", "StaffCall", "StaffCallEvent"]
