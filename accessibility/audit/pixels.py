"""Colours as the screenshot shows them, to check what the renderer declared.

A renderer reports each widget's text and background colours, but what the customer
sees is the screenshot: a theme bug, a translucent overlay or an image behind the text
shows up only there. :func:`measure_text_colours` samples a widget's box and returns the
background (the most common colour) and the text colour (the colour, among those
covering at least ``min_share`` of the box, that contrasts most with the background).

PNGs are decoded by Kivy's image loader when Kivy is importable (fast, any PNG), else by
a small pure-Python decoder (8-bit RGB/RGBA, all filters; slow on big images).
"""

from __future__ import annotations

import struct
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..contrast import RGBA, contrast_ratio


@dataclass(frozen=True)
class Pixels:
    width: int
    height: int
    channels: int  # 3 (RGB) or 4 (RGBA)
    stride: int  # bytes per row
    data: bytes  # top row first

    def rgb(self, x: int, y: int) -> tuple[int, int, int]:
        i = y * self.stride + x * self.channels
        return (self.data[i], self.data[i + 1], self.data[i + 2])


def load_png(path: str | Path) -> Pixels:
    try:
        from ..kivy_adapter import decoded_png  # optional fast path

        decoded = decoded_png(str(path))
    except ImportError:
        decoded = None
    if decoded is None:
        return decode_png(Path(path).read_bytes())
    width, height, channels, data = decoded
    return Pixels(width, height, channels, len(data) // height, data)


def decode_png(raw: bytes) -> Pixels:
    """8-bit, non-interlaced RGB or RGBA PNG -> :class:`Pixels` (pure Python)."""
    if raw[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(raw):
        (length,), kind = struct.unpack(">I", raw[pos:pos + 4]), raw[pos + 4:pos + 8]
        body = raw[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if header is None:
        raise ValueError("PNG without IHDR")
    width, height, depth, ctype, _, _, interlace = header
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError("only 8-bit non-interlaced RGB/RGBA PNGs are supported")
    bpp = 3 if ctype == 2 else 4
    stride = width * bpp
    data = zlib.decompress(b"".join(idat))
    out = bytearray(height * stride)
    prev = bytearray(stride)
    for y in range(height):
        f = data[y * (stride + 1)]
        line = bytearray(data[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif f == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 0xFF
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        elif f != 0:
            raise ValueError(f"bad PNG filter {f}")
        out[y * stride:(y + 1) * stride] = line
        prev = line
    return Pixels(width, height, bpp, stride, bytes(out))


def measure_text_colours(px: Pixels, bbox: tuple[float, float, float, float],
                         min_share: float = 0.01, max_samples: int = 20000,
                         ) -> tuple[RGBA, RGBA] | None:
    """(text colour, background) seen inside ``bbox`` (top-left origin, screenshot px);
    None if the box is empty or of one colour (nothing drawn to measure)."""
    x0, y0 = max(0, int(bbox[0])), max(0, int(bbox[1]))
    x1 = min(px.width, int(bbox[0] + bbox[2]))
    y1 = min(px.height, int(bbox[1] + bbox[3]))
    if x1 <= x0 or y1 <= y0:
        return None
    area = (x1 - x0) * (y1 - y0)
    step = max(1, int((area / max_samples) ** 0.5))
    counts: Counter[tuple[int, int, int]] = Counter()
    for y in range(y0, y1, step):
        for x in range(x0, x1, step):
            counts[px.rgb(x, y)] += 1
    total = sum(counts.values())
    (bg, _), *rest = counts.most_common()
    if not rest:
        return None
    bg_c = _rgba(bg)
    candidates = [_rgba(c) for c, n in rest if n >= min_share * total]
    if not candidates:
        return None
    fg_c = max(candidates, key=lambda c: contrast_ratio(c, bg_c))
    return fg_c, bg_c


def _rgba(c: tuple[int, int, int]) -> RGBA:
    return (c[0] / 255, c[1] / 255, c[2] / 255, 1.0)
