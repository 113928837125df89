"""A tone on the sensor boards when an order becomes ready: the counter's ready board
calls the number aloud, and the boards by the kiosk sound too, for whoever waits there.

A thread waits on the shop's order feed for changes (never on Kivy's main thread) and
then reads the orders not yet collected (``queue``: a few rows, not the whole day); each
order sounds once, when it is first seen ready. ``buzz`` is the composition root's: the
boards' buzzer, or nothing while no board is connected.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from untact.shop.order_feed import OrderFeed

log = logging.getLogger(__name__)
READY_TONE = (1400, 300)  # Hz, ms


class ReadyTones:
    def __init__(self, feed: OrderFeed, queue: Callable[[], Iterable[Any]],
                 buzz: Callable[[], object]) -> None:
        self._feed = feed
        self._queue = queue
        self._buzz = buzz
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ready-tones", daemon=True)
        self.sounded = 0  # orders sounded for
        self.last_tone: object = None  # what ``buzz`` returned (the boards' acknowledgements)

    def start(self) -> ReadyTones:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _ready(self) -> set[tuple[str, int]]:
        return {(o.day, o.number) for o in self._queue() if o.status == "ready"}

    def _run(self) -> None:
        try:
            version, ready = self._feed.version(), self._ready()  # already ready: no tone
            while not self._stop.is_set():
                new_version = self._feed.wait_change(version, 0.5)
                if new_version == version:
                    continue
                version, now_ready = new_version, self._ready()
                if now_ready - ready:
                    self.last_tone = self._buzz()
                    self.sounded += len(now_ready - ready)  # last: the count says it is done
                ready = now_ready
        except Exception:  # the store closed under us (the kiosk stopping), or a board error
            log.debug("ready tones stopped", exc_info=True)
