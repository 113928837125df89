"""The tracking loop, run in a worker process so the Kivy UI never waits on a frame.

The loop reads a frame, tracks the nearest hand, turns it into intents and sends them
to the kiosk process as small tuples (never frames, unless the merchant's preview is
switched on, and then only a downscaled annotated copy, in memory, through a pipe).

Messages worker -> kiosk (``events`` pipe):
  ("status", state, reason)      state: tracking | motion_only | unavailable | ended
  ("frame", t_capture, cursor, intents)
                                 cursor: (x, y, progress, pointing, open_palm) or None;
                                 intents: [(kind, x, y, value), ...]; t_capture is
                                 time.monotonic() when the frame was read (same clock in
                                 both processes on Linux), for frame-to-intent latency
  ("preview", bgr_array)         only while the preview is on
  ("audit", [written paths])     at exit, only when auditing was asked for (tests)
Commands kiosk -> worker (``commands`` pipe): ("reset_hold",), ("preview", bool), ("stop",)
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass

import numpy as np
from untact.accessibility.intents import Intent, Kind

from .config import CameraConfig
from .frame_sources import FrameSource, SourceUnavailable
from .hand_interactions import Cursor, HandInteractions
from .hand_tracker import HandObservation, HandTracker
from .mediapipe_loader import TrackerUnavailable
from .motion_swipes import MotionSwipes

PREVIEW_SIZE = (320, 240)
PREVIEW_INTERVAL_S = 0.1  # the set-up screen needs a glance, not 30 fps
WORKER_NICE = 5  # see run_worker
MAX_BAD_FRAMES = 30  # a second of frames that are not pictures: the source is broken

_HAND_LINKS = [(0, 1), (1, 2), (2, 3), (3, 4), (0, 5), (5, 6), (6, 7), (7, 8), (5, 9), (9, 10),
               (10, 11), (11, 12), (9, 13), (13, 14), (14, 15), (15, 16), (13, 17), (0, 17),
               (17, 18), (18, 19), (19, 20)]


def intent_to_wire(intent: Intent) -> tuple:
    return (intent.kind.value, intent.x, intent.y, intent.value)


def intent_from_wire(wire: tuple, source: str = "camera") -> Intent:
    kind, x, y, value = wire
    return Intent(Kind(kind), x=x, y=y, value=value, source=source)


@dataclass
class StepResult:
    intents: list[Intent]
    cursor: Cursor | None
    hand: HandObservation | None


class TrackingPipeline:
    """Frame in, intents out: the same code in the worker, the tests and the bench."""

    def __init__(self, config: CameraConfig, tracker: HandTracker | None = None) -> None:
        self.config = config
        self.tracker = tracker or HandTracker(
            mirror=config.mirror, model_complexity=config.model_complexity,
            max_hands=config.max_hands, nearer_hand_check_s=config.nearer_hand_check_s,
            min_detection_confidence=config.min_detection_confidence,
            min_tracking_confidence=config.min_tracking_confidence)
        self.interactions = HandInteractions(config.thresholds)

    def step(self, frame: np.ndarray, t: float) -> StepResult:
        hand = self.tracker.process(frame, t)
        intents = self.interactions.feed(hand, t)
        return StepResult(intents, self.interactions.cursor, hand)

    def close(self) -> None:
        self.tracker.close()


def annotate(frame: np.ndarray, hands: list[HandObservation], cursor: Cursor | None,
             mirror: bool, label: str) -> np.ndarray:
    """A small picture for the merchant's set-up screen: hands, cursor, ring, status."""
    import cv2

    img = cv2.resize(frame, PREVIEW_SIZE, interpolation=cv2.INTER_AREA)
    if mirror:
        img = cv2.flip(img, 1)  # drawn as the customer sees themselves
    w, h = PREVIEW_SIZE
    for i, hand in enumerate(hands):
        colour = (0, 220, 0) if i == 0 else (128, 128, 128)  # the nearest hand counts
        pts = [(int(x * w), int(y * h)) for x, y in hand.points]
        for a, b in _HAND_LINKS:
            cv2.line(img, pts[a], pts[b], colour, 1, cv2.LINE_AA)
    if cursor is not None:
        c = (int(cursor.x * w), int(cursor.y * h))
        cv2.circle(img, c, 6, (255, 255, 255), 2, cv2.LINE_AA)
        if cursor.progress > 0:
            cv2.ellipse(img, c, (11, 11), -90, 0, 360 * cursor.progress, (0, 200, 255), 3)
    cv2.putText(img, label, (6, h - 8), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (255, 255, 255), 1,
                cv2.LINE_AA)
    return img


def _usable(frame: object) -> bool:
    """Frames are untrusted input: only 8-bit colour pictures of a sane size are tracked."""
    return (isinstance(frame, np.ndarray) and frame.dtype == np.uint8 and frame.ndim == 3
            and frame.shape[2] == 3 and 16 <= frame.shape[0] <= 4320
            and 16 <= frame.shape[1] <= 7680)


def _install_write_audit(written: list[str]) -> None:
    """Record every attempt of this process to open a file for writing (tests)."""
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = args
            if isinstance(mode, str) and any(c in mode for c in "wax+"):
                written.append(str(path))
            elif isinstance(flags, int) and flags & write_flags:
                written.append(str(path))
        elif event in ("os.rename", "os.remove", "os.mkdir", "shutil.copyfile"):
            written.append(f"{event}:{args[0]}")

    sys.addaudithook(hook)


def run_worker(source: FrameSource, config: CameraConfig, events, commands,
               preview: bool = False, audit_writes: bool = False, nice: int = 0) -> None:
    """Process entry point: track until the source ends or ("stop",) arrives.

    ``nice``: lower this process's priority by that much (the kiosk passes WORKER_NICE):
    when the CPU is short, the screen the customer sees stays smooth and tracking gives
    way a little, rather than the other way round."""
    written: list[str] = []
    if nice:
        try:
            os.nice(nice)
        except OSError:
            pass  # not allowed here: track at normal priority
    if audit_writes:
        _install_write_audit(written)
    try:
        _loop(source, config, events, commands, preview)
    finally:
        if audit_writes:
            events.send(("audit", written))
        events.close()


def _loop(source: FrameSource, config: CameraConfig, events, commands, preview: bool) -> None:
    try:
        import cv2
        cv2.setNumThreads(1)  # one core for tracking; the UI keeps the other
    except ImportError:
        events.send(("status", "unavailable", "camera is off: OpenCV is not installed"))
        return
    try:
        source.open()
    except SourceUnavailable as exc:
        events.send(("status", "unavailable", str(exc)))
        return
    except Exception as exc:  # a broken driver must not crash the kiosk
        events.send(("status", "unavailable", f"camera is off: {type(exc).__name__}: {exc}"))
        return
    pipeline: TrackingPipeline | None = None
    motion: MotionSwipes | None = None
    try:
        pipeline = TrackingPipeline(config)
        label = f"hands: {source.describe()}"
        events.send(("status", "tracking", f"camera hand input on ({source.describe()})"))
    except TrackerUnavailable as exc:
        if not config.motion_fallback:
            source.close()
            events.send(("status", "unavailable", str(exc)))
            return
        motion = MotionSwipes(mirror=config.mirror)
        label = "motion-only swipes"
        events.send(("status", "motion_only",
                     f"{exc}; the camera gives motion-only swipes (no pointing, holding, "
                     "pushing or help gesture)"))
    last_preview = 0.0
    bad = 0
    try:
        while True:
            while commands.poll():
                cmd = commands.recv()
                if cmd[0] == "stop":
                    return
                if cmd[0] == "reset_hold" and pipeline is not None:
                    pipeline.interactions.reset_hold()
                elif cmd[0] == "preview":
                    preview = bool(cmd[1])
            got = source.read()
            if got is None:
                events.send(("status", "ended", f"camera input stopped: {source.describe()} "
                                                "gave no more frames"))
                return
            frame, t = got
            t_capture = time.monotonic()
            if not _usable(frame):
                bad += 1
                if bad >= MAX_BAD_FRAMES:
                    events.send(("status", "ended", f"camera input stopped: "
                                 f"{source.describe()} gives frames that are not pictures"))
                    return
                continue
            if pipeline is not None:
                try:
                    step = pipeline.step(frame, t)
                except Exception as exc:  # one bad frame must not end the input
                    bad += 1
                    if bad >= MAX_BAD_FRAMES:
                        events.send(("status", "ended", f"camera input stopped: tracking "
                                     f"fails on {source.describe()} ({type(exc).__name__})"))
                        return
                    continue
                c = step.cursor
                cursor = None if c is None else (c.x, c.y, c.progress, c.pointing, c.open_palm)
                hands = pipeline.tracker.last_hands
            else:
                assert motion is not None  # no tracker: the motion-only fallback
                step = StepResult(motion.feed(frame, t), None, None)
                cursor, hands = None, []
            bad = 0
            events.send(("frame", t_capture, cursor, [intent_to_wire(i) for i in step.intents]))
            if preview and t_capture - last_preview >= PREVIEW_INTERVAL_S:
                last_preview = t_capture
                events.send(("preview", annotate(frame, hands, step.cursor, config.mirror,
                                                 label)))
    except (BrokenPipeError, EOFError):
        return  # the kiosk went away
    finally:
        source.close()
        if pipeline is not None:
            pipeline.close()
