"""The audit's own renderer over its fixture screens (until the UI provides one).

``render_all(config_path, out_dir)`` is the renderer interface: it returns every screen
in every profile as :class:`ScreenInfo`, each with a screenshot PNG written to
``out_dir``. This one ignores the config and draws the fixture widgets as flat boxes.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from .model import ScreenInfo, load_screens
from .png import Canvas

FIXTURES = Path(str(resources.files(__package__).joinpath("fixtures")))


def draw(screen: ScreenInfo, path: str | Path) -> str:
    """A flat-box picture of ``screen`` (widget backgrounds, text bars, focus rings)."""
    w, h = screen.window_px
    c = Canvas(w, h, screen.background)
    for wi in screen.widgets:
        x, y, bw, bh = wi.bbox
        if wi.bg is not None:
            c.rect(x, y, bw, bh, wi.bg)
        if wi.text and wi.fg is not None and wi.font_size_px:
            line = min(bh, wi.font_size_px * 0.72)
            c.rect(x + 8, y + (bh - line) / 2, min(bw - 16, len(wi.text) * wi.font_size_px * 0.6),
                   line, wi.fg)
        if wi.focus_ring is not None and wi.focus_ring_width_px and wi.id == _first_focus(screen):
            c.frame(x - 2, y - 2, bw + 4, bh + 4, wi.focus_ring, int(wi.focus_ring_width_px))
    c.save(path)
    return str(path)


def _first_focus(screen: ScreenInfo) -> str | None:
    return next((w.id for w in screen.widgets if w.in_focus_order), None)


def render_files(paths: list[str | Path], out_dir: str | Path) -> list[ScreenInfo]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    screens: list[ScreenInfo] = []
    for p in paths:
        for s in load_screens(p):
            safe = re.sub(r"[^A-Za-z0-9_.-]", "_", s.key)
            s.screenshot = draw(s, out_dir / f"{safe}.png")
            screens.append(s)
    return screens


def render_all(config_path: str | None, out_dir: str | Path) -> list[ScreenInfo]:
    """Renderer interface, fixture edition: the good fixture screens."""
    return render_files([FIXTURES / "good.json"], out_dir)
