"""Shared fixtures: where the real test data is, and where test outputs go."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def testdata_dir() -> Path | None:
    env = os.environ.get("UNTACT_TESTDATA")
    path = Path(env) if env else REPO.parent / "shared" / "testdata"
    return path if path.is_dir() else None


@pytest.fixture(scope="session")
def testdata() -> Path:
    """The shared real photos and recordings; skip, naming what is missing, without them."""
    path = testdata_dir()
    if path is None:
        pytest.skip("real test data not found: set UNTACT_TESTDATA or provide ../shared/testdata")
    return path


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Screenshots and reports a person may want to look at after a run (not in git)."""
    path = Path(os.environ.get("UNTACT_TEST_OUTPUT", REPO / "test-output"))
    path.mkdir(parents=True, exist_ok=True)
    return path
