"""Cutting a stream of audio frames into utterances, without being fooled by noise.

webrtcvad says, per 30 ms frame, whether it sounds like speech; alone it flickers on
fans, clatter and music. So the decision is smoothed: speech starts only when most of
the last ``start_window`` frames are voiced *and* loud enough (``min_rms``), and ends
when nearly all of the last ``end_window`` frames are unvoiced. A pre-roll keeps the
first syllable that triggered the start. Too-short bursts (a cough, a door) are dropped;
too-long ones are cut so nothing grows without bound.

The end adapts to the speaker (a slow speaker's pause mid-sentence is not the end): a
customer who pauses within an utterance nearly as long as the end window, or who goes on
speaking within ``resume_frames`` of an end, gets a longer end window (1.5 times the
pause that was theirs, up to ``max_end_window``) for the rest of their session;
:meth:`Segmenter.restart` (a new customer) forgets it.

The level gate follows the room (far field: an elderly customer speaking softly at
0.5-1 m arrives 12-18 dB below close talk): ``min_rms`` is the gate in a room not yet
heard, and it comes down to ``floor_ratio`` times the room's noise floor
(:class:`~.audio.NoiseFloor`), never below ``min_rms_floor``; a noisy room never raises
it above ``min_rms``. webrtcvad hears every frame, quiet ones too, so that its own noise
model adapts to the room (fed only loud frames, it judged a soft speaker's syllables as
noise). Measured on the real recordings made far (simulator/bench/voice_far_field.py).
"""

from __future__ import annotations

import collections
from dataclasses import dataclass

from .audio import FRAME_BYTES, FRAME_MS, NoiseFloor, frame_rms


@dataclass(frozen=True)
class SpeechStarted:
    """The customer started speaking (a cue to stop the kiosk's own speech)."""

    at_frame: int


@dataclass(frozen=True)
class SpeechAudio:
    """Audio of the utterance in progress (pre-roll first, then each frame), for streaming."""

    pcm: bytes


@dataclass(frozen=True)
class SpeechDropped:
    """What started as speech was too short to be words (a cough, a door): forget it."""


@dataclass(frozen=True)
class Utterance:
    """One cut utterance: 16 kHz mono int16 PCM, and where it was cut."""

    pcm: bytes
    start_frame: int
    end_frame: int  # frame index at which the end was decided
    last_voiced_frame: int

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 32000


@dataclass(frozen=True)
class VadSettings:
    aggressiveness: int = 2  # webrtcvad 0..3: higher rejects more non-speech
    start_window: int = 8  # frames looked at to decide a start (240 ms)
    start_ratio: float = 0.75
    end_window: int = 10  # frames of mostly silence that end an utterance (300 ms)
    end_ratio: float = 0.9
    pre_roll_frames: int = 10
    min_rms: float = 150.0  # the level gate before the room is heard (and its highest)
    min_rms_floor: float = 40.0  # the lowest the gate comes down to in a quiet room
    floor_ratio: float = 2.0  # the gate: this many times the room's noise floor (6 dB)
    # Within an utterance a soft syllable need only rise above the room: at 1 m a soft
    # voice's quieter syllables fell under the starting gate and cut sentences in pieces.
    continue_ratio: float = 1.25
    # Speech rises and falls with its syllables; a fan, a hum or hiss holds steady. The
    # loudest voiced frame of the start window must be this many times the quietest.
    min_modulation: float = 1.6
    min_speech_frames: int = 8  # shorter bursts are noise, not words (240 ms)
    max_utterance_frames: int = 330  # ~10 s
    max_end_window: int = 40  # the end window a slow speaker may grow it to (1.2 s)
    resume_frames: int = 25  # speech again within this of an end: it was a pause (750 ms)


class Segmenter:
    """Feed frames, get :class:`SpeechStarted` and :class:`Utterance` events."""

    def __init__(self, settings: VadSettings = VadSettings()) -> None:
        self.settings = settings
        self.restart()

    def restart(self) -> None:
        """Start afresh, forgetting the VAD's noise estimate too (a new customer)."""
        import webrtcvad
        self._vad = webrtcvad.Vad(self.settings.aggressiveness)
        self._floor = NoiseFloor(self.settings.min_rms / self.settings.floor_ratio)
        self._frame = 0
        self.end_window = self.settings.end_window  # this speaker's, see the module doc
        self._ended_at: int | None = None
        self.reset()

    def reset(self) -> None:
        """Forget the utterance in progress (the VAD keeps adapting to the room)."""
        s = self.settings
        self._ring: collections.deque[tuple[bytes, bool]] = collections.deque(
            maxlen=max(s.start_window, s.pre_roll_frames))
        self._tail: collections.deque[bool] = collections.deque(
            maxlen=max(s.end_window, s.max_end_window))
        self._gap = 0  # unvoiced frames in a row within the utterance
        self._levels: collections.deque[float] = collections.deque(maxlen=s.start_window)
        self._speech: list[bytes] | None = None
        self._start = 0
        self._voiced_count = 0
        self._last_voiced = 0

    @property
    def in_speech(self) -> bool:
        return self._speech is not None

    def is_speech(self, frame: bytes) -> bool:
        return self._judge(frame)[0]

    @property
    def level_gate(self) -> float:
        """The RMS a frame needs to count as speech, in this room now: to start an
        utterance; within one, a lower gate (:attr:`VadSettings.continue_ratio`)."""
        s = self.settings
        floor = self._floor.level
        if self._speech is not None:
            return min(s.min_rms, max(s.min_rms_floor, s.continue_ratio * floor))
        return min(s.min_rms, max(s.min_rms_floor, s.floor_ratio * floor))

    def _judge(self, frame: bytes) -> tuple[bool, float]:
        rms = frame_rms(frame)
        voiced = self._vad.is_speech(frame, 16000)  # every frame: it adapts to the room
        gate = self.level_gate
        self._floor.update(rms)
        return voiced and rms >= gate, rms

    def feed(self, frame: bytes) -> list:
        if len(frame) != FRAME_BYTES:
            raise ValueError(f"frames must be {FRAME_MS} ms of 16 kHz int16 ({FRAME_BYTES} bytes)")
        s = self.settings
        voiced, rms = self._judge(frame)
        index = self._frame
        self._frame += 1
        events: list = []
        if self._speech is None:
            self._ring.append((frame, voiced))
            self._levels.append(rms if voiced else 0.0)
            recent = list(self._ring)[-s.start_window:]
            # second-loudest against second-quietest: a noise's onset or end fills one
            # frame only partly, which must not pass for a syllable
            loud = sorted(x for x in list(self._levels)[-s.start_window:] if x > 0)
            modulated = len(loud) >= 4 and loud[-2] >= s.min_modulation * loud[1]
            if len(recent) == s.start_window and modulated and \
                    sum(v for _, v in recent) >= s.start_ratio * s.start_window:
                pre = list(self._ring)[-s.pre_roll_frames:]
                self._speech = [f for f, _ in pre]
                self._start = index - len(pre) + 1
                self._voiced_count = sum(v for _, v in pre)
                self._last_voiced = index
                self._tail.clear()
                self._ring.clear()
                if self._ended_at is not None and index - self._ended_at <= s.resume_frames:
                    self._longer_pause(index - self._ended_at + self.end_window)
                events.append(SpeechStarted(index))
                events.append(SpeechAudio(b"".join(self._speech)))
            return events
        self._speech.append(frame)
        events.append(SpeechAudio(frame))
        self._tail.append(voiced)
        if voiced:
            if self._gap >= self.end_window * 2 // 3:  # a long pause, yet not the end
                self._longer_pause(self._gap)
            self._gap = 0
            self._voiced_count += 1
            self._last_voiced = index
        else:
            self._gap += 1
        window = self.end_window
        tail = list(self._tail)[-window:]
        ended = len(tail) == window and sum(not v for v in tail) >= s.end_ratio * window
        if ended or len(self._speech) >= s.max_utterance_frames:
            pcm = b"".join(self._speech)
            voiced_total = self._voiced_count
            start, last = self._start, self._last_voiced
            self.reset()
            if voiced_total >= s.min_speech_frames:
                self._ended_at = index
                events.append(Utterance(pcm, start, index, last))
            else:
                events.append(SpeechDropped())
        return events

    def _longer_pause(self, frames: int) -> None:
        """This speaker pauses ``frames`` mid-sentence: wait half as long again to end."""
        s = self.settings
        self.end_window = max(self.end_window, min(s.max_end_window, (frames * 3 + 1) // 2))

    def flush(self) -> list:
        """End of the source: an utterance in progress is finished now."""
        if self._speech is None:
            return []
        pcm = b"".join(self._speech)
        voiced_total, start, last = self._voiced_count, self._start, self._last_voiced
        self.reset()
        if voiced_total >= self.settings.min_speech_frames:
            return [Utterance(pcm, start, self._frame, last)]
        return [SpeechDropped()]
