"""Where the kiosk's voice input gets its audio: the microphone.

Every source yields the same thing: frames of 16 kHz mono int16 PCM (``bytes``), each
``FRAME_MS`` long, which is what webrtcvad and both recognizers take. Audio stays in
memory: nothing here writes a file (privacy: microphone audio is never stored).

- :class:`MicrophoneSource`: PortAudio through sounddevice, with a bounded queue so a
  slow consumer drops old audio rather than growing memory.

The stand-ins for a customer (text spoken by espeak-ng, WAV files, a microphone the
simulator pushes audio into) are simulation, so they live in simulator/audio_sources.py.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

import numpy as np

from .audio_format import FRAME_BYTES, FRAME_MS, FRAME_SAMPLES, SAMPLE_RATE


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


def frame_rms(frame: bytes) -> float:
    """The root mean square of a frame of int16 PCM."""
    samples = np.frombuffer(frame, dtype=np.int16).astype(np.float32)
    return float(np.sqrt(np.mean(samples * samples))) if len(samples) else 0.0


class NoiseFloor:
    """The room's background level, from the quietest frames heard lately.

    Minimum tracking: a quieter frame lowers the estimate at once; otherwise it rises by
    ``rise`` per frame (1.01 per 30 ms: about 3 dB a second), so speech, seconds long and
    dipping between syllables, hardly lifts it while a room that got louder (a fan
    switched on) is followed within seconds. Never below ``lowest`` (digital silence
    from a muted input is not a room).
    """

    def __init__(self, start: float, rise: float = 1.01, lowest: float = 1.0) -> None:
        self.level = start
        self._rise = rise
        self._lowest = lowest

    def update(self, rms: float) -> float:
        self.level = max(self._lowest, min(self.level * self._rise, rms))
        return self.level


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
