"""The session's remaining time, always on the screen while a customer's session runs
(검증기준 2-2: no time limit, or the remaining time shown; not only in the warning).

A bar at the bottom of the reachable band, under every screen, so no screen has to
remember it; empty (but still holding its place) when no session runs: the attract
screen, the staff's pages. When the merchant chose no time limit it says so ("시간 제한
없음") rather than vanishing: a customer who takes their time need not wonder whether a
countdown is hidden somewhere, and the layout is the same in both choices.
"""

from __future__ import annotations

import math

from kivy.uix.label import Label

from .strings import t


def clock_text(seconds: float) -> str:
    s = max(0, int(seconds + 0.999))  # 0.2 s left is still "0:01"
    return f"{s // 60}:{s % 60:02d}"


class TimeLeft(Label):
    role = "remaining_time"
    _shown = ""  # the text last set: Kivy re-renders the texture on every assignment

    def __init__(self, **kw):
        kw.setdefault("size_hint", (1, None))
        kw.setdefault("halign", "center")
        kw.setdefault("valign", "middle")
        super().__init__(**kw)
        self.bind(width=lambda *_: setattr(self, "text_size", (self.width, None)))

    def show(self, seconds_left: float | None, lang: str) -> None:
        """``None``: no session runs now; ``math.inf``: a session without a time limit."""
        text = ("" if seconds_left is None else t("no_time_limit", lang)
                if math.isinf(seconds_left) else
                t("time_left", lang, time=clock_text(seconds_left)))
        if text != self._shown:
            self._shown = self.text = text
