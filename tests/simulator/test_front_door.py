"""`make run` (untact-sim) opens the kiosk and shows the attract screen; bad files exit 2."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def sim(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "untact.simulator.cli", *args],
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.kiosk
def test_simulator_shows_the_attract_screen(tmp_path):
    result = sim(str(REPO / "examples" / "cafe.toml"), "--data", str(tmp_path), "--exit-after-first-frame")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("first-frame ")


def test_simulator_refuses_a_bad_file_with_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[shop]\nname = 3\n")
    result = sim(str(bad))
    assert result.returncode == 2
    assert result.stderr.strip() == f"untact-sim: {bad}:2: shop.name: must be a table, not the number 3"
    assert sim("--scale", "9", str(bad)).returncode == 2
