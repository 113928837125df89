"""Kill the kiosk (SIGKILL) right after the order number is shown: the order survives."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.kiosk

CHILD = Path(__file__).with_name("kiosk_child.py")


def run_until_shown(data_dir) -> tuple[list[str], str]:
    proc = subprocess.Popen([sys.executable, str(CHILD), str(data_dir)], stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "KIVY_NO_CONSOLELOG": "1"})
    try:
        before = proc.stdout.readline().split()[1:]
        shown = proc.stdout.readline().split()
        assert shown[:1] == ["SHOWN"], f"kiosk ended without showing a number: {shown}"
        proc.send_signal(signal.SIGKILL)  # no clean shutdown, no atexit, no flush
    finally:
        proc.kill()
        proc.wait(timeout=30)
    return before, shown[1]


def test_order_shown_then_killed_is_there_on_restart(tmp_path):
    data = tmp_path / "data"
    before, first = run_until_shown(data)
    assert before == [] and first == "1"
    # Restart: the new kiosk finds the order and never hands out its number again.
    before, second = run_until_shown(data)
    assert before == ["1"] and second == "2"
