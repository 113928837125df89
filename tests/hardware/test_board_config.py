"""[devices.boards]: defaults, a full table, and errors that name file, line and field."""

from __future__ import annotations

import pytest
from untact.accessibility.config import ConfigError, Source
from untact.hardware.boards.config import BoardsConfig, from_table


def boards_table(tmp_path, text):
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return from_table(Source.load(path).root().table("devices").table("boards"))


def test_defaults_without_a_table(tmp_path):
    cfg = boards_table(tmp_path, '[shop]\nname = "x"\n')
    assert cfg == BoardsConfig()
    assert cfg.ports == "auto" and cfg.lost_after_s == 1.5 and dict(cfg.thresholds) == {}


def test_a_full_table(tmp_path):
    cfg = boards_table(tmp_path, """
[devices.boards]
ports = ["/dev/serial/by-id/usb-MicroPython*", "/dev/ttyACM0"]
heartbeat_s = 0.25
lost_after_s = 2
scan_s = 0.5
baud = 115200

[devices.boards.thresholds]
push_mm = 60
hover_mm = 300
leave_ms = 5000
""")
    assert cfg.ports == ("/dev/serial/by-id/usb-MicroPython*", "/dev/ttyACM0")
    assert cfg.heartbeat_s == 0.25 and cfg.lost_after_s == 2.0 and cfg.scan_s == 0.5
    assert dict(cfg.thresholds) == {"push_mm": 60, "hover_mm": 300, "leave_ms": 5000}


@pytest.mark.parametrize("body, line, field, words", [
    ('ports = "usb"', 3, "devices.boards.ports", '"auto" or a list'),
    ("ports = []", 3, "devices.boards.ports", "empty list"),
    ("ports = [3]", 3, "devices.boards.ports[0]", "port path"),
    ("heartbeat = 1", 3, "devices.boards.heartbeat", "unknown field"),
    ("lost_after_s = 0.5", 3, "devices.boards.lost_after_s", "at least 1"),
    ("heartbeat_s = 2.0\nlost_after_s = 1.5", 4, "devices.boards.lost_after_s", "longer than"),
    ("baud = 1234", 3, "devices.boards.baud", "one of"),
    ("[devices.boards.thresholds]\npush_mm = 5", 4, "devices.boards.thresholds.push_mm",
     "at least 10"),
    ("[devices.boards.thresholds]\npush = 50", 4, "devices.boards.thresholds.push",
     "unknown field"),
    ('[devices.boards.thresholds]\nhover_mm = "near"', 4, "devices.boards.thresholds.hover_mm",
     "whole number"),
])
def test_mistakes_name_file_line_and_field(tmp_path, body, line, field, words):
    with pytest.raises(ConfigError) as err:
        boards_table(tmp_path, f"# kiosk\n[devices.boards]\n{body}\n")
    e = err.value
    assert (e.line, e.field) == (line, field), str(e)
    assert words in e.message and str(e).startswith(str(tmp_path / "kiosk.toml"))
