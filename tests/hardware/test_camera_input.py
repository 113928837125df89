"""The camera input as the kiosk runs it: a worker process, status reasons, privacy.

These start real worker processes (spawn) reading real frames; each waits on events
or the worker's end with a bounded timeout, never on a sleep.
"""

from __future__ import annotations

import io
import subprocess
import sys
import threading
import tokenize
from pathlib import Path

import pytest
from camera_helpers import run_worker_inline
from untact.accessibility.bus import InputBus
from untact.hardware.camera import worker as camera_worker
from untact.hardware.camera.config import CameraConfig
from untact.hardware.camera.input import MOTION_ONLY, OFF, STOPPED, TRACKING, UNAVAILABLE, CameraInput
from untact.hardware.camera.mediapipe_loader import TrackerUnavailable
from untact.simulator import camera_clips as clips
from untact.simulator.camera_clips import SimulatedCamera

START_TIMEOUT = 90  # a cold worker imports numpy, OpenCV and MediaPipe on a busy machine


def _drain(bus: InputBus) -> list:
    got = []
    unsubscribe = bus.subscribe(got.append)
    bus.drain()
    unsubscribe()
    return got


def test_no_camera_configured_says_so_and_starts_nothing():
    camera = CameraInput(CameraConfig(), InputBus())
    status = camera.start()
    assert status.state == OFF
    assert "off" in status.reason and "none" in status.reason
    assert camera.cursor() is None and camera.latest_preview() is None
    camera.stop()  # harmless


def test_missing_camera_gives_the_reason_and_the_kiosk_goes_on():
    bus = InputBus()
    seen = []
    camera = CameraInput(CameraConfig(source=63), bus)
    camera.on_status(seen.append)
    camera.start()
    try:
        status = camera.wait_for_state({UNAVAILABLE}, START_TIMEOUT)
        assert status.state == UNAVAILABLE
        assert status.reason == ("camera is off: no camera at /dev/video63 "
                                 "(is it plugged in?)")
        assert camera.wait_until_finished(START_TIMEOUT)
        assert [s.state for s in seen] == ["starting", UNAVAILABLE]
        assert _drain(bus) == []
    finally:
        camera.stop()


def test_missing_video_file_gives_the_reason(tmp_path):
    camera = CameraInput(CameraConfig(source=str(tmp_path / "nope.mp4")), InputBus())
    camera.start()
    try:
        status = camera.wait_for_state({UNAVAILABLE}, START_TIMEOUT)
        assert status.reason == f"camera is off: video file {tmp_path / 'nope.mp4'} not found"
    finally:
        camera.stop()


def test_missing_mediapipe_is_reported_by_the_loader():
    """A fresh interpreter in which the mediapipe package cannot be found."""
    code = (
        "import sys\n"
        "class Hide:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'mediapipe':\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Hide())\n"
        "from untact.hardware.camera.mediapipe_loader import TrackerUnavailable, load_hands\n"
        "try:\n"
        "    load_hands()\n"
        "except TrackerUnavailable as exc:\n"
        "    print(exc)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True).stdout.strip()
    assert out == "hand tracking is off: MediaPipe is not installed (run `make setup`)"


def test_without_mediapipe_the_camera_falls_back_to_motion_swipes(hands_dir, background,
                                                                  monkeypatch):
    """The worker loop on a machine without MediaPipe. Stand-in: the pipeline raises the
    loader's real error (this test process has MediaPipe loaded, so it cannot lose it)."""
    def no_mediapipe(config):
        raise TrackerUnavailable("hand tracking is off: MediaPipe is not installed "
                                 "(run `make setup`)")
    monkeypatch.setattr(camera_worker, "TrackingPipeline", no_mediapipe)
    clip = clips.swipe(hands_dir / "open_palm_hagrid.jpg", "right", background=background)
    messages = run_worker_inline(clip, CameraConfig(source="clip"))
    statuses = [m for m in messages if m[0] == "status"]
    assert statuses[0][1] == MOTION_ONLY
    assert "MediaPipe is not installed" in statuses[0][2]
    assert "motion-only swipes (no pointing" in statuses[0][2]
    intents = [w for m in messages if m[0] == "frame" for w in m[3]]
    assert intents == [("next", None, None, None)]


@pytest.mark.models
def test_clip_through_the_worker_process_posts_intents_and_writes_nothing(
        hands_dir, background, tmp_path, monkeypatch):
    """End to end in a real worker process: a swipe clip gives NEXT on the bus; no file
    is opened for writing by the worker (audit hook on every open), and its temp folder
    and home stay empty (catches native code writing there too)."""
    tmp, home = tmp_path / "tmp", tmp_path / "home"
    tmp.mkdir()
    home.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setenv("HOME", str(home))
    bus = InputBus()
    clip = clips.swipe(hands_dir / "open_palm_hagrid.jpg", "right", background=background)
    config = CameraConfig(source="clip", max_hands=1, preview=True)
    camera = CameraInput(config, bus, source=clip, audit_writes=True)
    camera.start()
    try:
        assert camera.wait_until_finished(START_TIMEOUT)
        assert camera.status.state == "ended"
        preview = camera.latest_preview()
    finally:
        camera.stop()
    got = _drain(bus)
    assert [i.kind.name for i in got if i.kind.name != "POINT"] == ["NEXT"]
    assert sum(i.kind.name == "POINT" for i in got) >= 20
    assert all(i.source == "camera" for i in got)
    assert camera.frames == clip.frame_count
    assert camera.written_files == []
    assert list(tmp.iterdir()) == [] and list(home.iterdir()) == []
    assert preview is not None and preview.shape == (240, 320, 3)
    assert len(camera.latencies_ms) >= 1


@pytest.mark.models
def test_simulated_camera_runs_live_until_stopped(hands_dir, background):
    """The simulator's camera: a looping clip at camera rate; the cursor shows up on the
    bus, reset_hold and preview commands are accepted, stop ends the worker."""
    pointing = threading.Event()
    bus = InputBus(waker=pointing.set)
    clip = clips.hold(hands_dir / "pointing_index_hagrid.jpg", 1.0, background=background)
    camera = CameraInput(CameraConfig(source="sim", max_hands=1), bus,
                         source=SimulatedCamera(clip))
    camera.start()
    try:
        assert camera.wait_for_state({TRACKING}, START_TIMEOUT).state == TRACKING
        assert "simulated camera: clip of pointing_index_hagrid.jpg" in camera.status.reason
        assert pointing.wait(START_TIMEOUT)
        camera.reset_hold()
        camera.set_preview(True)
        camera.set_preview(False)
        assert camera.latest_preview() is None
    finally:
        camera.stop()
    assert camera.status.state == STOPPED
    assert camera.cursor() is None
    assert any(i.kind.name == "POINT" for i in _drain(bus))


def _calls_in_code(text: str) -> set[str]:
    """Names called in ``text``'s code (not its docstrings): ``open``, ``cv2.imwrite``..."""
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(text).readline)
              if t.type in (tokenize.NAME, tokenize.OP)]
    calls = set()
    for prev, tok, nxt in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if tok.type == tokenize.NAME and nxt.string == "(" and prev.string != "def":
            calls.add(("." if prev.string == "." else "") + tok.string)
    return calls


def test_camera_modules_have_no_file_writing_calls():
    """Belt and braces for the privacy rule: the camera modules never call the builtin
    open(), OpenCV's imwrite / VideoWriter, or numpy's savers."""
    camera = Path(camera_worker.__file__).parent
    forbidden = {"open", ".imwrite", ".VideoWriter", ".tofile", ".save", ".savez",
                 ".write_bytes", ".write_text"}
    names = sorted(p.name for p in camera.glob("*.py"))
    assert "worker.py" in names and "frame_sources.py" in names
    for name in names:
        calls = _calls_in_code((camera / name).read_text(encoding="utf-8"))
        assert ".release" in calls or name != "frame_sources.py"  # the scan sees calls
        assert calls & forbidden == set(), name


def test_frames_that_are_not_pictures_end_the_input_without_a_crash():
    """Untrusted frames (wrong type, shape, depth) are skipped; a source that gives only
    those is declared broken with a reason, and the worker ends cleanly."""
    import numpy as np
    from untact.hardware.camera.frame_sources import FramesSource

    junk = [np.zeros((480, 640), np.uint8), np.zeros((480, 640, 3), np.float32),
            np.zeros((2, 2, 3), np.uint8), "not a frame"] * 10
    messages = run_worker_inline(FramesSource(junk, name="junk"), CameraConfig(source="junk"))
    assert [m[1] for m in messages if m[0] == "status"] == [TRACKING, "ended"]
    assert messages[-1][2] == "camera input stopped: junk gives frames that are not pictures"
    assert not any(m[0] == "frame" for m in messages)


def test_tracking_that_keeps_failing_ends_the_input_with_a_reason(monkeypatch):
    """A frame the tracker chokes on is skipped; if every frame fails, the input ends
    and says so, instead of the worker dying with a traceback."""
    import numpy as np
    from untact.hardware.camera.frame_sources import FramesSource

    class Choking:
        def __init__(self, config):
            self.calls = 0

        def step(self, frame, t):
            raise RuntimeError("graph error")

        def close(self):
            pass

    monkeypatch.setattr(camera_worker, "TrackingPipeline", Choking)
    frames = [np.zeros((480, 640, 3), np.uint8)] * 40
    messages = run_worker_inline(FramesSource(frames, name="frames"), CameraConfig(source="x"))
    assert messages[-1] == ("status", "ended", "camera input stopped: tracking fails on "
                                               "frames (RuntimeError)")
