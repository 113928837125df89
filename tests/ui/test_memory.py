"""Memory stays flat while the kiosk is drawn: overlays opened and closed, screens entered.

Each bound comes from a baseline measured in the same test: the same cycles run with
drawing skipped (the frames' logic, layout and text still run), so what is left is what
drawing keeps. Figures over a whole day are in ``make bench`` (simulator/bench/memory_rendered_day.py).
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from untact.accessibility.intents import Kind
from untact.simulator.driver import KioskDriver
from untact.simulator.runner import rss_bytes

pytestmark = pytest.mark.kiosk

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"


def _help_cycles(kiosk: KioskDriver, n: int, draw: bool) -> int:
    """RSS growth in bytes over ``n`` HELP-and-close cycles."""
    kiosk.render = draw
    gc.collect()
    before = rss_bytes()
    for _ in range(n):
        kiosk.send(Kind.HELP)
        assert kiosk.app.overlay.shown == "help"
        kiosk.send(Kind.BACK)
        assert not kiosk.app.overlay.shown
    gc.collect()
    kiosk.pump(2)
    return rss_bytes() - before


def test_help_opened_and_closed_with_the_screen_drawn_keeps_memory_flat(tmp_path):
    if rss_bytes() is None:
        pytest.skip("no /proc/self/statm: RSS cannot be read here")
    kiosk = KioskDriver(CAFE, data_dir=tmp_path / "data", sim_time=True, speech=False).start()
    try:
        _help_cycles(kiosk, 30, draw=True)  # caches, shader variants, allocator arenas settle
        start = rss_bytes()
        drawn = _help_cycles(kiosk, 40, draw=True)
        undrawn = _help_cycles(kiosk, 40, draw=False)
    finally:
        kiosk.stop()
    allowance = 0.05 * start  # the full day's target: under 5 % growth
    assert drawn <= undrawn + allowance, (
        f"40 drawn HELP cycles kept {drawn / 1e6:.1f} MB, the same cycles undrawn "
        f"{undrawn / 1e6:.1f} MB (allowed {allowance / 1e6:.1f} MB more)")


def test_moving_the_focus_with_the_screen_drawn_keeps_memory_flat(tmp_path):
    """Each NEXT on the attract screen redraws the focus ring: it kept about 1 MB."""
    if rss_bytes() is None:
        pytest.skip("no /proc/self/statm: RSS cannot be read here")
    kiosk = KioskDriver(CAFE, data_dir=tmp_path / "data", sim_time=True, speech=False).start()

    def presses(n: int, draw: bool) -> int:
        kiosk.render = draw
        gc.collect()
        before = rss_bytes()
        for _ in range(n):
            kiosk.send(Kind.NEXT)
        gc.collect()
        return rss_bytes() - before

    try:
        presses(20, draw=True)
        start = rss_bytes()
        drawn = presses(60, draw=True)
        undrawn = presses(60, draw=False)
        assert kiosk.screen == "attract"
    finally:
        kiosk.stop()
    allowance = 0.05 * start
    assert drawn <= undrawn + allowance, (
        f"60 drawn NEXT presses kept {drawn / 1e6:.1f} MB, undrawn {undrawn / 1e6:.1f} MB")


def test_help_reopened_reuses_its_widgets_and_binds_nothing_more(kiosk):
    """Each opening used to make a new message and buttons (new textures) and add one more
    pos and size binding to the panel (201 after 200 openings)."""
    overlay = kiosk.app.overlay

    def opened() -> tuple[list, int]:
        kiosk.send(Kind.HELP)
        widgets = list(overlay.panel.walk(restrict=True))
        bindings = sum(len(overlay.panel.get_property_observers(name)) for name in ("pos", "size"))
        kiosk.send(Kind.BACK)
        return widgets, bindings

    first_widgets, first_bindings = opened()
    for _ in range(5):
        widgets, bindings = opened()
    assert bindings == first_bindings
    assert len(widgets) == len(first_widgets)
    assert all(now is then for now, then in zip(widgets, first_widgets, strict=True))
