"""VoiceInput as the kiosk runs it: a thread, a frame source, the input bus, off states."""

import threading

import pytest
from untact.accessibility.bus import InputBus
from untact.accessibility.intents import Kind
from untact.hardware.voice.config import VoiceConfig
from untact.hardware.voice.grammar import NAVIGATION, Screen
from untact.hardware.voice.input import VoiceInput
from untact.simulator.voice_sim import SimulatedMicrophone


class Collector:
    """Drains the bus on a waker, as the UI thread would, and wakes waiting tests."""

    def __init__(self):
        self.bus = InputBus(waker=self.wake)
        self.got = []
        self.changed = threading.Condition()
        self.bus.subscribe(self.got.append)

    def wake(self):
        with self.changed:
            self.bus.drain()
            self.changed.notify_all()

    def wait_for(self, predicate, timeout=20.0):
        with self.changed:
            return self.changed.wait_for(lambda: predicate(self.got), timeout)


def test_without_a_model_voice_input_is_off_and_says_why(tmp_path):
    voice = VoiceInput(InputBus(), VoiceConfig(languages=("ko",), ko_model=str(tmp_path)),
                       source_factory=lambda: iter(()))
    status = voice.start()
    assert status.state == "off" and "no Vosk model" in status.reason
    assert voice.start_listening() is False


@pytest.mark.models
def test_without_a_microphone_voice_input_is_off_and_says_why(recognizers, cafe_menu):
    voice = VoiceInput(InputBus(), VoiceConfig(device="no such microphone"), cafe_menu,
                       recognizers=recognizers)
    status = voice.start()
    assert status.state == "off" and "microphone" in status.reason.lower()
    assert "\n" not in status.reason


def test_turned_off_in_the_kiosk_file():
    status = VoiceInput(InputBus(), VoiceConfig(enabled=False)).start()
    assert status.state == "off" and "turned off" in status.reason


@pytest.mark.models
def test_spoken_order_arrives_on_the_bus_and_listening_stops(espeak, recognizers, cafe_menu):
    c = Collector()
    mic = SimulatedMicrophone()
    voice = VoiceInput(c.bus, VoiceConfig(), cafe_menu, source_factory=mic.open,
                       recognizers=recognizers)
    coffee = tuple(i.id for i in cafe_menu.items_in("coffee"))
    voice.set_screen(Screen(NAVIGATION, coffee), "en")  # before start: remembered
    assert voice.start().state == "ready"
    assert voice.pipeline.lang == "en" and voice.pipeline.screen.items == coffee
    assert voice.start_listening() and voice.status.state == "listening"
    mic.say("two iced americanos please", "en")
    assert c.wait_for(lambda got: any(i.kind is Kind.VOICE for i in got)), c.got
    kinds = [i.kind for i in c.got]
    assert kinds[0] is Kind.STOP_SPEECH  # the customer's voice interrupts the kiosk's
    order = next(i for i in c.got if i.kind is Kind.VOICE)
    assert (order.name, order.slots["item"], order.slots["quantity"]) == ("order", "americano", 2)
    assert order.source == "voice" and 0.6 <= order.confidence <= 1.0
    voice.stop_listening()
    assert voice.status.state == "ready"
    assert not any(t.name == "voice-input" and t.is_alive() for t in threading.enumerate())
    # the next customer: listening again works on a fresh stream
    c.got.clear()
    voice.set_screen(Screen(NAVIGATION, ()), "en")  # where the next customer starts
    assert voice.start_listening()
    mic.say("next", "en")
    assert c.wait_for(lambda got: any(i.kind is Kind.NEXT for i in got)), c.got
    voice.stop_listening()


@pytest.mark.models
def test_a_screen_change_during_speech_waits_for_the_utterance_to_end(espeak, recognizers,
                                                                      cafe_menu):
    from untact.hardware.voice.input import VoicePipeline
    from untact.simulator.audio_sources import TextToSpeechSource

    p = VoicePipeline({"en": recognizers["en"]}, cafe_menu, VoiceConfig(), lang="en",
                      screen=Screen(NAVIGATION, ("americano",)))
    p.reset()
    out = []
    for frame in TextToSpeechSource("one americano please", "en"):
        out += p.feed(frame)
        if p.segmenter.in_speech and p._pending is None:
            p.set_screen(Screen(("next",), ()))  # the UI moved on mid-sentence
            assert p.screen.items == ("americano",)
    out += p.finish()
    assert any(i.kind is Kind.VOICE and i.name == "order" for i in out), out
    assert p.screen == Screen(("next",), ())  # applied once the utterance was decided


def test_without_a_microphone_no_model_is_loaded(cafe_menu):
    """Issue #18: a recognizer that cannot run must not hold its model (Vosk's Korean
    model alone is ~400 MB of the Pi's 2 GB). Measured, not mocked: resident memory."""
    from untact.hardware.voice.audio import AudioSourceError

    def rss_mb():
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024

    def no_microphone():
        raise AudioSourceError("no input device (PortAudio found none)")

    voice = VoiceInput(InputBus(), VoiceConfig(), cafe_menu, source_factory=no_microphone)
    before = rss_mb()
    status = voice.start()
    assert status.state == "off" and "no input device" in status.reason
    assert voice.pipeline is None
    assert rss_mb() - before < 50, "a speech model was loaded for a kiosk that cannot hear"


@pytest.mark.models
def test_languages_decided_side_by_side_decide_as_one_after_another(recognizers, cafe_menu,
                                                                    testdata):
    """At the door every language decides at once (Vosk beside pocketsphinx, on two
    threads): real Korean and English recordings come out exactly as decided in turn
    (readings, their confidences, the language that won)."""
    from untact.hardware.voice.grammar import GREETING
    from untact.hardware.voice.input import VoicePipeline
    from untact.simulator.audio_sources import WavFileSource
    from untact.simulator.bench_voice import read_manifest

    door = VoicePipeline(recognizers, cafe_menu, VoiceConfig(), lang="ko")
    door.set_screen(Screen(GREETING, None, True), "ko", every_language=True)
    files = [testdata / "speech" / folder / name for folder in ("ko_read", "en")
             if (testdata / "speech" / folder / "MANIFEST.tsv").is_file()
             for name, _ in read_manifest(testdata / "speech" / folder)[:3]]
    if not files:
        pytest.skip("no real recordings in the test data")
    for path in files:
        decided = []
        for parallel in (False, True):
            door.parallel = parallel
            door.reset()
            door.run(WavFileSource(path))
            decided.append(door.history[-1])
        one, both = decided
        assert (one.lang, one.hypotheses, one.intent) == (both.lang, both.hypotheses, both.intent), \
            path.name
