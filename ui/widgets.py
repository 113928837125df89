"""Widgets of the accessibility frame: actionable buttons that know how to be read and
focused, and the focus ring and hover cursor drawn above every screen."""

from __future__ import annotations

import math

from kivy.core.text import Label as CoreLabel
from kivy.graphics import Color, Ellipse, Line
from kivy.properties import BooleanProperty, DictProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label
from kivy.uix.widget import Widget


class KioskButton(ButtonBehavior, Label):
    """Anything a customer can act on. Screens create these; the frame finds, focuses,
    reads and activates them, whatever device the customer uses.

    ``labels`` holds the accessible name in every language (checked by the audit);
    ``spoken_value`` and ``selected``/``disabled`` become the spoken value and state.
    """

    role = StringProperty("button")
    variant = StringProperty("normal")  # normal | primary | choice | nav
    labels = DictProperty({})
    spoken_value = StringProperty("")
    selected = BooleanProperty(False)
    focused = BooleanProperty(False)
    payload = ObjectProperty(None, allownone=True)
    bg_colour = ObjectProperty((0, 0, 0, 1))
    border_colour = ObjectProperty((0, 0, 0, 1))
    fg_colour = ObjectProperty((1, 1, 1, 1))

    def __init__(self, **kw):
        super().__init__(**kw)
        # Not bound to the app's theme: a profile change rebuilds the screen and recolours
        # the overlay (KioskApp._apply_style). A binding per button made every new button
        # slower than the last: Kivy scans a property's observers when one is added.
        self.bind(variant=self.recolour, selected=self.recolour, disabled=self.recolour)
        self.recolour()

    def recolour(self, *_):
        """Colours from the current theme and state, computed once per change (cheaper
        than KV expressions, and the same rule the audit reads)."""
        from kivy.app import App

        from .theme import button_colours

        app = App.get_running_app()
        if app is not None:
            self.bg_colour, self.fg_colour = button_colours(self.variant, self.selected,
                                                            self.disabled, app.theme)
            # A theme whose buttons share the screen's colour draws an outline (high
            # contrast: yellow on black); otherwise the edge is the button's own colour.
            outlined = app.theme["border"] != app.theme["button_bg"]
            self.border_colour = app.theme["border"] if outlined else self.bg_colour

    @property
    def focus_box(self) -> tuple[float, float, float, float]:
        x, y = self.to_window(*self.pos)
        return (x, y, self.width, self.height)

    @property
    def enabled(self) -> bool:
        return not self.disabled and self.opacity > 0 and self.get_parent_window() is not None

    def accessible_name(self, lang: str) -> str:
        return self.labels.get(lang) or self.text


def widest_word_px(label: Label) -> float:
    """The widest word of ``label`` in its own font: a column narrower than this breaks
    words inside (a letter a line), which no one can read."""
    core = CoreLabel(font_size=label.font_size, font_name=label.font_name, bold=label.bold)
    return max((core.get_extents(word)[0] for word in label.text.split()), default=0.0)


def fit_height(widget: Widget, width: float) -> float:
    """The height ``widget`` takes at ``width``, now, before Kivy lays it out: a FitGrid
    or a row fits its children; a label whose height follows its text (KV) renders it."""
    fit = getattr(widget, "fit", None)
    if fit is not None:
        return float(fit(width))
    widget.width = width
    if isinstance(widget, Label):
        widget.texture_update()  # its KV height rule follows the new texture at once
    return float(widget.height)


class FitGrid(GridLayout):
    """Controls in as many equal columns as their longest words allow (at most
    ``max_cols``), every row as tall as its tallest text and never lower than
    ``min_row_height``: a narrow screen or a large profile gets more and taller rows
    instead of words broken letter by letter or text squeezed out of its button."""

    max_cols = NumericProperty(4)
    min_row_height = NumericProperty(0)

    def __init__(self, **kw):
        kw.setdefault("cols", 1)
        kw.setdefault("size_hint_y", None)
        super().__init__(**kw)
        self.bind(width=self._refit, children=self._refit, max_cols=self._refit,
                  min_row_height=self._refit)

    def _refit(self, *_):
        if self.width > 1:
            self.fit(self.width)

    def fit(self, width: float) -> float:
        """Choose the columns and the rows' heights for ``width``; the grid's height."""
        kids = self.children[::-1]
        if not kids:
            self.height = 0
            return 0.0
        gap_x, gap_y = self.spacing[0], self.spacing[-1]
        need = max(widest_word_px(k) + k.padding[0] + k.padding[2] + 2 for k in kids)  # +2: rounding
        cols = max(1, min(len(kids), int(self.max_cols), int((width + gap_x) // (need + gap_x))))
        rows = math.ceil(len(kids) / cols)
        cols = math.ceil(len(kids) / rows)  # as even as the rows allow: 2 + 2, not 3 + 1
        col_w = (width - (cols - 1) * gap_x) / cols
        for k in kids:
            k.size_hint_y = None
            k.width = col_w  # the label's text_size follows its width (KV)
            k.texture_update()
        row_heights = []
        for r in range(rows):
            row = kids[r * cols:(r + 1) * cols]
            h = max(self.min_row_height, *(k.texture_size[1] for k in row))
            for k in row:
                k.height = h  # a row's controls alike: no text in the air beside a tall one
            row_heights.append(h)
        self.cols = cols
        self.height = sum(row_heights) + gap_y * (rows - 1)
        return float(self.height)


class FitStack(BoxLayout):
    """Its children one above the other, each as high as its text (a heading above its
    choices): one row of a page."""

    def __init__(self, **kw):
        kw.setdefault("orientation", "vertical")
        kw.setdefault("size_hint_y", None)
        super().__init__(**kw)

    def fit(self, width: float) -> float:
        self.width = width
        kids = self.children[::-1]
        self.height = sum(fit_height(k, width) for k in kids) + self.spacing * (len(kids) - 1)
        return float(self.height)


class FocusRing(Widget):
    """A thick ring around the focused widget, drawn above the screen so no screen has
    to remember to draw it (WCAG 2.4.7 / 2.4.13)."""

    target = ObjectProperty(None, allownone=True)
    color = ObjectProperty((0, 0, 0, 1))
    thickness = NumericProperty(4)

    def __init__(self, **kw):
        super().__init__(**kw)
        self.bind(target=self.redraw, color=self.redraw, thickness=self.redraw)

    _drawn = None

    def follow(self, _dt=None) -> None:
        """Redraw only when the target moved or resized (cheap enough for every frame)."""
        t = self.target
        box = t.focus_box if t is not None and t.get_parent_window() is not None else None
        if box != self._drawn:
            self.redraw()

    def redraw(self, *_):
        self.canvas.clear()
        t = self.target
        self._drawn = None
        if t is None or t.get_parent_window() is None:
            return
        x, y, w, h = self._drawn = t.focus_box
        pad = self.thickness * 1.5
        with self.canvas:
            Color(*self.color)
            Line(rectangle=(x - pad, y - pad, w + 2 * pad, h + 2 * pad), width=self.thickness)


class HoverCursor(Widget):
    """Where a pointing hand is, with the hover-and-hold progress as a ring."""

    point = ObjectProperty(None, allownone=True)  # window coordinates or None when hidden
    progress = NumericProperty(0.0)
    color = ObjectProperty((0, 0, 0, 1))
    radius = NumericProperty(20)

    def __init__(self, **kw):
        super().__init__(**kw)
        self.bind(point=self.redraw, progress=self.redraw, color=self.redraw)

    def redraw(self, *_):
        self.canvas.clear()
        if self.point is None:
            return
        px, py = self.point
        r = self.radius
        with self.canvas:
            Color(*self.color[:3], 0.35)
            Ellipse(pos=(px - r / 2, py - r / 2), size=(r, r))
            Color(*self.color)
            Line(circle=(px, py, r), width=2)
            if self.progress > 0:
                Line(circle=(px, py, r * 1.4, 0, 360 * min(1.0, self.progress)), width=5)
