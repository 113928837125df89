"""Helpers for the camera tests: drive a clip through the real pipeline."""

from __future__ import annotations

from untact.hardware.camera_config import CameraConfig
from untact.hardware.camera_worker import TrackingPipeline


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
