"""The simulator's voice: typed text spoken by espeak-ng, WAV files, or a real microphone.

    mic = SimulatedMicrophone()
    voice = VoiceInput(bus, config, menu, source_factory=mic.open)
    voice.start(); voice.start_listening()
    mic.say("아이스 아메리카노 두 잔 주세요", "ko")   # -> STOP_SPEECH, VOICE order on the bus
    mic.play("recording.wav")
    mic.use("microphone")                             # the laptop's microphone, live
    mic.use("none")                                   # nothing: quiet room noise

The speech goes through the real VAD and the real recognizer, exactly as a microphone's
would. Voice input keeps one stream open on this object whatever is chosen, so the
choice can change at run time (the control panel's microphone section) without
restarting voice input.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from untact.hardware.voice.audio import MicrophoneSource

from .audio_sources import PushSource, TextToSpeechSource, WavFileSource

log = logging.getLogger(__name__)

MODES = ("none", "microphone", "wav", "text")
SAY_LEAD_MS = 450  # longer than the VAD's pre-roll (300 ms) reaches back before speech
LIVE_QUEUE_FRAMES = 100  # 3 s of live audio at most: a slow reader drops the oldest


class SimulatedMicrophone(PushSource):
    """A microphone the simulator pushes audio into, or feeds from a real one.

    ``microphone_factory`` makes the real microphone for ``use("microphone")`` (default:
    the default input through PortAudio); it raises AudioSourceError when there is none.
    """

    def __init__(self, microphone_factory: Callable[[], Iterable[bytes]] | None = None,
                 **kw) -> None:
        super().__init__(**kw)
        self.mode = "text"
        self.error = ""  # why the real microphone stopped, in one line ("" while fine)
        self._factory = microphone_factory or MicrophoneSource
        self._real: Iterable[bytes] | None = None
        self._reader: threading.Thread | None = None
        self._switch = threading.Lock()

    def say(self, text: str, lang: str = "ko", voice: str = "", rate: int = 150,
            pitch: int = 50) -> None:
        """Speak ``text`` (synthesized in memory) into the microphone, after a moment of
        its own room noise: the VAD's pre-roll is then this audio, not whatever noise the
        stream happened to be playing, so the same text is heard the same way every time."""
        self.push(TextToSpeechSource(text, lang, voice=voice, rate=rate, pitch=pitch,
                                     lead_ms=SAY_LEAD_MS, tail_ms=0))

    def play(self, path: str | Path) -> None:
        """Play a WAV file into the microphone (any rate; mixed to mono).

        AudioSourceError (one line, naming the file) when it cannot be read or decoded.
        """
        self.push(WavFileSource(path, lead_ms=0, tail_ms=0))

    def use(self, mode: str) -> None:
        """Switch what the microphone hears: "none", "microphone" (a real one), "wav" or
        "text" (what :meth:`play` and :meth:`say` push). The old source is stopped first
        (its stream closed, its thread joined). AudioSourceError when a real microphone
        was asked for and there is none: the previous choice then stays."""
        if mode not in MODES:
            raise ValueError(f"microphone mode must be one of {', '.join(MODES)}, not {mode!r}")
        with self._switch:
            real = self._factory() if mode == "microphone" else None  # may raise: no change
            self._stop_real()
            self.clear()
            self.error = ""
            if real is not None:
                live: queue.Queue[bytes] = queue.Queue(maxsize=LIVE_QUEUE_FRAMES)
                self._real = real
                self._reader = threading.Thread(target=self._read, args=(real, live),
                                                name="sim-microphone", daemon=True)
                self._reader.start()
                self.live = live
            self.mode = mode

    def _read(self, real, live: queue.Queue) -> None:
        """The real microphone's frames into ``live`` (its own thread, until closed)."""
        try:
            for frame in real:
                try:
                    live.put_nowait(frame)
                except queue.Full:  # nobody is listening right now: keep the newest
                    try:
                        live.get_nowait()
                    except queue.Empty:
                        pass
                    live.put_nowait(frame)
        except Exception as exc:  # PortAudio failed: say so in the panel, hear nothing
            self.error = " ".join(str(exc).split()) or type(exc).__name__
            log.warning("simulator: the real microphone stopped: %s", self.error)
        finally:
            if self.live is live:
                self.live = None

    def _stop_real(self) -> None:
        real, reader = self._real, self._reader
        self._real = self._reader = None
        self.live = None
        if real is not None and hasattr(real, "close"):
            real.close()
        if reader is not None:
            reader.join(timeout=2.0)

    def close(self) -> None:
        """Stop a real microphone (at the simulator's exit)."""
        with self._switch:
            self._stop_real()
            self.mode = "none"

    @property
    def real_name(self) -> str:
        return str(getattr(self._real, "name", "")) if self._real is not None else ""
