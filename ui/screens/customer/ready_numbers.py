"""The order numbers being made and ready, shown on the attract screen while no one orders.

The same numbers as the ready board (``shop.order_feed.ready_board``). A watcher thread
reads the orders every half second while the attract screen is shown (never on Kivy's
main thread: SQLite is I/O) and leaves the latest numbers in one attribute; the screen's
``poll`` hands them to the widget. The widget takes no room when nothing is waiting.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout
from untact.shop.order_feed import ready_board
from untact.ui.strings import t

log = logging.getLogger(__name__)
Numbers = dict[str, list[int]]


class ReadyNumbersWatcher:
    """Reads ``orders()`` (objects with ``number`` and ``status``) in a thread of its own."""

    def __init__(self, orders: Callable[[], Iterable[Any]], every_s: float = 0.5) -> None:
        self._orders = orders
        self._every_s = every_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.latest: Numbers | None = None  # written by the thread, read by the main thread

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="ready-numbers", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while True:
            try:
                self.latest = ready_board(self._orders())
            except sqlite3.ProgrammingError:  # the store was closed: the kiosk is stopping
                return
            except Exception:  # a busy database: try again, the kiosk goes on
                log.debug("ready numbers not read", exc_info=True)
            if self._stop.wait(self._every_s):
                return


class ReadyNumbers(BoxLayout):
    ready_text = StringProperty("")
    preparing_text = StringProperty("")

    def show(self, numbers: Numbers, languages: Sequence[str]) -> bool:
        """Show ``numbers``; True when what is shown changed."""
        ready = self._line("ready.ready", numbers["ready"], languages)
        preparing = self._line("ready.preparing", numbers["preparing"], languages)
        if (ready, preparing) == (self.ready_text, self.preparing_text):
            return False
        self.ready_text, self.preparing_text = ready, preparing
        return True

    @staticmethod
    def _line(key: str, numbers: list[int], languages: Sequence[str]) -> str:
        if not numbers:
            return ""
        label = " / ".join(t(key, lang) for lang in languages)
        return f"{label}: {'  '.join(str(n) for n in numbers[-12:])}"
