"""Stand-ins for a customer's voice: text spoken by espeak-ng, WAV files, and a
microphone the simulator pushes audio into (simulator/voice_sim.py builds on it).

They give what the kiosk's microphone gives (hardware/voice/audio.py): frames of 16 kHz
mono int16 PCM, ``FRAME_MS`` long. Synthesized and file audio get ``lead_ms``/``tail_ms``
of quiet around them, with a faint noise floor, as a microphone in a room would give:
recognizers and the VAD are built for that, not for digital silence. Everything stays in
memory. Only the simulator, benchmarks and tests use these: a kiosk hears its microphone.
"""

from __future__ import annotations

import io
import queue
import shutil
import subprocess
import threading
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from untact.hardware.voice.audio import AudioSourceError, frames_of, resample
from untact.hardware.voice.audio_format import FRAME_MS, FRAME_SAMPLES, SAMPLE_RATE

MAX_FILE_SECONDS = 120  # a WAV longer than this is a mistake, not an utterance
NOISE_FLOOR = 12.0  # standard deviation of the added room noise, in int16 units


def with_room(samples: np.ndarray, lead_ms: int = 400, tail_ms: int = 700,
              noise: float = NOISE_FLOOR, seed: int = 0) -> np.ndarray:
    """``samples`` with quiet before and after and a faint noise floor throughout."""
    lead = np.zeros(SAMPLE_RATE * lead_ms // 1000, dtype=np.float32)
    tail = np.zeros(SAMPLE_RATE * tail_ms // 1000, dtype=np.float32)
    data = np.concatenate([lead, samples.astype(np.float32), tail])
    if noise > 0:
        data = data + np.random.default_rng(seed).normal(0.0, noise, len(data)).astype(np.float32)
    return np.clip(np.round(data), -32768, 32767).astype(np.int16)


def decode_wav(data: bytes, name: str = "audio") -> np.ndarray:
    """PCM WAV bytes to 16 kHz mono int16; AudioSourceError with a clear reason otherwise."""
    try:
        with wave.open(io.BytesIO(data)) as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            if not 8000 <= rate <= 96000:
                raise AudioSourceError(f"{name}: sample rate {rate} Hz is not supported")
            # espeak-ng's --stdout header claims a huge length: trust the data, bounded.
            limit = rate * MAX_FILE_SECONDS
            raw = w.readframes(limit + 1)
            if len(raw) // max(1, width * channels) > limit:
                raise AudioSourceError(f"{name}: longer than {MAX_FILE_SECONDS} s")
    except (wave.Error, EOFError) as exc:
        raise AudioSourceError(f"{name}: not a PCM WAV file ({exc})") from None
    if width == 2:
        samples = np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2").astype(np.float32)
    elif width == 1:
        samples = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) * 256.0
    elif width == 4:
        samples = np.frombuffer(raw[: len(raw) // 4 * 4], dtype="<i4").astype(np.float32) / 65536.0
    else:
        raise AudioSourceError(f"{name}: {8 * width}-bit samples are not supported")
    if channels > 1:
        samples = samples[: len(samples) // channels * channels].reshape(-1, channels).mean(axis=1)
    return resample(samples, rate)


def synthesize(text: str, lang: str, voice: str = "", rate: int = 150,
               pitch: int = 50) -> np.ndarray:
    """espeak-ng speaking ``text`` as 16 kHz mono int16, entirely in memory.

    ``voice`` is an espeak-ng voice variant such as "f3" or "m2" ("" = the default).
    """
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise AudioSourceError("espeak-ng is not installed (Debian package espeak-ng)")
    name = {"ko": "ko", "en": "en-us"}.get(lang, lang) + (f"+{voice}" if voice else "")
    try:
        out = subprocess.run([exe, "-v", name, "-s", str(int(rate)), "-p", str(int(pitch)),
                              "--stdout", text], capture_output=True, timeout=30, check=True)
    except subprocess.CalledProcessError as exc:
        msg = exc.stderr.decode(errors="replace").strip().splitlines()
        raise AudioSourceError(f"espeak-ng failed: {msg[-1] if msg else exc.returncode}") from None
    except subprocess.TimeoutExpired:
        raise AudioSourceError("espeak-ng did not answer within 30 s") from None
    return decode_wav(out.stdout, "espeak-ng output")


class TextToSpeechSource:
    """Typed text spoken by espeak-ng, as frames: the simulator's stand-in for a customer."""

    def __init__(self, text: str, lang: str, voice: str = "", rate: int = 150, pitch: int = 50,
                 lead_ms: int = 400, tail_ms: int = 700, seed: int = 0) -> None:
        self.text, self.lang = text, lang
        self.samples = with_room(synthesize(text, lang, voice, rate, pitch), lead_ms, tail_ms,
                                 seed=seed)

    def __iter__(self) -> Iterator[bytes]:
        return frames_of(self.samples)

    def close(self) -> None:
        pass


class WavFileSource:
    """A WAV file as frames (read into memory; mono and 16 kHz whatever the file's format)."""

    def __init__(self, path: str | Path, lead_ms: int = 300, tail_ms: int = 700) -> None:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise AudioSourceError(f"{path}: cannot be read ({exc.strerror})") from None
        self.path = path
        self.samples = with_room(decode_wav(data, str(path)), lead_ms, tail_ms)

    def __iter__(self) -> Iterator[bytes]:
        return frames_of(self.samples)

    def close(self) -> None:
        pass


class PushSource:
    """A microphone others push audio into: the simulator's microphone.

    ``push()`` queues any frame iterable (a TextToSpeechSource, a WavFileSource).
    :meth:`open` gives a stream (what VoiceInput's ``source_factory`` returns) that plays
    pushed audio and, between pushes, quiet room noise as a real microphone would, so
    the VAD sees each utterance end. Closing a stream ends it; ``open()`` again for the
    next listening session.
    """

    def __init__(self, noise: float = NOISE_FLOOR, max_pending: int = 32) -> None:
        self._pending: queue.Queue = queue.Queue(maxsize=max_pending)
        self._noise = noise
        self.idle = threading.Event()  # set while nothing pushed is left to play
        self.idle.set()
        self.live: queue.Queue[bytes] | None = None  # frames played between pushes

    def clear(self) -> None:
        """Forget audio pushed but not played yet."""
        while True:
            try:
                self._pending.get_nowait()
            except queue.Empty:
                break

    def push(self, frames) -> None:
        self.idle.clear()
        self._pending.put(frames, timeout=5)

    def open(self) -> PushStream:
        return PushStream(self)


class PushStream:
    def __init__(self, owner: PushSource) -> None:
        self._owner = owner
        self._closed = threading.Event()
        self._rng = np.random.default_rng(0)

    def _quiet(self) -> bytes:
        noise = self._rng.normal(0, self._owner._noise, FRAME_SAMPLES)
        return np.clip(noise, -32768, 32767).astype(np.int16).tobytes()

    def __iter__(self) -> Iterator[bytes]:
        owner = self._owner
        while not self._closed.is_set():
            live = owner.live  # a live feed (the simulator's real microphone) between pushes
            try:
                if live is None:
                    frames = owner._pending.get(timeout=FRAME_MS / 1000)
                else:
                    frames = owner._pending.get_nowait()
            except queue.Empty:
                owner.idle.set()
                frame = None
                if live is not None:
                    try:
                        frame = live.get(timeout=FRAME_MS / 1000)
                    except queue.Empty:
                        pass
                yield frame if frame is not None else self._quiet()
                continue
            for frame in frames:
                if self._closed.is_set():
                    return
                yield frame

    def close(self) -> None:
        self._closed.set()
