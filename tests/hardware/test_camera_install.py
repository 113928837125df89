"""The install is lean and correct: one cv2, no jax, MediaPipe with its hand models."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata

import pytest
from untact.hardware.camera.mediapipe_loader import EXPECTED_VERSION


def _top_level_providers(package: str) -> list[str]:
    providers = []
    for dist in metadata.distributions():
        files = dist.files or []
        if any(f.parts and f.parts[0] == package for f in files):
            providers.append(dist.metadata["Name"])
    return sorted(providers)


def test_exactly_one_distribution_provides_cv2():
    assert _top_level_providers("cv2") == ["opencv-python-headless"]


def test_no_jax_nor_second_opencv_installed():
    names = {(d.metadata["Name"] or "").lower() for d in metadata.distributions()}
    unwanted = {"jax", "jaxlib", "opencv-contrib-python", "opencv-python",
                "opencv-contrib-python-headless"}
    assert names & unwanted == set()


def test_mediapipe_is_the_pinned_release_with_hand_models():
    assert metadata.version("mediapipe") == EXPECTED_VERSION
    files = {str(f) for f in metadata.distribution("mediapipe").files}
    for model in ("mediapipe/modules/hand_landmark/hand_landmark_lite.tflite",
                  "mediapipe/modules/palm_detection/palm_detection_lite.tflite"):
        assert model in files


@pytest.mark.models
def test_hands_load_without_matplotlib_or_tasks():
    """The loader imports Hands alone: a fresh interpreter shows what it pulled in."""
    code = ("import sys; from untact.hardware.camera.mediapipe_loader import load_hands; "
            "h = load_hands(); h.Hands(static_image_mode=True).close(); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'matplotlib', 'jax', 'attr', 'absl', 'flatbuffers', 'sounddevice'})); "
            "print('mediapipe.tasks' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout.split("\n")
    assert out[0] == "[]"
    assert out[1] == "False"


def test_kiosk_process_imports_neither_opencv_nor_mediapipe():
    """The kiosk (UI) process only imports the camera input; OpenCV and MediaPipe load in
    the worker. So the kiosk starts even where they are missing or broken."""
    code = ("import sys; from untact.hardware.camera.input import CameraInput; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'cv2', 'mediapipe'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True).stdout.strip()
    assert out == "[]"
