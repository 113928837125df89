"""A camera that scenarios play hand clips into, seen by the real tracking worker.

A scenario's ``hand`` step (simulator/scenario.py) becomes a :class:`HandClip` of a real
hand photo placed so that the tracked fingertip lands on a widget, and is played through
:class:`ScriptedCamera`: a frame source that lives in the tracking worker process and
takes clips from a queue. Between clips it shows the empty room twice a second.

Timing is deterministic: frames carry *clip time* (one continuous timeline across clips,
never wall-clock time), so the interaction layer sees a hold of exactly ``hold_s``
seconds however fast the worker runs. The runner waits for the gesture's intent on the
bus and for the clip to have been played out (``clips_done``), each with a bounded
timeout: no sleeping.
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .camera_clips import HandClip, Key, push, swipe

IDLE_EVERY_S = 0.5  # between clips: an empty frame this often (real time)
# Clips are rendered at 20 fps: every gesture is still many frames long, and the steps of a
# scenario take two thirds of the time they would at 30.
GESTURES = ("hold", "push", "swipe_left", "swipe_right")
DEFAULT_PHOTOS = {"hold": "pointing_index_hagrid.jpg", "push": "pointing_index_hagrid.jpg",
                  "swipe_left": "open_palm_hagrid.jpg", "swipe_right": "open_palm_hagrid.jpg"}
LEAD_IN_S = 0.2
LOW_TARGET_Y = 0.6  # below this (0..1 from the top) the hand points down at its target


class ScriptedCamera:
    """Frame source (picklable, crosses into the worker) fed with clips at run time."""

    def __init__(self, background: Path | str | None = None, fps: float = 20.0,
                 size: tuple[int, int] = (640, 480)) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._queue = ctx.Queue()
        self._done = ctx.Value("i", 0)
        self.background = None if background is None else Path(background)
        self.fps, self.size = fps, size
        self.sent = 0
        self._clip: HandClip | None = None
        self._empty: np.ndarray | None = None
        self._base = 0.0
        self._clip_start = 0.0

    # -- the runner's side ----------------------------------------------------------------
    def play(self, clip: HandClip) -> int:
        """Queue ``clip``; returns its number, for :meth:`played`."""
        clip.pace, clip.loop, clip.fps, clip.size = False, False, self.fps, self.size
        self._queue.put(clip)
        self.sent += 1
        return self.sent

    def played(self, number: int) -> bool:
        """Has clip ``number`` been played to its last frame?"""
        return self._done.value >= number

    def finish(self) -> None:
        """No more clips: the worker ends the input after the current one."""
        self._queue.put(None)

    # -- the worker's side (a FrameSource) -------------------------------------------------
    def describe(self) -> str:
        return "scripted camera (scenario clips)"

    def open(self) -> None:
        empty = HandClip(None, [Key(0.0, visible=False), Key(1.0, visible=False)],
                         background=self.background, fps=self.fps, size=self.size)
        empty.open()
        self._empty = empty.render(0.0)
        empty.close()

    def read(self) -> tuple[np.ndarray, float] | None:
        if self._clip is None:
            try:
                clip = self._queue.get(timeout=IDLE_EVERY_S)
            except queue_module.Empty:
                self._base += 1.0 / self.fps
                return self._idle_frame(), self._base
            if clip is None:
                return None
            clip.open()
            self._clip, self._clip_start = clip, self._base + 1.0 / self.fps
        got = self._clip.read()
        if got is None:  # played out: the next clip continues the timeline
            self._base = self._clip_start + self._clip.duration
            self._clip.close()
            self._clip = None
            with self._done.get_lock():
                self._done.value += 1
            return self._idle_frame(), self._base
        frame, t = got
        return frame, self._clip_start + t

    def _idle_frame(self) -> np.ndarray:
        if self._empty is None:
            raise RuntimeError("read() before open()")
        return self._empty

    def close(self) -> None:
        if self._clip is not None:
            self._clip.close()
            self._clip = None

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.update(_clip=None, _empty=None)
        return state


def gesture_clip(gesture: str, photo: Path, x: float, y: float, hold_s: float,
                 scale: float, background: Path | None, mirror: bool) -> HandClip:
    """The clip of ``gesture`` with the photo's fingertip at (x, y) (0..1 of the screen,
    from the top-left): hold = rest there ``hold_s``; push = rest, then toward the
    camera; swipes = across the screen at height y. Each ends with the hand gone.
    Over the lower part of the screen the hand points down (palm above the fingertip), so
    that it stays in the camera's view, as a customer's would."""
    down = gesture in ("hold", "push") and y > LOW_TARGET_Y
    dx, dy = fingertip_offset(photo, scale, background, mirror, down)
    cx, cy = x - dx, y - dy
    kw: dict[str, Any] = {"background": background, "mirror": mirror, "upside_down": down}
    if gesture == "hold":
        start, end = LEAD_IN_S, LEAD_IN_S + hold_s
        return HandClip(photo, [Key(0.0, visible=False), Key(start, cx, cy, scale),
                                Key(end, cx, cy, scale), Key(end + 0.01, visible=False),
                                Key(end + 0.2, visible=False)], **kw)
    if gesture == "push":
        return _with_tail(push(photo, x=cx, y=cy, scale=scale, **kw))
    return _with_tail(swipe(photo, "right" if gesture == "swipe_right" else "left", y=cy,
                            scale=scale, background=background, mirror=mirror))


def _with_tail(clip: HandClip) -> HandClip:
    """A clip that ends on a few frames without the hand (the cursor goes)."""
    last = clip.keys[-1]
    clip.keys.append(Key(last.t + 0.2, visible=False))
    return clip


@lru_cache(maxsize=32)
def fingertip_offset(photo: Path, scale: float, background: Path | None, mirror: bool,
                     upside_down: bool = False) -> tuple[float, float]:
    """Where the tracker puts the index fingertip relative to the pasted photo's centre
    (screen space), as a customer learns where to hold their hand by watching the cursor.
    ValueError if the tracker sees no hand in the photo."""
    from untact.hardware.camera.hand_tracker import HandTracker

    clip = HandClip(photo, [Key(0.0, 0.5, 0.5, scale), Key(1.0, 0.5, 0.5, scale)],
                    background=background, mirror=mirror, upside_down=upside_down)
    clip.open()
    try:
        with HandTracker(mirror=mirror, static_images=True, max_hands=1) as tracker:
            hand = tracker.process(clip.render(0.5))
    finally:
        clip.close()
    if hand is None:
        raise ValueError(f"the tracker sees no hand in {photo.name} at scale {scale}")
    return hand.tip[0] - 0.5, hand.tip[1] - 0.5
