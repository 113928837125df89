"""The kiosk's camera hand input: start it, read its status, get intents on the bus.

::

    camera = CameraInput(config, bus)          # config: camera_config.from_table(...)
    camera.start()                             # never raises: see camera.status
    camera.status.reason                       # "camera is off: no camera at /dev/video0 ..."
    camera.cursor()                            # Cursor(x, y, progress, ...) or None
    camera.latest_preview()                    # annotated BGR frame (preview on) or None
    camera.stop()

Tracking runs in a worker process (``spawn``): MediaPipe and OpenCV get a core of their
own and the Kivy main thread never waits on a frame. A reader thread in the kiosk process
turns the worker's messages into intents on the :class:`InputBus` (thread-safe) and
keeps the latest cursor and status. Without a camera, without MediaPipe, or with
``source = "none"`` the kiosk still starts: :attr:`status` says which input is missing,
in a sentence the UI can show and speak, and the other inputs carry on.
"""

from __future__ import annotations

import collections
import logging
import multiprocessing
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection

import numpy as np
from untact.accessibility.bus import InputBus

from .config import CameraConfig
from .frame_sources import FrameSource, source_from_config
from .hand_interactions import Cursor
from .worker import WORKER_NICE, intent_from_wire, run_worker

log = logging.getLogger(__name__)

STARTING, TRACKING, MOTION_ONLY, UNAVAILABLE, ENDED, OFF, STOPPED = (
    "starting", "tracking", "motion_only", "unavailable", "ended", "off", "stopped")


@dataclass(frozen=True)
class CameraStatus:
    """``state`` for code, ``reason`` for people (show it, speak it)."""

    state: str
    reason: str

    @property
    def hands_available(self) -> bool:
        return self.state == TRACKING


class CameraInput:
    """Owns the tracking worker; everything here is safe to call from the UI thread."""

    def __init__(self, config: CameraConfig, bus: InputBus, source: FrameSource | None = None,
                 *, audit_writes: bool = False, latency_samples: int = 2000) -> None:
        self.config = config
        self.bus = bus
        self._source = source
        self._audit = audit_writes
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._stopping = False
        self._status = CameraStatus(OFF, 'camera input is off ([devices.camera] source = "none")')
        self._cursor: Cursor | None = None
        self._preview: np.ndarray | None = None
        self._preview_on = config.preview
        self._listeners: list[Callable[[CameraStatus], None]] = []
        self._process: multiprocessing.process.BaseProcess | None = None
        self._reader: threading.Thread | None = None
        self._commands: Connection | None = None
        self._finished = threading.Event()
        self.frames = 0
        self.latencies_ms: collections.deque[float] = collections.deque(maxlen=latency_samples)
        self.written_files: list[str] | None = None  # filled at stop when auditing

    # -- observables ---------------------------------------------------------------------
    @property
    def status(self) -> CameraStatus:
        with self._lock:
            return self._status

    def on_status(self, fn: Callable[[CameraStatus], None]) -> None:
        """Call ``fn(status)`` on every change, from the reader thread: a Kivy listener
        must hop to the main thread itself (``Clock.schedule_once``)."""
        self._listeners.append(fn)

    def cursor(self) -> Cursor | None:
        """Where the hand cursor is now and its hover-and-hold progress; None: no hand."""
        with self._lock:
            return self._cursor

    def latest_preview(self) -> np.ndarray | None:
        """The newest annotated frame (320x240 BGR, in memory only) while the preview is
        on, for the merchant's set-up screen; None when off or not yet available."""
        with self._lock:
            return None if self._preview is None else self._preview.copy()

    def set_preview(self, on: bool) -> None:
        self._preview_on = on
        if not on:
            with self._lock:
                self._preview = None
        self._command(("preview", on))

    def reset_hold(self) -> None:
        """The widget under the cursor changed: restart the hover-and-hold ring."""
        self._command(("reset_hold",))

    # -- life cycle ------------------------------------------------------------------------
    def start(self) -> CameraStatus:
        """Start tracking if a source is configured; never raises. Returns the status."""
        if self._process is not None:
            return self.status
        source = self._source
        if source is None:
            if not self.config.enabled:
                return self.status
            source = source_from_config(self.config.source, self.config.width,
                                        self.config.height)
        self._set_status(CameraStatus(STARTING, f"camera starting ({source.describe()})"))
        ctx = multiprocessing.get_context("spawn")
        events_recv, events_send = ctx.Pipe(duplex=False)
        commands_recv, commands_send = ctx.Pipe(duplex=False)
        self._commands = commands_send
        self._process = ctx.Process(
            target=run_worker, name="untact-camera", daemon=True,
            args=(source, self.config, events_send, commands_recv, self._preview_on,
                  self._audit, WORKER_NICE))
        try:
            self._process.start()
        except Exception as exc:  # e.g. out of memory: say so, keep the kiosk
            self._process = None
            self._set_status(CameraStatus(UNAVAILABLE, f"camera is off: worker did not "
                                                       f"start ({exc})"))
            return self.status
        events_send.close()
        commands_recv.close()
        self._finished.clear()
        self._reader = threading.Thread(target=self._read, args=(events_recv,),
                                        name="untact-camera-reader", daemon=True)
        self._reader.start()
        return self.status

    def wait_until_finished(self, timeout: float) -> bool:
        """Block until the worker has ended (end of a file or clip); True if it has."""
        return self._finished.wait(timeout)

    def wait_for_state(self, states: set[str], timeout: float) -> CameraStatus:
        """Block until the status is one of ``states`` (or the timeout); the status."""
        with self._changed:
            self._changed.wait_for(lambda: self._status.state in states, timeout)
            return self._status

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the worker and the reader; the camera is released by the worker."""
        if self._process is None:
            return
        self._stopping = True
        self._command(("stop",))
        self._process.join(timeout)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout)
        if self._reader is not None:
            self._reader.join(timeout)
        self._process = None
        self._commands = None
        with self._lock:
            self._cursor = None
            self._preview = None
        self._set_status(CameraStatus(STOPPED, "camera input stopped"))
        self._stopping = False

    # -- internals -----------------------------------------------------------------------
    def _command(self, cmd: tuple) -> None:
        conn = self._commands
        if conn is None:
            return
        try:
            with self._lock:
                conn.send(cmd)
        except (BrokenPipeError, OSError):
            pass  # the worker has gone; its status already says why

    def _set_status(self, status: CameraStatus) -> None:
        with self._changed:
            changed = status != self._status
            self._status = status
            self._changed.notify_all()
        if changed:
            log.info("camera: %s", status.reason)
            for fn in list(self._listeners):
                try:
                    fn(status)
                except Exception:
                    log.exception("camera status listener failed")

    def _read(self, conn) -> None:
        try:
            while True:
                try:
                    msg = conn.recv()
                except (EOFError, OSError):
                    break
                kind = msg[0]
                if kind == "frame":
                    _, t_capture, cur, wires = msg
                    self.frames += 1
                    with self._lock:
                        self._cursor = None if cur is None else Cursor(*cur)
                    for wire in wires:
                        self.bus.post(intent_from_wire(wire))
                    if wires:
                        self.latencies_ms.append((time.monotonic() - t_capture) * 1000)
                elif kind == "status":
                    self._set_status(CameraStatus(msg[1], msg[2]))
                elif kind == "preview":
                    if self._preview_on:
                        with self._lock:
                            self._preview = msg[1]
                elif kind == "audit":
                    self.written_files = list(msg[1])
        finally:
            conn.close()
            with self._lock:
                self._cursor = None
            state = self.status.state
            if state in (STARTING, TRACKING, MOTION_ONLY) and not self._stopping:
                self._set_status(CameraStatus(UNAVAILABLE, "camera input stopped: the "
                                                           "tracking worker exited"))
            self._finished.set()
