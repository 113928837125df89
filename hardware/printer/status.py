"""The printer's health, as staff see it: online, offline, out of paper or unplugged.

Asked with ESC/POS real-time status queries (``DLE EOT 1``, ``2``, ``4``), which a printer
answers at once, even in the middle of a job, and not at all when it is off. Staff see the
state and how many tickets wait: ``PrinterHealth.subscribe`` for the Kivy devices page and
the staff web app, and one line in the kiosk's device status (``summary()``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from untact.accessibility.listeners import Listeners

from .transports import Transport

log = logging.getLogger(__name__)

STARTING, ONLINE, OFFLINE, OUT_OF_PAPER, UNPLUGGED = (
    "starting", "online", "offline", "out of paper", "unplugged")
STATES = (STARTING, ONLINE, OFFLINE, OUT_OF_PAPER, UNPLUGGED)

DLE_EOT = b"\x10\x04"
QUERY = DLE_EOT + b"\x01" + DLE_EOT + b"\x02" + DLE_EOT + b"\x04"  # printer, offline cause, paper
OFFLINE_BIT = 0x08  # DLE EOT 1
COVER_OPEN, PAPER_STOP, ERROR = 0x04, 0x20, 0x40  # DLE EOT 2
PAPER_NEAR_END, PAPER_END = 0x0C, 0x60  # DLE EOT 4


@dataclass(frozen=True)
class PrinterStatus:
    state: str = STARTING
    detail: str = ""  # why, in English, for the log and the staff web app
    waiting: int = 0  # tickets queued and not yet printed
    printed: int = 0  # tickets printed since the kiosk started
    paper_low: bool = False

    def summary(self) -> str:
        """The kiosk's device-status line: "online", "out of paper, 3 waiting"."""
        return f"{self.state}, {self.waiting} waiting" if self.waiting else self.state


def parse_status(reply: bytes) -> tuple[str, str, bool]:
    """(state, detail, paper_low) from the three status bytes of :data:`QUERY`."""
    if len(reply) < 3 or any(b & 0x93 != 0x12 for b in reply[:3]):
        return OFFLINE, f"no valid status reply ({reply.hex() or 'nothing'})", False
    printer, cause, paper = reply[:3]
    paper_low = bool(paper & PAPER_NEAR_END)
    if paper & PAPER_END or cause & PAPER_STOP:
        return OUT_OF_PAPER, "the paper roll is empty", paper_low
    if printer & OFFLINE_BIT:
        why = ("the cover is open" if cause & COVER_OPEN else
               "the printer reports an error" if cause & ERROR else "the printer is offline")
        return OFFLINE, why, paper_low
    return ONLINE, "", paper_low


def query_status(transport: Transport, timeout_s: float) -> tuple[str, str, bool]:
    transport.write(QUERY)
    return parse_status(transport.read(3, timeout_s))


class PrinterHealth:
    """The current :class:`PrinterStatus`, and who wants to hear when it changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._status = PrinterStatus()
        self._listeners: Listeners[[PrinterStatus]] = Listeners(log, "printer status")

    @property
    def current(self) -> PrinterStatus:
        return self._status

    def subscribe(self, fn: Callable[[PrinterStatus], None]) -> Callable[[], None]:
        """``fn(status)`` on every change, on the printer's thread; returns unsubscribe."""
        return self._listeners.subscribe(fn)

    def update(self, **changes: object) -> None:
        with self._lock:
            old = self._status
            new = replace(old, **changes)  # type: ignore[arg-type]
            self._status = new
        if new != old:
            if new.state != old.state:
                log.info("printer %s%s", new.state, f": {new.detail}" if new.detail else "")
            self._listeners.notify(new)
