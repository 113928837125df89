"""Record a session driven by hand as a scenario file that replays to the same orders."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from untact.accessibility.intents import Intent, Kind

from .scenario import dump_scenario

MIN_WAIT_S = 0.5  # shorter pauses are the customer's rhythm, not something the kiosk times


class Recorder:
    """Subscribes to the input bus; every intent becomes a step, long pauses become waits,
    every placed order an expectation. The file is rewritten after each step, so a crash
    of the simulator loses nothing recorded so far."""

    def __init__(self, path: str | Path, config: Path, now: Callable[[], float] = time.monotonic) -> None:
        self.path = Path(path)
        self.config = config.resolve()
        self.now = now
        self.steps: list[dict[str, Any]] = []
        self._last: float | None = None
        self._orders = 0

    def on_intent(self, intent: Intent) -> None:
        t = self.now()
        if self._last is not None and t - self._last >= MIN_WAIT_S:
            self.steps.append({"do": "wait", "seconds": round(t - self._last, 2)})
        self._last = t
        if intent.kind in (Kind.POINT, Kind.DWELL, Kind.VOICE):
            return  # recorded through their devices' own steps (point/say), not raw frames
        if intent.kind is Kind.PRESENCE:
            self.steps.append({"do": "approach" if intent.value else "leave"})
        else:
            self.steps.append({"do": "intent", "intent": intent.kind.value})
        self.save()

    def on_order(self, order) -> None:
        self._orders += 1
        self.steps.append({"expect": {"screen": "done", "orders": self._orders,
                                      "last_order_total": order.total}})
        self.save()

    def save(self) -> None:
        try:
            config = os.path.relpath(self.config, self.path.resolve().parent)
        except ValueError:  # another drive (Windows): keep it absolute
            config = str(self.config)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(dump_scenario(f"recorded {time.strftime('%Y-%m-%d %H:%M')}", Path(config),
                                     self.steps), encoding="utf-8")
        os.replace(tmp, self.path)
