"""Small shared helpers for the shop tests: a settable clock and order lines."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import subprocess
from collections.abc import Iterator
from pathlib import Path


class FakeClock:
    """A wall clock the test moves by hand (named fake: it stands in for time itself)."""

    def __init__(self, start: dt.datetime = dt.datetime(2026, 3, 14, 11, 30)) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += dt.timedelta(**kw)

    def timestamp(self) -> float:
        return self.now.timestamp()


def lines(item: str = "americano", qty: int = 1, price: int = 4500, **choices: str) -> list[dict]:
    return [{"item": item, "name": {"ko": "아메리카노", "en": "Americano"}, "choices": choices,
             "quantity": qty, "unit_price": price}]


@contextlib.contextmanager
def tmpfs(folder: Path, options: str) -> Iterator[Path]:
    """A real tmpfs mounted on ``folder`` (``ro``, ``size=64k``...) for storage faults: root
    ignores file permissions but not a read-only or full file system. Skips the test where
    mounting is not allowed."""
    import pytest

    folder.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "untact-test", str(folder)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"needs root and permission to mount a tmpfs: mount said {r.stderr.strip()!r}")
    try:
        yield folder
    finally:  # lazily: a failed test may still hold a file open there
        subprocess.run(["umount", "--lazy", str(folder)], check=True)


def fill(folder: Path) -> None:
    """Write to ``folder`` until its file system is full (ENOSPC)."""
    with open(folder / "filler", "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 1024)
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
