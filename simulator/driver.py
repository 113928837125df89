"""Drive a real kiosk in this process, frame by frame: for tests, benchmarks and scenarios.

The kiosk is the real :class:`~untact.ui.app.KioskApp` in a real (offscreen when
``DISPLAY`` is unset) Kivy window. Instead of ``App.run()``'s endless loop the driver
advances Kivy's event loop one frame at a time, so a test can post intents, wait for a
condition and look at what the customer would see and hear.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from untact.ui import kivy_setup

DEFAULT_SCALE = 0.5  # the simulator window is half the kiosk's pixels, same millimetres


class SimClock:
    """Simulated monotonic time: a two-minute customer runs in a second."""

    def __init__(self, start: float = 1000.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t


class KioskDriver:
    def __init__(self, config: str | Path, data_dir: str | Path | None = None,
                 scale: float = DEFAULT_SCALE, sim_time: bool = False, render: bool = True) -> None:
        """``render=False`` runs every frame's logic (clock, input, layout, text) but skips
        rasterising it, for long simulations; screenshots still draw a real frame."""
        from untact.ui.menu import load_kiosk

        self.kiosk = load_kiosk(config)
        w, h = self.kiosk.display.resolution
        # Driven runs are paced by their steps, not by a display: no 60 fps cap.
        kivy_setup.configure(size=(int(w * scale), int(h * scale)), maxfps=0)
        from untact.accessibility.bus import InputBus
        from untact.ui.app import KioskApp
        from untact.ui.orders import OrderStore

        self.render = render
        self.bus = InputBus()
        self.store = OrderStore(data_dir or self.kiosk.data_folder)
        self.clock = SimClock() if sim_time else None
        extra = {"now": self.clock} if self.clock else {}
        self.app = KioskApp(self.kiosk, self.store, self.bus, **extra)

    # -- running ------------------------------------------------------------------------
    def start(self) -> KioskDriver:
        from kivy.base import EventLoop
        from kivy.core.window import Window

        EventLoop.ensure_window()
        w, h = self.kiosk.display.resolution
        want = (int(w * DEFAULT_SCALE), int(h * DEFAULT_SCALE))
        if tuple(Window.size) != want and Window.size[0] < want[0] * 0.9:
            Window.size = want
        self.app._run_prepare()
        self.pump(3)
        self.wait_until(lambda: self.app.sm.current == "attract", what="the attract screen")
        return self

    def stop(self) -> None:
        from kivy.core.window import Window

        self.app.dispatch("on_stop")
        for child in list(Window.children):
            Window.remove_widget(child)
        from kivy.app import App

        App._running_app = None
        self.store.close()

    def pump(self, frames: int = 1, draw: bool | None = None) -> None:
        from kivy.base import EventLoop

        draw = self.render if draw is None else draw
        for _ in range(frames):
            if draw:
                EventLoop.idle()
            else:
                _idle_without_drawing(EventLoop)

    def advance(self, seconds: float, step: float = 0.25) -> None:
        """Let ``seconds`` pass: simulated when the driver has a SimClock, else real."""
        if self.clock is None:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                self.pump()
            return
        end = self.clock.t + seconds
        while self.clock.t < end:
            self.clock.t = min(end, self.clock.t + step)
            self.app.tick()
            self.pump()

    def wait_until(self, condition: Callable[[], bool], timeout: float = 10.0, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what or condition}"
                                   f" (screen {self.screen!r}, focus {self.focused!r})")
            self.pump()

    # -- input --------------------------------------------------------------------------
    def send(self, *kinds_or_intents, frames: int = 2) -> None:
        """Post intents as a device would (from any thread) and let the UI handle them."""
        from untact.accessibility.intents import Intent, simple

        for k in kinds_or_intents:
            self.bus.post(k if isinstance(k, Intent) else simple(k, source="driver"))
            self.pump(frames)

    def key(self, name: str) -> None:
        """Press a key as the keyboard device does (through Kivy's window event)."""
        from kivy.core.window import Keyboard, Window

        Window.dispatch("on_key_down", Keyboard.keycodes[name], 0, None, [])
        self.pump(2)

    def focus_on(self, predicate: Callable[[object], bool], limit: int = 60, what: str = "") -> None:
        """Press NEXT until the focused widget satisfies ``predicate``."""
        from untact.accessibility.intents import Kind

        for _ in range(limit):
            if self.app.focus.current is not None and predicate(self.app.focus.current):
                return
            self.send(Kind.NEXT, frames=1)
        raise AssertionError(f"no focusable widget matching {what or predicate} on {self.screen!r}")

    def choose(self, text_contains: str) -> None:
        """Move focus to the widget whose label contains the text, then SELECT it."""
        from untact.accessibility.intents import Kind

        self.focus_on(lambda w: text_contains in w.text, what=repr(text_contains))
        self.send(Kind.SELECT)

    # -- what the customer sees and hears ----------------------------------------------
    @property
    def screen(self) -> str:
        return self.app.sm.current

    @property
    def focused(self) -> str | None:
        w = self.app.focus.current
        return w.text if w is not None else None

    @property
    def spoken(self) -> list[str]:
        return [text for _lang, text in self.app.transcript]

    def screenshot(self, path: str | Path) -> Path:
        from kivy.core.window import Window

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.pump(2, draw=True)
        made = Window.screenshot(name=str(path))
        os.replace(made, path)
        return path

    def pixels(self) -> tuple[int, int, bytes]:
        """The window's current RGBA pixels (bottom row first), read back from GL."""
        from kivy.core.window import Window
        from kivy.graphics.opengl import GL_RGBA, GL_UNSIGNED_BYTE, glReadPixels

        self.pump(2, draw=True)
        w, h = Window.size
        return w, h, glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE)


def _idle_without_drawing(loop) -> None:
    """One frame of ``EventLoop.idle()`` without the GL draw and flip."""
    from kivy.clock import Clock
    from kivy.lang import Builder

    Clock.tick()
    loop.dispatch_input()
    Builder.sync()
    Clock.tick_draw()
    Builder.sync()
