"""Voice input survives a misbehaving microphone: bad frames, a failing stream.

The audio goes through the real VAD and the real recognizer; only the microphone's
failures are made up (a stand-in stream, named as such: PortAudio errors cannot be had
on demand).
"""

import logging
import threading

import numpy as np
import pytest
from untact.accessibility.bus import InputBus
from untact.accessibility.intents import Kind
from untact.hardware.voice.audio import (
    FRAME_BYTES,
    FRAME_SAMPLES,
    AudioSourceError,
    BadFrame,
    check_frame,
)
from untact.hardware.voice.config import VoiceConfig
from untact.hardware.voice.grammar import NAVIGATION, Screen
from untact.hardware.voice.input import VoiceInput
from untact.simulator.audio_sources import TextToSpeechSource


class Recorder:
    """Drains the bus as the UI thread would and records status changes."""

    def __init__(self):
        self.changed = threading.Condition()
        self.bus = InputBus(waker=self._wake)
        self.got = []
        self.statuses = []
        self.bus.subscribe(self.got.append)

    def _wake(self):
        with self.changed:
            self.bus.drain()
            self.changed.notify_all()

    def status(self, st):
        with self.changed:
            self.statuses.append(st)
            self.changed.notify_all()

    def wait_for(self, predicate, timeout=20.0):
        with self.changed:
            return self.changed.wait_for(predicate, timeout)


BAD_FRAMES = [
    b"\x01\x02\x03",  # odd size
    b"\x00" * (FRAME_BYTES // 2),  # too short
    np.zeros(FRAME_SAMPLES, dtype=np.float32),  # wrong dtype
    np.zeros((FRAME_SAMPLES, 2), dtype=np.int16),  # stereo
    "not audio",
    None,
]


class FailingMicrophone:
    """Stand-in for a PortAudio stream (mock: its failures cannot be had on demand).

    The first stream yields malformed frames, then raises as PortAudio does when a USB
    microphone is pulled; the next stream yields the utterance, then quiet room noise
    until closed.
    """

    def __init__(self, utterance: TextToSpeechSource):
        self.utterance = utterance
        self.opened = 0
        self.closed = 0

    def __call__(self):
        self.opened += 1
        return _Stream(self, self.opened)


class _Stream:
    def __init__(self, owner, number):
        self.owner, self.number = owner, number
        self._closed = threading.Event()

    def __iter__(self):
        if self.number == 1:
            yield from BAD_FRAMES
            raise AudioSourceError("PortAudio error: Input overflowed (-9981)")
        yield from BAD_FRAMES[:2]  # malformed frames in the middle of good audio too
        yield from self.owner.utterance
        rng = np.random.default_rng(1)
        while not self._closed.wait(0.005):
            yield rng.normal(0, 12, FRAME_SAMPLES).astype(np.int16).tobytes()

    def close(self):
        self.owner.closed += 1
        self._closed.set()


def test_check_frame_says_what_is_wrong_without_the_audio():
    assert check_frame(b"\x00" * FRAME_BYTES) == b"\x00" * FRAME_BYTES
    assert check_frame(np.zeros(FRAME_SAMPLES, dtype=np.int16)) == b"\x00" * FRAME_BYTES
    reasons = []
    for frame in BAD_FRAMES:
        try:
            check_frame(frame)
        except BadFrame as exc:
            reasons.append(str(exc))
    assert len(reasons) == len(BAD_FRAMES)
    assert "float32" in reasons[2] and "channels" in reasons[3] and "3 bytes" in reasons[0]


@pytest.mark.models
def test_bad_frames_and_a_failed_stream_do_not_stop_voice_input(espeak, recognizers, cafe_menu,
                                                                caplog):
    r = Recorder()
    mic = FailingMicrophone(TextToSpeechSource("next", "en"))
    voice = VoiceInput(r.bus, VoiceConfig(), cafe_menu, source_factory=mic,
                       recognizers=recognizers)
    voice.REOPEN_FIRST_S = 0.05
    voice.on_status(r.status)
    voice.set_screen(Screen(NAVIGATION, ()), "en")
    caplog.set_level(logging.WARNING, logger="untact.hardware.voice.input")
    assert voice.start().state == "ready"
    assert voice.start_listening()
    try:
        # the stream failed: off, with the reason, while it is reopened ...
        assert r.wait_for(lambda: any(s.state == "off" for s in r.statuses)), r.statuses
        off = next(s for s in r.statuses if s.state == "off")
        assert "microphone failed" in off.reason and "PortAudio" in off.reason
        assert "\n" not in off.reason
        # ... then on again, and the next utterance is understood
        assert r.wait_for(lambda: any(i.kind is Kind.NEXT for i in r.got)), (r.got, r.statuses)
        assert [s.state for s in r.statuses][-1] == "listening"
        assert mic.opened == 2 and voice.reopened == 1
        assert voice.dropped_frames == len(BAD_FRAMES) + 2
    finally:
        voice.stop_listening()
    assert voice.status.state == "ready" and mic.closed >= 1
    assert not any(t.name == "voice-input" and t.is_alive() for t in threading.enumerate())
    # one line per dropped frame (the first three), naming what was wrong, no audio
    lines = [rec.getMessage() for rec in caplog.records]
    dropped = [m for m in lines if "dropped a malformed microphone frame" in m]
    assert len(dropped) == 3 and all("\n" not in m for m in lines)
    assert all("\\x" not in m and "b'" not in m for m in lines)


@pytest.mark.models
def test_stopping_while_the_microphone_is_down_lets_the_next_customer_retry(recognizers,
                                                                            cafe_menu):
    attempts = []

    def broken():  # a microphone that fails on every open (mock, as above)
        attempts.append(1)
        raise AudioSourceError("PortAudio error: Device unavailable (-9985)")

    r = Recorder()
    voice = VoiceInput(r.bus, VoiceConfig(), cafe_menu, source_factory=lambda: iter(()),
                       recognizers=recognizers)
    voice.on_status(r.status)
    assert voice.start().state == "ready"
    voice._source_factory = broken
    voice._source = None
    voice.REOPEN_FIRST_S = 0.01
    voice.REOPEN_MAX_S = 0.04
    assert voice.start_listening()
    assert r.wait_for(lambda: len(attempts) >= 3), attempts
    assert voice.status.state == "off" and "Device unavailable" in voice.status.reason
    voice.stop_listening()
    assert voice.status.state == "ready"  # not stuck off: the next start_listening retries


@pytest.mark.models
def test_the_kiosks_device_status_follows_the_microphone(espeak, recognizers, cafe_menu):
    from untact.hardware.devices import Devices
    from untact.hardware.voice.session import VoiceSession
    from untact.shop.menu_service import MenuService

    r = Recorder()
    mic = FailingMicrophone(TextToSpeechSource("next", "en"))
    live_menu = MenuService(cafe_menu.path, cafe_menu)
    session = VoiceSession(r.bus, VoiceConfig(), live_menu, "en", source_factory=mic,
                           recognizers=recognizers)
    session.input.REOPEN_FIRST_S = 0.2
    seen = []
    devices = Devices(voice=session)
    devices.start()
    try:
        assert session.ready.wait(20) and devices.status["voice"] == "on"
        session.on_status(r.status)  # after the devices' own listener: called after it
        session.session(True)
        assert r.wait_for(lambda: any(s.state == "off" for s in r.statuses))
        seen.append(devices.status["voice"])  # read while the microphone is down
        assert r.wait_for(lambda: r.statuses[-1].state == "listening")
        seen.append(devices.status["voice"])
    finally:
        devices.close()
    assert "microphone failed" in seen[0] and seen[1] == "on"


def test_the_portaudio_callback_never_raises():
    """An exception escaping a sounddevice callback would stop the stream for good."""
    import queue

    from untact.hardware.voice.audio import MicrophoneSource

    class Broken:  # a buffer PortAudio handed over that cannot be read (mock)
        def __bytes__(self):
            raise RuntimeError("buffer gone")

    mic = MicrophoneSource.__new__(MicrophoneSource)  # no device here: the callback only
    mic._queue, mic._resampler, mic._carry = queue.Queue(maxsize=4), None, b""
    mic.overflows = mic.bad_blocks = 0
    mic._error = None
    mic._callback(b"\x01\x02\x03", 1, None, None)
    mic._callback(Broken(), 480, None, None)
    mic._callback(b"\x00" * FRAME_BYTES, FRAME_SAMPLES, None, "input overflow")
    assert mic.bad_blocks == 2 and mic.overflows == 1
    assert mic._queue.get_nowait() == b"\x00" * FRAME_BYTES and mic._queue.empty()
