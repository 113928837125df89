"""Focus model: one focused target at a time, moved through a screen in reading order.

Pure logic, no Kivy: targets are anything with a ``focus_box`` (x, y, width, height in
window coordinates with y growing upwards, as in Kivy) and an ``enabled`` flag. Screens
get keyboard, keypad, swipe and voice navigation for free by listing their targets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar


class Focusable(Protocol):
    @property
    def focus_box(self) -> tuple[float, float, float, float]: ...

    @property
    def enabled(self) -> bool: ...


T = TypeVar("T", bound=Focusable)


def reading_order(targets: Sequence[T], row_tolerance: float = 0.5) -> list[T]:
    """Sort targets top-to-bottom, then left-to-right within a row.

    Two targets are in the same row when their vertical centres differ by less than
    ``row_tolerance`` times the smaller height, so slightly misaligned buttons of one row
    are not split into two rows.
    """
    def centre_y(t: T) -> float:
        x, y, w, h = t.focus_box
        return y + h / 2

    items = sorted(targets, key=lambda t: -centre_y(t))  # top first (Kivy y grows upwards)
    rows: list[list[T]] = []
    for t in items:
        h = t.focus_box[3]
        if rows:
            ref = rows[-1][0]
            tol = row_tolerance * min(h, ref.focus_box[3])
            if abs(centre_y(ref) - centre_y(t)) < tol:
                rows[-1].append(t)
                continue
        rows.append([t])
    ordered: list[T] = []
    for row in rows:
        ordered.extend(sorted(row, key=lambda t: t.focus_box[0]))
    return ordered


class FocusModel(Generic[T]):
    """Where the focus is on the current screen and how NEXT and PREVIOUS move it.

    Generic in the target type, so callers get back the widgets they put in (the kiosk
    uses ``FocusModel[KioskButton]``). Focus wraps around at both ends: a blind customer
    who swipes past the last button hears the first again instead of silence.
    """

    def __init__(self) -> None:
        self._targets: list[T] = []
        self._index: int | None = None

    @property
    def targets(self) -> list[T]:
        return list(self._targets)

    @property
    def current(self) -> T | None:
        if self._index is None or not self._targets:
            return None
        return self._targets[self._index]

    def set_targets(self, targets: Sequence[T], keep: T | None = None,
                    ordered: bool = False) -> None:
        """Replace the targets (in reading order unless ``ordered``), keeping ``keep``
        focused if it is still present, else the first enabled target."""
        self._targets = list(targets) if ordered else reading_order(targets)
        self._index = None
        if keep is not None and keep in self._targets and keep.enabled:
            self._index = self._targets.index(keep)
        else:
            self._index = self._first_enabled(0, +1)

    def focus(self, target: T) -> bool:
        if target in self._targets and target.enabled:
            self._index = self._targets.index(target)
            return True
        return False

    def next(self) -> T | None:
        return self._move(+1)

    def previous(self) -> T | None:
        return self._move(-1)

    def _move(self, step: int) -> T | None:
        if not self._targets:
            return None
        if self._index is None:
            begin = len(self._targets) - 1 if step < 0 else 0
        else:
            begin = (self._index + step) % len(self._targets)
        found = self._first_enabled(begin, step)
        if found is not None:
            self._index = found
        return self.current

    def _first_enabled(self, start: int, step: int) -> int | None:
        n = len(self._targets)
        for i in range(n):
            idx = (start + i * step) % n
            if self._targets[idx].enabled:
                return idx
        return None
