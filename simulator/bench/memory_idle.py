"""kiosk_rss_idle_mb: the whole kiosk's resident memory once its devices have started,
with voice configured but no microphone to hear (issue #18: it held a 400 MB model for
nothing), beside the same kiosk with voice turned off, measured the same way in the
same run. Each is ``untact-kiosk --window`` (what a Raspberry Pi runs) in a process of
its own, sampled from /proc until its memory has settled (or 40 s)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import metric

REPO = Path(__file__).resolve().parents[2]
SETTLED_S = 4.0  # no growth over this long: the devices have started (or given up)


def _rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def settled_rss(config: Path, data: str, limit_s: float = 40.0) -> float:
    """The kiosk's RSS once it has stopped growing for SETTLED_S seconds."""
    proc = subprocess.Popen([sys.executable, "-m", "untact.ui.cli", str(config), "--window",
                             "--data", data], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        start = last_growth = time.monotonic()
        peak = 0.0
        while time.monotonic() - start < limit_s:
            time.sleep(0.25)
            rss = _rss_mb(proc.pid)
            if rss is None or proc.poll() is not None:
                raise RuntimeError(f"the kiosk exited early (status {proc.returncode})")
            if rss > peak + 1.0:
                peak, last_growth = rss, time.monotonic()
            elif time.monotonic() - last_growth >= SETTLED_S and time.monotonic() - start > 8:
                break
        return peak
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def run():
    with tempfile.TemporaryDirectory() as tmp:
        cafe = REPO / "examples" / "cafe.toml"
        voiced = Path(tmp) / "voiced.toml"   # the sample cafe: voice on by default
        shutil.copy(cafe, voiced)
        silent = Path(tmp) / "silent.toml"
        silent.write_text(cafe.read_text(encoding="utf-8")
                          + "\n[devices.voice]\nenabled = false\n", encoding="utf-8")
        data = str(Path(tmp) / "data")
        without = settled_rss(silent, data)
        idle = settled_rss(voiced, data)
    yield metric("kiosk_rss_idle_mb", idle, "MB", target="about the reference",
                 reference_kiosk_without_voice_mb=round(without, 1),
                 note="voice configured; this machine has no microphone for it")
