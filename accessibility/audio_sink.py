"""Where synthesized speech goes: a real PortAudio output, or a null sink that keeps time.

The speech engine writes 16-bit mono PCM in small blocks and must be able to silence the
output at once (a user action interrupts stale speech). Both sinks behave like a sound
card with a short buffer: :meth:`write` blocks while the buffer is full, so audio is
consumed at the real-time rate, and :meth:`abort` drops what is buffered. The null sink
exists because kiosks (and CI) may have no sound card: tests and the bench then still
measure real timing, and may capture the samples "played" to check volume in dB.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Protocol


class AudioSink(Protocol):
    sample_rate: int
    frames_played: int

    def open(self, sample_rate: int) -> None: ...
    def write(self, pcm: bytes, cancel: threading.Event) -> bool:
        """Queue ``pcm`` (int16 mono); blocks while the buffer is full. False if
        ``cancel`` was set while waiting (nothing more was queued)."""
    def abort(self) -> None:
        """Silence now: drop everything buffered."""
    def drain(self, cancel: threading.Event) -> bool:
        """Wait until the buffered audio has played; False if cancelled first."""
    def close(self) -> None: ...


class NullSink:
    """A sound card that plays into nothing at exactly real time.

    ``buffer_s`` is the device buffer: up to that much audio is accepted ahead of the
    play position, like a PortAudio stream's latency. ``capture=True`` keeps the PCM
    handed to the "speaker" (for tests measuring level); frames are counted always.
    """

    def __init__(self, buffer_s: float = 0.05, capture: bool = False) -> None:
        self.buffer_s = buffer_s
        self.capture = capture
        self.captured: list[tuple[float, bytes]] = []  # (time queued, pcm)
        self.sample_rate = 22050
        self.frames_played = 0
        self._play_until = 0.0  # monotonic time when everything queued has been played
        self._lock = threading.Lock()

    def open(self, sample_rate: int) -> None:
        self.sample_rate = sample_rate

    def write(self, pcm: bytes, cancel: threading.Event) -> bool:
        frames = len(pcm) // 2
        while True:
            now = time.monotonic()
            with self._lock:
                start = max(now, self._play_until)
                ahead = start - now
                if ahead <= self.buffer_s:
                    self._play_until = start + frames / self.sample_rate
                    self.frames_played += frames
                    if self.capture:
                        self.captured.append((now, pcm))
                    return True
            if cancel.wait(ahead - self.buffer_s):
                return False

    def abort(self) -> None:
        with self._lock:
            now = time.monotonic()
            if self._play_until > now:
                # Frames not yet "played" never reach the speaker.
                self.frames_played -= int((self._play_until - now) * self.sample_rate)
            self._play_until = now

    def drain(self, cancel: threading.Event) -> bool:
        with self._lock:
            left = self._play_until - time.monotonic()
        return left <= 0 or not cancel.wait(left)

    def close(self) -> None:
        self.abort()


class PortAudioSink:
    """A real output stream through PortAudio (the ``sounddevice`` package).

    ``device`` is a PortAudio device name or index (None: the default output).
    """

    def __init__(self, device: str | int | None = None, latency: float | str = "low") -> None:
        import sounddevice  # deferred: needs libportaudio2, absent on some dev machines

        self._sd = sounddevice
        self.device = device
        self.latency = latency
        self.sample_rate = 22050
        self.frames_played = 0
        self._stream: Any = None  # a sounddevice.RawOutputStream once open
        self._play_until = 0.0

    def open(self, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self._stream = self._sd.RawOutputStream(samplerate=sample_rate, channels=1,
                                                dtype="int16", device=self.device,
                                                latency=self.latency)
        self._stream.start()

    def write(self, pcm: bytes, cancel: threading.Event) -> bool:
        if cancel.is_set():
            return False
        stream = self._stream
        if stream is None:
            raise RuntimeError("PortAudioSink.write before open()")
        if not stream.active:
            stream.start()
        stream.write(pcm)  # blocks at most one block: the engine writes ~10 ms blocks
        frames = len(pcm) // 2
        now = time.monotonic()
        self._play_until = max(now, self._play_until) + frames / self.sample_rate
        self.frames_played += frames
        return True

    def abort(self) -> None:
        if self._stream is not None and self._stream.active:
            self._stream.abort()  # drops the buffered audio, unlike stop()
        self._play_until = time.monotonic()

    def drain(self, cancel: threading.Event) -> bool:
        left = self._play_until + float(self._stream.latency if self._stream else 0) \
            - time.monotonic()
        return left <= 0 or not cancel.wait(left)

    def close(self) -> None:
        if self._stream is not None:
            self._stream.abort()
            self._stream.close()
            self._stream = None


def has_output_device() -> bool:
    """Whether PortAudio is installed and sees at least one output device."""
    try:
        import sounddevice

        return any(d["max_output_channels"] > 0 for d in sounddevice.query_devices())
    except Exception:  # no libportaudio, no ALSA: a kiosk without sound still runs
        return False


def make_sink(kind: str = "auto", device: str | int | None = None) -> AudioSink:
    """``"portaudio"``, ``"null"``, or ``"auto"`` (PortAudio if an output exists)."""
    if kind == "null":
        return NullSink()
    if kind == "portaudio" or (kind == "auto" and has_output_device()):
        return PortAudioSink(device)
    if kind == "auto":
        return NullSink()
    raise ValueError(f"unknown audio sink {kind!r} (auto, portaudio or null)")
