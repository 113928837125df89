"""Give freed memory back to the system: when a customer leaves, and after a big free.

glibc keeps the memory a program frees for its next allocations; in a long-running kiosk
that rebuilds its screens' widgets for every customer, the freed pieces are scattered
through the heap and the resident size creeps up with nothing in use (measured with the
screen drawn: ~17 MB returned per call after a customer, the day's growth from the first
hour 4 % -> under 2 %; simulator/bench/memory_rendered_day.py). ``malloc_trim`` hands whole free pages
back; it takes a few milliseconds, so it runs only when the kiosk goes back to rest.

The same after a speech model is replaced (Vosk's Korean model by the menu's strict
grammar: hardware/voice/recognizers.py): the old model's ~340 MB, freed, stayed resident
until trimmed (simulator/bench/memory_voice.py). Here, in the stdlib-only layer, so that
devices and UI share the one implementation.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], object] | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        trim: Callable[[int], object] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to give back this way
        return None
    return trim


def return_free_memory() -> None:
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
