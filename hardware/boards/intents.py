"""What each board event means to the kiosk: the one table from board events to intents.

Screens never see board events, only these intents (see accessibility/intents.py). Hover
has no intent of its own: it is reported to board listeners (e.g. to wake the screen or
highlight the focus) and in the board's status.
"""

from __future__ import annotations

from untact.accessibility.intents import Intent, Kind, simple

SWIPES = {"right": Kind.NEXT, "left": Kind.PREVIOUS, "down": Kind.NEXT, "up": Kind.PREVIOUS}
KEYS = {
    "up": Kind.PREVIOUS,
    "left": Kind.PREVIOUS,
    "down": Kind.NEXT,
    "right": Kind.NEXT,
    "ok": Kind.SELECT,
    "back": Kind.BACK,
    "help": Kind.HELP,
    "vol_up": Kind.VOLUME_UP,
    "vol_down": Kind.VOLUME_DOWN,
}


def event_to_intent(name: str, value: str | None, board_id: str) -> Intent | None:
    """The intent for board event ``name`` (with its argument), or None if it has none."""
    source = f"board:{board_id}"
    if name == "swipe":
        kind = SWIPES.get(value or "")
        return simple(kind, source) if kind else None
    if name == "push":
        return simple(Kind.SELECT, source)
    if name == "key":
        kind = KEYS.get(value or "")
        return simple(kind, source) if kind else None
    if name == "presence" and value in ("0", "1"):
        return simple(Kind.PRESENCE, source, value == "1")
    if name == "jack" and value in ("0", "1"):
        return simple(Kind.SPEECH_MODE, source, value == "1")
    return None
