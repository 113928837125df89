"""[devices.camera] parsing: defaults, values, and errors that name file, line, field."""

from __future__ import annotations

from pathlib import Path

import pytest
from untact.accessibility.config import ConfigError, Source
from untact.hardware.camera.config import CameraConfig, from_table


def _parse(tmp_path: Path, body: str) -> CameraConfig:
    path = tmp_path / "kiosk.toml"
    path.write_text("[devices.camera]\n" + body, encoding="utf-8")
    return from_table(Source.load(path).root().table("devices").table("camera"))


def test_empty_table_means_no_camera(tmp_path):
    config = _parse(tmp_path, "")
    assert config == CameraConfig()
    assert not config.enabled


def test_values_are_read(tmp_path):
    config = _parse(tmp_path, 'source = 2\nmirror = false\ndwell_start_s = 0.7\n'
                              'dwell_complete_s = 1\nswipe_distance = 0.3\nmax_hands = 2\n'
                              'nearer_hand_check_s = 1.5\n')
    assert config.source == 2 and config.enabled and not config.mirror
    assert config.thresholds.dwell_start_s == 0.7
    assert config.thresholds.dwell_complete_s == 1.0
    assert config.thresholds.swipe_distance == 0.3
    assert config.max_hands == 2 and config.nearer_hand_check_s == 1.5


def test_video_path_is_relative_to_the_kiosk_file(tmp_path):
    config = _parse(tmp_path, 'source = "clips/demo.mp4"\n')
    assert config.source == str(tmp_path.resolve() / "clips" / "demo.mp4")
    assert _parse(tmp_path, 'source = "/dev/video2"\n').source == "/dev/video2"


@pytest.mark.parametrize("body, field, words", [
    ('sourse = 0\n', "devices.camera.sourse", "unknown field"),
    ('source = 99\n', "devices.camera.source", "0..63"),
    ('source = ""\n', "devices.camera.source", "none"),
    ('mirror = "yes"\n', "devices.camera.mirror", "true or false"),
    ('\n\ndwell_radius = 3\n', "devices.camera.dwell_radius", "at most"),
    ('model_complexity = 2\n', "devices.camera.model_complexity", "one of"),
    ('nearer_hand_check_s = -1\n', "devices.camera.nearer_hand_check_s", "at least"),
])
def test_mistakes_name_the_field_and_line(tmp_path, body, field, words):
    with pytest.raises(ConfigError) as err:
        _parse(tmp_path, body)
    assert err.value.field == field
    assert words in err.value.message
    assert err.value.line == 1 + body.count("\n")
