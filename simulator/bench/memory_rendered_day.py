"""kiosk_rss_growth_rendered_day_pct: a whole day of the kiosk with every frame drawn
(offscreen, Mesa llvmpipe here): 500 customers, each asking for help and choosing a
profile on the settings screen, one in two kept until the time-out warning
(simulator/scenarios/rendered_day_cafe.toml, repeated); resident memory of the last
simulated hour against the first. Target < 5 %.

Beside it, measured in the same run: the kiosk's RSS per HELP opened and closed, drawn and
undrawn, and a bare Kivy window's RSS per drawn frame with and without ``glFinish`` before
the swap (what the renderer itself keeps: ui/frame_sync.py).
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from . import metric

DAY = Path(__file__).resolve().parents[1] / "scenarios" / "rendered_day_cafe.toml"
CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"
CUSTOMERS = 500
CUSTOMERS_PER_REPEAT = 2
HELP_CYCLES = 60
BARE_FRAMES = 1000

BARE_KIVY = r"""
import os, sys
os.environ["KIVY_NO_ARGS"] = "1"
from kivy.config import Config
Config.set("graphics", "width", "540"); Config.set("graphics", "height", "960")
Config.set("graphics", "maxfps", "0")
from kivy.base import EventLoop
from kivy.core.window import Window
from kivy.graphics import Color, Rectangle
from kivy.graphics.opengl import glFinish
from kivy.uix.widget import Widget

EventLoop.ensure_window()
if sys.argv[2] == "finish":
    Window.fbind("on_flip", lambda *_: glFinish())

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

w = Widget()
Window.add_widget(w)
with w.canvas:
    colour = Color(1, 0, 0, 1)
    Rectangle(pos=(0, 0), size=(10, 10))
for _ in range(5):
    EventLoop.idle()
frames = int(sys.argv[1])
before = rss()
for i in range(frames):
    colour.rgba = (i % 2, 0, 0, 1)  # a change, so that the frame is drawn and swapped
    EventLoop.idle()
print((rss() - before) / frames)
"""


def _bare_kivy_per_frame(finish: bool) -> float:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["KIVY_NO_CONSOLELOG"] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bare_kivy_frames.py"
        script.write_text(BARE_KIVY)
        out = subprocess.run([sys.executable, str(script), str(BARE_FRAMES),
                              "finish" if finish else "swap"],
                             capture_output=True, text=True, timeout=600, env=env)
    if out.returncode != 0:
        raise RuntimeError(f"bare Kivy loop failed: {out.stderr.strip()[-300:]}")
    return float(out.stdout.split()[-1])


def _help_cycles_kb(draw: bool) -> float:
    """RSS per HELP opened and closed, after as many cycles to settle."""
    import gc

    from untact.accessibility.intents import Kind

    from ..driver import KioskDriver
    from ..runner import rss_bytes

    with tempfile.TemporaryDirectory() as data:
        kiosk = KioskDriver(CAFE, data_dir=data, sim_time=True, speech=False, render=draw).start()
        try:
            def cycles() -> int:
                gc.collect()
                before = rss_bytes() or 0
                for _ in range(HELP_CYCLES):
                    kiosk.send(Kind.HELP)
                    kiosk.send(Kind.BACK)
                gc.collect()
                return (rss_bytes() or 0) - before

            cycles()
            return cycles() / HELP_CYCLES / 1e3
        finally:
            kiosk.stop()


def run():
    os.environ.pop("DISPLAY", None)
    from ..runner import Runner
    from ..scenario import load_scenario

    yield metric("kiosk_rss_per_help_cycle_kb", _help_cycles_kb(draw=True), "KB",
                 cycles=HELP_CYCLES, drawn=True)
    yield metric("kiosk_rss_per_help_cycle_undrawn_kb", _help_cycles_kb(draw=False), "KB",
                 cycles=HELP_CYCLES, note="reference: the same cycles, frames not rasterised")
    yield metric("bare_kivy_rss_per_drawn_frame_kb", _bare_kivy_per_frame(False) / 1e3, "KB",
                 frames=BARE_FRAMES, note="reference: what the renderer keeps per swapped frame")
    yield metric("bare_kivy_rss_per_finished_frame_kb", _bare_kivy_per_frame(True) / 1e3, "KB",
                 frames=BARE_FRAMES, note="reference: the same with glFinish before each swap")
    day = dataclasses.replace(load_scenario(DAY), repeat=CUSTOMERS // CUSTOMERS_PER_REPEAT,
                              max_memory_growth=None)
    result = Runner(day).run()
    assert len(result.orders) == CUSTOMERS, "every customer's order must be in the database"
    assert result.memory_growth is not None
    yield metric("kiosk_rss_growth_rendered_day_pct", result.memory_growth * 100, "%",
                 customers=CUSTOMERS, simulated_h=round(result.simulated_s / 3600, 1),
                 target="< 5", against="the first simulated hour")
