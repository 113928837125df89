"""Widgets of the accessibility frame: actionable buttons that know how to be read and
focused, and the focus ring and hover cursor drawn above every screen."""

from __future__ import annotations

from kivy.graphics import Color, Ellipse, Line
from kivy.properties import BooleanProperty, DictProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
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
