"""Accessibility profiles: data plus pure functions that turn a profile into a style.

A screen never branches on the profile. The UI asks :func:`style_for` once per profile
change and binds every widget to the resulting :class:`Style` (font sizes, colours, focus
ring, target size, items per page, reachable band, speech and timing defaults), so every
screen obeys every profile with no per-screen code. Physical minimums come from the
``[display]`` geometry: text and targets are sized in millimetres, not pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from .config import Table
from .contrast import contrast_ratio
from .display import Display
from .session_timer import TimerConfig

# Physical floors (the audit's rules.toml carries the same numbers with their clauses).
# 검증기준 3-9: Hangul, 받침 included, 12 mm at 500 mm; 7.25 mm on a screen of 280 mm
# diagonal or less (2025 revision draft).
MIN_HANGUL_HEIGHT_MM = {"standard": 12.0, "small": 7.25}
HANGUL_REFERENCE_DISTANCE_MM = 500.0
MIN_TARGET_MM = 15.0  # stricter than the criteria's 12 mm and 150 mm2
MIN_SPACING_MM = 2.5
REACH_MAX_MM = 1200.0  # highest actionable point, in every profile
REACH_MIN_MM = 400.0
# Ink height / font size in NanumGothic as the audit renderer measures it: 0.92 to 0.93
# for the syllable 갈, 0.74 for a capital H; taken a little lower, since glyph ink
# rounds to whole pixels (measure again for another font).
HANGUL_HEIGHT_RATIO = 0.90
CAP_HEIGHT_RATIO = 0.72
MIN_CAP_ANGLE_DEG = 0.7  # EN 301 549 5.1.4: a Latin capital H at the viewing distance
# The smallest font the screens' designs use, in mm at type_scale 1 (body text, buttons):
# every design size is scaled together until this one meets the physical minimum.
SMALLEST_DESIGN_FONT_MM = 10.0


@dataclass(frozen=True)
class Theme:
    """Colour tokens, ``#rrggbb``. ``contrasts()`` measures every pair that matters."""

    name: str
    bg: str
    fg: str
    accent: str
    button_bg: str
    button_fg: str
    button_border: str  # drawn round every button: identifies it where button_bg cannot
    focus_ring: str
    focus_ring_width_px: int
    disabled_bg: str
    disabled_fg: str
    caption_bg: str
    caption_fg: str

    def contrasts(self) -> dict[str, float]:
        """Measured WCAG contrast ratios of the pairs the UI draws."""
        return {
            "text": contrast_ratio(self.fg, self.bg),
            "accent_text": contrast_ratio(self.accent, self.bg),
            "button_text": contrast_ratio(self.button_fg, self.button_bg),
            "button_edge": max(contrast_ratio(self.button_bg, self.bg),
                               contrast_ratio(self.button_border, self.bg)),
            # The ring is drawn outside the widget, over the screen background.
            "focus_ring_on_bg": contrast_ratio(self.focus_ring, self.bg),
            "disabled_text": contrast_ratio(self.disabled_fg, self.disabled_bg),
            "caption_text": contrast_ratio(self.caption_fg, self.caption_bg),
        }


STANDARD_THEME = Theme(
    name="standard", bg="#ffffff", fg="#1a1a1a", accent="#0b57a0",
    button_bg="#0b57a0", button_fg="#ffffff", button_border="#0b57a0",
    focus_ring="#c2410c", focus_ring_width_px=4,
    disabled_bg="#e6e6e6", disabled_fg="#595959", caption_bg="#1a1a1a", caption_fg="#ffffff",
)
HIGH_CONTRAST_THEME = Theme(
    name="high_contrast", bg="#000000", fg="#ffffff", accent="#ffff00",
    button_bg="#000000", button_fg="#ffff00", button_border="#ffff00",
    focus_ring="#00ffff", focus_ring_width_px=10,
    disabled_bg="#000000", disabled_fg="#a6a6a6", caption_bg="#000000", caption_fg="#ffffff",
)
THEMES = {t.name: t for t in (STANDARD_THEME, HIGH_CONTRAST_THEME)}


@dataclass(frozen=True)
class Profile:
    name: str
    labels: dict[str, str]
    text_scale: float = 1.0
    theme: Theme = STANDARD_THEME
    target_scale: float = 1.0
    items_per_page: int = 8
    speech_on: bool = False
    linear_order: bool = False  # one column, one focus path: no 2-D grid to explore
    speech_rate_wpm: int = 175
    timeout_scale: float = 1.0  # times the kiosk's session timeout and warning
    reach_max_mm: float = REACH_MAX_MM  # every actionable widget below this
    captions: bool = False  # every sound also shown as text
    dwell_s: float = 1.2


PROFILES: dict[str, Profile] = {p.name: p for p in (
    Profile("standard", {"ko": "기본", "en": "Standard"}),
    Profile("low_vision", {"ko": "저시력", "en": "Low vision"}, text_scale=2.0,
            theme=HIGH_CONTRAST_THEME, target_scale=2.0, items_per_page=4),
    Profile("blind", {"ko": "음성 안내", "en": "Blind (speech)"}, speech_on=True,
            linear_order=True, items_per_page=8, timeout_scale=1.5),
    Profile("low_position", {"ko": "휠체어", "en": "Wheelchair / low position"},
            reach_max_mm=REACH_MAX_MM, items_per_page=6),
    Profile("elderly", {"ko": "쉬운 화면", "en": "Simple (elderly)"}, text_scale=1.5,
            target_scale=1.5, items_per_page=4, speech_rate_wpm=140,
            timeout_scale=2.0, dwell_s=2.0),
    Profile("hearing", {"ko": "청각 지원", "en": "Hearing"}, captions=True),
)}
DEFAULT_PROFILE = "standard"


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown profile {name!r} (one of: {', '.join(PROFILES)})") from None


def min_hangul_height_mm(display: Display) -> float:
    """12 mm (7.25 mm on a small screen) at 500 mm, scaled to the viewing distance."""
    base = MIN_HANGUL_HEIGHT_MM[display.size_class()]
    return base * display.viewing_distance_mm / HANGUL_REFERENCE_DISTANCE_MM


def min_font_px(display: Display, ratio: float = HANGUL_HEIGHT_RATIO) -> int:
    """The smallest font size (px) whose Hangul syllable with 받침 meets its minimum and
    whose Latin capital meets 0.7 degrees (which decides on a small screen)."""
    hangul = display.mm_to_px(min_hangul_height_mm(display), 1) / ratio
    latin = display.mm_to_px(display.size_for_angle_mm(MIN_CAP_ANGLE_DEG), 1) / CAP_HEIGHT_RATIO
    return math.ceil(max(hangul, latin))


def type_scale(display: Display) -> float:
    """How much every design font size (and the targets that hold the text) is scaled on
    this display so that the smallest one meets the physical minimum."""
    return min_font_px(display) / display.mm_to_px(SMALLEST_DESIGN_FONT_MM, 1)


@dataclass(frozen=True)
class Style:
    """Everything a screen needs to draw itself for one profile on one display."""

    profile: str
    theme: Theme
    font_px: int  # body text
    heading_px: int
    small_px: int  # the smallest text any screen may use
    target_px: int  # minimum side of an actionable widget
    spacing_px: int  # minimum gap between actionable widgets
    focus_ring_width_px: int
    items_per_page: int
    linear_order: bool
    speech_on: bool
    speech_rate_wpm: int
    captions: bool
    session_timeout_s: float
    warning_s: float
    dwell_s: float
    reach_band_px: tuple[int, int]  # rows (top, bottom), top-left origin, bottom exclusive
    reach_band_kivy: tuple[int, int] = field(default=(0, 0))  # (y_min, y_max), y-up
    type_scale: float = 1.0  # design font sizes x this meet the physical minimum

    def reachable(self, bbox_top_left: tuple[float, float, float, float]) -> bool:
        """Whether a box (x, y, w, h, top-left origin) lies wholly inside the band."""
        _, y, _, h = bbox_top_left
        return self.reach_band_px[0] <= y and y + h <= self.reach_band_px[1]


def style_for(profile: Profile | str, display: Display, base_font_px: int = 0,
              ratio: float = HANGUL_HEIGHT_RATIO, timer: TimerConfig | None = None) -> Style:
    """Apply ``profile`` on ``display``: physical minimums first, then the profile's scale.

    ``base_font_px`` is the design's body size; it is raised to the physical minimum.
    ``timer`` is the kiosk's session timing, which the profile scales (never below it)."""
    timer = timer or TimerConfig()
    p = get_profile(profile) if isinstance(profile, str) else profile
    small = min_font_px(display, ratio)
    body = max(base_font_px, small)
    font = math.ceil(body * p.text_scale)
    target_mm = MIN_TARGET_MM * p.target_scale
    target = math.ceil(max(display.mm_to_px(target_mm, 0), display.mm_to_px(target_mm, 1)))
    spacing = math.ceil(max(display.mm_to_px(MIN_SPACING_MM, 0),
                            display.mm_to_px(MIN_SPACING_MM, 1)) * p.target_scale)
    height = display.resolution[1]
    band = display.reachable_band(p.reach_max_mm, REACH_MIN_MM)
    return Style(
        profile=p.name, theme=p.theme, font_px=font, heading_px=math.ceil(font * 1.4),
        small_px=math.ceil(small * p.text_scale), target_px=target, spacing_px=spacing,
        focus_ring_width_px=p.theme.focus_ring_width_px, items_per_page=p.items_per_page,
        linear_order=p.linear_order, speech_on=p.speech_on, speech_rate_wpm=p.speech_rate_wpm,
        captions=p.captions, session_timeout_s=timer.timeout_s * max(1.0, p.timeout_scale),
        warning_s=timer.warning_s * max(1.0, p.timeout_scale),
        dwell_s=p.dwell_s, reach_band_px=band,
        reach_band_kivy=(height - band[1], height - band[0]),
        type_scale=type_scale(display),
    )


def with_overrides(profile: Profile, **changes: Any) -> Profile:
    """A merchant's tweak of a built-in profile (e.g. a longer timeout)."""
    return replace(profile, **changes)


@dataclass(frozen=True)
class ProfileConfig:
    default: str = DEFAULT_PROFILE
    base_font_px: int = 0

    @classmethod
    def from_table(cls, table: Table) -> ProfileConfig:
        """``[accessibility.profiles]``: ``default`` (profile name), ``base_font_px``."""
        table.unknown_keys({"default", "base_font_px"})
        return cls(default=table.get("default", str, cls.default, choices=PROFILES),
                   base_font_px=table.get("base_font_px", int, cls.base_font_px, min=0,
                                          max=400))

