"""The control panel's microphone, switched at run time on the real panel (offscreen):
none, a real microphone, a WAV file, typed text; every choice heard by the real VAD and
recognizer, the old source stopped cleanly at each switch."""

import threading
import time
import wave
from pathlib import Path

import pytest

pytestmark = [pytest.mark.models, pytest.mark.kiosk]

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"


class StandInMicrophone:
    """Stand-in for a PortAudio microphone (mock: the test machine has none). Yields an
    utterance, then quiet, until closed, as MicrophoneSource does."""

    name = "stand-in microphone"

    def __init__(self, frames):
        self.frames = list(frames)
        self.closed = threading.Event()

    def __iter__(self):
        yield from self.frames
        while not self.closed.wait(0.03):
            yield b"\x00\x00" * 480

    def close(self):
        self.closed.set()


@pytest.fixture
def kiosk_with_panel(tmp_path, recognizers, espeak):
    from kivy.core.window import Window
    from untact.accessibility.intents import Kind, simple
    from untact.simulator.driver import KioskDriver
    from untact.simulator.panel import ControlPanel, voice_section

    driver = KioskDriver(CAFE, data_dir=tmp_path / "data", voice_recognizers=recognizers).start()
    panel = ControlPanel(driver.app, size_hint=(None, 1), width=420)
    voice_section(panel, driver.microphone)
    Window.add_widget(panel)
    driver.pump(2)
    driver.send(simple(Kind.PRESENCE, value=True))  # a customer: the kiosk listens
    driver.choose("English")
    assert driver.voice.input.status.state == "listening"
    yield driver, panel
    panel._mic_event.cancel()
    driver.microphone.close()
    driver.voice.close()
    driver.stop()


def heard_after(driver, action, timeout=20.0):
    """Do ``action`` and return what voice input heard of the next utterance."""
    decided = driver.voice.utterances_decided
    action()
    driver.wait_until(lambda: driver.voice.utterances_decided > decided, timeout=timeout,
                      what="voice input to decide on an utterance")
    hyps = driver.voice.input.pipeline.history[-1].hypotheses
    return hyps[0][0] if hyps else ""


def press(button):
    button.state = "down"  # what a click on a toggle button does first
    button.dispatch("on_press")


def test_microphone_choices_switch_at_run_time(kiosk_with_panel, tmp_path):
    from untact.hardware.voice.audio import MicrophoneSource
    from untact.simulator.audio_sources import TextToSpeechSource, synthesize

    driver, panel = kiosk_with_panel
    mic, ui = driver.microphone, panel.voice
    assert mic.mode == "text" and ui.toggles["text"].state == "down"

    # typed text, spoken by espeak-ng and heard by the recognizer
    ui.text.text = "repeat"
    assert heard_after(driver, lambda: ui.say("en")) == "repeat"

    # a real microphone where there is none: said in the panel, the old choice stays
    mic._factory = lambda: MicrophoneSource("no such microphone")
    press(ui.toggles["microphone"])
    assert "real microphone" in ui.status.text and "microphone" in ui.status.text.lower()
    assert "\n" not in ui.status.text
    assert mic.mode == "text" and ui.toggles["text"].state == "down"
    assert ui.toggles["microphone"].state == "normal"

    # a (stand-in) real microphone: its audio reaches the recognizer live
    stand_in = StandInMicrophone(TextToSpeechSource("bigger", "en"))
    mic._factory = lambda: stand_in
    assert heard_after(driver, lambda: press(ui.toggles["microphone"])) == "bigger"
    assert mic.mode == "microphone" and "stand-in" in ui.status.text
    assert any(t.name == "sim-microphone" for t in threading.enumerate())

    # a WAV file: switching stops the live microphone (stream closed, thread joined)
    press(ui.toggles["wav"])
    assert stand_in.closed.is_set() and mic.live is None
    assert not any(t.name == "sim-microphone" and t.is_alive() for t in threading.enumerate())
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEnot really")
    ui.text.text = str(bad)
    ui.play()
    assert str(bad) in ui.status.text and "\n" not in ui.status.text
    good = tmp_path / "repeat.wav"  # only in the test's temporary folder
    with wave.open(str(good), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(synthesize("repeat", "en").tobytes())
    ui.text.text = str(good)
    assert heard_after(driver, ui.play) == "repeat"

    # none: nothing is heard, only quiet
    press(ui.toggles["none"])
    assert mic.mode == "none" and ui.text.disabled
    decided = driver.voice.utterances_decided
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        driver.pump()
    assert driver.voice.utterances_decided == decided
    assert driver.voice.status.state == "listening"  # voice input kept its one stream
