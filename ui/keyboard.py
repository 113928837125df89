"""The keyboard as an input device: keys to intents.

The same layout serves a USB keypad on the kiosk and a developer's keyboard in the
simulator: arrows move, Enter selects, Backspace goes back, Home starts over, F1 asks for
help, R repeats the last thing said; a digit picks that choice when the screen's choices
were read out numbered.
"""

from __future__ import annotations

from untact.accessibility.intents import Intent, Kind, simple

KEYMAP: dict[str, Kind] = {
    "right": Kind.NEXT,
    "down": Kind.NEXT,
    "tab": Kind.NEXT,
    "left": Kind.PREVIOUS,
    "up": Kind.PREVIOUS,
    "enter": Kind.SELECT,
    "numpadenter": Kind.SELECT,
    "spacebar": Kind.SELECT,
    "backspace": Kind.BACK,
    "escape": Kind.BACK,
    "home": Kind.HOME,
    "f1": Kind.HELP,
    "r": Kind.REPEAT,
    "s": Kind.STOP_SPEECH,
    "pageup": Kind.VOLUME_UP,
    "pagedown": Kind.VOLUME_DOWN,
    "f2": Kind.SPEECH_MODE,
}


def intent_for_key(name: str, shift: bool = False) -> Intent | None:
    """The intent for a key name as Kivy spells it (``"right"``, ``"enter"``), if any.

    Shift+Tab moves backwards, as in every other program.
    """
    digit = name.removeprefix("numpad")
    if len(digit) == 1 and digit in "123456789":  # a choice of those read out numbered
        return simple(Kind.NUMBER, source="keyboard", value=int(digit))
    kind = KEYMAP.get(name)
    if kind is Kind.NEXT and name == "tab" and shift:
        kind = Kind.PREVIOUS
    return simple(kind, source="keyboard") if kind else None
