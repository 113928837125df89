"""The audit at every supported screen: the kiosk file is copied with each display's
``[display]`` table in place of its own, and each copy is rendered in a process of its
own (a Kivy window keeps the size it was opened with), which writes its screens as JSON.

    python -m untact.accessibility.audit.displays RENDERER CONFIG OUT_DIR DISPLAY_NAME
"""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..display import SUPPORTED_DISPLAYS, Display
from .model import ScreenInfo, load_screens

# (config path or None, folder for the screenshots) -> the rendered screens
Renderer = Callable[[str | None, str], list[ScreenInfo]]
def load_renderer(spec: str) -> Renderer:
    module, _, func = spec.partition(":")
    if not module or not func:
        raise ValueError(f"--renderer must be module:function, not {spec!r}")
    try:
        renderer: Renderer = getattr(importlib.import_module(module), func)
        return renderer
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"cannot load renderer {spec!r}: {exc}") from None


def display_table(d: Display) -> str:
    return ("[display]\n"
            f"resolution = [{d.resolution[0]}, {d.resolution[1]}]\n"
            f"size_mm = [{d.size_mm[0]:g}, {d.size_mm[1]:g}]\n"
            f"bottom_edge_mm = {d.bottom_edge_mm:g}\n"
            f"viewing_distance_mm = {d.viewing_distance_mm:g}\n\n")


def with_display(config_text: str, d: Display) -> str:
    """The kiosk file's text with its ``[display]`` table replaced (or added)."""
    table = re.compile(r"^\[display\][^\n]*\n(?:(?!\[)[^\n]*\n)*", re.M)
    if table.search(config_text):
        return table.sub(lambda _: display_table(d), config_text, count=1)
    return display_table(d) + config_text


def render_at(renderer: str, config: str, out_dir: Path, name: str) -> list[ScreenInfo]:
    """Render ``config`` at the supported display ``name`` in a child process."""
    if name not in SUPPORTED_DISPLAYS:
        raise ValueError(f"unknown display {name!r} (one of: {', '.join(SUPPORTED_DISPLAYS)})")
    src = Path(config)
    text = with_display(src.read_text(encoding="utf-8"), SUPPORTED_DISPLAYS[name])
    # Beside the original, so its relative paths (data folder, pictures) still hold.
    fd, tmp = tempfile.mkstemp(prefix=f".audit-{name}-", suffix=".toml", dir=src.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        out = out_dir / name
        proc = subprocess.run([sys.executable, "-m", __name__, renderer, tmp, str(out), name],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
            raise ValueError(f"rendering at {name} failed: {last}")
        return load_screens(out / "screens.json")
    finally:
        os.unlink(tmp)


def main(argv: list[str]) -> int:
    renderer, config, out, name = argv
    screens = load_renderer(renderer)(config, out)
    for s in screens:
        s.display_name = name
    Path(out).mkdir(parents=True, exist_ok=True)
    (Path(out) / "screens.json").write_text(
        json.dumps({"screens": [s.to_dict() for s in screens]}, ensure_ascii=False),
        encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
