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
- ``ui_fps_while_tracking`` next to ``ui_fps_idle``: the real kiosk UI (``untact-kiosk``'s
  ``run_kiosk`` on examples/cafe.toml, offscreen) with the tracking worker following a
  real hand (cursor and progress ring drawn) and without a camera.

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
from typing import Any

from . import metric, percentile

ROUNDS = 3
UI_ROUNDS = 2
UI_SECONDS = 5.0
REPO = Path(__file__).resolve().parents[2]


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
    from ..camera_clips import HandClip, Key

    photo = hands / "pointing_index_hagrid.jpg"
    keys = [Key(0.0, visible=False), Key(0.3, 0.4, 0.5, 0.35), Key(1.6, 0.4, 0.5, 0.35),
            Key(1.9, 0.75, 0.5, 0.35), Key(2.4, 0.75, 0.5, 0.35), Key(2.7, 0.75, 0.5, 0.55),
            Key(3.3, 0.75, 0.5, 0.55), Key(3.5, visible=False), Key(4.0, visible=False)]
    keys = [Key(k.t * seconds_scale, k.x, k.y, k.scale, k.visible) for k in keys]
    return HandClip(photo, keys, background=hands / "neg_room_toys_0514.jpg")


def _ui_clip(hands: Path):
    """For the UI: the hand rests on the attract screen's start button (cafe.toml layout:
    centre (0.5, 0.54); the photo's fingertip is 0.174 above its centre) for 0.7 s, so the
    progress ring fills to half, without completing and leaving the screen; then moves off
    it, rests, and comes back (3 s, looped)."""
    from ..camera_clips import HandClip, Key

    on, off = (0.52, 0.71), (0.2, 0.4)
    keys = [Key(0.0, visible=False), Key(0.3, *on), Key(1.0, *on), Key(1.3, *off),
            Key(2.4, *off), Key(2.6, visible=False), Key(3.0, visible=False)]
    return HandClip(hands / "pointing_index_hagrid.jpg", keys,
                    background=hands / "neg_room_toys_0514.jpg")


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
    from untact.hardware.camera.mediapipe_loader import load_hands
    from untact.hardware.camera.worker import TrackingPipeline

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
    from untact.hardware.camera.input import CameraInput

    from ..camera_clips import SimulatedCamera

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


def _ui_fps(hands: Path, tracking: bool) -> dict:
    """Run :func:`_ui_fps_here` in a process of its own (a Kivy app leaves global state,
    window and event loop, that must not leak into the other bench modules)."""
    out = subprocess.run([sys.executable, "-m", "untact.simulator.bench.camera", "ui-fps",
                          str(hands), "tracking" if tracking else "idle"],
                         capture_output=True, text=True, timeout=300)
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"ui fps bench failed: {out.stderr.strip()[-300:]}")
    return json.loads(lines[-1])


def _ui_fps_here(hands: Path, tracking: bool, seconds: float = UI_SECONDS) -> None:
    """The real kiosk UI (examples/cafe.toml through ``ui.composition.run_kiosk``, as
    ``untact-kiosk`` runs it, 60 fps cap, offscreen at the simulator's half scale), with
    the camera tracking a looping clip of a real hand (the cursor and its progress ring
    drawn as the hand moves and holds) or without a camera (idle). Prints one JSON line:
    event-loop frames per second, frames actually drawn per second, and the share of
    frames with the cursor / ring showing (proof that the tracker drove the UI)."""
    import tempfile

    from untact.shop.menu import load_kiosk
    from untact.ui.composition import Overrides, run_kiosk

    from ..camera_clips import SimulatedCamera

    kiosk = load_kiosk(REPO / "examples" / "cafe.toml")
    camera = SimulatedCamera(_ui_clip(hands)) if tracking else None
    result: dict = {}

    def configure(app) -> None:
        from kivy.clock import Clock
        from kivy.core.window import Window

        state: dict[str, Any] = {"phase": "warm", "since": time.perf_counter(), "frames": 0, "draws": 0,
                 "cursor": 0, "ring": 0}
        Window.bind(on_flip=lambda *_: state.__setitem__("draws", state["draws"] + 1))

        def ready() -> bool:
            cam = app.camera_preview  # the CameraInput, once the devices have started
            if not tracking:
                return getattr(app, "sm", None) is not None and app.sm.current == "attract"
            return cam is not None and cam.status.state == "tracking" and cam.frames > 30

        def tick(_dt) -> None:
            now = time.perf_counter()
            if state["phase"] == "warm":
                if ready() and now - state["since"] > 2.0:
                    state.update(phase="measure", since=now, frames=0, draws=0, cursor=0,
                                 ring=0)
                elif now - state["since"] > 120:
                    result["error"] = "the camera did not start tracking"
                    app.stop()
                return
            state["frames"] += 1
            state["cursor"] += app.cursor.point is not None
            state["ring"] += app.cursor.progress > 0
            if now - state["since"] >= seconds:
                elapsed = now - state["since"]
                result.update(fps=state["frames"] / elapsed, draws_per_s=state["draws"] / elapsed,
                              cursor_share=state["cursor"] / state["frames"],
                              ring_share=state["ring"] / state["frames"],
                              screen=app.sm.current)
                if tracking:
                    result["tracker_frames"] = app.camera_preview.frames
                app.stop()

        Clock.schedule_interval(tick, 0)

    with tempfile.TemporaryDirectory() as data:
        run_kiosk(kiosk, Path(data), fullscreen=False, scale=0.5, configure_app=configure,
                  overrides=Overrides(camera=camera))
    print(json.dumps(result), flush=True)


def run():
    from untact.hardware.camera.config import CameraConfig

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
    idle, tracking = [], []
    for _ in range(UI_ROUNDS):  # interleaved, so machine noise hits both alike
        idle.append(_ui_fps(hands, tracking=False))
        tracking.append(_ui_fps(hands, tracking=True))
    for name, runs, note in (
            ("ui_fps_idle", idle, "the real kiosk UI (cafe.toml), no camera; 60 fps cap"),
            ("ui_fps_while_tracking", tracking, "the same UI, tracking worker on a 30 fps "
             "simulated camera, cursor and progress ring drawn")):
        bad = [r["error"] for r in runs if "error" in r]
        if bad:
            raise RuntimeError(f"{name}: {bad[0]}")
        extra = {k: round(statistics.median(r[k] for r in runs), 3)
                 for k in ("draws_per_s", "cursor_share", "ring_share") if k in runs[0]}
        yield metric(name, statistics.median(r["fps"] for r in runs), "fps",
                     runs=[round(r["fps"], 1) for r in runs], rounds=UI_ROUNDS,
                     seconds=UI_SECONDS, target=">= 55" if "tracking" in name else None,
                     load_avg_1min=round(os.getloadavg()[0], 2),
                     note=note, **extra)


if __name__ == "__main__":  # the UI fps part, in its own process (see _ui_fps)
    if sys.argv[1:2] == ["ui-fps"]:
        _ui_fps_here(Path(sys.argv[2]), tracking=sys.argv[3] == "tracking")
