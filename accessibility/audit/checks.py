"""The audit's checks: measured values against ``rules.toml``, one function per rule.

Each check takes a :class:`ScreenInfo` and the rules, and returns :class:`Finding`s for
what fails, with the measured value, the required value and the clauses it comes from.
Physical sizes are computed from the display's size and resolution (never pixels alone).
"""

from __future__ import annotations

import colorsys
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
        got = text_height_mm(s, w, rules)
        large = got is not None and got[0] > r["large_text_mm"]
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


def is_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def text_height_mm(s: ScreenInfo, w: WidgetInfo, rules: Rules) -> tuple[float, str] | None:
    """(measured height in mm, what was measured): the Hangul syllable with 받침 for
    Korean text, the capital H otherwise; the font-size ratio only when the renderer
    measured nothing (JSON fixtures)."""
    r = rules["text_size"]
    if is_hangul(w.text):
        px = w.hangul_height_px or (w.font_size_px or 0) * r["hangul_height_ratio"]
        kind = "Hangul height (받침 included)"
    else:
        px = w.cap_height_px or (w.font_size_px or 0) * r["cap_height_ratio"]
        kind = "capital height"
    return (px * s.mm_per_px()[1], kind) if px else None


def size_class(s: ScreenInfo, rules: Rules) -> str:
    return s.display.size_class(rules["size_classes"]["small_max_diagonal_mm"])


def required_text_mm(s: ScreenInfo, hangul: bool, rules: Rules) -> float:
    """12 mm (7.25 mm on a small screen) for Hangul at 500 mm, scaled to the kiosk's
    viewing distance; 0.7 degrees for a Latin capital."""
    r = rules["text_size"]
    if hangul:
        base = float(r["min_hangul_height_mm"][size_class(s, rules)])
        return base * s.display.viewing_distance_mm / float(r["reference_distance_mm"])
    return 2 * s.display.viewing_distance_mm * math.tan(math.radians(r["min_cap_angle_deg"]) / 2)


def check_text_size(s: ScreenInfo, rules: Rules) -> list[Finding]:
    out = []
    for w in s.widgets:
        if not _has_text(w):
            continue
        got = text_height_mm(s, w, rules)
        if got is None:
            out.append(_f("text_size", s, w, "text size unknown: cannot prove it", rules))
            continue
        height, kind = got
        need = required_text_mm(s, is_hangul(w.text), rules)
        if height + 1e-9 < need:
            out.append(_f("text_size", s, w,
                          f"{kind} {height:.2f} mm < {need:.2f} mm ({size_class(s, rules)} "
                          f"screen, {s.display.viewing_distance_mm:g} mm away)", rules,
                          height, need, "mm"))
    return out


def check_target_size(s: ScreenInfo, rules: Rules) -> list[Finding]:
    r = rules["target_size"]
    mx, my = s.mm_per_px()
    out = []
    for w in s.widgets:
        if not w.actionable:
            continue
        wmm, hmm = w.bbox[2] * mx, w.bbox[3] * my
        if min(wmm, hmm) + 1e-9 < r["min_side_mm"]:
            out.append(_f("target_size", s, w,
                          f"target {wmm:.1f} x {hmm:.1f} mm; each side must be >= "
                          f"{r['min_side_mm']:g} mm", rules, min(wmm, hmm), r["min_side_mm"],
                          "mm"))
        elif wmm * hmm + 1e-9 < r["min_area_mm2"]:
            out.append(_f("target_size", s, w,
                          f"target {wmm:.1f} x {hmm:.1f} mm = {wmm * hmm:.0f} mm2 < "
                          f"{r['min_area_mm2']:g} mm2", rules, wmm * hmm, r["min_area_mm2"],
                          "mm2"))
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
    """Every control between 400 and 1,200 mm above the floor, in every profile (the
    control that switches to the low-position profile included)."""
    r = rules["reach"]
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


def visible_box(w: WidgetInfo) -> Box | None:
    """What of the widget is seen: its text where it has some, else its box when it is a
    control (plain layout boxes draw nothing)."""
    if _has_text(w):
        return w.text_bbox or w.bbox
    return w.bbox if w.actionable else None


def check_visual_height(s: ScreenInfo, rules: Rules) -> list[Finding]:
    top_mm = rules["visual_height"]["max_height_mm"]
    out = []
    for w in s.widgets:
        box = visible_box(w)
        if box is None or box[3] <= 0:
            continue
        top = s.row_height_mm(box[1])
        if top > top_mm + 1e-9:
            out.append(_f("visual_height", s, w, f"shown up to {top:.0f} mm above the floor "
                          f"> {top_mm:g} mm", rules, top, top_mm, "mm"))
    return out


def _overlap(a: Box, b: Box) -> float:
    """Area (px2) two boxes share."""
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _text_box(w: WidgetInfo) -> Box | None:
    return w.text_bbox if _has_text(w) else None


def _frame(w: WidgetInfo) -> Box | None:
    """What another widget's text must not cover: a control's box, a text's text."""
    return w.bbox if w.actionable else _text_box(w)


def _overlap_or_0(a: Box | None, b: Box | None) -> float:
    return _overlap(a, b) if a is not None and b is not None else 0.0


def check_layout(s: ScreenInfo, rules: Rules) -> list[Finding]:
    """Text drawn outside its own box or the screen (clipped, wrapped out, cut), and text
    lying over another widget's text or over a control it is not part of."""
    tol = rules["layout"]["tolerance_px"]
    ww, wh = s.window_px
    out = []
    for w in s.widgets:
        if not _has_text(w) or w.text_bbox is None:
            continue
        tx, ty, tw, th = w.text_bbox
        x, y, bw, bh = w.bbox
        spill = max(x - tx, y - ty, (tx + tw) - (x + bw), (ty + th) - (y + bh))
        off = max(-tx, -ty, tx + tw - ww, ty + th - wh)
        if off > tol:
            out.append(_f("layout", s, w, f"text runs {off:.0f} px off the screen", rules,
                          off, tol, "px"))
        elif spill > tol:
            out.append(_f("layout", s, w, f"text {tw:.0f} x {th:.0f} px does not fit its "
                          f"box {bw:.0f} x {bh:.0f} px (spills {spill:.0f} px)", rules, spill,
                          tol, "px"))
    for i, a in enumerate(s.widgets):
        for b in s.widgets[i + 1:]:
            a_into_b = _overlap_or_0(_text_box(a), _frame(b))
            b_into_a = _overlap_or_0(_frame(a), _text_box(b))
            area = max(a_into_b, b_into_a)
            if area > 4 * tol * tol:
                w, other = (a, b) if a_into_b >= b_into_a else (b, a)
                out.append(_f("layout", s, w, f"text overlaps '{other.id}' ({area:.0f} px2)",
                              rules, area, 0.0, "px2"))
    return out


def hue_name(c: tuple[float, ...], rules: Rules) -> str | None:
    """The named hue of a colour (rules' ``hues``), None when it is too grey or dark."""
    r = rules["colour_pairs"]
    h, sat, val = colorsys.rgb_to_hsv(c[0], c[1], c[2])
    if sat < r["min_saturation"] or val < r["min_value"]:
        return None
    deg = h * 360
    for name, ranges in r["hues"].items():
        if any(lo <= deg <= hi for lo, hi in ranges):
            return str(name)
    return None


def check_colour_pairs(s: ScreenInfo, rules: Rules) -> list[Finding]:
    banned = {(b["text"], b["background"]) for b in rules["colour_pairs"]["banned"]}
    out = []
    for w in s.widgets:
        if not _has_text(w) or w.fg is None:
            continue
        bg = w.bg if w.bg is not None else s.background
        pair = (hue_name(w.fg, rules), hue_name(bg, rules))
        if pair in banned:
            out.append(_f("colour_pairs", s, w, f"{pair[0]} text ({to_hex(w.fg)}) on {pair[1]} "
                          f"({to_hex(bg)})", rules))
    return out


def check_timing(s: ScreenInfo, rules: Rules) -> list[Finding]:
    """검증기준 2-2 met one of two ways: no time limit (the merchant's choice; the session's
    widget is then not ``timed``, nothing to check), or a limit that is extendable, warned,
    and whose remaining time is on the screen."""
    r = rules["timing"]
    out = []
    shown = any(w.role == "remaining_time" and _has_text(w) for w in s.widgets)
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
        if not shown:
            out.append(_f("timing", s, w, "time limit without the remaining time on the "
                          "screen", rules))
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
    "visual_height": check_visual_height,
    "layout": check_layout,
    "colour_pairs": check_colour_pairs,
    "timing": check_timing,
    "flashing": check_flashing,
}


def smallest_text_mm(s: ScreenInfo, rules: Rules) -> float | None:
    heights = [got[0] for w in s.widgets if _has_text(w)
               if (got := text_height_mm(s, w, rules)) is not None]
    return min(heights, default=None)


def smallest_target_mm(s: ScreenInfo) -> float | None:
    mx, my = s.mm_per_px()
    return min((min(w.bbox[2] * mx, w.bbox[3] * my) for w in s.widgets if w.actionable),
               default=None)


def check_magnification(screens: list[ScreenInfo], rules: Rules) -> list[Finding]:
    """The magnifying profile's smallest text and smallest control, each against the
    standard profile's on the same screen and display: at least ``min_factor`` times."""
    r = rules["magnification"]
    standard = {(s.name, s.display): s for s in screens if s.profile == "standard"}
    out = []
    for s in screens:
        base = standard.get((s.name, s.display))
        if s.profile != r["profile"] or base is None:
            continue
        # Glyph ink is measured in whole pixels: the text may be one pixel short of x2.
        ink_px = s.mm_per_px()[1]
        for what, mine, theirs, resolution in (
                ("smallest text", smallest_text_mm(s, rules), smallest_text_mm(base, rules),
                 ink_px),
                ("smallest control", smallest_target_mm(s), smallest_target_mm(base), 0.0)):
            if mine is None or not theirs:
                continue
            if (mine + resolution) / theirs + 1e-6 < r["min_factor"]:
                out.append(_f("magnification", s, None,
                              f"{what} {mine:.1f} mm is x{mine / theirs:.2f} of the standard "
                              f"profile's {theirs:.1f} mm (< x{r['min_factor']:g})", rules,
                              mine / theirs, r["min_factor"], "x"))
    return out


# Checks over all screens at once (comparing profiles of one screen).
SET_CHECKS: dict[str, Callable[[list[ScreenInfo], Rules], list[Finding]]] = {
    "magnification": check_magnification,
}
RULE_NAMES = (*CHECKS, *SET_CHECKS)


def run_checks(screens: list[ScreenInfo], rules: Rules | None = None,
               only: set[str] | None = None) -> list[Finding]:
    rules = rules if rules is not None else load_rules()
    out: list[Finding] = []
    for s in screens:
        for name, fn in CHECKS.items():
            if only is None or name in only:
                out.extend(fn(s, rules))
    for name, set_fn in SET_CHECKS.items():
        if only is None or name in only:
            out.extend(set_fn(screens, rules))
    return out
