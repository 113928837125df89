"""The audit's checks: measured values against ``rules.toml``, one function per rule.

Each check takes a :class:`ScreenInfo` and the rules, and returns :class:`Finding`s for
what fails, with the measured value, the required value and the clauses it comes from.
Physical sizes are computed from the display's size and resolution (never pixels alone).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..contrast import contrast_ratio, to_hex
from .model import ScreenInfo, WidgetInfo
from .pixels import Pixels, load_png, measure_text_colours
from .rules import Rules, load_rules

Box = tuple[float, float, float, float]  # x, y, w, h (WidgetInfo.bbox)

PT_MM = 25.4 / 72


@dataclass(frozen=True)
class Finding:
    rule: str
    screen: str  # "name@profile"
    widget: str | None
    message: str
    measured: float | None
    required: float | None
    unit: str
    clauses: tuple[str, ...]
    bbox: tuple[float, float, float, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["clauses"] = list(self.clauses)
        d["bbox"] = list(self.bbox) if self.bbox else None
        for k in ("measured", "required"):
            if isinstance(d[k], float):
                d[k] = round(d[k], 3)
        return d




def _f(rule: str, screen: ScreenInfo, w: WidgetInfo | None, message: str, rules: Rules,
       measured: float | None = None, required: float | None = None, unit: str = "") -> Finding:
    return Finding(rule, screen.key, w.id if w else None, message, measured, required, unit,
                   tuple(rules.get(rule, {}).get("clauses", ())), w.bbox if w else None)


def _has_text(w: WidgetInfo) -> bool:
    return bool(w.text.strip())


@functools.lru_cache(maxsize=8)
def _decoded(path: str, mtime_ns: int, size: int) -> Pixels | None:
    try:
        return load_png(path)
    except (OSError, ValueError):
        return None


def screenshot_pixels(s: ScreenInfo) -> Pixels | None:
    """The decoded screenshot, or None when there is none or it does not match the
    window size (boxes would not line up)."""
    if not s.screenshot:
        return None
    try:
        st = Path(s.screenshot).stat()
    except OSError:
        return None
    px = _decoded(str(s.screenshot), st.st_mtime_ns, st.st_size)
    return px if px is not None and (px.width, px.height) == tuple(s.window_px) else None


def check_text_contrast(s: ScreenInfo, rules: Rules) -> list[Finding]:
    """Declared colours, and (``measure_screenshot``) the colours the screenshot shows in
    the widget's box: the lower of the two ratios must pass."""
    r = rules["text_contrast"]
    px = screenshot_pixels(s) if r.get("measure_screenshot", True) else None
    out = []
    for w in s.widgets:
        if not _has_text(w):
            continue
        if w.fg is None:
            out.append(_f("text_contrast", s, w, "text colour unknown: cannot prove contrast",
                          rules))
            continue
        bg = w.bg if w.bg is not None else s.background
        ratio = contrast_ratio(w.fg, bg, s.background)
        size_mm = (w.font_size_px or 0) * s.mm_per_px()[1]
        large = size_mm >= (r["large_bold_text_pt"] if w.bold else r["large_text_pt"]) * PT_MM
        need = r["large_min_ratio"] if large else r["min_ratio"]
        kind = "large" if large else "normal"
        if ratio < need:
            out.append(_f("text_contrast", s, w,
                          f"text contrast {ratio:.2f}:1 < {need}:1 ({kind} text)", rules,
                          ratio, need, ":1"))
            continue
        seen = measure_text_colours(px, w.bbox) if px is not None else None
        if seen is not None:
            measured = contrast_ratio(*seen)
            if measured < need:
                out.append(_f("text_contrast", s, w,
                              f"text contrast measured on the screenshot {measured:.2f}:1 "
                              f"< {need}:1 ({to_hex(seen[0])} on {to_hex(seen[1])}; "
                              f"declared {ratio:.2f}:1)", rules, measured, need, ":1"))
    return out


def check_non_text_contrast(s: ScreenInfo, rules: Rules) -> list[Finding]:
    r = rules["non_text_contrast"]
    out = []
    for w in s.widgets:
        if not (w.actionable and w.in_focus_order):
            continue
        if w.focus_ring is None or w.focus_ring_width_px <= 0:
            out.append(_f("non_text_contrast", s, w, "no visible focus indicator", rules,
                          0.0, r["min_focus_ring_px"], "px"))
            continue
        ratio = contrast_ratio(w.focus_ring, s.background, s.background)
        if ratio < r["min_ratio"]:
            out.append(_f("non_text_contrast", s, w,
                          f"focus indicator contrast {ratio:.2f}:1 < {r['min_ratio']}:1",
                          rules, ratio, r["min_ratio"], ":1"))
        if w.focus_ring_width_px < r["min_focus_ring_px"]:
            out.append(_f("non_text_contrast", s, w,
                          f"focus indicator {w.focus_ring_width_px:g} px thin "
                          f"(< {r['min_focus_ring_px']} px)", rules, w.focus_ring_width_px,
                          r["min_focus_ring_px"], "px"))
    return out


def cap_height_mm(s: ScreenInfo, w: WidgetInfo, ratio: float) -> float | None:
    px = w.cap_height_px if w.cap_height_px else (w.font_size_px or 0) * ratio
    return px * s.mm_per_px()[1] if px else None


def check_text_size(s: ScreenInfo, rules: Rules) -> list[Finding]:
    r = rules["text_size"]
    need_angle = 2 * s.display.viewing_distance_mm * math.tan(
        math.radians(r["min_cap_angle_deg"]) / 2)
    need = max(need_angle, r["min_cap_height_mm"])
    out = []
    for w in s.widgets:
        if not _has_text(w):
            continue
        cap = cap_height_mm(s, w, r["cap_height_ratio"])
        if cap is None:
            out.append(_f("text_size", s, w, "text size unknown: cannot prove it", rules))
            continue
        angle = math.degrees(2 * math.atan(cap / (2 * s.display.viewing_distance_mm)))
        if cap + 1e-9 < need:
            out.append(_f("text_size", s, w,
                          f"capital height {cap:.2f} mm ({angle:.2f}° at "
                          f"{s.display.viewing_distance_mm:g} mm) < {need:.2f} mm", rules,
                          cap, need, "mm"))
    return out


def check_target_size(s: ScreenInfo, rules: Rules) -> list[Finding]:
    need = rules["target_size"]["min_mm"]
    mx, my = s.mm_per_px()
    out = []
    for w in s.widgets:
        if not w.actionable:
            continue
        wmm, hmm = w.bbox[2] * mx, w.bbox[3] * my
        small = min(wmm, hmm)
        if small + 1e-9 < need:
            out.append(_f("target_size", s, w,
                          f"target {wmm:.1f} x {hmm:.1f} mm; each side must be >= {need:g} mm",
                          rules, small, need, "mm"))
    return out


def gap_mm(a: Box, b: Box, mx: float, my: float) -> float:
    """Shortest distance between two boxes in millimetres (0 when they touch/overlap)."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    dx = max(0.0, max(ax, bx) - min(ax + aw, bx + bw)) * mx
    dy = max(0.0, max(ay, by) - min(ay + ah, by + bh)) * my
    return math.hypot(dx, dy)


def check_target_spacing(s: ScreenInfo, rules: Rules) -> list[Finding]:
    need = rules["target_spacing"]["min_mm"]
    mx, my = s.mm_per_px()
    acts = [w for w in s.widgets if w.actionable]
    out = []
    for i, a in enumerate(acts):
        for b in acts[i + 1:]:
            g = gap_mm(a.bbox, b.bbox, mx, my)
            if g + 1e-9 < need:
                out.append(_f("target_spacing", s, a,
                              f"{g:.1f} mm from '{b.id}'; targets need >= {need:g} mm apart",
                              rules, g, need, "mm"))
    return out


def check_labels(s: ScreenInfo, rules: Rules) -> list[Finding]:
    out = []
    for w in s.widgets:
        if not w.actionable:
            continue
        missing = [lang for lang in s.languages if not (w.labels.get(lang) or "").strip()]
        if missing:
            out.append(_f("labels", s, w, f"no accessible label in {', '.join(missing)}",
                          rules))
        if not w.role.strip():
            out.append(_f("labels", s, w, "no role", rules))
    return out


def check_focus_order(s: ScreenInfo, rules: Rules) -> list[Finding]:
    return [_f("focus_order", s, w, "actionable but not reachable in focus order "
               "(keypad, swipe and voice users cannot get to it)", rules)
            for w in s.widgets if w.actionable and not w.in_focus_order]


def check_screen_title(s: ScreenInfo, rules: Rules) -> list[Finding]:
    missing = [lang for lang in s.languages if not (s.title.get(lang) or "").strip()]
    if missing:
        return [_f("screen_title", s, None, f"screen has no title in {', '.join(missing)}",
                   rules)]
    return []


def check_reach(s: ScreenInfo, rules: Rules) -> list[Finding]:
    r = rules["reach"]
    if s.profile not in r["profiles"]:
        return []
    out = []
    for w in s.widgets:
        if not w.actionable:
            continue
        top = s.row_height_mm(w.bbox[1])
        bottom = s.row_height_mm(w.bbox[1] + w.bbox[3])
        if top > r["max_height_mm"] + 1e-9:
            out.append(_f("reach", s, w, f"top edge {top:.0f} mm above the floor > "
                          f"{r['max_height_mm']:g} mm (out of seated reach)", rules, top,
                          r["max_height_mm"], "mm"))
        elif bottom < r["min_height_mm"] - 1e-9:
            out.append(_f("reach", s, w, f"bottom edge {bottom:.0f} mm above the floor < "
                          f"{r['min_height_mm']:g} mm", rules, bottom, r["min_height_mm"],
                          "mm"))
    return out


def check_timing(s: ScreenInfo, rules: Rules) -> list[Finding]:
    r = rules["timing"]
    out = []
    for w in s.widgets:
        if not w.timed:
            continue
        if not w.extendable:
            out.append(_f("timing", s, w, "timed action cannot be extended", rules))
            continue
        if w.extensions < r["min_extensions"]:
            out.append(_f("timing", s, w, f"extendable only {w.extensions} times "
                          f"(< {r['min_extensions']})", rules, w.extensions,
                          r["min_extensions"], "times"))
        if w.warning_s < r["min_warning_s"]:
            out.append(_f("timing", s, w, f"warned {w.warning_s:g} s before the limit "
                          f"(< {r['min_warning_s']:g} s)", rules, w.warning_s,
                          r["min_warning_s"], "s"))
    return out


def check_flashing(s: ScreenInfo, rules: Rules) -> list[Finding]:
    mx = rules["flashing"]["max_flashes_per_s"]
    return [_f("flashing", s, w, f"flashes {w.flash_hz:g} times a second (> {mx:g})", rules,
               w.flash_hz, mx, "Hz") for w in s.widgets if w.flash_hz > mx]


CHECKS: dict[str, Callable[[ScreenInfo, Rules], list[Finding]]] = {
    "text_contrast": check_text_contrast,
    "non_text_contrast": check_non_text_contrast,
    "text_size": check_text_size,
    "target_size": check_target_size,
    "target_spacing": check_target_spacing,
    "labels": check_labels,
    "focus_order": check_focus_order,
    "screen_title": check_screen_title,
    "reach": check_reach,
    "timing": check_timing,
    "flashing": check_flashing,
}


def run_checks(screens: list[ScreenInfo], rules: Rules | None = None,
               only: set[str] | None = None) -> list[Finding]:
    rules = rules if rules is not None else load_rules()
    out: list[Finding] = []
    for s in screens:
        for name, fn in CHECKS.items():
            if only is None or name in only:
                out.extend(fn(s, rules))
    return out
