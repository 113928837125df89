"""What appears over any screen: help, the time-out warning, captions.

The overlay's buttons are KioskButtons like any screen's, so a customer reaches them by
every modality; while it is up, the focus moves among them only.
"""

from __future__ import annotations

from kivy.graphics import Color, Rectangle
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.label import Label

from .strings import t
from .widgets import KioskButton


class Overlay(FloatLayout):
    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.shown = ""  # "" | "help" | "warning"
        self.panel = BoxLayout(orientation="vertical", size_hint=(0.9, 0.6),
                               pos_hint={"center_x": 0.5, "center_y": 0.5})
        self.caption_label = Label(size_hint=(1, None), height=0, pos_hint={"x": 0, "y": 0},
                                   halign="center", valign="middle")
        self.add_widget(self.caption_label)
        self._caption_until = 0

    def _open(self, app, kind: str, text: str, buttons: list[KioskButton]) -> None:
        self.hide()
        self.shown = kind
        p = self.panel
        p.clear_widgets()
        p.padding = p.spacing = app.px_per_mm * 5
        with p.canvas.before:
            p.canvas.before.clear()
            Color(*app.theme["bg"])
            Rectangle(pos=p.pos, size=p.size)
            Color(*app.theme["fg"])
            from kivy.graphics import Line

            Line(rectangle=(p.x, p.y, p.width, p.height), width=max(1, app.px_per_mm * 0.8))
        p.bind(pos=lambda *_: self._open_redraw(app), size=lambda *_: self._open_redraw(app))
        label = Label(text=text, color=app.theme["fg"], font_size=app.px_per_mm * 9 * app.text_scale,
                      halign="center", valign="middle")
        label.bind(size=lambda w, s: setattr(w, "text_size", s))
        p.add_widget(label)
        for b in buttons:
            b.size_hint_y = None
            b.height = app.px_per_mm * 24 * app.target_scale
            p.add_widget(b)
        self.add_widget(p)
        app.sm.opacity = 0.15

    def _open_redraw(self, app) -> None:
        p = self.panel
        if not self.shown:
            return
        p.canvas.before.clear()
        with p.canvas.before:
            from kivy.graphics import Line

            Color(*app.theme["bg"])
            Rectangle(pos=p.pos, size=p.size)
            Color(*app.theme["fg"])
            Line(rectangle=(p.x, p.y, p.width, p.height), width=max(1, app.px_per_mm * 0.8))

    def _button(self, app, key: str, payload: str, **fmt) -> KioskButton:
        labels = {lang: t(key, lang, **fmt) for lang in app.kiosk.languages}
        b = KioskButton(text=labels[app.lang], labels=labels, variant="primary", payload=payload)
        b.bind(on_release=lambda w: app.activate(w))
        return b

    def show_help(self, app) -> None:
        text = f"{t('help.title', app.lang)}\n\n{t('help.text', app.lang)}"
        if getattr(app, "staff_call", None) is not None and app.staff_call.active:
            text += f"\n\n{t('help.staff_called', app.lang)}"
        self._open(app, "help", text, [self._button(app, "help.close", "close"),
                                        self._button(app, "access.open", "access")])

    def show_confirm(self, app, question: str) -> None:
        """A spoken order read back: add it, or not (answered by voice or any button)."""
        self._open(app, "confirm", question, [self._button(app, "voice.yes", "yes"),
                                              self._button(app, "voice.no", "no")])

    def show_warning(self, app, seconds_left: float) -> None:
        text = t("warning.text", app.lang, seconds=round(seconds_left))
        self._open(app, "warning", text, [self._button(app, "warning.more_time", "extend")])

    def on_activate(self, widget: KioskButton) -> None:
        from kivy.app import App

        app = App.get_running_app()
        kind = self.shown
        if kind == "confirm":
            app.answer_voice(widget.payload == "yes")
            return
        if widget.payload == "extend":
            app.frame.extend()
        app.close_overlay()
        if widget.payload == "access" and kind == "help":
            app.nav_action("access", app.screen)

    def hide(self) -> None:
        if self.panel.parent is not None:
            self.remove_widget(self.panel)
        self.shown = ""
        from kivy.app import App

        app = App.get_running_app()
        if app is not None and getattr(app, "sm", None) is not None:
            app.sm.opacity = 1

    def caption(self, app, text: str) -> None:
        """Hearing profile: what was said, shown at the bottom of the screen."""
        c = self.caption_label
        c.text = text
        c.color = app.theme["caption_fg"]
        c.font_size = app.px_per_mm * 8 * app.text_scale
        c.text_size = (app.area.width * 0.95, None)
        c.height = c.font_size * 3.2
        c.canvas.before.clear()
        with c.canvas.before:
            Color(*app.theme["caption_bg"])
            Rectangle(pos=c.pos, size=(app.area.width, c.height))
