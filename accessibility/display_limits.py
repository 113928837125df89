"""What a screen's geometry alone rules out: the criteria it cannot meet, said before the
kiosk runs (``untact-kiosk --check-config``; the audit measures the screens drawn).

Two levels, because paging and an empty strip are remedies but a missing screen is not:

- **error**: the rule cannot be met for any customer, whatever the layout does (no part
  of the screen lies in the reachable band; the standard profile cannot hold a title, two
  controls and the remaining time at the minimum text and target sizes). The kiosk file
  is refused (exit 2): its screens could not be laid out at all.
- **warning**: the rule is met only by giving something up: the part of the screen
  above 1,200 mm (or below 400 mm) stays empty, or one profile (low vision x2, elderly
  x1.5) cannot fit even one control per page, so its customers are not served on this
  screen. The kiosk runs; what merely has to page is not reported.
"""

from __future__ import annotations

from dataclasses import dataclass

from .display import Display
from .profiles import (
    MIN_SPACING_MM,
    MIN_TARGET_MM,
    PROFILES,
    REACH_MAX_MM,
    REACH_MIN_MM,
    min_font_px,
    min_hangul_height_mm,
)

VISUAL_MAX_MM = 1220.0  # 검증기준 9-2 (audit/rules.toml [visual_height])


@dataclass(frozen=True)
class Limit:
    rules: str  # the audit's rule names (rules.toml), e.g. "text_size, target_size, layout"
    item: str  # the criteria's item(s), e.g. "검증기준 3-9, 1-3"
    field: str  # the [display] field to blame
    text: str  # what cannot be met, with its figures
    error: bool

    @property
    def message(self) -> str:
        return f"rule {self.rules} ({self.item}): {self.text}"

    def __str__(self) -> str:
        return f"{'error' if self.error else 'warning'}: {self.message}"


def content_need_mm(display: Display, text_scale: float, target_scale: float) -> float:
    """Height (mm) of the least a screen must show: a title line, two controls of one text
    line each (one choice and the navigation) and the remaining time, with their gaps."""
    line = min_font_px(display) / display.px_per_mm[1] * text_scale * 1.2
    control = max(line + 4, MIN_TARGET_MM * target_scale)
    return line * 1.3 + 2 * control + line * 1.5 + 4 * MIN_SPACING_MM


def display_limits(display: Display) -> list[Limit]:
    """Every criterion this screen's size and height rule out: one error alone where no
    customer can be served, else a warning for each rule met only by giving up something."""
    bottom = display.bottom_edge_mm
    top = bottom + display.size_mm[1]
    low, high = max(bottom, REACH_MIN_MM), min(top, REACH_MAX_MM)
    if high <= low:
        return [Limit("reach", "검증기준 9-1", "bottom_edge_mm",
                      f"no part of the screen ({bottom:.0f}-{top:.0f} mm above the floor) is "
                      f"between {REACH_MIN_MM:.0f} and {REACH_MAX_MM:.0f} mm: no control can "
                      "be placed within reach", True)]
    out = []
    for p in PROFILES.values():  # standard first; the others are no smaller
        need = content_need_mm(display, p.text_scale, p.target_scale)
        band = min(top, p.reach_max_mm) - low
        if need > band:
            out.append(Limit(
                "text_size, target_size, layout", "검증기준 3-9, 1-3", "size_mm",
                f"the {p.name} profile cannot fit this screen: a title, two controls and the "
                f"remaining time (Hangul {min_hangul_height_mm(display) * p.text_scale:.1f} mm, "
                f"controls {MIN_TARGET_MM * p.target_scale:.0f} mm) need {need:.0f} mm, the "
                f"reachable screen is {band:.0f} mm high", p.name == "standard"))
            if p.name == "standard":
                return out
    if top > VISUAL_MAX_MM:
        out.append(Limit("visual_height", "검증기준 9-2", "bottom_edge_mm",
                         f"the screen's top is {top:.0f} mm above the floor: nothing is shown "
                         f"above {REACH_MAX_MM:.0f} mm, so its top {top - REACH_MAX_MM:.0f} mm "
                         "stay empty", False))
    if bottom < REACH_MIN_MM:
        out.append(Limit("reach", "검증기준 9-1", "bottom_edge_mm",
                         f"the screen's lower edge is {bottom:.0f} mm above the floor: nothing "
                         f"is placed below {REACH_MIN_MM:.0f} mm, so its lowest "
                         f"{REACH_MIN_MM - bottom:.0f} mm stay empty", False))
    return out
