"""The input bus: device threads post intents, the UI receives them on its own thread.

Device readers (serial link, camera, microphone) run in their own threads and must never
touch widgets. They call :meth:`InputBus.post`, which is thread-safe and never blocks; the
bus asks a *waker* to run :meth:`InputBus.drain` on the UI thread, where subscribers are
called in the order intents were posted. With Kivy the waker is a ``Clock`` trigger (see
``kivy_adapter``); in pure tests it can be ``None`` and the test drains by hand.
"""

from __future__ import annotations

import collections
import logging
import threading
from collections.abc import Callable

from .intents import Intent
from .listeners import Listeners

log = logging.getLogger(__name__)

Subscriber = Callable[[Intent], None]


class BusFull(RuntimeError):
    pass


class InputBus:
    """A bounded, ordered, thread-safe hand-off of intents to the UI thread.

    Bounded because input is untrusted: a board spamming events must not eat memory.
    When full, the oldest intents are dropped and counted, so the newest (what the
    customer is doing now) wins.
    """

    def __init__(self, waker: Callable[[], None] | None = None, maxlen: int = 256) -> None:
        self._queue: collections.deque[Intent] = collections.deque()
        self._maxlen = maxlen
        self._lock = threading.Lock()
        self._subscribers: Listeners[[Intent]] = Listeners(log, "intent")
        self._waker = waker
        self.dropped = 0

    def set_waker(self, waker: Callable[[], None] | None) -> None:
        self._waker = waker

    def subscribe(self, fn: Subscriber) -> Callable[[], None]:
        """Register ``fn``; returns a function that unsubscribes it."""
        return self._subscribers.subscribe(fn)

    def post(self, intent: Intent) -> None:
        """Queue ``intent`` from any thread; never blocks on the UI."""
        if not isinstance(intent, Intent):
            raise TypeError(f"post() takes an Intent, not {type(intent).__name__}")
        with self._lock:
            if len(self._queue) >= self._maxlen:
                self._queue.popleft()
                self.dropped += 1
            self._queue.append(intent)
        waker = self._waker
        if waker is not None:
            waker()

    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def drain(self) -> int:
        """Deliver every queued intent to the subscribers; call on the UI thread only."""
        delivered = 0
        while True:
            with self._lock:
                if not self._queue:
                    return delivered
                intent = self._queue.popleft()
            self._subscribers.notify(intent)  # one broken handler must not freeze the kiosk
            delivered += 1
