"""Frame sources: a real video file through OpenCV, photo-built clips, the simulator's
camera; all picklable before they are opened (they cross into the worker process)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from untact.hardware.camera.frame_sources import FramesSource, OpenCVSource, SourceUnavailable
from untact.simulator.camera_clips import HandClip, Key, SimulatedCamera, empty


def test_video_file_is_read_frame_by_frame_on_its_own_timeline(hands_dir):
    source = OpenCVSource(str(hands_dir / "video_hand_open_palm.mp4"), pace=False)
    source.open()
    got = []
    while (item := source.read()) is not None:
        got.append(item)
    source.close()
    assert len(got) == 202
    assert got[0][0].shape == (360, 640, 3) and got[0][0].dtype == np.uint8
    assert [t for _, t in got[:3]] == [0.0, 0.04, 0.08]  # 25 fps
    assert source.read() is None


def test_sources_cross_into_a_worker_process(hands_dir, background):
    source = OpenCVSource(str(hands_dir / "video_hand_open_palm.mp4"), pace=False)
    source.open()
    copy = pickle.loads(pickle.dumps(source))  # the open capture stays behind
    assert copy.read() is None
    copy.open()
    assert copy.read() is not None
    copy.close()
    source.close()
    clip = HandClip(hands_dir / "fist_hagrid.jpg", [Key(0.0), Key(0.1)], background=background)
    clip.open()
    assert len(pickle.dumps(clip)) < 10_000  # a recipe, not frames
    clip.close()


def test_simulated_camera_plays_a_video_file_at_camera_rate(hands_dir):
    camera = SimulatedCamera(str(hands_dir / "video_hand_open_palm.mp4"))
    camera.open()
    times = [camera.read()[1] for _ in range(4)]
    camera.close()
    assert "simulated camera: video video_hand_open_palm.mp4" == camera.describe()
    assert 0.1 <= times[-1] - times[0] < 0.5  # 3 frame intervals at 25 fps = 0.12 s


def test_clip_puts_the_hand_where_the_key_says_mirrored_for_a_selfie_camera(hands_dir,
                                                                            background):
    keys = [Key(0.0, x=0.25, y=0.5, scale=0.3), Key(1.0, x=0.75, y=0.5, scale=0.3)]
    for mirror, left_has_hand in ((False, True), (True, False)):
        clip = HandClip(hands_dir / "fist_hagrid.jpg", keys, background=background,
                        mirror=mirror, noise=0)
        plain = HandClip(None, keys, background=background, noise=0)
        clip.open()
        plain.open()
        changed = np.any(clip.render(0.0) != plain.render(0.0), axis=2)
        left = changed[:, :320].mean()
        right = changed[:, 320:].mean()
        assert (left > 0.1 > right) == left_has_hand
        assert (right > 0.1 > left) == (not left_has_hand)


def test_clip_timeline_and_loop(hands_dir, background):
    clip = empty(background, seconds=0.5)
    assert clip.frame_count == 16
    clip.loop = True
    clip.open()
    times = [clip.read()[1] for _ in range(18)]
    assert times[15] == pytest.approx(0.5) and times[16] == 0.0


def test_unreadable_sources_say_why(tmp_path):
    bad = tmp_path / "photo.jpg"
    bad.write_text("not an image")
    with pytest.raises(SourceUnavailable, match="cannot read"):
        HandClip(bad, [Key(0.0)]).open()
    with pytest.raises(SourceUnavailable, match="not found"):
        OpenCVSource(str(tmp_path / "missing.mp4")).open()
    not_video = OpenCVSource(str(bad), pace=False)
    try:  # OpenCV may refuse it at once or only fail to decode a frame: both say so
        not_video.open()
        assert not_video.read() is None
    except SourceUnavailable as exc:
        assert "cannot be opened" in str(exc)
    finally:
        not_video.close()
    with pytest.raises(SourceUnavailable, match="no frames"):
        FramesSource([]).open()
