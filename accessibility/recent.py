"""A bounded, thread-safe record of the newest items, for a kiosk that runs for months.

A bare ``collections.deque(maxlen=N)`` bounds the record but cannot be sliced, and reading
it while another thread appends raises "deque mutated during iteration" (a list never
did: the speaker thread appends while the UI and tests read). So appends and reads take
a lock, and every read works on a snapshot: ``r[i]`` is an item, ``r[a:b]`` a list.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from typing import Generic, SupportsIndex, TypeVar, overload

T = TypeVar("T")


class Recent(Generic[T]):
    """The newest ``maxlen`` items appended, oldest first."""

    def __init__(self, maxlen: int) -> None:
        if maxlen < 1:
            raise ValueError(f"keep at least one item, not {maxlen}")
        self.maxlen = maxlen
        self._items: deque[T] = deque(maxlen=maxlen)
        self._lock = threading.Lock()

    def append(self, item: T) -> None:
        with self._lock:
            self._items.append(item)

    def snapshot(self) -> list[T]:
        with self._lock:
            return list(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.snapshot())

    @overload
    def __getitem__(self, index: SupportsIndex) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: SupportsIndex | slice) -> T | list[T]:
        return self.snapshot()[index]

    def __repr__(self) -> str:
        return f"Recent({self.snapshot()!r}, maxlen={self.maxlen})"
