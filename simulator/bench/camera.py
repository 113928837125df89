"""Camera hand input speed: untact's pipeline against MediaPipe Hands alone, same frames.

- ``hand_tracking_fps``: untact's whole per-frame pipeline (BGR->RGB, MediaPipe Hands
  following one hand, the look for a nearer hand every ``nearer_hand_check_s``, One Euro
  cursor, gestures) on one core, 640x480;
- ``mediapipe_raw_fps``: MediaPipe Hands alone (``Hands.process`` on ready RGB frames,
  the same settings: ``max_num_hands=1``, lite models) on the same frames, same core,
  interleaved frame by frame with untact's;
- ``hand_tracking_vs_raw``: their ratio (target >= 0.9); each also by CPU time, which a
  busy shared machine disturbs less than wall-clock time;
- the same three with ``max_hands = 2`` (the older way to find the nearest hand:
  MediaPipe looks for two hands, so runs palm detection on every one-hand frame);
- ``frame_to_intent_p50_ms`` / ``_p95_ms``: from a frame being read in the worker
  process to its intents being on the kiosk's input bus, with a camera-rate (30 fps)
  simulated camera;
- ``ui_fps_while_tracking`` next to ``ui_fps_idle``: a minimal real Kivy app animating
  (offscreen) with and without the tracking worker running.

Frames are built in memory from the real hand photos (a hand held, swiped and pushed
over a real room): nothing is read from a camera or written anywhere.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from untact.simulator.bench import metric, percentile

ROUNDS = 3


def _testdata() -> Path:
    env = os.environ.get("UNTACT_TESTDATA")
    repo = Path(__file__).resolve().parents[2]
    path = Path(env) if env else repo.parent / "shared" / "testdata"
    if not (path / "hands").is_dir():
        # a worktree sits one level deeper than the main checkout
        path = repo.parents[1] / "shared" / "testdata"
    if not (path / "hands").is_dir():
        raise RuntimeError("hand photos not found: set UNTACT_TESTDATA")
    return path / "hands"


def _clip(hands: Path, seconds_scale: float = 1.0):
    from untact.simulator.camera_clips import HandClip, Key

    photo = hands / "pointing_index_hagrid.jpg"
    keys = [Key(0.0, visible=False), Key(0.3, 0.4, 0.5, 0.35), Key(1.6, 0.4, 0.5, 0.35),
            Key(1.9, 0.75, 0.5, 0.35), Key(2.4, 0.75, 0.5, 0.35), Key(2.7, 0.75, 0.5, 0.55),
            Key(3.3, 0.75, 0.5, 0.55), Key(3.5, visible=False), Key(4.0, visible=False)]
    keys = [Key(k.t * seconds_scale, k.x, k.y, k.scale, k.visible) for k in keys]
    return HandClip(photo, keys, background=hands / "neg_room_toys_0514.jpg")


def _one_core() -> set[int] | None:
    if not hasattr(os, "sched_getaffinity"):
        return None
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(before)})
    return before


def _tracking_fps(frames, config) -> dict[str, list[float]]:
    """Both pipelines on the same frames, interleaved frame by frame (raw MediaPipe, then
    untact's on the same picture), so the machine's changing load hits both alike.
    Per round: fps by wall-clock time, and by CPU time of this process (all threads),
    which other processes on a busy machine do not inflate."""
    import cv2
    from untact.hardware.camera_worker import TrackingPipeline
    from untact.hardware.mediapipe_loader import load_hands

    cv2.setNumThreads(1)
    hands_mod = load_hands()
    rgb_frames = [cv2.cvtColor(f, cv2.COLOR_BGR2RGB) for f, _ in frames]
    out: dict[str, list[float]] = {"untact": [], "raw": [], "untact_cpu": [], "raw_cpu": []}
    for _ in range(ROUNDS):
        hands = hands_mod.Hands(static_image_mode=False, max_num_hands=config.max_hands,
                                model_complexity=config.model_complexity,
                                min_detection_confidence=config.min_detection_confidence,
                                min_tracking_confidence=config.min_tracking_confidence)
        pipeline = TrackingPipeline(config)
        wall = {"raw": 0.0, "untact": 0.0}
        cpu = {"raw": 0.0, "untact": 0.0}
        for rgb, (frame, t) in zip(rgb_frames, frames, strict=True):
            w0, c0 = time.perf_counter(), time.process_time()
            hands.process(rgb)
            w1, c1 = time.perf_counter(), time.process_time()
            pipeline.step(frame, t)
            w2, c2 = time.perf_counter(), time.process_time()
            wall["raw"] += w1 - w0
            wall["untact"] += w2 - w1
            cpu["raw"] += c1 - c0
            cpu["untact"] += c2 - c1
        hands.close()
        pipeline.close()
        for name in ("raw", "untact"):
            out[name].append(len(frames) / wall[name])
            out[f"{name}_cpu"].append(len(frames) / max(cpu[name], 1e-9))
    return out


def _latency(hands: Path, config) -> list[float]:
    from untact.accessibility.bus import InputBus
    from untact.hardware.camera_input import CameraInput
    from untact.simulator.camera_clips import SimulatedCamera

    clip = _clip(hands)
    source = SimulatedCamera(clip)  # camera rate: the worker waits for each frame
    clip.loop = False  # one pass, then the worker ends
    camera = CameraInput(config, InputBus(maxlen=10_000), source=source)
    camera.start()
    try:
        camera.wait_until_finished(120)
    finally:
        camera.stop()
    return list(camera.latencies_ms)


def _ui_fps(hands: Path) -> tuple[float, float]:
    """Run :func:`_ui_fps_here` in a process of its own: a Kivy app leaves global state
    (window, event loop) that must not leak into the other bench modules."""
    out = subprocess.run([sys.executable, "-m", "untact.simulator.bench.camera", "ui-fps",
                          str(hands)], capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        raise RuntimeError(f"ui fps bench failed: {out.stderr.strip()[-300:]}")
    idle, tracking = json.loads(out.stdout.strip().splitlines()[-1])
    return idle, tracking


def _ui_fps_here(hands: Path, config, seconds: float = 4.0) -> tuple[float, float]:
    """Frames a minimal Kivy app draws per second, idle and while the tracker runs."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    from kivy.app import App
    from kivy.clock import Clock
    from kivy.graphics import Color, Ellipse
    from kivy.uix.widget import Widget
    from untact.accessibility.bus import InputBus
    from untact.hardware.camera_input import CameraInput
    from untact.simulator.camera_clips import SimulatedCamera

    result: dict[str, float] = {}

    class Spinner(Widget):
        def __init__(self, **kw):
            super().__init__(**kw)
            with self.canvas:
                Color(0.2, 0.6, 1)
                self.dot = Ellipse(size=(60, 60))
            self.frames = 0
            self.t = 0.0

        def tick(self, dt):
            self.t += dt
            self.dot.pos = (200 + 150 * ((self.t * 2) % 2 - 1), 200)
            self.frames += 1

    class Bench(App):
        def build(self):
            self.w = Spinner()
            self.camera = None
            self.phase = "idle"
            Clock.schedule_interval(self.w.tick, 0)
            Clock.schedule_once(self.start_phase, 1.0)
            return self.w

        def start_phase(self, _dt):
            self.w.frames, self.t0 = 0, time.perf_counter()
            Clock.schedule_once(self.end_phase, seconds)

        def end_phase(self, _dt):
            result[self.phase] = self.w.frames / (time.perf_counter() - self.t0)
            if self.phase == "idle":
                self.phase = "tracking"
                clip = _clip(hands)
                self.camera = CameraInput(config, InputBus(), source=SimulatedCamera(clip))
                self.camera.start()
                self.camera.wait_for_state({"tracking"}, 60)
                Clock.schedule_once(self.start_phase, 0.5)
            else:
                self.camera.stop()
                self.stop()

    Bench().run()
    return result.get("idle", 0.0), result.get("tracking", 0.0)


def run():
    from untact.hardware.camera_config import CameraConfig

    hands = _testdata()
    config = CameraConfig(source="bench")  # kiosk defaults: one hand followed, lite models
    frames = _clip(hands).frames()
    for label, cfg in (("", config), ("_max_hands_2", replace(config, max_hands=2))):
        before = _one_core()
        try:
            runs = _tracking_fps(frames, cfg)
        finally:
            if before is not None:
                os.sched_setaffinity(0, before)
        common = {"frames": len(frames), "size": "640x480", "rounds": ROUNDS, "cores": 1,
                  "max_hands": cfg.max_hands, "model_complexity": cfg.model_complexity,
                  "nearer_hand_check_s": cfg.nearer_hand_check_s if cfg.max_hands == 1 else None,
                  "load_avg_1min": round(os.getloadavg()[0], 2)}  # a busy host slows wall fps
        for name, key in (("hand_tracking_fps", "untact"), ("mediapipe_raw_fps", "raw")):
            yield metric(name + label, statistics.median(runs[key]), "fps",
                         runs=[round(x, 1) for x in runs[key]],
                         cpu_time_fps=round(statistics.median(runs[key + "_cpu"]), 1),
                         **common)
        ratios = [a / b for a, b in zip(runs["untact"], runs["raw"], strict=True)]
        cpu_ratios = [a / b for a, b in zip(runs["untact_cpu"], runs["raw_cpu"], strict=True)]
        yield metric("hand_tracking_vs_raw" + label, statistics.median(ratios), "ratio",
                     target=">= 0.9", runs=[round(x, 3) for x in ratios],
                     cpu_time_ratio=round(statistics.median(cpu_ratios), 3))
    latencies = _latency(hands, config)
    if latencies:
        yield metric("frame_to_intent_p50_ms", percentile(latencies, 50), "ms",
                     samples=len(latencies), camera_fps=30)
        yield metric("frame_to_intent_p95_ms", percentile(latencies, 95), "ms",
                     samples=len(latencies), camera_fps=30)
    idle, tracking = _ui_fps(hands)
    yield metric("ui_fps_idle", idle, "fps", note="minimal Kivy app, offscreen")
    yield metric("ui_fps_while_tracking", tracking, "fps",
                 note="same app, tracking worker on a 30 fps simulated camera")


if __name__ == "__main__":  # the UI fps part, in its own process (see _ui_fps)
    if sys.argv[1:2] == ["ui-fps"]:
        from untact.hardware.camera_config import CameraConfig

        print(json.dumps(_ui_fps_here(Path(sys.argv[2]), CameraConfig(source="bench"))))
