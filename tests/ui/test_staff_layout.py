"""The staff screens on the smallest supported screens (issue #15): every page of them
passes the audit's layout and target checks, and a screen too small for all it shows is
paged with buttons any modality can choose, the new position spoken.

Real kiosks (KioskDriver) with the sample cafe at a supported display's resolution, each
in a process of its own (staff_layout_child.py); the pages are described by the audit's
own renderer and checked by its own rules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CHILD = Path(__file__).with_name("staff_layout_child.py")


def run(display: str, scenario: str, tmp_path: Path, output_dir: Path) -> dict:
    shots = output_dir / "staff-layout" / f"{display}-{scenario}"
    shots.mkdir(parents=True, exist_ok=True)
    r = subprocess.run([sys.executable, str(CHILD), display, scenario, str(tmp_path),
                        str(shots)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    result: dict = json.loads(r.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.kiosk
def test_low_vision_pin_on_the_7in_screen_pages_and_every_page_passes(tmp_path, output_dir):
    """800 x 480 (86 mm high) with everything doubled: the PIN pad cannot be one page.
    Typed by keypad intents alone across its pages, it lets staff in; every page of the
    staff home, a staff call on it, passes; every page turn says where it went."""
    got = run("pi-touch-7in", "pin", tmp_path, output_dir)
    assert got["findings"] == []
    assert got["typed"] == "4826" and got["entered"] == "admin" and got["then"] == "admin_queue"
    assert got["acknowledged"]
    assert len(got["turns"]) >= 3


@pytest.mark.kiosk
def test_a_long_order_list_pages_through_every_order_on_the_7in_portrait_screen(
        tmp_path, output_dir):
    """Forty orders on the 88 mm wide Pi display, text x1.5: the list pages by what
    fits (the title and summary on the first page only); turning pages reaches every
    order once, and every page passes."""
    got = run("pi-touch2-7in", "orders", tmp_path, output_dir)
    assert got["findings"] == []
    assert sorted(got["seen"], key=int) == [str(n) for n in range(1, 41)]
