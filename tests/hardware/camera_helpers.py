"""Helpers for the camera tests: drive a clip through the real pipeline."""

from __future__ import annotations

import threading
from multiprocessing import Pipe

from untact.hardware.camera import worker as camera_worker
from untact.hardware.camera.config import CameraConfig
from untact.hardware.camera.worker import TrackingPipeline


def run_clip(clip, config: CameraConfig | None = None):
    """Drive every frame of ``clip`` through the real tracker and interactions.

    One hand per clip, so MediaPipe looks for one (it then skips palm detection while it
    tracks, ~2x faster); the nearest-of-two choice is tested on its own.
    Returns (intents with their clip time, per-frame results)."""
    pipeline = TrackingPipeline(config or CameraConfig(source="clip", max_hands=1))
    intents, steps = [], []
    try:
        for frame, t in clip.frames():
            step = pipeline.step(frame, t)
            steps.append((t, step))
            intents.extend((t, i) for i in step.intents)
    finally:
        pipeline.close()
        clip.close()
    return intents, steps


def gestures(intents) -> list[str]:
    """Everything but the cursor, as names: what the screen would act on."""
    return [str(i) if i.kind.name == "DWELL" else i.kind.name
            for _, i in intents if i.kind.name != "POINT"]


def run_worker_inline(source, config: CameraConfig) -> list[tuple]:
    """The worker loop in a thread of this process (so a test can stand in for parts of
    the machine); returns every message it sent, in order, once it has ended."""
    events_recv, events_send = Pipe(duplex=False)
    commands_recv, _commands_send = Pipe(duplex=False)
    worker = threading.Thread(target=camera_worker.run_worker,
                              args=(source, config, events_send, commands_recv))
    worker.start()
    messages = []
    while True:
        try:
            messages.append(events_recv.recv())
        except EOFError:
            break
    worker.join(30)
    return messages
