"""startup_to_attract_s: launch of the kiosk (``untact-kiosk --window``, what a Raspberry Pi
runs) to the first frame of the attract screen, beside a bare Kivy hello-world measured the
same way in the same run (median of 5 each, interleaved). ``sim_startup_to_attract_s`` is the
same for ``make run`` (the simulator: its control panel and a virtual board besides)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import median, metric

REPO = Path(__file__).resolve().parents[2]
RUNS = 5

BARE_KIVY = r"""
import os, time
os.environ.setdefault("KIVY_NO_ARGS", "1")
from kivy.config import Config
Config.set("graphics", "width", "540"); Config.set("graphics", "height", "960")
from kivy.app import App
from kivy.clock import Clock
from kivy.uix.label import Label

class Hello(App):
    def build(self):
        Clock.schedule_once(self.first_frame, 0)
        return Label(text="hello")
    def first_frame(self, _dt):
        print(f"first-frame {time.time():.6f}", flush=True)
        os._exit(0)

Hello().run()
"""


def _launch(cmd: list[str]) -> float:
    start = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    for line in out.stdout.splitlines():
        if line.startswith("first-frame "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"{Path(cmd[1]).name} printed no first frame: {out.stderr.strip()[-300:]}")


def run():
    with tempfile.TemporaryDirectory() as data:
        cafe = str(REPO / "examples" / "cafe.toml")
        kiosk = [sys.executable, "-m", "untact.ui.cli", cafe, "--window", "--data", data,
                 "--exit-after-first-frame"]
        sim = [sys.executable, "-m", "untact.simulator.cli", cafe, "--data", data,
               "--exit-after-first-frame"]
        hello = Path(data) / "hello_kivy.py"  # Kivy's App needs a real source file
        hello.write_text(BARE_KIVY)
        bare = [sys.executable, str(hello)]
        ours, simulated, ref = [], [], []
        for _ in range(RUNS):  # interleaved, so machine noise hits both alike
            ref.append(_launch(bare))
            ours.append(_launch(kiosk))
            simulated.append(_launch(sim))
    o, r, s = median(ours), median(ref), median(simulated)
    yield metric("startup_to_attract_s", o, "s", runs=RUNS, target="<= 2x bare_kivy_startup_s")
    yield metric("bare_kivy_startup_s", r, "s", runs=RUNS)
    yield metric("startup_ratio_to_bare_kivy", o / r, "x", target="<= 2")
    yield metric("sim_startup_to_attract_s", s, "s", runs=RUNS, ratio_to_bare_kivy=round(s / r, 2))
