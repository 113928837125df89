"""What appears over any screen: help, the time-out warning, captions.

The overlay's buttons are KioskButtons like any screen's, so a customer reaches them by
every modality; while it is up, the focus moves among them only.
"""

from __future__ import annotations

from kivy.graphics import Color, Rectangle
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.label import Label

from .screens.context import ScreenContext
from .strings import t
from .widgets import KioskButton


class Overlay(FloatLayout):
    def __init__(self, ctx: ScreenContext, **kw) -> None:
        super().__init__(**kw)
        self.ctx = ctx
        self.shown = ""  # "" | "help" | "warning"
        self.panel = BoxLayout(orientation="vertical", size_hint=(0.9, 0.6),
                               pos_hint={"center_x": 0.5, "center_y": 0.5})
        self.caption_label = Label(size_hint=(1, None), height=0, pos_hint={"x": 0, "y": 0},
                                   halign="center", valign="middle")
        self.add_widget(self.caption_label)
        self._caption_until = 0

    def _open(self, kind: str, text: str, buttons: list[KioskButton]) -> None:
        ctx, style = self.ctx, self.ctx.style
        self.hide()
        self.shown = kind
        p = self.panel
        p.clear_widgets()
        p.padding = p.spacing = style.px_per_mm * 5
        with p.canvas.before:
            p.canvas.before.clear()
            Color(*style.theme["bg"])
            Rectangle(pos=p.pos, size=p.size)
            Color(*style.theme["fg"])
            from kivy.graphics import Line

            Line(rectangle=(p.x, p.y, p.width, p.height), width=max(1, style.px_per_mm * 0.8))
        p.bind(pos=lambda *_: self._open_redraw(), size=lambda *_: self._open_redraw())
        label = Label(text=text, color=style.theme["fg"],
                      font_size=style.px_per_mm * 10 * style.text_scale,
                      halign="center", valign="middle")
        label.bind(size=lambda w, s: setattr(w, "text_size", s))
        p.add_widget(label)
        for b in buttons:
            b.size_hint_y = None
            b.height = style.px_per_mm * 24 * style.target_scale
            p.add_widget(b)
        self.add_widget(p)
        ctx.dim_screens(True)

    def _open_redraw(self) -> None:
        style = self.ctx.style
        p = self.panel
        if not self.shown:
            return
        p.canvas.before.clear()
        with p.canvas.before:
            from kivy.graphics import Line

            Color(*style.theme["bg"])
            Rectangle(pos=p.pos, size=p.size)
            Color(*style.theme["fg"])
            Line(rectangle=(p.x, p.y, p.width, p.height), width=max(1, style.px_per_mm * 0.8))

    def _button(self, key: str, payload: str, **fmt) -> KioskButton:
        ctx = self.ctx
        labels = {lang: t(key, lang, **fmt) for lang in ctx.kiosk.languages}
        b = KioskButton(text=labels[ctx.lang], labels=labels, variant="primary", payload=payload)
        b.bind(on_release=lambda w: ctx.activate(w))
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
        c.canvas.before.clear()
        with c.canvas.before:
            Color(*style.theme["caption_bg"])
            Rectangle(pos=c.pos, size=(self.ctx.area_width, c.height))
