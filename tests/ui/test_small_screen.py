"""On a screen too small for all of its choices, a screen pages instead of squeezing
text out of its buttons: every choice is reached page by page with the keypad alone,
each page says which it is, and the audit finds nothing clipped on any page."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from untact.accessibility.profiles import PROFILES

pytestmark = pytest.mark.kiosk
CHILD = Path(__file__).with_name("small_screen_child.py")


def test_settings_page_on_the_7_inch_portrait_screen(tmp_path):
    proc = subprocess.run([sys.executable, str(CHILD), str(tmp_path)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    pages = json.loads(proc.stdout.strip().splitlines()[-1])["pages"]
    assert len(pages) > 1  # 6 profiles and 4 sound buttons do not fit 155 x 87 mm
    for n, page in enumerate(pages, 1):
        assert page["findings"] == [], f"page {n}: {page['findings']}"
        assert f"{n}/{len(pages)}쪽" in page["summary"]
    shown = {text for page in pages for text in page["buttons"]}
    for profile in PROFILES.values():
        assert any(profile.labels["ko"] in text for text in shown), profile.name
    for sound in ("소리 작게", "소리 크게", "말 느리게", "말 빠르게"):
        assert sound in shown
