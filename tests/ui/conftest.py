"""A real kiosk in a real Kivy window (offscreen when DISPLAY is unset)."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CAFE = REPO / "examples" / "cafe.toml"


@pytest.fixture
def kiosk(tmp_path):
    from untact.simulator.driver import KioskDriver

    driver = KioskDriver(CAFE, data_dir=tmp_path / "data").start()
    yield driver
    driver.stop()
