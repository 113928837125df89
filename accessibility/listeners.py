"""Listeners: the one way untact's publishers (the input bus, the menu, the staff call)
keep their subscribers.

Subscribing may happen on any thread while another thread notifies, so the list is
copied under a lock before calling. A listener that raises is logged and does not stop
the others: one broken screen must never keep the rest of the kiosk from hearing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, ParamSpec

P = ParamSpec("P")


class Listeners(Generic[P]):
    def __init__(self, log: logging.Logger, what: str) -> None:
        self._log = log
        self._what = what  # names the publisher in the log line of a failing listener
        self._lock = threading.Lock()
        self._fns: list[Callable[P, None]] = []

    def subscribe(self, fn: Callable[P, None]) -> Callable[[], None]:
        """Register ``fn``; returns a function that unsubscribes it (safe to call twice)."""
        with self._lock:
            self._fns.append(fn)

        def unsubscribe() -> None:
            with self._lock:
                if fn in self._fns:
                    self._fns.remove(fn)
        return unsubscribe

    def notify(self, *args: P.args, **kwargs: P.kwargs) -> None:
        with self._lock:
            fns = list(self._fns)
        for fn in fns:
            try:
                fn(*args, **kwargs)
            except Exception:
                self._log.exception("%s listener %r failed on %s", self._what, fn, args)

    def __len__(self) -> int:
        return len(self._fns)
