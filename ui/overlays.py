"""What appears over any screen: help, the time-out warning, captions.

The overlay's buttons are KioskButtons like any screen's, so a customer reaches them by
every modality; while it is up, the focus moves among them only.
"""

from __future__ import annotations

from kivy.graphics import Color, Line, Rectangle
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.label import Label

from .screens.context import ScreenContext
from .strings import t
from .widgets import KioskButton


class Overlay(FloatLayout):
    """Made once per kiosk: the panel, its frame, its message and each button are reused
    by every opening (a kiosk opens HELP hundreds of times a day; widgets, textures and
    bindings made per opening only add up)."""

    def __init__(self, ctx: ScreenContext, **kw) -> None:
        super().__init__(**kw)
        self.ctx = ctx
        self.shown = ""  # "" | "help" | "warning" | "confirm"
        self.panel = BoxLayout(orientation="vertical", size_hint=(0.9, 0.6),
                               pos_hint={"center_x": 0.5, "center_y": 0.5})
        with self.panel.canvas.before:
            self._panel_bg = Color()
            self._panel_fill = Rectangle()
            self._panel_fg = Color()
            self._panel_edge = Line()
        self.panel.bind(pos=self._place_frame, size=self._place_frame)
        self.message = Label(halign="center", valign="middle")
        self.message.bind(size=self.message.setter("text_size"))
        self.panel.add_widget(self.message)
        self._buttons: dict[tuple[str, str], KioskButton] = {}
        self.caption_label = Label(size_hint=(1, None), height=0, pos_hint={"x": 0, "y": 0},
                                   halign="center", valign="middle")
        with self.caption_label.canvas.before:
            self._caption_bg = Color()
            self._caption_fill = Rectangle()
        self.add_widget(self.caption_label)

    def _open(self, kind: str, text: str, buttons: list[KioskButton]) -> None:
        style = self.ctx.style
        self.hide()
        self.shown = kind
        p = self.panel
        p.padding = p.spacing = style.px_per_mm * 5
        self._panel_bg.rgba = style.theme["bg"]
        self._panel_fg.rgba = style.theme["fg"]
        self._panel_edge.width = max(1, style.px_per_mm * 0.8)
        self.message.text = text
        self.message.color = style.theme["fg"]
        self.message.font_size = style.px_per_mm * 10 * style.text_scale
        for b in p.children[:]:
            if b is not self.message:
                p.remove_widget(b)
        for b in buttons:
            b.size_hint_y = None
            b.height = style.px_per_mm * 24 * style.target_scale
            p.add_widget(b)
        self._place_frame()
        self.add_widget(p)
        self.ctx.dim_screens(True)

    def _place_frame(self, *_args: object) -> None:
        p = self.panel
        self._panel_fill.pos, self._panel_fill.size = p.pos, p.size
        self._panel_edge.rectangle = (p.x, p.y, p.width, p.height)

    def _button(self, key: str, payload: str) -> KioskButton:
        """The overlay's button for ``key``, made on first use and reused after, in the
        customer's language and the current theme's colours."""
        ctx = self.ctx
        b = self._buttons.get((key, payload))
        if b is None:
            labels = {lang: t(key, lang) for lang in ctx.kiosk.languages}
            b = KioskButton(labels=labels, variant="primary", payload=payload)
            b.bind(on_release=lambda w: ctx.activate(w))
            self._buttons[(key, payload)] = b
        b.text = b.labels[ctx.lang]
        b.recolour()
        return b

    def show_help(self) -> None:
        lang = self.ctx.lang
        text = f"{t('help.title', lang)}\n\n{t('help.text', lang)}"
        if self.ctx.staff_call.active:
            text += f"\n\n{t('help.staff_called', lang)}"
        self._open("help", text, [self._button("help.close", "close"),
                                  self._button("access.open", "access")])

    def show_confirm(self, question: str) -> None:
        """A spoken order read back: add it, or not (answered by voice or any button)."""
        self._open("confirm", question, [self._button("voice.yes", "yes"),
                                         self._button("voice.no", "no")])

    def show_warning(self, seconds_left: float) -> None:
        text = t("warning.text", self.ctx.lang, seconds=round(seconds_left))
        self._open("warning", text, [self._button("warning.more_time", "extend")])

    def on_activate(self, widget: KioskButton) -> None:
        ctx = self.ctx
        kind = self.shown
        if kind == "confirm":
            ctx.answer_voice(widget.payload == "yes")
            return
        if widget.payload == "extend":
            ctx.extend_session()
        ctx.close_overlay()
        if widget.payload == "access" and kind == "help":
            ctx.nav_action("access", ctx.current_screen)

    def hide(self) -> None:
        if self.panel.parent is not None:
            self.remove_widget(self.panel)
        self.shown = ""
        self.ctx.dim_screens(False)

    def caption(self, text: str) -> None:
        """Hearing profile: what was said, shown at the bottom of the screen."""
        style = self.ctx.style
        c = self.caption_label
        c.text = text
        c.color = style.theme["caption_fg"]
        c.font_size = style.px_per_mm * 10 * style.text_scale
        c.text_size = (self.ctx.area_width * 0.95, None)
        c.height = c.font_size * 3.2
        self._caption_bg.rgba = style.theme["caption_bg"]
        self._caption_fill.pos, self._caption_fill.size = c.pos, (self.ctx.area_width, c.height)
