"""``untact-kiosk --check-config`` on what the criteria leave to the kiosk file: the
merchant's time-limit choice (검증기준 2-2) and what a screen's geometry cannot meet."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from untact.accessibility.audit.displays import with_display
from untact.accessibility.display import SUPPORTED_DISPLAYS, Display
from untact.accessibility.display_limits import display_limits

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"
CAFE_TEXT = CAFE.read_text(encoding="utf-8")
SESSION = re.compile(r"^\[accessibility\.session\]\n(?:(?!\[)[^\n]*\n)*", re.M)

# Deliberately impossible: a 3.5 in 480 x 320 panel (73 x 49 mm) cannot hold a title, two
# 15 mm controls and the remaining time at 7.25 mm Hangul; a 21.5 in screen hung from
# 1,250 mm has nothing within reach.
TINY = Display((480, 320), (73.4, 49.0), 900.0)
HUNG_HIGH = Display((1080, 1920), (268.0, 477.0), 1250.0)


def check(tmp_path: Path, text: str) -> subprocess.CompletedProcess:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "untact.ui.cli", "--check-config", str(path)],
                          capture_output=True, text=True, timeout=60)


def with_session(table: str) -> str:
    return SESSION.sub(f"[accessibility.session]\n{table}\n\n", CAFE_TEXT, count=1)


def test_check_config_says_what_the_time_limit_choice_means(tmp_path):
    limited = check(tmp_path, CAFE_TEXT)
    assert limited.returncode == 0, limited.stderr
    said = [ln for ln in limited.stdout.splitlines() if "[accessibility.session]" in ln]
    assert len(said) == 1 and "time limit (검증기준 2-2): 120 s" in said[0]
    assert "remaining time always on the screen" in said[0]

    unlimited = check(tmp_path, with_session("time_limit = false"))
    assert unlimited.returncode == 0, unlimited.stderr
    said = [ln for ln in unlimited.stdout.splitlines() if "[accessibility.session]" in ln]
    assert len(said) == 1 and "no time limit (검증기준 2-2)" in said[0]
    assert "presence sensor sees nobody for 3 s" in said[0] and "staff" in said[0]
    # the merchant's own presence threshold is the one quoted
    slow = check(tmp_path, with_session("time_limit = false")
                 + "\n[devices.boards.thresholds]\nleave_ms = 20000\n")
    assert slow.returncode == 0, slow.stderr
    assert "sees nobody for 20 s" in slow.stdout


@pytest.mark.parametrize("table, field, says", [
    ("time_limit = false\ntimeout_s = 300", "accessibility.session.timeout_s",
     "has no meaning with time_limit = false"),
    ("time_limit = false\nmax_extensions = 10", "accessibility.session.max_extensions",
     "has no meaning with time_limit = false"),
    ("timeout_s = 0", "accessibility.session.timeout_s", "for no time limit write time_limit"),
    ('time_limit = "no"', "accessibility.session.time_limit", "must be true or false"),
])
def test_a_confused_time_limit_is_one_located_line_and_exit_2(tmp_path, table, field, says):
    r = check(tmp_path, with_session(table))
    assert r.returncode == 2 and r.stdout == ""
    line = r.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert re.search(rf"kiosk\.toml:\d+: {re.escape(field)}: .*{re.escape(says)}", line), line


def test_display_limits_of_the_supported_screens_and_impossible_ones():
    """Each supported display: what it cannot meet, at what level; the standard profile
    always fits, so no supported display is refused."""
    def said(d: Display) -> list[tuple[str, bool]]:
        return [(limit.text.split(" profile")[0].removeprefix("the ")
                 if "profile" in limit.text else limit.rules, limit.error)
                for limit in display_limits(d)]

    assert {name: said(d) for name, d in SUPPORTED_DISPLAYS.items()} == {
        # its top is 1,227 mm: the top 27 mm stay empty (9-2), every profile fits
        "portrait-21.5in": [("visual_height", False)],
        "landscape-21.5in": [],
        "tablet-10.1in": [],
        "pi-touch2-7in": [],
        # 86 mm of screen: x2 and x1.5 text cannot hold one control and navigation
        "pi-touch-7in": [("low_vision", False), ("elderly", False)],
    }
    assert said(TINY) == [("standard", True)]  # no profile can: one error, no warnings
    assert said(HUNG_HIGH) == [("reach", True)]
    low = Display((1080, 1920), (268.0, 477.0), 300.0)  # the lowest 100 mm stay empty
    assert said(low) == [("reach", False)]
    assert "lowest 100 mm" in str(display_limits(low)[0])


def test_check_config_warns_of_a_profile_a_screen_cannot_serve_and_refuses_an_impossible_one(
        tmp_path):
    small = check(tmp_path, with_display(CAFE_TEXT, SUPPORTED_DISPLAYS["pi-touch-7in"]))
    assert small.returncode == 0, small.stderr
    said = [ln for ln in small.stdout.splitlines() if "[display]" in ln]
    assert [ln.split("the ")[1].split()[0] for ln in said] == ["low_vision", "elderly"]
    assert all("warning: rule text_size" in ln and "검증기준 3-9" in ln and "need" in ln
               for ln in said)
    for display, field, rule in ((TINY, "display.size_mm", "rule text_size"),
                                 (HUNG_HIGH, "display.bottom_edge_mm", "rule reach")):
        r = check(tmp_path, with_display(CAFE_TEXT, display))
        assert r.returncode == 2 and r.stdout == ""
        line = r.stderr.strip()
        assert "\n" not in line
        assert re.search(rf"kiosk\.toml:\d+: {re.escape(field)}: {rule}\b", line), line
