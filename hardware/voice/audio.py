"""Where voice input's audio comes from: a microphone, synthesized text, or a WAV file.

Every source yields the same thing: frames of 16 kHz mono int16 PCM (``bytes``), each
``FRAME_MS`` long, which is what webrtcvad and both recognizers take. Audio stays in
memory: nothing here writes a file (privacy: microphone audio is never stored).

- :class:`MicrophoneSource`: PortAudio through sounddevice, with a bounded queue so a
  slow consumer drops old audio rather than growing memory.
- :class:`TextToSpeechSource`: espeak-ng speaks ``text`` to its stdout, resampled in
  memory; the simulator's "typed text" and the tests' generated command sets.
- :class:`WavFileSource`: any PCM WAV, mixed to mono and resampled.

Synthesized and file audio get ``lead_ms``/``tail_ms`` of quiet around them, with a
faint noise floor, as a microphone in a room would give: recognizers and the VAD are
built for that, not for digital silence.
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

from .audio_format import FRAME_BYTES, FRAME_MS, FRAME_SAMPLES, SAMPLE_RATE

MAX_FILE_SECONDS = 120  # a WAV longer than this is a mistake, not an utterance
NOISE_FLOOR = 12.0  # standard deviation of the added room noise, in int16 units


class AudioSourceError(RuntimeError):
    """An audio source cannot give audio; the message says why in one line."""


class BadFrame(ValueError):
    """A frame that is not FRAME_MS of 16 kHz mono int16; the message says how, never
    what the audio was."""


def check_frame(frame) -> bytes:
    """``frame`` as FRAME_BYTES of int16 PCM, or :class:`BadFrame` saying what is wrong.

    Sources give ``bytes``; an int16 numpy array (as sounddevice's non-raw streams give)
    is accepted too. Anything else (wrong size, float samples, stereo, not audio at all)
    is refused here, before it reaches the VAD, which would raise on it.
    """
    if isinstance(frame, np.ndarray):
        if frame.dtype != np.int16:
            raise BadFrame(f"{frame.dtype} samples, expected int16")
        if frame.ndim > 1 and frame.shape[-1] != 1:
            raise BadFrame(f"{frame.shape[-1]} channels, expected 1")
        data = frame.tobytes()
    elif isinstance(frame, (bytes, bytearray, memoryview)):
        data = bytes(frame)
    else:
        raise BadFrame(f"a {type(frame).__name__}, expected bytes")
    if len(data) != FRAME_BYTES:
        raise BadFrame(f"{len(data)} bytes, expected {FRAME_BYTES}")
    return data


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """Mono float/int samples at ``rate`` to 16 kHz int16."""
    data = samples.astype(np.float32)
    if rate != SAMPLE_RATE:
        import soxr
        data = soxr.resample(data, rate, SAMPLE_RATE)
    return np.clip(np.round(data), -32768, 32767).astype(np.int16)


def frames_of(samples: np.ndarray) -> Iterator[bytes]:
    """16 kHz int16 samples cut into FRAME_MS frames (the last one padded with zeros)."""
    pcm = samples.astype(np.int16)
    rest = len(pcm) % FRAME_SAMPLES
    if rest:
        pcm = np.concatenate([pcm, np.zeros(FRAME_SAMPLES - rest, dtype=np.int16)])
    data = pcm.tobytes()
    for i in range(0, len(data), FRAME_BYTES):
        yield data[i:i + FRAME_BYTES]


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


class MicrophoneSource:
    """The kiosk's microphone through PortAudio, as frames, until :meth:`close`.

    ``device`` is a sounddevice device name or index (``None`` = the default input).
    Creating it checks that an input device exists, so a kiosk without a microphone
    learns why at start-up rather than when a customer speaks.
    """

    def __init__(self, device: str | int | None = None, max_queue_frames: int = 200) -> None:
        try:
            import sounddevice as sd
        except OSError as exc:  # PortAudio library missing
            raise AudioSourceError(f"PortAudio is not available ({exc})") from None
        try:
            info = sd.query_devices(device, kind="input")
        except Exception as exc:
            raise AudioSourceError(f"no microphone: {exc}") from None
        self._sd = sd
        self.device = device
        self.name = str(info.get("name", device)) if isinstance(info, dict) else str(device)
        self.native_rate = int(info.get("default_samplerate", SAMPLE_RATE)) \
            if isinstance(info, dict) else SAMPLE_RATE
        self.rate = SAMPLE_RATE
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=max_queue_frames)
        self._stream = None
        self._resampler = None
        self._carry = b""
        self._closed = threading.Event()
        self.overflows = 0
        self.bad_blocks = 0  # blocks the callback could not use (counted, never logged)
        self._error: str | None = None

    def _callback(self, indata, frames, time_info, status) -> None:  # PortAudio thread
        # An exception escaping a sounddevice callback stops the stream for good, so
        # nothing may: a block that cannot be used is counted and dropped.
        try:
            if status:
                self.overflows += 1
            self._take(bytes(indata))
        except Exception as exc:
            self.bad_blocks += 1
            self._error = f"{type(exc).__name__}: {exc}"

    def _take(self, data: bytes) -> None:
        if len(data) % 2:
            raise BadFrame(f"{len(data)} bytes is not whole int16 samples")
        if self._resampler is not None:  # device cannot do 16 kHz: convert in memory
            samples = np.frombuffer(data, dtype=np.int16).astype(np.float32)
            data = np.clip(self._resampler.resample_chunk(samples), -32768, 32767) \
                .astype(np.int16).tobytes()
            self._carry += data
            while len(self._carry) >= FRAME_BYTES:
                self._put(self._carry[:FRAME_BYTES])
                self._carry = self._carry[FRAME_BYTES:]
            return
        self._put(data)

    def _put(self, data: bytes) -> None:
        try:
            self._queue.put_nowait(data)
        except queue.Full:  # consumer is behind: drop the oldest, keep the newest
            try:
                self._queue.get_nowait()
            except queue.Empty:
                pass
            self._queue.put_nowait(data)

    def _open(self, rate: int):
        import soxr
        self._resampler = None if rate == SAMPLE_RATE else \
            soxr.ResampleStream(rate, SAMPLE_RATE, 1, dtype="float32")
        self._carry = b""
        self.rate = rate
        stream = self._sd.RawInputStream(
            samplerate=rate, blocksize=rate * FRAME_MS // 1000, device=self.device,
            channels=1, dtype="int16", callback=self._callback)
        stream.start()
        return stream

    def __iter__(self) -> Iterator[bytes]:
        try:
            self._stream = self._open(SAMPLE_RATE)
        except Exception as first:
            try:  # many USB microphones only do 44.1 or 48 kHz: record at theirs
                self._stream = self._open(self.native_rate)
            except Exception:
                raise AudioSourceError(f"microphone cannot record: {first}") from None
        try:
            while not self._closed.is_set():
                try:
                    frame = self._queue.get(timeout=0.2)
                except queue.Empty:
                    stream = self._stream
                    if stream is not None and not stream.active and not self._closed.is_set():
                        # PortAudio stopped it (device unplugged, driver error): say so,
                        # and let the reader reopen a new stream.
                        why = f" ({self._error})" if self._error else ""
                        raise AudioSourceError(f"microphone stream stopped{why}") from None
                    continue
                if frame is None:
                    break
                yield frame  # the size is checked by the reader (voice_input)
        finally:
            self._stop_stream()

    def _stop_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.stop()
                stream.close()
            except Exception:
                pass

    def close(self) -> None:
        self._closed.set()
        try:
            self._queue.put_nowait(None)
        except queue.Full:
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
