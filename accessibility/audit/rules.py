"""The audit's thresholds, read from ``rules.toml``: a module of its own because the
speech engine reads its volume scale from the same file at start-up, without the checks."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

Rules = dict[str, dict[str, Any]]


def load_rules(path: str | Path | None = None) -> Rules:
    """The thresholds: ``rules.toml`` beside this module unless ``path`` is given."""
    if path is None:
        text = resources.files(__package__).joinpath("rules.toml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    return tomllib.loads(text)
