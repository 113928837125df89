"""End to end: a real hand photo held over the kiosk's start button, seen by the real
MediaPipe tracker in its worker process, starts the order (hover-and-hold)."""

from pathlib import Path

import pytest
from untact.simulator.camera_clips import HandClip, Key, SimulatedCamera
from untact.simulator.camera_script import fingertip_offset

pytestmark = [pytest.mark.models, pytest.mark.kiosk]

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"


def test_hold_over_the_start_button_starts_the_order(tmp_path, hands_dir, background):
    from untact.simulator.driver import KioskDriver

    photo = hands_dir / "pointing_index_hagrid.jpg"
    dx, dy = fingertip_offset(photo, Key.scale, background, mirror=True)
    probe = KioskDriver(CAFE, data_dir=tmp_path / "probe").start()
    start = probe.app.targets()[0]
    x, y, w, h = start.focus_box
    area = probe.app.area
    target = ((x + w / 2 - area.x) / area.width, 1 - (y + h / 2 - area.y) / area.height)
    probe.stop()

    keys = [Key(0.0, visible=False), Key(0.5, visible=False),
            Key(0.6, target[0] - dx, target[1] - dy), Key(6.0, target[0] - dx, target[1] - dy)]
    camera = SimulatedCamera(HandClip(photo, keys, background=background, pace=True))
    kiosk = KioskDriver(CAFE, data_dir=tmp_path / "data", camera_source=camera).start()
    try:
        kiosk.wait_until(lambda: kiosk.screen == "language", timeout=40,
                         what="the hover-and-hold on the start button")
        assert kiosk.camera.status.state == "tracking"
    finally:
        kiosk.stop()


def test_camera_preview_only_while_the_devices_screen_is_shown(tmp_path, hands_dir, background):
    """The merchant's set-up preview: off for customers, on in admin's devices screen
    (reached by focus and SELECT like every screen), off again once staff leave it."""
    from untact.simulator.driver import KioskDriver

    photo = hands_dir / "pointing_index_hagrid.jpg"  # not a palm: a still palm calls staff
    # Held high, over the title: nothing to hover-and-hold there.
    keys = [Key(0.0, 0.5, 0.12), Key(120.0, 0.5, 0.12)]
    camera = SimulatedCamera(HandClip(photo, keys, background=background, pace=True))
    kiosk = KioskDriver(CAFE, data_dir=tmp_path / "data", camera_source=camera).start()
    try:
        kiosk.wait_until(lambda: kiosk.camera.status.state == "tracking", timeout=40,
                         what="the tracker")
        kiosk.pump(10)
        assert kiosk.camera.latest_preview() is None, "the preview must be off for customers"
        kiosk.app.go("admin")
        kiosk.choose("장치 상태와 카메라")
        screen = kiosk.app.screen
        assert kiosk.screen == "admin_devices"
        kiosk.wait_until(lambda: screen.frames_shown >= 3, timeout=30, what="preview frames")
        frame = kiosk.camera.latest_preview()
        assert frame is not None and frame.std() > 10  # a picture, not a blank
        lines = [screen.status_line(d) for d in ("camera", "voice", "boards")]
        assert all(": " in line for line in lines)
        kiosk.choose("관리자 처음")
        assert kiosk.screen == "admin"
        shown = screen.frames_shown
        kiosk.pump(20)
        assert kiosk.camera.latest_preview() is None and screen.frames_shown == shown
    finally:
        kiosk.stop()
