"""The control panel switches the kiosk's camera while it runs: the demo clip (a real hand
photo, through the real tracking worker) brings the cursor, "none" takes it away, a
webcam that is not there is said in the panel, and no worker process is left behind."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

pytestmark = [pytest.mark.models, pytest.mark.kiosk]

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"


def workers() -> list:
    return [p for p in multiprocessing.active_children() if p.name == "untact-camera"]


def press(kiosk, name: str) -> None:
    kiosk.app.panel.camera_buttons[name].dispatch("on_press")
    kiosk.pump(2)


def test_switching_the_camera_source_at_run_time(tmp_path, testdata, monkeypatch):
    if not (testdata / "hands" / "pointing_index_hagrid.jpg").is_file():
        pytest.skip("the hand photos are needed for the demo clip")
    monkeypatch.setenv("UNTACT_TESTDATA", str(testdata))
    from untact.simulator.driver import KioskDriver

    kiosk = KioskDriver(CAFE, data_dir=tmp_path / "data", panel=True).start()
    try:
        switch_around(kiosk)
    finally:
        kiosk.stop()  # closing the kiosk stops the source that is current then
    assert not workers()


def switch_around(kiosk) -> None:
    panel, app = kiosk.app.panel, kiosk.app
    assert kiosk.camera is None and app.cursor.point is None and not workers()

    press(kiosk, "demo")
    kiosk.wait_until(lambda: app.cursor.point is not None, timeout=60,
                     what="the demo clip's hand to bring the cursor")
    first = kiosk.camera
    assert first.status.state == "tracking"
    kiosk.wait_until(lambda: "tracking" in panel.camera_status.text, what="the panel's status")
    assert app.device_status["camera"] == "tracking"
    assert len(workers()) == 1

    press(kiosk, "none")  # stops the worker before it returns
    assert kiosk.camera is None and not workers() and first.status.state == "stopped"
    kiosk.wait_until(lambda: app.cursor.point is None, what="the cursor to go")
    assert "off" in app.device_status["camera"]

    panel.camera_spec.text = "/no/such/clip.mp4"  # names nothing: said, nothing changes
    press(kiosk, "use")
    assert "no video file /no/such/clip.mp4" in panel.camera_status.text
    assert kiosk.camera is None

    panel.camera_spec.text = "63"  # a webcam index with no camera behind it
    press(kiosk, "use")
    kiosk.wait_until(lambda: "no camera at /dev/video63" in panel.camera_status.text,
                     timeout=60, what="the missing webcam to be reported in the panel")
    assert "Traceback" not in panel.camera_status.text
    assert app.device_status["camera"].startswith("camera is off: no camera at /dev/video63")
    kiosk.camera.wait_until_finished(30)
    assert app.cursor.point is None

    press(kiosk, "demo")  # and back: the failed source is replaced cleanly
    kiosk.wait_until(lambda: app.cursor.point is not None, timeout=60,
                     what="the cursor from the demo clip again")
    assert len(workers()) == 1
