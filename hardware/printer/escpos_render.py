"""A ticket as ESC/POS bytes, made with python-escpos.

Hangul is printed as raster images (``GS v 0``), not through a code page. Printing
Korean as text needs the printer's double-byte mode (``FS &`` with KS X 1001 / EUC-KR),
which only Korean-market models have and each enables differently; a raster line
prints the same on every ESC/POS printer, with the kiosk's own font (Nanum Gothic, the
one the screen uses). The cost is bytes: a line of Korean is about 1.5 KB instead of
40, which a network or USB printer takes in milliseconds. Lines that are plain ASCII
(the order number, prices, rules) stay text, so they print at the printer's speed and
the number can be scaled by the printer itself (``GS !``, six times).
"""

from __future__ import annotations

import atexit
import copy
import functools
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from untact.shop.tickets import Ticket, TicketLine

if TYPE_CHECKING:  # imported where used: python-escpos takes 0.5 s to import, which the
    from PIL import Image, ImageFont  # kiosk must not spend before its first frame

FONT_DOTS = 12  # width of the printer's font A, in dots
TEXT_SCALE = {"normal": 1, "large": 2, "huge": 6}
RASTER_PX = {"normal": 24, "large": 40, "huge": 96}  # Hangul glyph height, in dots
FONT_FOLDERS = ("/usr/share/fonts/truetype/nanum", "/usr/share/fonts/opentype/nanum")
REGULAR, BOLD = "NanumGothic.ttf", "NanumGothicBold.ttf"
THRESHOLD = [0] * 128 + [255] * 128  # grey anti-aliasing to dots: darker than half prints


class FontMissing(Exception):
    """No font for Hangul: install Debian's fonts-nanum or set [printer] font."""


@dataclass(frozen=True)
class Paper:
    width_dots: int = 576  # 80 mm paper at 203 dpi; 58 mm paper is 384
    font: str = ""  # a TrueType file with Hangul; "" = Nanum Gothic from fonts-nanum

    def chars(self, scale: int = 1) -> int:
        return self.width_dots // (FONT_DOTS * scale)


def font_file(paper: Paper, bold: bool) -> str:
    if paper.font:
        return paper.font
    for folder in FONT_FOLDERS:
        path = Path(folder) / (BOLD if bold else REGULAR)
        if path.is_file():
            return str(path)
    raise FontMissing("no Korean font for the printer: install fonts-nanum or set [printer] font")


@functools.lru_cache(maxsize=16)
def _font(path: str, px: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(path, px)


def is_text(line: TicketLine) -> bool:
    """Printed as the printer's own text (plain printable ASCII), else as a raster image."""
    return all(" " <= ch <= "~" for ch in line.text + line.right)


def raster_line(line: TicketLine, paper: Paper) -> Image.Image:
    """The line drawn as a 1-bit image the width of the paper (black = printed dot).

    The virtual printer's tests draw the expected line with this same function and
    compare it with the bitmap decoded from the printer's bytes."""
    from PIL import Image, ImageDraw

    px = RASTER_PX[line.size]
    font = _font(font_file(paper, line.bold), px)
    height = px + px // 4
    img = Image.new("L", (paper.width_dots, height), 255)
    draw = ImageDraw.Draw(img)
    width = draw.textlength(line.text, font=font)
    x = {"left": 0.0, "center": (paper.width_dots - width) / 2,
         "right": paper.width_dots - width}[line.align]
    draw.text((max(0.0, x), 0), line.text, font=font, fill=0)
    if line.right:
        draw.text((paper.width_dots - draw.textlength(line.right, font=font), 0), line.right,
                  font=font, fill=0)
    return img.point(THRESHOLD, "1")


def text_line(line: TicketLine, paper: Paper) -> str:
    """The text of an ASCII line, with its right column padded flush right."""
    if not line.right:
        return line.text
    room = paper.chars(TEXT_SCALE[line.size]) - len(line.right)
    return line.text[: max(0, room - 1)].ljust(max(0, room)) + line.right


@functools.cache
def _escpos_dummy() -> type:
    """python-escpos's in-memory printer, imported with two of its import's side effects
    contained. It pickles its 70 KB printer database into a folder and reads it back in
    later processes; a shared folder races (two kiosks starting together: one reads the
    pickle half written by the other, EOFError) and a process killed while writing leaves
    a truncated pickle for good. So each process gets a folder of its own, removed when it
    exits (the pickle then costs ~0.2 s once per process; 3.1 also leaves an empty folder
    of its own per process: its default is computed even when not used). And it calls
    ``logging.basicConfig()``, which on a root logger without handlers would start
    printing every library's log records (Kivy's INFO lines) to stderr: a placeholder
    handler makes that call do nothing."""
    folder = tempfile.mkdtemp(prefix="untact-escpos-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = folder
    root = logging.getLogger()
    placeholder = logging.NullHandler()
    root.addHandler(placeholder)
    try:
        from escpos.printer import Dummy
    finally:
        root.removeHandler(placeholder)
    return Dummy


def render(ticket: Ticket, paper: Paper) -> bytes:
    """The whole ticket: initialise, each line, feed and a partial cut."""
    Dummy = _escpos_dummy()
    p = Dummy()
    p.profile.profile_data = copy.deepcopy(p.profile.profile_data)  # shared by the class
    p.profile.profile_data["media"]["width"]["pixels"] = paper.width_dots
    p.hw("INIT")
    for line in ticket.lines:
        if is_text(line):
            scale = TEXT_SCALE[line.size]
            p.set(align=line.align, bold=line.bold, custom_size=scale > 1, width=scale,
                  height=scale, normal_textsize=scale == 1)
            p.text(text_line(line, paper) + "\n")
        else:
            p.set(align="left", bold=False, normal_textsize=True)
            p.image(raster_line(line, paper), impl="bitImageRaster")
    p.set(align="left", bold=False, normal_textsize=True)
    p.cut(mode="PART", feed=True)
    return bytes(p.output)


__all__ = ["FontMissing", "Paper", "raster_line", "render", "text_line"]
