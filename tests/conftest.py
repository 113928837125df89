"""Shared fixtures: where the real test data is, and where test outputs go."""

from __future__ import annotations

import os
import shutil
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


# --- voice input (hardware/voice/): each real model is loaded once per session -------

@pytest.fixture
def printer():
    """A virtual ESC/POS printer on a real TCP port (``printer.address``), switched off after."""
    from untact.simulator.virtual_printer import VirtualPrinter

    p = VirtualPrinter.tcp()
    yield p
    p.close()


@pytest.fixture(scope="session")
def cafe_menu():
    """examples/cafe.toml as the shop's menu model: what the screens and voice read."""
    from untact.shop.menu import load_kiosk
    return load_kiosk(REPO / "examples" / "cafe.toml")


@pytest.fixture(scope="session")
def vosk_ko():
    import gc

    from untact.hardware.voice.recognizers import VoskRecognizer
    yield VoskRecognizer()
    gc.collect()  # free the model while vosk's module still exists (not at interpreter exit)


@pytest.fixture(scope="session")
def sphinx_en():
    from untact.hardware.voice.recognizers import SphinxRecognizer
    return SphinxRecognizer()


@pytest.fixture(scope="session")
def recognizers(vosk_ko, sphinx_en) -> dict:
    return {"ko": vosk_ko, "en": sphinx_en}


@pytest.fixture(scope="session")
def espeak():
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (Debian package espeak-ng; make setup installs it)")


# --- test tiers (pyproject markers; `make test-quick` leaves these out) --------------

#: fixtures that load a speech recognition model: a test using one is in the `models` tier
#: whether or not its file says so, so a new test cannot slip into the quick loop.
MODEL_FIXTURES = {"vosk_ko", "sphinx_en", "recognizers", "pipelines"}


def pytest_collection_modifyitems(items):
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.models)
