"""Settings of the camera hand input, read from ``[devices.camera]`` in the kiosk file.

Every field has a default, so an empty (or absent) table gives a kiosk without a camera
(``source = "none"``). Example::

    [devices.camera]
    source = 0              # "none", a camera index (V4L2, also the Pi camera), or a video file
    mirror = true           # selfie view: the customer's right is the screen's right
    nearer_hand_check_s = 0.5  # only the nearest hand counts: look for a nearer one this often
    dwell_start_s = 0.5     # rest this long before the progress ring starts
    dwell_complete_s = 0.6  # then this long until DWELL

Thresholds are in normalised frame units (0..1 of the width) and seconds, so they hold
for any camera resolution.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from untact.accessibility.config import Table


@dataclass(frozen=True)
class InteractionThresholds:
    """How the hand's motion is read as intents (TouchFree-like defaults)."""

    # Cursor smoothing (One Euro filter): lower min_cutoff = steadier, higher beta = less lag.
    filter_min_cutoff: float = 1.0
    filter_beta: float = 8.0
    # Hover-and-hold: the cursor must stay within dwell_radius of where it came to rest.
    dwell_start_s: float = 0.5
    dwell_complete_s: float = 0.6
    dwell_radius: float = 0.04
    # Air push: from still to still, the hand's apparent size grows by push_scale_ratio
    # within push_window_s while it drifts sideways less than push_max_drift.
    push_scale_ratio: float = 1.3
    push_window_s: float = 0.5
    push_max_drift: float = 0.12
    # Swipe: the palm travels swipe_distance horizontally within swipe_window_s, mostly
    # sideways (vertical travel under swipe_max_slope x horizontal).
    swipe_distance: float = 0.25
    swipe_window_s: float = 0.5
    swipe_max_slope: float = 0.6
    # Open palm held this still (palm radius) for help_hold_s asks for HELP.
    help_hold_s: float = 1.2
    help_radius: float = 0.05
    # After a SELECT, NEXT, PREVIOUS, HELP or DWELL: ignore gestures this long.
    cooldown_s: float = 0.8
    # Hands smaller than this (palm size / frame width) are passers-by, not customers.
    min_hand_size: float = 0.03


@dataclass(frozen=True)
class CameraConfig:
    """Where frames come from, how they are tracked, and the interaction thresholds."""

    source: str | int = "none"  # "none", camera index, or video file path (absolute)
    mirror: bool = True
    width: int = 640
    height: int = 480
    model_complexity: int = 0  # 0 = lite models (Pi-friendly), 1 = full
    # MediaPipe follows the nearest hand and looks for a nearer one (its palm detector on
    # the whole frame) when it finds a hand and every nearer_hand_check_s (0: never).
    # max_hands > 1 is the older, ~2x slower way: look for that many hands in every frame.
    max_hands: int = 1
    nearer_hand_check_s: float = 0.5
    min_detection_confidence: float = 0.5
    min_tracking_confidence: float = 0.5
    motion_fallback: bool = True  # without MediaPipe: motion-only swipes from OpenCV
    preview: bool = False  # keep an annotated frame in memory for the set-up screen
    thresholds: InteractionThresholds = InteractionThresholds()

    @property
    def enabled(self) -> bool:
        return self.source != "none"


_NUMBER_RANGES: dict[str, tuple[float, float]] = {
    "filter_min_cutoff": (0.01, 100.0),
    "filter_beta": (0.0, 1000.0),
    "dwell_start_s": (0.0, 10.0),
    "dwell_complete_s": (0.05, 10.0),
    "dwell_radius": (0.001, 0.5),
    "push_scale_ratio": (1.05, 4.0),
    "push_window_s": (0.1, 3.0),
    "push_max_drift": (0.0, 1.0),
    "swipe_distance": (0.05, 1.0),
    "swipe_window_s": (0.1, 3.0),
    "swipe_max_slope": (0.0, 2.0),
    "help_hold_s": (0.2, 10.0),
    "help_radius": (0.001, 0.5),
    "cooldown_s": (0.0, 10.0),
    "min_hand_size": (0.0, 1.0),
}

_THRESHOLD_KEYS = [f.name for f in fields(InteractionThresholds)]


def from_table(table: Table) -> CameraConfig:
    """Parse ``[devices.camera]``; errors name the file, line and field."""
    table.unknown_keys([
        "source", "mirror", "width", "height", "model_complexity", "max_hands",
        "nearer_hand_check_s", "min_detection_confidence", "min_tracking_confidence", "motion_fallback",
        "preview", *_THRESHOLD_KEYS,
    ])
    d = CameraConfig()
    source = table.get("source", (str, int), d.source)
    if isinstance(source, int):
        if not 0 <= source <= 63:
            raise table.error("source", f"a camera index must be 0..63, not {source}")
    else:
        source = source.strip()
        if not source:
            raise table.error("source", 'must be "none", a camera index, or a video file path')
        if source != "none" and not source.startswith("/dev/"):
            path = Path(source)
            if not path.is_absolute():
                path = Path(table.source.path).resolve().parent / path
            source = str(path)
    kwargs: dict = {}
    for key in _THRESHOLD_KEYS:
        lo, hi = _NUMBER_RANGES[key]
        kwargs[key] = table.get(key, float, getattr(d.thresholds, key), min=lo, max=hi)
    return CameraConfig(
        source=source,
        mirror=table.get("mirror", bool, d.mirror),
        width=table.get("width", int, d.width, min=160, max=3840),
        height=table.get("height", int, d.height, min=120, max=2160),
        model_complexity=table.get("model_complexity", int, d.model_complexity, choices=[0, 1]),
        max_hands=table.get("max_hands", int, d.max_hands, min=1, max=4),
        nearer_hand_check_s=table.get("nearer_hand_check_s", float, d.nearer_hand_check_s,
                                      min=0.0, max=10.0),
        min_detection_confidence=table.get("min_detection_confidence", float,
                                           d.min_detection_confidence, min=0.05, max=1.0),
        min_tracking_confidence=table.get("min_tracking_confidence", float,
                                          d.min_tracking_confidence, min=0.05, max=1.0),
        motion_fallback=table.get("motion_fallback", bool, d.motion_fallback),
        preview=table.get("preview", bool, d.preview),
        thresholds=InteractionThresholds(**kwargs),
    )
