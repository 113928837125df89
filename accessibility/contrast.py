"""Colour contrast as WCAG 2.2 measures it (SC 1.4.3, 1.4.6, 1.4.11).

Colours are RGBA tuples of floats in 0..1 (Kivy's convention) or ``#rrggbb[aa]`` text.
A translucent colour is composited over what is behind it before measuring, because the
eye sees the blend, not the declared colour. Stdlib only: used by profiles and the audit.
"""

from __future__ import annotations

from collections.abc import Sequence

RGBA = tuple[float, float, float, float]


def parse_colour(value: str | Sequence[float]) -> RGBA:
    """``"#1a2b3c"``, ``"#1a2b3cff"``, or 3/4 floats in 0..1 -> RGBA floats.

    Raises ValueError with a short message (colours come from config and renderers)."""
    if isinstance(value, str):
        text = value.strip().lstrip("#")
        if len(text) not in (6, 8) or any(c not in "0123456789abcdefABCDEF" for c in text):
            raise ValueError(f"not a colour: {value!r} (want #rrggbb or #rrggbbaa)")
        parts = [int(text[i:i + 2], 16) / 255 for i in range(0, len(text), 2)]
        if len(parts) == 3:
            parts.append(1.0)
        return (parts[0], parts[1], parts[2], parts[3])
    vals = [float(v) for v in value]
    if len(vals) == 3:
        vals.append(1.0)
    if len(vals) != 4 or any(not (0.0 <= v <= 1.0) for v in vals):
        raise ValueError(f"not a colour: {value!r} (want 3 or 4 numbers in 0..1)")
    return (vals[0], vals[1], vals[2], vals[3])


def to_hex(colour: Sequence[float]) -> str:
    r, g, b, a = parse_colour(colour)
    out = "#" + "".join(f"{round(v * 255):02x}" for v in (r, g, b))
    return out if a >= 1.0 else out + f"{round(a * 255):02x}"


def composite(top: Sequence[float], bottom: Sequence[float]) -> RGBA:
    """``top`` drawn over an opaque ``bottom`` (alpha blending), as the screen shows it."""
    tr, tg, tb, ta = parse_colour(top)
    br, bg, bb, _ = parse_colour(bottom)
    return (tr * ta + br * (1 - ta), tg * ta + bg * (1 - ta), tb * ta + bb * (1 - ta), 1.0)


def _channel(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: Sequence[float]) -> float:
    """WCAG relative luminance of an sRGB colour (alpha ignored: composite first)."""
    r, g, b, _ = parse_colour(colour)
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(fg: Sequence[float] | str, bg: Sequence[float] | str,
                   backdrop: Sequence[float] | str = (1.0, 1.0, 1.0, 1.0)) -> float:
    """Contrast ratio (1..21) of ``fg`` over ``bg``; a translucent ``bg`` is first
    composited over ``backdrop`` (the screen behind the widget)."""
    bg_seen = composite(parse_colour(bg), parse_colour(backdrop))
    fg_seen = composite(parse_colour(fg), bg_seen)
    la, lb = relative_luminance(fg_seen), relative_luminance(bg_seen)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)
