"""Colour tokens of the standard look. Profiles (accessibility) may replace them."""

from __future__ import annotations

STANDARD = {
    "bg": (0.97, 0.96, 0.93, 1),
    "fg": (0.09, 0.09, 0.11, 1),
    "button_bg": (0.16, 0.27, 0.48, 1),
    "button_fg": (1, 1, 1, 1),
    "primary_bg": (0.05, 0.42, 0.22, 1),
    "primary_fg": (1, 1, 1, 1),
    "nav_bg": (0.27, 0.27, 0.30, 1),
    "selected_bg": (0.55, 0.18, 0.02, 1),
    "selected_fg": (1, 1, 1, 1),
    "disabled_bg": (0.80, 0.80, 0.80, 1),
    "disabled_fg": (0.25, 0.25, 0.25, 1),
    "focus": (0.80, 0.0, 0.45, 1),
}
