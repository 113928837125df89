"""Speech mode: how the frame behaves for a customer who cannot see the screen.

Speech mode switches on without sight: an earphone plugged into the jack, the keypad's
help key, or the spoken command for help (all arrive as intents). In speech mode pointing
at or dwelling on a widget *reads* it (moves the focus) and only SELECT acts, so a blind
customer exploring the screen never triggers a button by accident: focus reads, SELECT
acts, never both at once. Pure logic; the UI does what :meth:`SpeechMode.decide` says.
"""

from __future__ import annotations

import enum

from .intents import Intent, Kind


class Action(enum.Enum):
    READ = "read"  # move focus (to the pointed widget) and speak it; do not activate
    ACT = "act"  # activate the focused (or pointed) widget
    MOVE = "move"  # NEXT / PREVIOUS: move focus (and speak it in speech mode)
    REPEAT = "repeat"  # say the last thing again
    SILENCE = "silence"  # stop speaking
    VOLUME = "volume"  # volume up/down
    RATE = "rate"  # speech rate up/down
    MODE_ON = "mode_on"  # speech mode just switched on: announce it and the screen
    MODE_OFF = "mode_off"
    PASS = "pass"  # not a frame matter: the screen handles it (BACK, HOME, VOICE...)


HELP_COMMANDS = frozenset({"help", "speech_mode", "도움말"})


class SpeechMode:
    def __init__(self, on: bool = False) -> None:
        self.on = on
        self.reason = "profile" if on else ""

    def switch(self, on: bool, reason: str = "") -> Action | None:
        if on == self.on:
            return None
        self.on, self.reason = on, reason
        return Action.MODE_ON if on else Action.MODE_OFF

    def reset(self) -> None:
        """Session end: back to the silent default."""
        self.on, self.reason = False, ""

    def decide(self, intent: Intent) -> Action:
        """What the frame does with ``intent`` (screens never branch on the device)."""
        k = intent.kind
        if k is Kind.SPEECH_MODE:  # earphone jack in/out, or a "speech" key
            on = True if intent.value is None else bool(intent.value)
            return self.switch(on, intent.source or "speech_mode") or Action.PASS
        if k is Kind.HELP and not self.on:
            return self.switch(True, "help") or Action.PASS
        if k is Kind.VOICE and intent.name in HELP_COMMANDS and not self.on:
            return self.switch(True, "voice") or Action.PASS
        if k is Kind.PRESENCE and intent.value is False:
            self.reset()
            return Action.PASS
        if k in (Kind.NEXT, Kind.PREVIOUS):
            return Action.MOVE
        if k is Kind.SELECT:
            return Action.ACT
        if k is Kind.POINT:
            return Action.READ
        if k is Kind.DWELL:
            return Action.READ if self.on else Action.ACT
        if k is Kind.REPEAT:
            return Action.REPEAT
        if k is Kind.STOP_SPEECH:
            return Action.SILENCE
        if k in (Kind.VOLUME_UP, Kind.VOLUME_DOWN):
            return Action.VOLUME
        if k in (Kind.RATE_UP, Kind.RATE_DOWN):
            return Action.RATE
        return Action.PASS
