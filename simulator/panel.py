"""The simulator's control panel: the virtual world beside the kiosk window.

The kiosk keeps its real size (in millimetres) on the left; the panel on the right holds
a section per virtual device (boards, camera, microphone) and a running transcript of
what the kiosk says. Panel controls drive the virtual devices, never the kiosk directly:
what the kiosk receives still comes through the real firmware, link and recognizers.
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from untact.ui.app import KioskApp

PANEL_BG = (0.13, 0.14, 0.16, 1)


def small_label(text: str, **kw) -> Label:
    label = Label(text=text, font_size=13, halign="left", valign="middle", size_hint_y=None,
                  height=22, color=(0.9, 0.9, 0.9, 1), **kw)
    label.bind(size=lambda w, s: setattr(w, "text_size", (s[0], None)))
    return label


def panel_button(text: str, on_press, **kw) -> Button:
    b = Button(text=text, font_size=13, size_hint_y=None, height=30, **kw)
    b.bind(on_press=lambda _b: on_press())
    return b


class ControlPanel(BoxLayout):
    def __init__(self, app: KioskApp, **kw) -> None:
        super().__init__(orientation="vertical", padding=8, spacing=6, **kw)
        self.app = app
        with self.canvas.before:
            from kivy.graphics import Color, Rectangle

            Color(*PANEL_BG)
            self._bg = Rectangle(pos=self.pos, size=self.size)
        self.bind(pos=lambda *_: setattr(self._bg, "pos", self.pos),
                  size=lambda *_: setattr(self._bg, "size", self.size))
        self.sections = BoxLayout(orientation="vertical", spacing=4, size_hint_y=None)
        self.sections.bind(minimum_height=self.sections.setter("height"))
        self.add_widget(small_label("[b]untact simulator[/b]  keys: arrows move, Enter select, "
                                    "Backspace back, Home start over, F1 help, R repeat", markup=True,
                                    ))
        self.add_widget(self.sections)
        self.add_widget(small_label("[b]What the kiosk says[/b]", markup=True))
        self.transcript = Label(font_size=13, halign="left", valign="top", size_hint_y=None,
                                color=(0.85, 0.95, 0.85, 1))
        self.transcript.bind(width=lambda w, v: setattr(w, "text_size", (v, None)),
                             texture_size=lambda w, s: setattr(w, "height", s[1]))
        scroll = ScrollView()
        scroll.add_widget(self.transcript)
        self._scroll = scroll
        self.add_widget(scroll)
        self._shown = 0
        self._event = Clock.schedule_interval(self._refresh_transcript, 0.2)

    def add_section(self, title: str, *widgets) -> None:
        self.sections.add_widget(small_label(f"[b]{title}[/b]", markup=True))
        for w in widgets:
            self.sections.add_widget(w)

    def _refresh_transcript(self, _dt) -> None:
        lines = self.app.transcript
        if len(lines) == self._shown:
            return
        self._shown = len(lines)
        self.transcript.text = "\n".join(f"[{lang}] {text}" for lang, text in lines[-40:])
        self._scroll.scroll_y = 0


class SimulatorApp(KioskApp):
    """The kiosk with the control panel beside it."""


    def build(self):
        area = super().build()
        from .cli import PANEL_WIDTH

        kiosk_w = Window.width - PANEL_WIDTH
        area.size_hint = (None, 1)
        area.width = kiosk_w
        outer = BoxLayout()
        outer.add_widget(area)
        self.panel = ControlPanel(self)
        outer.add_widget(self.panel)
        return outer
