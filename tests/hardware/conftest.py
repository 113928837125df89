"""Voice fixtures: each real model is loaded once per test session (seconds, 100s of MB)."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from untact.hardware.voice_grammar import voice_menu_from_toml

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def cafe_data() -> dict:
    """examples/cafe.toml read directly (ui.menu is written separately)."""
    return tomllib.loads((REPO / "examples" / "cafe.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def cafe_menu(cafe_data):
    return voice_menu_from_toml(cafe_data)


@pytest.fixture(scope="session")
def vosk_ko():
    from untact.hardware.voice_recognizers import VoskRecognizer
    return VoskRecognizer()


@pytest.fixture(scope="session")
def sphinx_en():
    from untact.hardware.voice_recognizers import SphinxRecognizer
    return SphinxRecognizer()


@pytest.fixture(scope="session")
def recognizers(vosk_ko, sphinx_en) -> dict:
    return {"ko": vosk_ko, "en": sphinx_en}


@pytest.fixture(scope="session")
def espeak():
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (Debian package espeak-ng; make setup installs it)")
