"""Drive a real kiosk in this process, frame by frame: for tests, benchmarks and scenarios.

The kiosk is the real :class:`~untact.ui.app.KioskApp` in a real (offscreen when
``DISPLAY`` is unset) Kivy window, built by the same composition root as ``untact-kiosk``
(ui/composition.py) with simulated devices swapped in. Instead of ``App.run()``'s endless loop the driver
advances Kivy's event loop one frame at a time, so a test can post intents, wait for a
condition and look at what the customer would see and hear.
"""

from __future__ import annotations

import functools
import operator
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from untact.ui import kivy_setup

from .kivy_stepping import prepare_app, release_app, uncap_frame_rate
from .window_layout import DEFAULT_SCALE, PANEL_WIDTH

if TYPE_CHECKING:
    from untact.ui.widgets import KioskButton


class SimClock:
    """Simulated monotonic time: a two-minute customer runs in a second."""

    def __init__(self, start: float = 1000.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t


class KioskDriver:
    def __init__(self, config: str | Path, data_dir: str | Path | None = None,
                 scale: float = DEFAULT_SCALE, sim_time: bool = False, render: bool = True,
                 voice_recognizers=None, camera_source=None, boards: int = 0,
                 speech: bool = True, panel: bool = False) -> None:
        """``render=False`` runs every frame's logic (clock, input, layout, text) but skips
        rasterising it, for long simulations; screenshots still draw a real frame.
        ``speech=False`` keeps the speech queue (``spoken`` works) but starts no synthesis
        worker process: for runs of many short-lived kiosks (the crash test).
        ``panel=True``: the simulator's app, with its control panel beside the kiosk (the
        window is widened by the panel, and restored at :meth:`stop`)."""
        from untact.shop.menu import load_kiosk

        self.kiosk = load_kiosk(config)
        w, h = self.kiosk.display.resolution
        # Driven runs are paced by their steps, not by a display: no 60 fps cap.
        kivy_setup.configure(size=(int(w * scale), int(h * scale)), maxfps=0)
        from untact.accessibility.audio_sink import NullSink
        from untact.accessibility.speech import SpeechEngine
        from untact.shop.orders import OrderStore
        from untact.ui.composition import OFF, KioskComposition, Overrides, SimulatedVoice

        from .card_terminal import payment_method

        self.render = render
        self.scale = scale
        self.store = OrderStore(data_dir or self.kiosk.data_folder)
        self.clock = SimClock() if sim_time else None
        # Real synthesis into a sink that plays at real-time pace without a sound card.
        engine_class = SpeechEngine if speech else _unvoiced_engine_class()
        self.engine = engine_class(self.kiosk.accessibility.speech, sink=NullSink())
        # Voice by the real recognizers, heard through a simulated microphone: typed text
        # spoken by espeak-ng, or WAV files (simulator/voice_sim.py).
        self.microphone = None
        if voice_recognizers is not None:
            from .voice_sim import SimulatedMicrophone

            self.microphone = SimulatedMicrophone()
        self.boards = None
        if boards:  # virtual boards running the real firmware, found by the real link
            from .virtual_boards import VirtualBoards

            self.boards = VirtualBoards(boards)
        self.composition = KioskComposition(self.kiosk, self.store, Overrides(
            voice=SimulatedVoice(self.microphone.open, voice_recognizers)
            if self.microphone is not None else OFF,
            camera=camera_source if camera_source is not None else OFF,  # the real worker
            board_ports=self.boards.ports if self.boards is not None else OFF, board_scan_s=0.05,
            engine=self.engine, clock=self.clock, payment=payment_method, start="now"))
        self.bus = self.composition.bus
        self.panel_width = 0
        if panel:
            from .panel import simulator_app

            self.panel_width = PANEL_WIDTH
            self.app = simulator_app(self.composition)
        else:
            self.app = self.composition.make_app()
        self._window_size: tuple[int, ...] | None = None

    @property
    def voice(self):
        return self.composition.hardware.voice

    @property
    def link(self):
        """The host's link to the (virtual) boards."""
        return self.composition.hardware.boards

    @property
    def camera(self):
        """The camera now in use (the panel's camera switch replaces it)."""
        return self.composition.hardware.camera

    # -- running ------------------------------------------------------------------------
    def start(self) -> KioskDriver:
        from kivy.base import EventLoop
        from kivy.core.window import Window

        EventLoop.ensure_window()
        uncap_frame_rate()
        w, h = self.kiosk.display.resolution
        want = (int(w * self.scale) + self.panel_width, int(h * self.scale))
        if self.panel_width and tuple(Window.size) != want:
            self._window_size = tuple(Window.size)  # put back at stop(): other kiosks follow
            Window.size = want
        elif tuple(Window.size) != want and Window.size[0] < want[0] * 0.9:
            Window.size = want
        if self.boards is not None:
            self.boards.start()
        self.composition.attach_devices()  # starts voice, camera and the link
        if self.voice is not None:  # recognizers are given: quick
            if not self.voice.ready.wait(timeout=30):
                raise RuntimeError("voice input did not start within 30 s")
            status = self.voice.status
            if not status.on:
                raise RuntimeError(f"voice input is off: {status.reason}")
        if self.boards is not None:
            ids = {b.board_id for b in self.boards.boards}
            if not self.link.wait_for(lambda st: ids <= {s.board_id for s in st if s.state == "connected"},
                                      timeout=10):
                raise RuntimeError("the virtual boards did not connect to the link")
        prepare_app(self.app)
        self.pump(1, draw=True)  # a real first frame: start-up work waits for it
        self.pump(2)
        self.wait_until(lambda: self.app.sm.current == "attract", what="the attract screen")
        return self

    def stop(self) -> None:
        from kivy.core.window import Window

        self.composition.close()  # the camera current now, the link, voice input
        if self.boards is not None:
            self.boards.stop()
        self.app.dispatch("on_stop")
        for child in list(Window.children):
            Window.remove_widget(child)
        release_app()
        if self._window_size is not None:
            Window.size = self._window_size
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

    def say(self, text: str, lang: str | None = None, timeout: float = 20.0,
            wav: str | Path | None = None) -> list:
        """Speak ``text`` into the simulated microphone (espeak-ng; or play the real
        recording ``wav``), through the real VAD and recognizer, and wait until voice
        input has decided on the utterance. Returns the intents it posted: none when it
        did not understand (a customer says it again)."""
        if self.microphone is None:
            raise AssertionError("this kiosk has no voice input (KioskDriver(voice_recognizers=...))")
        heard = []

        def spy(intent):
            if intent.source == "voice" and intent.kind.name != "STOP_SPEECH":
                heard.append(intent)

        unsubscribe = self.bus.subscribe(spy)
        decided = self.voice.utterances_decided
        try:
            if wav is not None:
                self.microphone.play(wav)
            else:
                self.microphone.say(text, lang or self.app.lang)
            self.wait_until(lambda: self.voice.utterances_decided > decided, timeout=timeout,
                            what=f"voice input to decide on {text or wav!r}")
            self.pump(3)
        finally:
            unsubscribe()
        return heard

    def board_action(self, action: str, args: dict, index: int = 0, timeout: float = 5.0) -> None:
        """Do something to a virtual board (a gesture, a key, the cable) and wait until the
        kiosk has seen its effect through the firmware, the pty and the link."""
        from .virtual_boards import ACTIONS

        assert self.boards is not None, "board actions need virtual boards (boards=N)"
        board = self.boards.board(index)
        if action == "unplug_board":
            board.unplug()
            ok = self.link.wait_for(lambda st: not any(s.board_id == board.board_id and
                                                       s.state == "connected" for s in st), timeout)
            if not ok:
                raise AssertionError(f"the link did not notice {board.board_id} unplugged")
            return
        if action in ("replug_board", "reset_board"):
            board.replug(new_name=bool(args.get("new_name"))) if action == "replug_board" else board.reset()
            if not self.link.wait_for(lambda st: any(s.board_id == board.board_id and s.state == "connected"
                                                     and s.port == board.port for s in st), timeout):
                raise AssertionError(f"{board.board_id} did not reconnect within {timeout:.0f} s")
            return
        seen = []
        unsubscribe = self.bus.subscribe(lambda i: seen.append(i) if i.source.startswith("board:") else None)
        try:
            ACTIONS[action](board, args)
            board.wait_idle(timeout)
            if action not in ("hover", "line_noise"):
                self.wait_until(lambda: bool(seen), timeout=timeout,
                                what=f"the board's {action} to reach the kiosk")
            self.pump(3)
        finally:
            unsubscribe()

    def key(self, name: str) -> None:
        """Press a key as the keyboard device does (through Kivy's window event)."""
        from kivy.core.window import Keyboard, Window

        Window.dispatch("on_key_down", Keyboard.keycodes[name], 0, None, [])
        self.pump(2)

    def focus_on(self, predicate: Callable[[KioskButton], bool], limit: int = 60,
                 what: str = "") -> None:
        """Press NEXT until the focused widget satisfies ``predicate``."""
        from untact.accessibility.intents import Kind

        for _ in range(limit):
            if self.app.focus.current is not None and predicate(self.app.focus.current):
                return
            self.send(Kind.NEXT, frames=1)
        raise AssertionError(f"no focusable widget matching {what or predicate} on {self.screen!r}")

    def choose(self, text_contains: str) -> None:
        """Move focus to the widget whose label contains the text, then SELECT it; on a
        screen that pages, turn the pages with its "next page" button first, as a
        customer on the keypad would."""
        from untact.accessibility.intents import Kind

        def page_button(step: int) -> KioskButton | None:
            if any(text_contains in w.text for w in self.app.targets()):
                return None
            return next((w for w in self.app.targets() if w.payload == ("page", step) and w.enabled),
                        None)

        for step in (-1, +1):  # back to the first page, then forward page by page
            while (button := page_button(step)) is not None:
                self.focus_on(functools.partial(operator.is_, button), what="a page button")
                self.send(Kind.SELECT)
        self.focus_on(lambda w: text_contains in w.text, what=repr(text_contains))
        self.send(Kind.SELECT)

    def order(self, *choices: str, pay: str = "카운터") -> str:
        """From the attract screen, as a customer on the keypad: Korean, each of
        ``choices`` (a category, an item), add it, order and pay by ``pay``; the order
        number the done screen shows."""
        from untact.accessibility.intents import Kind

        self.send(Kind.SELECT)
        for text in ("한국어", *choices, "담기", "주문하기", pay):
            self.choose(text)
        self.wait_until(lambda: self.screen == "done", what="the order number")
        return self.app.sm.get_screen("done").ids.number.text

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
        """Everything the kiosk asked its voice to say, in order (the speech queue)."""
        return [u.text for u in self.engine.history]

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


def _unvoiced_engine_class():
    from untact.accessibility.speech import SpeechEngine

    class UnvoicedEngine(SpeechEngine):
        """The real speech queue with no synthesis worker: utterances are queued and
        recorded in ``history`` but never synthesized (nothing would hear them)."""

        def start(self) -> None:
            pass

    return UnvoicedEngine


def _idle_without_drawing(loop) -> None:
    """One frame of ``EventLoop.idle()`` without the GL draw and flip."""
    from kivy.clock import Clock
    from kivy.lang import Builder

    Clock.tick()
    loop.dispatch_input()
    Builder.sync()
    Clock.tick_draw()
    Builder.sync()
