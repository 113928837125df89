"""The simulator's control panel: the virtual world beside the kiosk window.

The kiosk keeps its real size (in millimetres) on the left; the panel on the right holds
a section per virtual device (boards, camera, microphone) and a running transcript of
what the kiosk says. Panel controls drive the virtual devices, never the kiosk directly:
what the kiosk receives still comes through the real firmware, link and recognizers.
"""

from __future__ import annotations

from dataclasses import dataclass

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from untact.ui.app import KioskApp

from .window_layout import PANEL_WIDTH

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
        lines = self.app.engine.history.snapshot()  # every utterance asked for, played or cut short
        newest = lines[-1].id if lines else 0  # not len(): the history keeps the newest only
        if newest == self._shown:
            return
        self._shown = newest
        self.transcript.text = "\n".join(f"[{u.lang}] {u.text}" for u in lines[-40:])
        self._scroll.scroll_y = 0


# --- microphone (voice input) ------------------------------------------------------------
MIC_CHOICES = (("none", "none"), ("microphone", "real mic"), ("wav", "WAV file"),
               ("text", "typed text"))
MIC_HINTS = {
    "none": "no microphone: voice input hears quiet room noise",
    "microphone": "",
    "wav": "path of a .wav file (any rate, mono or stereo)",
    "text": "아이스 아메리카노 두 잔 / two lemonades",
}


def voice_section(panel: ControlPanel, microphone) -> None:
    """What the kiosk's microphone hears, switched at run time: nothing, the computer's
    real microphone, a WAV file, or typed text spoken by espeak-ng. Every choice goes
    through the real VAD and recognizers (simulator/voice_sim.py); errors (no microphone,
    a bad WAV) are one line in the panel, never a crash."""
    from types import SimpleNamespace

    from kivy.uix.textinput import TextInput
    from kivy.uix.togglebutton import ToggleButton
    from untact.hardware.voice.audio import AudioSourceError

    box = BoxLayout(orientation="vertical", size_hint_y=None, height=134, spacing=4)
    modes = BoxLayout(size_hint_y=None, height=30, spacing=4)
    text = TextInput(multiline=False, font_size=13, size_hint_y=None, height=30)
    actions = BoxLayout(size_hint_y=None, height=30, spacing=4)
    status = small_label("")
    toggles: dict[str, ToggleButton] = {}

    def show(mode: str) -> None:
        for name, button in toggles.items():
            button.state = "down" if name == mode else "normal"
        text.hint_text = MIC_HINTS[mode]
        text.disabled = mode in ("none", "microphone")
        for button in actions.children:
            button.disabled = button.mode != mode

    def switch(mode: str) -> bool:
        try:
            microphone.use(mode)
        except AudioSourceError as exc:  # no microphone here: say so, keep the old choice
            status.text = f"real microphone: {exc}"
            show(microphone.mode)
            return False
        status.text = {"none": "microphone off",
                       "microphone": f"listening to {microphone.real_name or 'the microphone'}",
                       }.get(mode, "")
        show(mode)
        return True

    def say(lang: str) -> None:
        value = text.text.strip()
        if value:
            try:
                microphone.say(value, lang)
                status.text = f"said ({lang}): {value}"
            except AudioSourceError as exc:  # espeak-ng missing
                status.text = str(exc)

    def play() -> None:
        value = text.text.strip()
        if not value:
            status.text = "type the path of a .wav file"
            return
        try:
            microphone.play(value)
            status.text = f"playing {value}"
        except AudioSourceError as exc:  # one line, naming the file
            status.text = str(exc)

    for mode, label in MIC_CHOICES:
        toggle = ToggleButton(text=label, group="untact-microphone", allow_no_selection=False,
                              font_size=13, size_hint_y=None, height=30)
        toggle.bind(on_press=lambda _b, m=mode: switch(m))
        toggles[mode] = toggle
        modes.add_widget(toggle)
    for label, fn, mode in (("say (ko)", lambda: say("ko"), "text"),
                            ("say (en)", lambda: say("en"), "text"), ("play", play, "wav")):
        button = panel_button(label, fn)
        button.mode = mode
        actions.add_widget(button)

    def refresh(_dt) -> None:  # a real microphone that failed says so
        if microphone.mode == "microphone" and microphone.error:
            status.text = f"real microphone stopped: {microphone.error}"

    panel._mic_event = Clock.schedule_interval(refresh, 0.5)
    for w in (modes, text, actions, status):
        box.add_widget(w)
    show(microphone.mode)
    panel.voice_text = text
    panel.voice = SimpleNamespace(switch=switch, toggles=toggles, text=text, status=status,
                                  actions=actions, say=say, play=play)
    panel.add_section("Microphone", box)


def board_section(panel: ControlPanel, board) -> None:
    """One virtual board: the person, the hand, the keypad, the earphone and the cable."""
    from kivy.uix.gridlayout import GridLayout
    from kivy.uix.slider import Slider

    grid = GridLayout(cols=5, spacing=3, size_hint_y=None)
    grid.bind(minimum_height=grid.setter("height"))
    state = {"present": False, "jack": False}

    def toggle(key, fn):
        state[key] = not state[key]
        fn(state[key])

    controls = [
        ("person", lambda: toggle("present", board.set_presence)),
        ("swipe <", lambda: board.swipe("left")), ("swipe >", lambda: board.swipe("right")),
        ("swipe ^", lambda: board.swipe("up")), ("push", board.push),
    ] + [(k, lambda k=k: board.press(k)) for k in ("left", "right", "ok", "back", "help",
                                                     "vol_up", "vol_down")] + [
        ("earphone", lambda: toggle("jack", board.plug_jack)),
        ("unplug", board.unplug), ("replug", lambda: board.replug(new_name=True)),
        ("noise", lambda: board.inject_noise(b"\r\n>>> Traceback (most recent call last):\r\n")),
        ("reset", board.reset),
    ]
    for text, fn in controls:
        grid.add_widget(panel_button(text, fn))
    hand = Slider(min=0, max=400, value=400, size_hint_y=None, height=30)
    hand.bind(value=lambda _s, v: board.set_distance(None if v >= 400 else int(v)))
    panel.add_section(f"Board {board.board_id} (real firmware, pty)", grid,
                      small_label("hand distance (mm; right end: no hand)"), hand)


def camera_section(panel: ControlPanel, switcher) -> None:
    """The camera source, switched while the kiosk runs: none, the demo clip (a real hand
    photo over a real room), a webcam index or a video file (simulator/camera_switch.py)."""
    from kivy.uix.textinput import TextInput

    box = BoxLayout(orientation="vertical", size_hint_y=None, height=100, spacing=4)
    row = BoxLayout(size_hint_y=None, height=30, spacing=4)
    spec = TextInput(hint_text="webcam index (0) or a video file path", multiline=False,
                     font_size=13, size_hint_y=None, height=30)
    status = small_label(f"camera: {switcher.device_status.get('camera', 'none')}")

    def show(text: str) -> None:  # from the worker's reader thread: hop to Kivy's
        Clock.schedule_once(lambda _dt: setattr(status, "text", f"camera: {text}"), 0)

    def use(value: str) -> None:
        status.text = f"camera: {switcher.switch(value)}"

    switcher.listeners.append(show)
    buttons = {"none": panel_button("none", lambda: use("none")),
               "demo": panel_button("demo clip", lambda: use("demo")),
               "use": panel_button("use", lambda: use(spec.text))}
    for b in buttons.values():
        row.add_widget(b)
    spec.bind(on_text_validate=lambda _t: use(spec.text))
    box.add_widget(row)
    box.add_widget(spec)
    box.add_widget(status)
    panel.camera_buttons, panel.camera_spec, panel.camera_status = buttons, spec, status
    panel.add_section("Camera", box)


def printer_section(panel: ControlPanel, printer) -> None:
    """The virtual printer: switch it off, out of paper or on; the last ticket's text."""
    last = small_label("no ticket printed yet")
    buttons = BoxLayout(size_hint_y=None, height=30, spacing=4)
    for state in ("online", "out_of_paper", "offline"):
        buttons.add_widget(panel_button(state.replace("_", " "),
                                        lambda *_a, s=state: printer.set_state(s)))

    def show(ticket) -> None:  # the printer's thread: hop to Kivy's
        text = f"ticket {len(printer.tickets)}: " + " | ".join(
            t.strip() for t in ticket.texts() if t.strip() and not t.startswith("---"))
        Clock.schedule_once(lambda _dt: setattr(last, "text", text), 0)
    printer.subscribe(show)
    panel.add_section(f"Printer (virtual, {printer.address})", buttons, last)


@dataclass(frozen=True)
class SimulatedDevices:
    """The virtual devices the panel drives; None: that section is not shown."""

    microphone: object | None = None  # simulator.voice_sim.SimulatedMicrophone
    virtual_boards: object | None = None  # simulator.virtual_boards.VirtualBoards
    camera_switcher: object | None = None  # simulator.camera_switch.CameraSwitcher
    virtual_printer: object | None = None  # simulator.virtual_printer.VirtualPrinter


class SimulatorApp(KioskApp):
    """The kiosk with the control panel beside it."""

    def __init__(self, *args, simulated: SimulatedDevices | None = None, **kw) -> None:
        super().__init__(*args, **kw)
        simulated = simulated or SimulatedDevices()
        self.microphone = simulated.microphone
        self.virtual_boards = simulated.virtual_boards
        self.camera_switcher = simulated.camera_switcher
        self.virtual_printer = simulated.virtual_printer

    def _on_key_down(self, window, key, scancode, codepoint, modifiers):
        panel = getattr(self, "panel", None)
        for text in (getattr(panel, "voice_text", None), getattr(panel, "camera_spec", None)):
            if text is not None and text.focus:
                return False  # typing in the panel, not pressing the kiosk's keypad
        return super()._on_key_down(window, key, scancode, codepoint, modifiers)


    def on_stop(self) -> None:
        if self.microphone is not None and hasattr(self.microphone, "close"):
            self.microphone.close()  # a real microphone's stream and thread
        super().on_stop()

    def build(self):
        area = super().build()
        kiosk_w = Window.width - PANEL_WIDTH
        area.size_hint = (None, 1)
        area.width = kiosk_w
        outer = BoxLayout()
        outer.add_widget(area)
        self.panel = ControlPanel(self)
        for board in (self.virtual_boards.boards if self.virtual_boards else ()):
            board_section(self.panel, board)
        if self.microphone is not None:
            voice_section(self.panel, self.microphone)
        if self.camera_switcher is not None:
            camera_section(self.panel, self.camera_switcher)
        if self.virtual_printer is not None:
            printer_section(self.panel, self.virtual_printer)
        status = small_label("")
        self.panel.add_section("Devices", status)
        Clock.schedule_interval(lambda _dt: setattr(status, "text", "  ".join(
            f"{name}: {state}" for name, state in sorted(self.device_status.items())) or "keyboard only"), 1)
        outer.add_widget(self.panel)
        return outer


def simulator_app(composition, microphone=None, virtual_boards=None,
                  virtual_printer=None) -> SimulatorApp:
    """The kiosk of ``composition`` (ui/composition.py) with the panel beside it: its camera
    switch over the composition's camera, and the given microphone, boards' and printer's
    controls."""
    from .camera_switch import CameraSwitcher

    return composition.make_app(SimulatorApp, simulated=SimulatedDevices(
        microphone, virtual_boards, CameraSwitcher.for_kiosk(composition), virtual_printer))
