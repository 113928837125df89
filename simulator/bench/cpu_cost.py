"""CPU cost of the kiosk's heavy work, per unit, and what a Raspberry Pi 4 and 5 should
reach from it (the speed table in deploy/README.md).

CPU seconds (``time.process_time`` of this process, all its threads; ``getrusage`` of a
child), not wall-clock time: this machine is shared, and CPU time is what other
processes inflate least.

- ``hand_cpu_s_per_frame``: untact's whole per-frame tracking pipeline (MediaPipe Hands,
  one hand followed, lite models, the look for a nearer hand, cursor, gestures) on the
  camera bench's 640x480 frames (a real hand photo over a real room);
- ``voice_cpu_s_per_utterance_{ko,en}``: the voice pipeline's decision (VAD, Vosk or
  pocketsphinx, understanding) on each real recording of $UNTACT_TESTDATA/speech;
- ``voice_model_load_cpu_s_{ko,en}``: loading the recognizer (after the first frame,
  voice input is off until it is loaded);
- ``screen_build_cpu_s``: one screen change of the real kiosk, offscreen at full size,
  until drawn (median over the customer screens, in a process of its own);
- ``startup_cpu_s``: ``untact-kiosk --window`` from launch to its first frame (the child's
  CPU time: Python, Kivy, the menu, the attract screen).

The reference beside them, run here in the same bench: sysbench 1.0.20's single-thread
CPU test (primes to 10000), in events per CPU second, against the same test published for
a Pi 4 and a Pi 5 (``PUBLISHED`` names the pages). Each figure is scaled by that ratio into
an estimate for each Pi, as a range between the two publications. Sysbench's primes are
scalar integer work; MediaPipe and Kaldi run wide SIMD kernels (AVX-512 here, 128-bit NEON
on the Pi), so for them the Pi is probably slower than estimated: read the estimates as
best cases until a real Pi has measured them.
"""

from __future__ import annotations

import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import metric

REPO = Path(__file__).resolve().parents[2]
SYSBENCH = ["sysbench", "cpu", "--threads=1", "--cpu-max-prime=10000", "--time=10", "run"]
# sysbench 1.0.20 `sysbench cpu --threads=1 run` (primes to 10000), events per second on
# one core of an idle Pi, as published:
#   leoncode.co.uk: https://leoncode.co.uk/articles/raspberry-pi-benchmarks
#   zbotic.in: https://zbotic.in/raspberry-pi-5-benchmarks-real-performance-numbers-vs-pi-4/
#     (Pi 4 at 1.8 GHz, Pi 5 at 2.4 GHz, Raspberry Pi OS 64-bit)
# They disagree by up to 1.8x (OS, clock and cooling are not all stated), so every
# estimate is a range over both.
PUBLISHED = {"leoncode.co.uk": {"pi4": 1477.83, "pi5": 2737.49},
             "zbotic.in": {"pi4": 812.0, "pi5": 1847.0}}
PIS = ("pi4", "pi5")
HAND_ROUNDS = 3
SCREENS = ("attract", "language", "categories", "items", "options", "cart", "checkout")


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def sysbench_events_per_cpu_s() -> float:
    if shutil.which("sysbench") is None:
        raise RuntimeError("sysbench not installed (make bench installs it)")
    before = _children_cpu()
    out = subprocess.run(SYSBENCH, capture_output=True, text=True, timeout=120, check=True).stdout
    cpu = _children_cpu() - before
    events = re.search(r"total number of events:\s+(\d+)", out)
    if events is None:
        raise RuntimeError(f"sysbench printed no event count: {out[-200:]}")
    return int(events.group(1)) / cpu


def hand_cpu_per_frame() -> float:
    import cv2
    from untact.hardware.camera.config import CameraConfig
    from untact.hardware.camera.worker import TrackingPipeline

    from .camera import _clip, _testdata

    cv2.setNumThreads(1)
    clip = _clip(_testdata())
    clip.open()
    frames = clip.frames()
    costs = []
    for _ in range(HAND_ROUNDS):
        pipeline = TrackingPipeline(CameraConfig(source="bench"))  # the kiosk's defaults
        t = time.process_time()
        for frame, at in frames:
            pipeline.step(frame, at)
        costs.append((time.process_time() - t) / len(frames))
        pipeline.close()
    return statistics.median(costs)


def voice_cpu_per_utterance(lang: str) -> tuple[float, float, int, float]:
    """(median CPU s per utterance, median CPU s per second of audio, recordings, CPU s
    to load the model)."""
    from untact.hardware.voice.config import VoiceConfig
    from untact.hardware.voice.grammar import phrase_grammar
    from untact.hardware.voice.input import VoicePipeline
    from untact.hardware.voice.recognizers import load_recognizer

    from ..audio_sources import WavFileSource
    from ..bench_voice import read_manifest
    from .camera import _testdata

    folder = _testdata().parent / "speech" / lang
    entries = read_manifest(folder)
    t = time.process_time()
    recognizer = load_recognizer(lang)
    load = time.process_time() - t
    pipeline = VoicePipeline({lang: recognizer}, None, VoiceConfig(), lang=lang,
                             grammar=phrase_grammar([label for _, label in entries], lang))
    per_utterance, per_audio_s = [], []
    for name, _ in entries:
        pcm = WavFileSource(folder / name).samples.tobytes()
        t = time.process_time()
        heard = pipeline.decide(pcm)
        cpu = time.process_time() - t
        per_utterance.append(cpu)
        per_audio_s.append(cpu / max(heard.seconds, 1e-3))
    return statistics.median(per_utterance), statistics.median(per_audio_s), len(entries), load


def screen_build_cpu() -> float:
    """In a process of its own: a Kivy window must not leak into the other benches."""
    out = subprocess.run([sys.executable, "-m", "untact.simulator.bench.cpu_cost", "screens"],
                         capture_output=True, text=True, timeout=600)
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"screen build bench failed: {out.stderr.strip()[-300:]}")
    return float(json.loads(lines[-1])["screen_build_cpu_s"])


def _screens_here() -> None:
    from ..audit_renderer import _visit
    from ..driver import KioskDriver

    costs = []
    with tempfile.TemporaryDirectory(prefix="untact-bench-") as data:
        kiosk = KioskDriver(REPO / "examples" / "cafe.toml", data_dir=data, scale=1.0,
                            speech=False).start()
        try:
            for _ in range(3):
                for name in SCREENS:
                    t = time.process_time()
                    _visit(kiosk, name, "standard")
                    kiosk.pump(2, draw=True)
                    costs.append(time.process_time() - t)
        finally:
            kiosk.stop()
    print(json.dumps({"screen_build_cpu_s": statistics.median(costs), "n": len(costs)}), flush=True)


def startup_cpu() -> float:
    with tempfile.TemporaryDirectory(prefix="untact-bench-") as data:
        cmd = [sys.executable, "-m", "untact.ui.cli", str(REPO / "examples" / "cafe.toml"),
               "--window", "--data", data, "--exit-after-first-frame"]
        costs = []
        for _ in range(3):
            before = _children_cpu()
            subprocess.run(cmd, capture_output=True, timeout=120, check=True)
            costs.append(_children_cpu() - before)
    return statistics.median(costs)


def _estimates(cpu_s: float, here: float) -> dict[str, list[float]]:
    """CPU seconds on each Pi, [best, worst] over the published sysbench figures."""
    return {pi: sorted(round(cpu_s * here / source[pi], 4) for source in PUBLISHED.values())
            for pi in PIS}


def run():
    here = sysbench_events_per_cpu_s()
    yield metric("sysbench_events_per_cpu_s", here, "events/CPU-s", command=" ".join(SYSBENCH),
                 published_events_per_s=PUBLISHED,
                 **{f"{pi}_slower_x": sorted(round(here / source[pi], 2) for source in PUBLISHED.values())
                    for pi in PIS})
    frame = hand_cpu_per_frame()
    est = _estimates(frame, here)
    yield metric("hand_cpu_s_per_frame", frame, "CPU-s", estimated_cpu_s=est,
                 estimated_fps={pi: sorted(round(1 / s, 1) for s in v) for pi, v in est.items()})
    for lang in ("ko", "en"):
        utterance, per_audio_s, n, load = voice_cpu_per_utterance(lang)
        yield metric(f"voice_cpu_s_per_utterance_{lang}", utterance, "CPU-s", recordings=n,
                     cpu_s_per_audio_s=round(per_audio_s, 4),
                     estimated_cpu_s=_estimates(utterance, here))
        yield metric(f"voice_model_load_cpu_s_{lang}", load, "CPU-s",
                     estimated_cpu_s=_estimates(load, here))
    screen = screen_build_cpu()
    yield metric("screen_build_cpu_s", screen, "CPU-s", estimated_cpu_s=_estimates(screen, here))
    start = startup_cpu()
    yield metric("startup_cpu_s", start, "CPU-s", estimated_cpu_s=_estimates(start, here))


if __name__ == "__main__":
    if sys.argv[1:] == ["screens"]:
        from untact.ui import kivy_setup

        kivy_setup.prepare_environment()
        _screens_here()
    else:
        for row in run():
            print(json.dumps(row, ensure_ascii=False), flush=True)
