"""Fixtures for the camera tests: the real hand photos and a runner for clips."""

from __future__ import annotations

from pathlib import Path

import pytest
from untact.hardware.camera_config import CameraConfig
from untact.hardware.camera_worker import TrackingPipeline


@pytest.fixture(scope="session")
def hands_dir(testdata: Path) -> Path:
    path = testdata / "hands"
    if not (path / "MANIFEST.tsv").is_file():
        pytest.skip(f"hand photos not found in {path}")
    return path


@pytest.fixture(scope="session")
def background(hands_dir: Path) -> Path:
    """A real room with no hand (640x480): the scene behind the customer's hand."""
    return hands_dir / "neg_room_toys_0514.jpg"


def run_clip(clip, config: CameraConfig | None = None):
    """Drive every frame of ``clip`` through the real tracker and interactions.

    Returns (intents with their clip time, per-frame results)."""
    pipeline = TrackingPipeline(config or CameraConfig(source="clip"))
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
