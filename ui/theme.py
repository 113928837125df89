"""Colour tokens the KV rules draw with, made from the accessibility profile's theme.

The profile's :class:`~untact.accessibility.profiles.Theme` fixes the colours the
audit measures (background, text, buttons, focus ring); the kiosk adds a few roles of its
own (the primary action, navigation, a chosen option) that keep the same contrasts.
"""

from __future__ import annotations

from untact.accessibility.profiles import Theme


def rgba(hex_colour: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    h = hex_colour.lstrip("#")
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255, alpha)


# Extra roles per theme: (background, text). Each pair is at least 4.5:1, and each
# background at least 3:1 against the screen (checked by tests and by make audit).
EXTRA_ROLES = {
    "standard": {"primary": ("#0b6b35", "#ffffff"), "nav": ("#45454d", "#ffffff"),
                 "selected": ("#8b2e02", "#ffffff")},
    "high_contrast": {"primary": ("#000000", "#ffff00"), "nav": ("#000000", "#ffffff"),
                      "selected": ("#ffff00", "#000000")},
}


def tokens(theme: Theme) -> dict[str, tuple[float, float, float, float]]:
    extra = EXTRA_ROLES.get(theme.name, EXTRA_ROLES["standard"])
    t = {
        "bg": rgba(theme.bg), "fg": rgba(theme.fg),
        "button_bg": rgba(theme.button_bg), "button_fg": rgba(theme.button_fg),
        "border": rgba(theme.button_border),
        "disabled_bg": rgba(theme.disabled_bg), "disabled_fg": rgba(theme.disabled_fg),
        "focus": rgba(theme.focus_ring),
        "caption_bg": rgba(theme.caption_bg), "caption_fg": rgba(theme.caption_fg),
    }
    for role, (bg, fg) in extra.items():
        t[f"{role}_bg"], t[f"{role}_fg"] = rgba(bg), rgba(fg)
    return t


def button_colours(variant: str, selected: bool, disabled: bool, theme: dict) -> tuple[tuple, tuple]:
    """(background, text) of a KioskButton in its current state: one rule for KV and audit."""
    if disabled:
        return theme["disabled_bg"], theme["disabled_fg"]
    if selected:
        return theme["selected_bg"], theme["selected_fg"]
    if variant in ("primary", "nav"):
        return theme[f"{variant}_bg"], theme[f"{variant}_fg"]
    return theme["button_bg"], theme["button_fg"]
