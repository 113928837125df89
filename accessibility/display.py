"""The kiosk screen in millimetres: what turns pixels into physical sizes and heights.

Text size (검증기준 3-9: Hangul 12 mm, 7.25 mm on screens of 280 mm diagonal or less),
target size and height above the floor (검증기준 9-1 / 9-2) are physical requirements;
the kiosk file's ``[display]`` table says how big the screen is and where it hangs, and
these pure functions do the arithmetic.

Coordinates here are **top-left origin, y down**, in pixels of ``resolution`` (the same
as a screenshot PNG). Kivy's window is y-up: convert with :func:`kivy_to_top_left`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .config import Table

SMALL_MAX_DIAGONAL_MM = 280.0  # audit/rules.toml [size_classes]


@dataclass(frozen=True)
class Display:
    resolution: tuple[int, int] = (1080, 1920)  # width, height in pixels
    size_mm: tuple[float, float] = (268.0, 477.0)  # visible width, height
    bottom_edge_mm: float = 750.0  # lower edge of the visible area above the floor
    viewing_distance_mm: float = 500.0

    @classmethod
    def from_table(cls, table: Table) -> Display:
        """Parse ``[display]``; every field has a default, unknown fields are refused."""
        table.unknown_keys({"resolution", "size_mm", "bottom_edge_mm", "viewing_distance_mm"})
        res = table.get("resolution", list, list(cls.resolution))
        size = table.get("size_mm", list, list(cls.size_mm))
        for key, val, kinds in (("resolution", res, (int,)), ("size_mm", size, (int, float))):
            if len(val) != 2 or not all(isinstance(v, kinds) and not isinstance(v, bool)
                                        and v > 0 for v in val):
                raise table.error(key, "must be two positive numbers [width, height]")
        return cls(
            resolution=(int(res[0]), int(res[1])),
            size_mm=(float(size[0]), float(size[1])),
            bottom_edge_mm=table.get("bottom_edge_mm", float, cls.bottom_edge_mm, min=0,
                                     max=3000),
            viewing_distance_mm=table.get("viewing_distance_mm", float,
                                          cls.viewing_distance_mm, min=100, max=5000),
        )

    @property
    def px_per_mm(self) -> tuple[float, float]:
        return (self.resolution[0] / self.size_mm[0], self.resolution[1] / self.size_mm[1])

    def mm_to_px(self, mm: float, axis: int = 1) -> float:
        return mm * self.px_per_mm[axis]

    def px_to_mm(self, px: float, axis: int = 1) -> float:
        return px / self.px_per_mm[axis]

    def row_height_mm(self, y_px: float) -> float:
        """Height above the floor of pixel row ``y_px`` (top-left origin)."""
        return self.bottom_edge_mm + self.px_to_mm(self.resolution[1] - y_px, 1)

    def row_at_height(self, height_mm: float) -> float:
        """The pixel row (top-left origin, may be outside the screen) at ``height_mm``."""
        return self.resolution[1] - self.mm_to_px(height_mm - self.bottom_edge_mm, 1)

    def reachable_band(self, max_height_mm: float = 1200.0,
                       min_height_mm: float = 400.0) -> tuple[int, int]:
        """Rows ``(top, bottom)`` (top-left origin, bottom exclusive) between the two
        heights above the floor, clipped to the screen; ``(0, 0)`` if none is."""
        top = max(0, math.ceil(self.row_at_height(max_height_mm)))
        bottom = min(self.resolution[1], math.floor(self.row_at_height(min_height_mm)))
        return (top, bottom) if bottom > top else (0, 0)

    @property
    def diagonal_mm(self) -> float:
        return math.hypot(*self.size_mm)

    def size_class(self, small_max_diagonal_mm: float = SMALL_MAX_DIAGONAL_MM) -> str:
        """``"small"`` for a screen of at most 280 mm (11 in) diagonal, which the 2025
        revision draft of the criteria gives a lower text floor; else ``"standard"``."""
        return "small" if self.diagonal_mm <= small_max_diagonal_mm + 1e-9 else "standard"

    def angle_deg(self, size_mm: float) -> float:
        """Visual angle subtended by ``size_mm`` at the viewing distance."""
        return math.degrees(2 * math.atan(size_mm / (2 * self.viewing_distance_mm)))

    def size_for_angle_mm(self, angle_deg: float) -> float:
        return 2 * self.viewing_distance_mm * math.tan(math.radians(angle_deg) / 2)


# The screens untact's layouts are made for, each with the geometry of a real panel: the
# audit renders every screen at each (``untact-audit --displays all``).
SUPPORTED_DISPLAYS: dict[str, Display] = {
    # 21.5 in 16:9 panel, 476.6 x 268.1 mm active area, portrait and landscape
    "portrait-21.5in": Display((1080, 1920), (268.0, 477.0), 750.0),
    "landscape-21.5in": Display((1920, 1080), (477.0, 268.0), 750.0),
    # 10.1 in 16:10 tablet panel, 216.96 x 135.6 mm
    "tablet-10.1in": Display((1280, 800), (217.0, 135.6), 850.0),
    # Raspberry Pi Touch Display 2 (7 in, 720 x 1280 portrait, 88 x 155 mm active)
    "pi-touch2-7in": Display((720, 1280), (88.0, 155.0), 850.0),
    # Raspberry Pi Touch Display (7 in, 800 x 480, 154.08 x 85.92 mm active)
    "pi-touch-7in": Display((800, 480), (154.1, 85.9), 900.0),
}


def kivy_to_top_left(x: float, y: float, w: float, h: float,
                     window_height: float) -> tuple[float, float, float, float]:
    """Kivy's y-up box -> top-left origin box (what screenshots and the audit use)."""
    return (x, window_height - (y + h), w, h)
