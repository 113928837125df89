"""The frame end to end: intents in, real speech (null sink) and resets out, in
simulated session time."""

from __future__ import annotations

import pytest
from untact.accessibility.audio_sink import NullSink
from untact.accessibility.display import Display
from untact.accessibility.frame import AccessibilityFrame
from untact.accessibility.intents import Kind, simple
from untact.accessibility.phrases import WidgetDescription
from untact.accessibility.session_timer import TimerConfig, TimerState
from untact.accessibility.speech import SpeechEngine
from untact.accessibility.speech_mode import Action

pytestmark = pytest.mark.kiosk


class Clock:
    t = 0.0

    def __call__(self):
        return self.t


@pytest.fixture(scope="module")
def engine():
    with SpeechEngine(sink=NullSink()) as eng:
        yield eng


@pytest.fixture
def kiosk(engine):
    engine.stop()
    engine.wait_idle(5)
    engine.reset_session()
    clock, log = Clock(), {"styles": [], "ended": 0, "warned": [], "captions": []}
    frame = AccessibilityFrame(
        Display(), engine, clock, timer_config=TimerConfig(timeout_s=60, warning_s=20),
        on_style=log["styles"].append,
        on_session_end=lambda: log.__setitem__("ended", log["ended"] + 1),
        on_warning=log["warned"].append,
        on_caption=lambda text, lang: log["captions"].append(text))
    yield frame, clock, log
    frame.close()


def said(engine, text_part, timeout=10):
    assert engine.wait_idle(timeout)
    return [t.text for t in engine.transcript if text_part in t.text]


def test_help_key_switches_speech_mode_on_then_focus_reads(kiosk, engine):
    frame, _, _ = kiosk
    frame.focused(WidgetDescription({"ko": "녹차", "en": "Green Tea"}, value=4500))
    assert frame.handle(simple(Kind.HELP, "keypad")) is Action.MODE_ON
    assert said(engine, "음성 안내를 시작합니다")
    frame.focused(WidgetDescription({"ko": "녹차", "en": "Green Tea"}, value=4500))
    assert said(engine, "녹차, 4,500원, 버튼")
    # before speech mode, focusing spoke nothing
    assert len(said(engine, "녹차")) == 1


def test_volume_and_rate_from_intents_and_reset_at_session_end(kiosk, engine):
    frame, _, log = kiosk
    v0, r0 = engine.volume_index, engine.rate_wpm
    assert frame.handle(simple(Kind.VOLUME_UP)) is Action.VOLUME
    assert frame.handle(simple(Kind.RATE_DOWN)) is Action.RATE
    assert engine.volume_index == v0 + 1 and engine.rate_wpm < r0
    frame.set_profile("elderly")
    assert log["styles"][-1].profile == "elderly" and engine.rate_wpm == 140
    frame.handle(simple(Kind.PRESENCE, value=False))  # the customer left
    assert log["ended"] == 1 and frame.profile.name == "standard"
    assert engine.volume_index == v0 and engine.rate_wpm == r0
    assert not frame.speech_mode.on


def test_timeout_is_warned_spoken_extended_and_then_resets(kiosk, engine):
    frame, clock, log = kiosk
    frame.set_profile("hearing")
    frame.handle(simple(Kind.SELECT))  # the first touch starts the session
    assert frame.timer.state is TimerState.RUNNING
    for _ in range(10):
        clock.t += 41
        assert frame.tick() is TimerState.WARNING
        assert frame.extend()
    clock.t += 41
    frame.tick()
    assert len(log["warned"]) == 11 and log["warned"][-1] >= 19
    assert said(engine, "처음 화면으로 돌아갑니다")  # spoken even outside speech mode
    assert any("처음 화면" in c for c in log["captions"])  # hearing profile: shown too
    clock.t += 20
    assert frame.tick() is TimerState.IDLE  # expired, then reset to the attract state
    assert log["ended"] == 1 and frame.profile.name == "standard"


def test_earphone_jack_moves_speech_to_the_earphone_and_back():
    """The jack's SPEECH_MODE intent switches the output, not only the mode: speech is
    written to the earphone's sink alone (the two-sink PulseAudio proof is in
    test_speech.py)."""
    speaker, earphone = NullSink(capture=True), NullSink(capture=True)
    with SpeechEngine(sink=speaker, earphone_sink=earphone) as eng:
        frame = AccessibilityFrame(Display(), eng, Clock())
        assert frame.handle(simple(Kind.SPEECH_MODE, "board", True)) is Action.MODE_ON
        assert eng.wait_idle(10) and earphone.captured and not speaker.captured
        frame.handle(simple(Kind.SPEECH_MODE, "board", False))
        eng.speak("스피커", "ko")
        assert eng.wait_idle(10) and speaker.captured and eng.output == "speaker"
        frame.close()
