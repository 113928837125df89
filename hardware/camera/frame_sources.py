"""Where camera frames come from: a camera index, a video file, or (simulator) a clip.

A frame source is a small picklable object (it crosses into the tracking worker process
before it is opened) with three methods:

- ``open() -> None`` raises :class:`SourceUnavailable` with a sentence for the merchant;
- ``read() -> tuple[frame, t] | None``: a BGR ``H x W x 3`` uint8 frame in memory and its
  capture time in seconds (``time.monotonic()`` for live sources, clip time otherwise);
  ``None`` when the source has ended or failed;
- ``close()``.

Frames are never written anywhere: they live in memory until the next one replaces them.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    import cv2


class SourceUnavailable(RuntimeError):
    """The camera or file cannot be read; ``str()`` says why, for the set-up screen."""


class FrameSource(Protocol):
    def open(self) -> None: ...
    def read(self) -> tuple[np.ndarray, float] | None: ...
    def close(self) -> None: ...
    def describe(self) -> str: ...


class OpenCVSource:
    """A V4L2 camera by index (USB webcams, and the Pi camera through libcamera's V4L2
    layer) or a video file, read with OpenCV.

    ``pace`` plays files at their own frame rate (as a camera would deliver them);
    without it files are read as fast as the tracker takes them and stamped with their
    own timeline (benchmarks, tests). ``loop`` restarts a file at its end.
    """

    def __init__(self, source: int | str, width: int = 640, height: int = 480,
                 pace: bool = True, loop: bool = False) -> None:
        self.source, self.width, self.height = source, width, height
        self.pace, self.loop = pace, loop
        self._cap: cv2.VideoCapture | None = None
        self._is_file = isinstance(source, str) and not source.startswith("/dev/")
        self._fps = 30.0
        self._index = 0
        self._t0 = 0.0

    def describe(self) -> str:
        return f"camera {self.source}" if not self._is_file else f"video {Path(str(self.source)).name}"

    def open(self) -> None:
        import cv2

        if self._is_file:
            path = Path(str(self.source))
            if not path.is_file():
                raise SourceUnavailable(f"camera is off: video file {path} not found")
            cap = cv2.VideoCapture(str(path))
        else:
            dev = self.source if isinstance(self.source, str) else f"/dev/video{self.source}"
            if not os.path.exists(dev):
                raise SourceUnavailable(f"camera is off: no camera at {dev} (is it plugged in?)")
            index = self.source if isinstance(self.source, int) else dev
            cap = cv2.VideoCapture(index, cv2.CAP_V4L2)
            if cap.isOpened():
                cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
                cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
                cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # newest frame, not a stale queue
        if not cap.isOpened():
            cap.release()
            raise SourceUnavailable(f"camera is off: {self.describe()} cannot be opened "
                                    "(busy, or no permission to read it)")
        fps = cap.get(cv2.CAP_PROP_FPS)
        self._fps = fps if 1.0 <= fps <= 240.0 else 30.0
        self._cap, self._index, self._t0 = cap, 0, time.monotonic()

    def read(self) -> tuple[np.ndarray, float] | None:
        if self._cap is None:
            return None
        ok, frame = self._cap.read()
        if not ok and self._is_file and self.loop and self._index > 0:
            import cv2
            self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._cap.read()
        if not ok or frame is None or frame.ndim != 3 or frame.shape[2] != 3:
            return None
        if not self._is_file:
            return frame, time.monotonic()
        clip_t = self._index / self._fps
        self._index += 1
        if self.pace:
            delay = self._t0 + clip_t - time.monotonic()
            if delay > 0:
                time.sleep(delay)  # plays the file at camera rate
            return frame, time.monotonic()
        return frame, clip_t

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None

    def __getstate__(self) -> dict:  # an opened capture does not cross processes
        state = self.__dict__.copy()
        state["_cap"] = None
        return state


class FramesSource:
    """Frames already in memory (a list of BGR arrays) at ``fps``; for tests and benches."""

    def __init__(self, frames: list[np.ndarray], fps: float = 30.0, name: str = "frames") -> None:
        self.frames, self.fps, self.name = frames, fps, name
        self._i = 0

    def describe(self) -> str:
        return self.name

    def open(self) -> None:
        if not self.frames:
            raise SourceUnavailable(f"camera is off: {self.name} has no frames")
        self._i = 0

    def read(self) -> tuple[np.ndarray, float] | None:
        if self._i >= len(self.frames):
            return None
        frame = self.frames[self._i]
        t = self._i / self.fps
        self._i += 1
        return frame, t

    def close(self) -> None:
        pass


def source_from_config(source: int | str, width: int = 640, height: int = 480) -> OpenCVSource:
    """The live source a kiosk config names (``"none"`` is handled by the caller)."""
    return OpenCVSource(source, width, height, pace=True, loop=False)
