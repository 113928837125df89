"""What every kiosk screen is: a title, a one-line summary, actionable widgets, and BACK.

Screens never see intents or devices. The app moves focus and activates widgets; a
screen only says what is on it (``refresh``) and what its buttons do (``on_activate``).
What a screen may ask of the kiosk is its ``ctx`` (a ScreenContext), given when it is made.
"""

from __future__ import annotations

from collections.abc import Sequence

from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

from ..strings import t
from ..widgets import FitGrid, KioskButton, fit_height
from .context import ScreenContext


def page_starts(heights: Sequence[float], available: float, gap: float,
                most: int | None = None) -> list[int]:
    """Where each page begins when rows of these heights, ``gap`` apart, fill pages of
    ``available`` height (at most ``most`` rows a page); a row taller than a page gets
    one of its own."""
    starts: list[int] = [0]
    used = 0.0
    for i, h in enumerate(heights):
        first = i == starts[-1]
        if not first and (used + gap + h > available or (most and i - starts[-1] >= most)):
            starts.append(i)
            used, first = 0.0, True
        used += h if first else gap + h
    return starts


class KioskScreen(Screen):
    #: where BACK goes; None means the screen handles BACK itself or ignores it
    back_to: str | None = None
    page: int = 0  # of a screen whose rows page (lay_out_rows)
    page_count: int = 1

    def __init__(self, ctx: ScreenContext, **kw) -> None:
        super().__init__(**kw)
        self.ctx: ScreenContext = ctx

    def t(self, key: str, **fmt: object) -> str:
        return t(key, self.ctx.lang, **fmt)

    def button(self, key_or_labels: str | dict, variant: str = "normal", payload=None,
               spoken_value: str = "", **kw) -> KioskButton:
        """A KioskButton labelled in every language from a string key or a {lang: text} dict."""
        langs = self.ctx.kiosk.languages
        if isinstance(key_or_labels, str):
            fmt = kw.pop("fmt", {})
            labels = {lang: t(key_or_labels, lang, **fmt) for lang in langs}
        else:
            labels = dict(key_or_labels)
        text = kw.pop("text", labels[self.ctx.lang])  # visible text may differ ("+")
        b = KioskButton(text=text, labels=labels, variant=variant,
                        payload=payload, spoken_value=spoken_value, **kw)
        b.bind(on_release=lambda w: self.ctx.activate(w))
        return b

    # -- rows that page instead of overflowing -------------------------------------------
    def lay_out_rows(self, rows: list[Widget], most: int | None = None) -> None:
        """Show this page's ``rows`` in ``ids.rows``: as many as fit the screen as measured
        now (title, summary, pager and navigation bar at this width, in this profile), at
        most ``most``; with "previous/next page" in ``ids.pager`` when they do not all fit.
        ``ids.summary`` is set last, with the page it says (see page_note)."""
        ids, style = self.ids, self.ctx.style
        pad, gap = style.screen_padding, style.screen_spacing
        self.page_count = max(2, self.page_count)  # measured with its page note: the longer summary
        ids.summary.text = self.summary()
        body_w, head_h = self.fit_head()
        box, pager = ids.rows, ids.pager
        body = box.parent.children  # rows, pager, then what stays on every page (nav ...)
        room = style.screen_height - 2 * pad - head_h - gap * (len(body) - 1) \
            - sum(fit_height(w, body_w) for w in body if w not in (box, pager))  # (ids: proxies)
        heights = [fit_height(r, body_w) for r in rows]
        pager.clear_widgets()
        starts = [0]
        if sum(heights) + gap * (len(heights) - 1) > room or (most and len(rows) > most):
            pager.add_widget(self.button("nav.prev_page", variant="nav", payload=("page", -1)))
            pager.add_widget(self.button("nav.next_page", variant="nav", payload=("page", +1)))
            starts = page_starts(heights, room - fit_height(pager, body_w), gap, most)
        self.page_count = len(starts)
        self.page = max(0, min(self.page, self.page_count - 1))
        if self.page_count > 1:
            pager.children[1].disabled = self.page == 0
            pager.children[0].disabled = self.page == self.page_count - 1
        else:
            pager.clear_widgets()
            pager.height = 0
        end = starts[self.page + 1] if self.page + 1 < self.page_count else len(rows)
        box.clear_widgets()
        for row in rows[starts[self.page]:end]:
            box.add_widget(row)
        ids.summary.text = self.summary()

    def fit_head(self) -> tuple[float, float]:
        """Measure the title and summary (``ids.head``) for this screen and profile: (the
        body's width, the height the head takes above it). Beside the body on a short,
        wide screen, the head takes 40 % of the width, or up to 60 % when its text is
        too tall for the screen at 40 %."""
        ids, style = self.ids, self.ctx.style
        pad, gap = style.screen_padding, style.screen_spacing
        inner = self.ctx.area_width - 2 * pad
        if not style.two_columns:
            ids.head.size_hint_x = ids.body.size_hint_x = 1
            return inner, fit_height(ids.title, inner) + gap + fit_height(ids.summary, inner) + gap
        room = style.screen_height - 2 * pad
        for share in (0.4, 0.5, 0.6):
            head_w = (inner - 2 * gap) * share
            if fit_height(ids.title, head_w) + gap + fit_height(ids.summary, head_w) <= room:
                break
        ids.head.size_hint_x, ids.body.size_hint_x = share, 1 - share
        return inner - 2 * gap - head_w, 0.0

    def columns(self) -> int:
        """Two columns of choices, one where the profile reads in a line or the text is
        large (and FitGrid makes one of two where the words do not fit)."""
        style = self.ctx.style
        return 1 if style.linear_order or style.text_scale >= 1.5 * style.type_scale else 2

    def button_rows(self, buttons: Sequence[Widget], cols: int = 0) -> list[Widget]:
        """``buttons`` in rows of ``cols`` (default: :meth:`columns`), each row a FitGrid."""
        cols = cols or self.columns()
        rows = []
        for i in range(0, len(buttons), cols):
            row = FitGrid(max_cols=cols)
            for b in buttons[i:i + cols]:
                row.add_widget(b)
            rows.append(row)
        return rows

    def page_note(self) -> str:
        """" Page 2 of 3" for the summary (said and shown) while the rows page."""
        return " " + self.t("page.position", page=self.page + 1, pages=self.page_count) \
            if self.page_count > 1 else ""

    def turn_page(self, step: int) -> bool:
        """Previous / next page of the rows; False at either end (nothing changes)."""
        if not 0 <= self.page + step < self.page_count:
            return False
        self.page += step
        self.ctx.rebuild()
        return True

    # -- what a screen provides ---------------------------------------------------------
    def refresh(self) -> None:
        """Rebuild content from the app's state; called on every entry and change."""

    def title(self) -> str:
        return ""

    def summary(self) -> str:
        return ""

    def on_activate(self, widget: KioskButton) -> None:
        """A button of this screen was chosen (by any modality)."""

    def on_back(self) -> bool:
        """BACK on this screen; True when handled."""
        if self.back_to:
            self.ctx.go(self.back_to)
            return True
        return False

    def poll(self) -> None:
        """Called four times a second while shown, for what changes without an intent."""

    def orderable_by_voice(self) -> tuple[str, ...] | None:
        """Item ids a customer may order by voice here: None for all, () for none."""
        return ()

    def focus_first(self) -> KioskButton | None:
        """Which widget gets focus on entry; default: the first in reading order."""
        return None
