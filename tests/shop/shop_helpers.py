"""Small shared helpers for the shop tests: a settable clock and order lines."""

from __future__ import annotations

import datetime as dt


class FakeClock:
    """A wall clock the test moves by hand (named fake: it stands in for time itself)."""

    def __init__(self, start: dt.datetime = dt.datetime(2026, 3, 14, 11, 30)) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += dt.timedelta(**kw)

    def timestamp(self) -> float:
        return self.now.timestamp()


def lines(item: str = "americano", qty: int = 1, price: int = 4500, **choices: str) -> list[dict]:
    return [{"item": item, "name": {"ko": "아메리카노", "en": "Americano"}, "choices": choices,
             "quantity": qty, "unit_price": price}]
