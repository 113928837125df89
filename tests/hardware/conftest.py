"""Fixtures for the host link tests: a Rig of virtual boards and a link (board_rig.py)."""

from __future__ import annotations

import pytest
from board_rig import Rig


@pytest.fixture
def rig(tmp_path):
    r = Rig(tmp_path / "dev")
    r.link.start()
    yield r
    r.close()
