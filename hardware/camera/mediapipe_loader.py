"""Import MediaPipe's Hands solution, and nothing else of MediaPipe.

``import mediapipe`` runs ``mediapipe/__init__.py``, which imports every legacy solution
(their drawing helpers need matplotlib) and the Tasks API (attrs, flatbuffers, absl).
The hand tracker needs none of that: only the compiled graph bindings
(``mediapipe.python``) and ``mediapipe.python.solutions.hands``, whose Python
requirements are numpy and protobuf. So we register *bare* package objects for
``mediapipe`` and ``mediapipe.python.solutions`` (their ``__path__`` points at the
installed folders, their ``__init__`` is not run) and import the Hands module through
them. That keeps the install to MediaPipe (``--no-deps``) + numpy + protobuf + one cv2,
which on a Raspberry Pi saves matplotlib, pillow, fonttools and friends.

If the full ``mediapipe`` package was already imported by someone else, it is used as is.
Pinned to the MediaPipe release in pyproject's ``[tool.untact]``; a different release is
refused with a reason rather than half-loaded.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from pathlib import Path

EXPECTED_VERSION = "0.10.18"


class TrackerUnavailable(RuntimeError):
    """Hand tracking cannot run here; ``str()`` is a sentence for the merchant."""


def _bare_package(name: str, path: Path) -> None:
    module = types.ModuleType(name)
    module.__path__ = [str(path)]
    module.__package__ = name
    sys.modules[name] = module


def _installed_version() -> str | None:
    try:
        from importlib.metadata import PackageNotFoundError, version
        return version("mediapipe")
    except PackageNotFoundError:
        return None


def load_hands() -> types.ModuleType:
    """The ``mediapipe.python.solutions.hands`` module, or :class:`TrackerUnavailable`."""
    loaded = sys.modules.get("mediapipe.python.solutions.hands")
    if loaded is not None:
        return loaded
    if "mediapipe" not in sys.modules:
        try:
            spec = importlib.util.find_spec("mediapipe")
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.submodule_search_locations:
            raise TrackerUnavailable("hand tracking is off: MediaPipe is not installed "
                                     "(run `make setup`)")
        found = _installed_version()
        if found != EXPECTED_VERSION:
            raise TrackerUnavailable(f"hand tracking is off: MediaPipe {found} is installed, "
                                     f"untact needs {EXPECTED_VERSION} (its hand models)")
        root = Path(next(iter(spec.submodule_search_locations)))
        if not (root / "modules" / "hand_landmark").is_dir():
            raise TrackerUnavailable("hand tracking is off: this MediaPipe has no bundled "
                                     "hand models")
        _bare_package("mediapipe", root)
        _bare_package("mediapipe.python.solutions", root / "python" / "solutions")
    try:
        return importlib.import_module("mediapipe.python.solutions.hands")
    except Exception as exc:  # a broken native library must not take the kiosk down
        raise TrackerUnavailable(f"hand tracking is off: MediaPipe failed to load "
                                 f"({type(exc).__name__}: {exc})") from exc
