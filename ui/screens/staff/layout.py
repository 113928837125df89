"""Staff screens that fit every supported display: rows measured from their real text,
dealt onto pages that fit the screen.

The staff screens were drawn for the 21.5 in portrait screen with fixed row heights; on a
7 in screen, or with the low-vision profile's doubled text, their text spilled out of
its boxes and their buttons shrank (issue #15). Here a screen lists what it shows as
rows (a row is one or more widgets side by side); each row is as high as its text needs
at the width it gets, and the rows are dealt onto pages of the screen's real height,
with a page bar (previous / next, chosen like any button, the new position spoken)
whenever there is more than one. A row too high for any page is stacked (its widgets one
under another) and a text too long for a page is cut into parts between words.

Every height scales with the profile: text with ``text_scale``, controls with
``target_scale`` (never below 15 mm x that, as the profile's target asks), so the
low-vision profile doubles them all (검증기준 3-8); paddings and gaps are compact on a
small display, where the screen is a third of the 21.5 in one's height.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from ...widgets import KioskButton
from ..base import KioskScreen
from ..context import ScreenContext

#: a row: widgets side by side, each with its share of the row's width
Row = list[tuple[Widget, float]]

MIN_TARGET_MM = 15.0  # a control's smallest side, x target_scale (profiles.MIN_TARGET_MM)
COMFORT_TARGET_MM = 20.0  # where the screen has room (the rows' height before #15)
MIN_GAP_MM = 2.6  # between controls: 검증기준 1-2 asks 2.5 mm, pixels round
SIDE_SHARE = 0.3  # of the width, for page buttons beside the rows (a short, wide screen)


@dataclass(frozen=True)
class Metrics:
    """Sizes in pixels for one profile on one display, from the app's style."""

    mm: float  # pixels per millimetre
    pad: float  # around the page
    gap: float  # between rows and between widgets of a row
    control: float  # a control's smallest side
    margin: float  # above and below a control's text
    text_margin: float  # above and below a plain text's lines
    font: float  # body text
    heading: float  # the screen's title
    small: bool  # a display of 280 mm diagonal or less

    @classmethod
    def of(cls, ctx) -> Metrics:
        s = ctx.style
        mm, ts, tg = s.px_per_mm, s.text_scale, s.target_scale
        small = ctx.kiosk.display.size_class() == "small"
        # A small display is a third of the 21.5 in one's height: the least padding, the
        # smallest controls the profile allows and a title no bigger than the text.
        return cls(mm=mm, pad=mm * (1.0 if small else 6.0),
                   gap=mm * (MIN_GAP_MM if small else 4.0),
                   control=mm * (MIN_TARGET_MM if small else COMFORT_TARGET_MM) * tg,
                   margin=mm * 1.0 * tg, text_margin=mm * 0.5 * ts, font=mm * 10 * ts,
                   heading=mm * (10.0 if small else 13.0) * ts, small=small)


def text_height(w: Label, width: float) -> float:
    """Height of ``w``'s lines (its padding left out) when it is ``width`` wide."""
    w.width = width
    w.text_size = (max(1.0, width - w.padding[0] - w.padding[2]), None)
    w.texture_update()
    return float(w.texture_size[1] - w.padding[1] - w.padding[3])


class StaffScreen(KioskScreen):
    """A staff screen laid out by rows and pages; subclasses say what rows it has.

    KV gives it ``content`` (the page's rows, top down) and ``nav`` (the bar at the
    bottom: page buttons and the screen's own navigation)."""

    flow_page: int = 0  # which page of the rows is shown
    flow_pages: int = 1

    def __init__(self, ctx: ScreenContext, **kw) -> None:
        super().__init__(ctx, **kw)
        #: text heights measured while laying out the page shown, by widget, text and width
        self._heights: dict[tuple[int, str, float, float], float] = {}

    def on_pre_enter(self, *_args) -> None:
        """Entered (from another screen): its first page (dispatched before the app
        builds the screen's rows)."""
        self.flow_page = 0

    # -- what a screen shows ------------------------------------------------------------
    def rows(self, m: Metrics) -> list[Row]:
        """The screen's rows, top down (the title first)."""
        return []

    def nav_buttons(self) -> list[KioskButton]:
        """The screen's own navigation, at the bottom of every page where it fits."""
        return []

    # -- widgets in the staff look ------------------------------------------------------------
    def text(self, text: str, m: Metrics, heading: bool = False, halign: str = "left",
             font: float | None = None) -> Label:
        style = self.ctx.style
        label = Label(text=text, color=style.theme["fg"], halign=halign, valign="middle",
                      font_size=font or (m.heading if heading else m.font), bold=heading)
        label.bind(width=lambda w, v: setattr(w, "text_size", (v, None)))
        return label

    def heading(self, m: Metrics) -> Row:
        return [(self.text(self.title(), m, heading=True, halign="center"), 1.0)]

    # -- measuring ----------------------------------------------------------------------------
    def height_of(self, w: Widget, width: float, m: Metrics) -> float:
        if not isinstance(w, Label):
            w.width = width
            return float(w.height)  # a picture: as high as it asks
        # A page is tried several ways (one page? which bar?): each text is set once.
        key = (id(w), w.text, w.font_size, round(width, 1))
        if key not in self._heights:
            margin = m.margin if isinstance(w, KioskButton) else m.text_margin
            self._heights[key] = text_height(w, width) + 2 * margin
        h = self._heights[key]
        return max(m.control, h) if isinstance(w, KioskButton) else h

    def measure(self, row: Row, width: float, m: Metrics) -> float:
        total = sum(share for _, share in row)
        free = width - m.gap * (len(row) - 1)
        return max(self.height_of(w, free * share / total, m) for w, share in row)

    def available(self) -> tuple[float, float]:
        """The screen's size where the app is placing it now (a profile change resizes
        the screens only at the next frame; the rows are made before it)."""
        sm = self.manager
        parent = sm.parent if sm is not None else None
        if parent is not None and sm.size_hint_y is not None and parent.height > 1:
            return parent.width * (sm.size_hint_x or 1.0), parent.height * sm.size_hint_y
        return float(self.width), float(self.height)

    # -- dealing rows onto pages --------------------------------------------------------------
    def fit(self, row: Row, width: float, room: float, m: Metrics) -> list[Row]:
        """``row`` as rows no higher than ``room``: stacked, then text cut between words."""
        if self.measure(row, width, m) <= room or len(row) == 1 and not isinstance(row[0][0], Label):
            return [row]
        if len(row) > 1:
            return [part for w, _ in row for part in self.fit([(w, 1.0)], width, room, m)]
        w = row[0][0]
        if isinstance(w, KioskButton):  # a control is not cut: its shorter label, if any
            w.text = getattr(w, "short_text", "") or w.text
            return [row]
        assert isinstance(w, Label)
        words, parts, line = w.text.split(" "), [], ""
        for word in words:
            trial = f"{line} {word}" if line else word
            probe = self.text(trial, m, heading=w.bold, halign=w.halign, font=w.font_size)
            if line and self.height_of(probe, width, m) > room:
                parts.append(line)
                line = word
            else:
                line = trial
        parts.append(line)
        if len(parts) == 1:
            return [row]
        return [[(self.text(p, m, heading=w.bold, halign=w.halign, font=w.font_size), 1.0)]
                for p in parts]

    def deal(self, rows: list[Row], width: float, room: float,
             m: Metrics) -> list[list[tuple[Row, float]]]:
        """Pages of (row, height), each page's rows and gaps within ``room``."""
        pages: list[list[tuple[Row, float]]] = [[]]
        used = 0.0
        for given in rows:
            for row in self.fit(given, width, room, m):
                h = self.measure(row, width, m)
                need = h if not pages[-1] else used + m.gap + h
                if pages[-1] and need > room:
                    pages.append([])
                    need = h
                pages[-1].append((row, h))
                used = need
        return pages

    def one_page(self, rows: list[Row], m: Metrics, nav: Row | None = None) -> bool:
        """Whether ``rows`` and the navigation fit the screen without page buttons."""
        screen_w, screen_h = self.available()
        width = screen_w - 2 * m.pad
        nav = nav if nav is not None else [(b, 1.0) for b in self.nav_buttons()]
        needed = [self.measure(r, width, m) for r in rows + self.nav_rows(nav, width, m)]
        return sum(needed) + m.gap * (len(needed) - 1) <= self.room(screen_h, m)

    @staticmethod
    def room(screen_h: float, m: Metrics) -> float:
        """The page's height for rows: the screen's, less the padding and the gap above
        the empty rest of the page."""
        return screen_h - 2 * m.pad - m.gap

    def pager_row(self) -> Row:
        first = self.flow_page == 0 and not self.more_before()
        last = self.flow_page >= self.flow_pages - 1 and not self.more_after()
        prev = self.button("nav.prev_page", variant="nav", payload=("page", -1), disabled=first)
        nxt = self.button("nav.next_page", variant="nav", payload=("page", 1), disabled=last)
        prev.short_text, nxt.short_text = self.t("staff.prev_page"), self.t("staff.next_page")
        return [(prev, 1.0), (nxt, 1.0)]

    def more_before(self) -> bool:
        """Pages of the screen's data before this one (a list paged by the database)."""
        return False

    def more_after(self) -> bool:
        return False

    def one_line(self, row: Row, width: float, m: Metrics) -> bool:
        return self.measure(row, width, m) <= m.control + 1

    def shorten(self, row: Row, short: bool) -> Row:
        """``row`` with its buttons' shorter labels (where they have one), or the full."""
        for w, _ in row:
            if isinstance(w, KioskButton):
                w.text = (short and getattr(w, "short_text", "")) or w.accessible_name(
                    self.ctx.lang)
        return row

    def nav_rows(self, nav: Row, width: float, m: Metrics) -> list[Row]:
        """The navigation in one row of one-line buttons if it can be (with the shorter
        labels if need be), else one button a row: a wrapped label makes a control
        taller than the profile's size, and the low-vision profile's twice that."""
        if not nav:
            return []
        for short in (False, True):
            if self.one_line(self.shorten(nav, short), width, m):
                return [nav]
        self.shorten(nav, False)
        return [[cell] if self.one_line([cell], width, m) else self.shorten([cell], True)
                for cell in nav]

    def bar_options(self, nav: Row, width: float, m: Metrics) -> list[tuple[list[Row], list[Row]]]:
        """Ways to put the page buttons and the navigation at the bottom, most compact
        first: (rows of the bar, rows that go into the pages instead)."""
        pager = self.pager_row()
        together = self.nav_rows(pager + nav, width, m)
        if len(together) == 1:
            return [(together, [])]
        pager_rows, nav_rows = self.nav_rows(pager, width, m), self.nav_rows(nav, width, m)
        return [(pager_rows + nav_rows, []), (pager_rows, nav_rows)]

    def bar_height(self, bar: list[Row], width: float, m: Metrics) -> float:
        """The bar's rows and the gap above each."""
        return sum(self.measure(r, width, m) + m.gap for r in bar)

    def lay_out(self) -> None:
        """Rebuild ``content`` and ``nav`` with the rows of the current page."""
        m = Metrics.of(self.ctx)
        self._heights = {}  # the widgets are new: ids of the last page's may be reused
        screen_w, screen_h = self.available()
        width, height = screen_w - 2 * m.pad, self.room(screen_h, m)
        self.ids.page.padding = m.pad
        self.ids.page.spacing = m.gap
        rows = self.rows(m)
        nav: Row = [(b, 1.0) for b in self.nav_buttons()]
        bar_width = 0.0  # the bar is under the rows; beside them when this is set
        heights = [self.measure(r, width, m) for r in rows]
        if self.one_page(rows, m, nav) and not (self.more_before() or self.more_after()):
            pages, bar = [list(zip(rows, heights, strict=True))], self.nav_rows(nav, width, m)
            self.flow_page, self.flow_pages = 0, 1
        else:
            options = self.bar_options(nav, width, m)
            tallest = max((h for r, h in zip(rows, heights, strict=True)  # texts can be cut
                           if not (len(r) == 1 and type(r[0][0]) is Label)), default=0.0)
            bar, extra = next(((b, e) for b, e in options  # the first leaving room for any row
                               if height - self.bar_height(b, width, m) >= tallest), options[-1])
            bar_h = self.bar_height(bar, width, m)
            if height - bar_h < tallest and screen_w > screen_h:
                # A control too high for what a bar leaves (a wrapped label, text x2 on the
                # 86 mm high screen): the page buttons go beside the rows, one above the
                # other, and the rows get the whole height.
                side = max(m.control, width * SIDE_SHARE)
                pager = self.shorten(self.pager_row(), True)
                bar, extra, bar_h = [[cell] for cell in pager], self.nav_rows(
                    nav, width - side - m.gap, m), 0.0
                bar_width, width = side, width - side - m.gap
            pages = self.deal(rows + extra, width, height - bar_h, m)
            self.flow_pages = len(pages)
            self.flow_page = max(0, min(self.flow_page, len(pages) - 1))
            for w, _ in (cell for r in bar for cell in r):  # the ends, now pages are known
                if getattr(w, "payload", None) == ("page", -1):
                    w.disabled = self.flow_page == 0 and not self.more_before()
                elif getattr(w, "payload", None) == ("page", 1):
                    w.disabled = self.flow_page >= len(pages) - 1 and not self.more_after()
        content = self.ids.content
        content.clear_widgets()
        content.spacing = m.gap
        for row, h in pages[self.flow_page]:
            content.add_widget(self._row_widget(row, h, m))
        content.add_widget(Widget())  # the rest of the page, empty (a gap above it: ROOM)
        bar_box = self.ids.nav
        bar_box.clear_widgets()
        bar_box.spacing = m.gap
        bar_heights = [self.measure(r, bar_width or width, m) for r in bar]
        self.ids.page.orientation = "horizontal" if bar_width else "vertical"
        if bar_width:  # beside the rows, at the bottom of the column
            bar_box.size_hint, bar_box.width = (None, 1), bar_width
            bar_box.add_widget(Widget())
        else:
            bar_box.size_hint = (1, None)
            bar_box.height = sum(bar_heights) + m.gap * max(0, len(bar) - 1)
        for row, h in zip(bar, bar_heights, strict=True):
            bar_box.add_widget(self._row_widget(row, h, m))

    def _row_widget(self, row: Row, h: float, m: Metrics) -> Widget:
        if len(row) == 1:
            w = row[0][0]
            if w.parent is not None:
                w.parent.remove_widget(w)
            w.size_hint = (1, None)
            w.height = h
            return w
        box = BoxLayout(size_hint_y=None, height=h, spacing=m.gap)
        for w, share in row:
            if w.parent is not None:
                w.parent.remove_widget(w)
            w.size_hint = (share, 1)
            box.add_widget(w)
        return box

    # -- paging ---------------------------------------------------------------------------
    def turn_page(self, step: int) -> bool:
        """Previous / next page of the rows; False at either end (the caller may page
        its data instead)."""
        page = self.flow_page + step
        if not 0 <= page < self.flow_pages:
            return False
        self.flow_page = page
        self.ctx.rebuild(keep_focus=True)
        self.announce_page()
        return True

    def page_position(self) -> tuple[int, int]:
        return self.flow_page + 1, self.flow_pages

    def announce_page(self) -> None:
        page, pages = self.page_position()
        self.ctx.announce(self.t("page.position", page=page, pages=pages))


def chunks(seq: Sequence, size: int) -> list[Sequence]:
    return [seq[i:i + size] for i in range(0, len(seq), max(1, size))]


def columns_that_fit(width: float, cell: float, gap: float) -> int:
    return max(1, math.floor((width + gap) / (cell + gap)))
