"""The intent vocabulary: what every input device is reduced to.

Screens receive intents and never learn which device spoke. A swipe on the sensor board,
a hand swipe seen by the camera, the keypad's right key, the keyboard's arrow key and the
word "다음" all arrive as ``Intent(NEXT)``. That is what makes any screen written on the
frame operable by every modality.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


class Kind(enum.Enum):
    NEXT = "next"
    PREVIOUS = "previous"
    SELECT = "select"
    BACK = "back"
    HOME = "home"
    HELP = "help"
    REPEAT = "repeat"
    POINT = "point"  # hover cursor at (x, y), normalised 0..1 from the top-left
    DWELL = "dwell"  # the cursor has rested long enough: act on what is under it
    VOICE = "voice"  # a spoken command that names things: utterance, intent, slots
    NUMBER = "number"  # choice ``value`` of those read out numbered (a keypad digit, "두 번")
    # Frame-level controls that every modality must reach (speech, profiles, presence).
    STOP_SPEECH = "stop_speech"
    VOLUME_UP = "volume_up"
    VOLUME_DOWN = "volume_down"
    SPEECH_MODE = "speech_mode"
    PRESENCE = "presence"  # a person arrived (value True) or left (False)
    RATE_UP = "rate_up"  # speak faster / slower: every modality must reach these too
    RATE_DOWN = "rate_down"




@dataclass(frozen=True)
class Intent:
    """One thing the customer wants, whichever device it came from.

    ``source`` is kept for logs and diagnostics only; screens must not branch on it.
    """

    kind: Kind
    x: float | None = None
    y: float | None = None
    utterance: str = ""
    name: str = ""  # for VOICE: the understood command, e.g. "order" or "next"
    slots: Mapping[str, Any] = field(default_factory=dict)
    value: Any = None
    source: str = ""
    confidence: float = 1.0

    def __post_init__(self) -> None:
        if not isinstance(self.kind, Kind):
            raise TypeError(f"kind must be a Kind, not {type(self.kind).__name__}")
        if self.kind in (Kind.POINT, Kind.DWELL):
            for axis in (self.x, self.y):
                if axis is None or not (0.0 <= axis <= 1.0):
                    raise ValueError(f"{self.kind.name} needs x and y in 0..1, got {self.x}, {self.y}")
        if not isinstance(self.slots, MappingProxyType):
            object.__setattr__(self, "slots", MappingProxyType(dict(self.slots)))

    @property
    def xy(self) -> tuple[float, float]:
        """Where a POINT or DWELL intent points (both are checked on creation)."""
        if self.x is None or self.y is None:
            raise ValueError(f"{self.kind.name} has no position")
        return self.x, self.y

    def __str__(self) -> str:  # short, for transcripts and logs
        extra = ""
        if self.kind in (Kind.POINT, Kind.DWELL):
            extra = f"({self.x:.3f},{self.y:.3f})"
        elif self.kind is Kind.VOICE:
            extra = f"({self.name!r} {dict(self.slots)!r})"
        elif self.value is not None:
            extra = f"({self.value!r})"
        return f"{self.kind.name}{extra}"


def simple(kind: Kind, source: str = "", value: Any = None) -> Intent:
    """An intent that carries no position or words (NEXT, SELECT, ...)."""
    return Intent(kind, source=source, value=value)


def point(x: float, y: float, source: str = "") -> Intent:
    return Intent(Kind.POINT, x=x, y=y, source=source)


def dwell(x: float, y: float, source: str = "") -> Intent:
    return Intent(Kind.DWELL, x=x, y=y, source=source)


def voice(utterance: str, name: str, slots: Mapping[str, Any] | None = None,
          confidence: float = 1.0, source: str = "voice") -> Intent:
    return Intent(Kind.VOICE, utterance=utterance, name=name, slots=slots or {},
                  confidence=confidence, source=source)
