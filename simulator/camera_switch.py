"""Switch the simulated kiosk's camera while it runs: none, a clip, a video file, a webcam.

The control panel's camera section calls :meth:`CameraSwitcher.switch`. A switch stops
the old tracking worker (and waits for its process to end), then starts a new
:class:`~untact.hardware.camera.input.CameraInput` on the new source, so what the kiosk
receives still comes through the real worker and tracker. Whatever is wrong with a source
(no such webcam, a file that is not a video) ends up as the camera's status sentence,
shown in the panel and in the devices line, never as a traceback.

``holder`` owns the kiosk's camera as ``holder.camera`` (the composition root's
``hardware.devices.Devices``), so that closing the kiosk stops the camera that is current
then; ``devices`` (ui/kiosk_devices.py) gives the app the camera in use (preview, hold
reset) and the status the panel and the staff's devices screen show.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

DEMO_PHOTO = "pointing_index_hagrid.jpg"
DEMO_BACKGROUND = "neg_room_toys_0514.jpg"


def hand_photos() -> Path:
    """The real hand photos (``$UNTACT_TESTDATA/hands``; else ``../shared/testdata`` next to
    the checkout, or next to its parent for a worktree)."""
    env = os.environ.get("UNTACT_TESTDATA")
    repo = Path(__file__).resolve().parents[1]
    candidates = [Path(env)] if env else [repo.parent / "shared" / "testdata",
                                           repo.parents[1] / "shared" / "testdata"]
    for path in candidates:
        if (path / "hands").is_dir():
            return path / "hands"
    return candidates[0] / "hands"


def demo_clip():
    """A real hand photo moving over a real room and resting now and then, looping."""
    from .camera_clips import HandClip, Key

    hands = hand_photos()
    photo, background = hands / DEMO_PHOTO, hands / DEMO_BACKGROUND
    if not photo.is_file():
        raise ValueError(f"the demo clip needs {photo} (set UNTACT_TESTDATA)")
    keys = [Key(0, 0.3, 0.6), Key(3, 0.7, 0.6), Key(6, 0.5, 0.4), Key(9, 0.3, 0.6)]
    return HandClip(photo, keys, background=background if background.is_file() else None,
                    pace=True, loop=True)


def camera_feed(spec: str):
    """The simulated camera ``spec`` names: ``none`` (None), ``demo``, a webcam index, or a
    video file. ValueError, with a sentence, when it names nothing."""
    from .camera_clips import SimulatedCamera

    spec = spec.strip()
    if spec in ("", "none"):
        return None
    if spec == "demo":
        return SimulatedCamera(demo_clip())
    if spec.isdigit():
        if not 0 <= int(spec) <= 63:
            raise ValueError(f"a webcam index is 0..63, not {spec}")
        return SimulatedCamera(int(spec))
    if not Path(spec).is_file():
        raise ValueError(f"no video file {spec}")
    return SimulatedCamera(spec)


def status_text(status) -> str:
    """What the panel and the devices line say about the camera (as ``Devices`` does)."""
    from untact.hardware.devices import camera_status_text

    return camera_status_text(status)


class CameraSwitcher:
    """Owns the camera of a running simulated kiosk; call it on the Kivy thread."""

    def __init__(self, holder, config, bus, devices) -> None:
        self.holder = holder
        self.config = config  # CameraConfig from the kiosk file (thresholds, mirror)
        self.bus = bus
        self.devices = devices  # KioskDevices: the app's camera follows the switch
        self.device_status = devices.status
        self.spec = "none"
        self.listeners: list[Callable[[str], None]] = []  # status sentences, any thread
        self._lock = threading.Lock()

    @classmethod
    def for_kiosk(cls, composition) -> CameraSwitcher:
        """The switcher of a kiosk built by ui/composition.py."""
        from untact.hardware.camera.config import from_table

        config = from_table(composition.kiosk.section("devices").table("camera"))
        return cls(composition.hardware, config, composition.bus, composition.devices)

    @property
    def camera(self):
        return getattr(self.holder, "camera", None)

    def switch(self, spec: str) -> str:
        """Stop the current source, start ``spec``'s; returns the sentence to show. A spec
        that names nothing (no such file) leaves the current source running."""
        try:
            feed = camera_feed(spec)
        except ValueError as exc:
            return f"cannot use {spec.strip()!r}: {exc}"
        with self._lock:
            self._stop_current()
            self.spec = spec.strip() or "none"
            if feed is None:
                self._show("off (no camera)")
                return "camera off"
            from untact.hardware.camera.input import CameraInput

            camera = CameraInput(self.config, self.bus, source=feed)
            camera.on_status(lambda st: self._show(status_text(st)))
            self.holder.camera = camera
            self.devices.use_camera(camera)
            status = camera.start()  # spawns the worker; never raises
            return status.reason

    def _stop_current(self) -> None:
        old = self.camera
        if old is None:
            return
        if self.devices.camera_preview is old:
            self.devices.use_camera(None)
        old.stop()  # the worker process has ended (joined, or terminated) when this returns
        self.holder.camera = None

    def _show(self, text: str) -> None:
        self.device_status["camera"] = text
        for fn in list(self.listeners):
            fn(text)
