"""Fixtures for the camera tests: the real hand photos."""

from __future__ import annotations

from pathlib import Path

import pytest


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
