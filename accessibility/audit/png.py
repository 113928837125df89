"""A tiny PNG writer (stdlib zlib) for fixture screenshots: flat boxes, no fonts.

The real screenshots come from Kivy; the audit's own fixtures only need a picture of
where their widgets are, and pulling in Pillow for that would be a needless dependency.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from ..contrast import RGBA


class Canvas:
    def __init__(self, width: int, height: int, colour: RGBA) -> None:
        self.width, self.height = width, height
        self._rows = [bytearray(_rgb(colour) * width) for _ in range(height)]

    def rect(self, x: float, y: float, w: float, h: float, colour: RGBA) -> None:
        x0, y0 = max(0, int(x)), max(0, int(y))
        x1, y1 = min(self.width, int(x + w)), min(self.height, int(y + h))
        if x1 <= x0 or y1 <= y0:
            return
        fill = _rgb(colour) * (x1 - x0)
        for row in self._rows[y0:y1]:
            row[x0 * 3:x1 * 3] = fill

    def frame(self, x: float, y: float, w: float, h: float, colour: RGBA, width: int) -> None:
        self.rect(x - width, y - width, w + 2 * width, width, colour)
        self.rect(x - width, y + h, w + 2 * width, width, colour)
        self.rect(x - width, y, width, h, colour)
        self.rect(x + w, y, width, h, colour)

    def save(self, path: str | Path) -> None:
        raw = b"".join(b"\x00" + bytes(row) for row in self._rows)
        ihdr = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        Path(path).write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr)
                               + _chunk(b"IDAT", zlib.compress(raw, 6)) + _chunk(b"IEND", b""))


def _rgb(colour: RGBA) -> bytes:
    return bytes(round(max(0.0, min(1.0, c)) * 255) for c in colour[:3])


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def read_size(path: str | Path) -> tuple[int, int]:
    """Width and height of a PNG (the report scales outlines by them)."""
    head = Path(path).read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    return struct.unpack(">II", head[16:24])
