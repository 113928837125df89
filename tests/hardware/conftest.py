"""Fixtures for the device tests: the real hand photos (camera), and a Rig of virtual
boards with a host link (board_rig.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from board_rig import Rig


@pytest.fixture(scope="session")
def hands_dir(testdata: Path) -> Path:
    path = testdata / "hands"
    if not (path / "MANIFEST.tsv").is_file():
        pytest.skip(f"hand photos not found in {path}")
    return path


@pytest.fixture(scope="session")
def background(hands_dir: Path) -> Path:
    """A real room with no hand (640x480): the scene behind the customer's hand."""
    return hands_dir / "neg_room_toys_0514.jpg"


@pytest.fixture
def rig(tmp_path):
    r = Rig(tmp_path / "dev")
    r.link.start()
    yield r
    r.close()
