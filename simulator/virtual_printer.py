"""A virtual ESC/POS printer: listens on TCP (or a pseudo-terminal), decodes what it is
sent back into tickets, answers status queries, and can be switched off, run out of
paper or be unplugged.

What it decodes: text (code page 437, the ASCII the renderer prints as text) with its
size (``GS !``, ``ESC !``), bold and alignment; raster images (``GS v 0``) back into
bitmaps; feeds and cuts (a cut ends a ticket). It answers ``DLE EOT 1/2/4`` (real-time
status) and ``GS r 1`` (answered in turn, once what came before is "printed"), as a
real printer does. Any command it does not know is recorded in ``unknown`` so a test
can insist there are none.

Hangul arrives as raster lines; no OCR is available, so a test checks them honestly by
drawing the expected line with the renderer's own ``raster_line`` and comparing bitmaps,
and checks the order number, prices and English, which arrive as text, as text.

    printer = VirtualPrinter.tcp()          # printer.address == "127.0.0.1:PORT"
    ... kiosk file: [printer] kind = "network", address = printer.address
    printer.wait_for(2, timeout_s=5)        # the receipt and the kitchen ticket
    printer.copies_of(tickets_for(order, kiosk)[0], Paper(576))   # 1: printed once
    printer.set_state("out_of_paper")       # or "offline", "online"
"""

from __future__ import annotations

import logging
import os
import pty
import select
import socket
import threading
import time
import tty
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from untact.hardware.printer.escpos_render import TEXT_SCALE, Paper, is_text, raster_line, text_line
from untact.shop.tickets import Ticket

log = logging.getLogger(__name__)

ESC, GS, DLE, FS = 0x1B, 0x1D, 0x10, 0x1C
# Commands with a fixed number of argument bytes that change nothing this printer records.
ESC_SKIP = {ord("2"): 0, ord("3"): 1, ord("-"): 1, ord("M"): 1, ord("G"): 1, ord("J"): 1,
            ord("V"): 1, ord("{"): 1, ord("R"): 1, ord("c"): 2, ord("p"): 3, ord("t"): 1,
            ord(" "): 1, ord("$"): 2, ord("\\"): 2}
GS_SKIP = {ord("B"): 1, ord("b"): 1, ord("L"): 2, ord("W"): 2, ord("H"): 1, ord("f"): 1,
           ord("h"): 1, ord("w"): 1, ord("a"): 1}
DARK_IS_DOT = [255] * 128 + [0] * 128
ESC_ONE_ARG = {ord("!"), ord("E"), ord("a"), ord("d")}
ALIGNS = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}
STATES = ("online", "offline", "out_of_paper", "cover_open")


@dataclass(frozen=True)
class Raster:
    """A decoded raster image: ``rows`` of packed bits, 1 = a printed (black) dot."""

    width: int
    height: int
    rows: tuple[bytes, ...]

    @classmethod
    def from_image(cls, image) -> Raster:
        """Pack a Pillow image the way ``GS v 0`` sends it (dark pixels are dots)."""
        dots = image.convert("L").point(DARK_IS_DOT, "1")  # mode "1" packs rows, bit 1 = dot
        w, h = dots.size
        wb = (w + 7) // 8
        data = dots.tobytes()
        return cls(w, h, tuple(data[i * wb:(i + 1) * wb] for i in range(h)))

    def dots(self) -> int:
        return sum(bin(b).count("1") for row in self.rows for b in row)

    def to_image(self):
        from PIL import Image

        img = Image.new("1", (self.width, self.height), 1)
        for y, row in enumerate(self.rows):
            for x in range(self.width):
                if row[x // 8] & (0x80 >> (x % 8)):
                    img.putpixel((x, y), 0)
        return img


@dataclass(frozen=True)
class PrintedLine:
    text: str = ""  # a text line
    width: int = 1  # character scale, 1..8
    height: int = 1
    bold: bool = False
    align: str = "left"
    raster: Raster | None = None  # or an image


@dataclass
class PrintedTicket:
    lines: list[PrintedLine] = field(default_factory=list)
    cut: bool = False
    at: float = 0.0  # time.monotonic() of the cut

    def texts(self) -> list[str]:
        """The text lines as printed (raster lines left out)."""
        return [ln.text for ln in self.lines if ln.raster is None]

    def rasters(self) -> list[Raster]:
        return [ln.raster for ln in self.lines if ln.raster is not None]

    def differences(self, ticket: Ticket, paper: Paper) -> list[str]:
        """How this printout differs from ``ticket`` as the kiosk renders it on ``paper``
        (none: it is that ticket): text lines by their text, size, bold and alignment,
        Hangul lines by their bitmap against the same line drawn again, and the cut."""
        out = [] if self.cut else ["not cut"]
        if len(self.lines) != len(ticket.lines):
            return [*out, f"{len(self.lines)} lines printed, {len(ticket.lines)} expected"]
        for i, (got, want) in enumerate(zip(self.lines, ticket.lines, strict=True)):
            if is_text(want):
                scale = TEXT_SCALE[want.size]
                expected = (text_line(want, paper), scale, scale, want.bold, want.align)
                printed = (got.text, got.width, got.height, got.bold, got.align)
                if got.raster is not None or printed != expected:
                    out.append(f"line {i}: printed {printed}, expected {expected}")
            elif got.raster != Raster.from_image(raster_line(want, paper)):
                out.append(f"line {i}: the image is not {want.text!r}")
        return out

    def render_text(self) -> str:
        """For logs and the simulator panel: text lines, and each image as its size."""
        return "\n".join(ln.text if ln.raster is None else f"[image {ln.raster.width}x{ln.raster.height}]"
                         for ln in self.lines)


class EscposDecoder:
    """Bytes in, lines and tickets out; ``feed`` returns the replies the printer sends."""

    def __init__(self, status: Callable[[], str], on_ticket: Callable[[PrintedTicket], None]) -> None:
        self._status = status
        self._on_ticket = on_ticket
        self._buf = bytearray()
        self.unknown: list[bytes] = []
        self._reset()
        self._ticket = PrintedTicket()
        self._text = bytearray()

    def _reset(self) -> None:
        self.width, self.height, self.bold, self.align = 1, 1, False, "left"

    def feed(self, data: bytes) -> bytes:
        self._buf += data
        replies = bytearray()
        while self._buf:
            used, reply = self._step(self._buf)
            if used == 0:
                break  # an incomplete command: wait for more bytes
            del self._buf[:used]
            replies += reply
        return bytes(replies)

    def _step(self, b: bytearray) -> tuple[int, bytes]:
        c = b[0]
        if c == DLE:
            if len(b) < 3:
                return 0, b""
            if b[1] == 0x04:
                return 3, bytes([self._status_byte(b[2])])
            self.unknown.append(bytes(b[:3]))
            return 3, b""
        if self._status() in ("out_of_paper", "cover_open", "offline"):
            # not printing: data waits... a real printer would buffer; ours drops it, and
            # never answers GS r, so the kiosk knows it was not printed
            return 1, b""
        if c == 0x0A:
            self._end_text_line()
            return 1, b""
        if c == 0x0D:
            return 1, b""
        if c == ESC:
            return self._esc(b)
        if c == GS:
            return self._gs(b)
        if c >= 0x20:
            self._text.append(c)
            return 1, b""
        self.unknown.append(bytes([c]))
        return 1, b""

    def _esc(self, b: bytearray) -> tuple[int, bytes]:
        if len(b) < 2:
            return 0, b""
        cmd = b[1]
        if cmd == ord("@"):
            self._reset()
            return 2, b""
        if len(b) < 3 and (cmd in ESC_ONE_ARG or ESC_SKIP.get(cmd, 0) > 0):
            return 0, b""  # its argument has not arrived yet
        if cmd == ord("!"):
            n = b[2]
            self.bold = bool(n & 0x08)
            self.height = 2 if n & 0x10 else 1
            self.width = 2 if n & 0x20 else 1
            return 3, b""
        if cmd == ord("E"):
            self.bold = bool(b[2] & 1)
            return 3, b""
        if cmd == ord("a"):
            self.align = ALIGNS.get(b[2], "left")
            return 3, b""
        if cmd == ord("d"):  # feed: ends a line begun, prints no line of its own
            self._end_text_line(only_if_text=True)
            return 3, b""
        if cmd in ESC_SKIP:
            n = 2 + ESC_SKIP[cmd]
            return (n, b"") if len(b) >= n else (0, b"")
        self.unknown.append(bytes(b[:2]))
        return 2, b""

    def _gs(self, b: bytearray) -> tuple[int, bytes]:
        if len(b) < 3:
            return 0, b""
        cmd = b[1]
        if cmd == ord("!"):
            self.width, self.height = (b[2] >> 4) + 1, (b[2] & 0x0F) + 1
            return 3, b""
        if cmd == ord("V"):
            m = b[2]
            if m in (65, 66, 97, 98):
                if len(b) < 4:
                    return 0, b""
                self._cut()
                return 4, b""
            self._cut()
            return 3, b""
        if cmd == ord("r"):
            return 3, bytes([0x00])  # in turn: everything before it has been printed
        if cmd == ord("v"):
            if len(b) < 8:
                return 0, b""
            wb, h = b[4] | b[5] << 8, b[6] | b[7] << 8
            size = 8 + wb * h
            if len(b) < size:
                return 0, b""
            data = bytes(b[8:size])
            self._end_text_line(only_if_text=True)
            rows = tuple(data[i * wb:(i + 1) * wb] for i in range(h))
            self._ticket.lines.append(PrintedLine(raster=Raster(wb * 8, h, rows)))
            return size, b""
        if cmd in GS_SKIP:
            n = 2 + GS_SKIP[cmd]
            return (n, b"") if len(b) >= n else (0, b"")
        self.unknown.append(bytes(b[:2]))
        return 2, b""

    def _end_text_line(self, only_if_text: bool = False) -> None:
        if only_if_text and not self._text:
            return
        self._ticket.lines.append(PrintedLine(self._text.decode("cp437"), self.width, self.height,
                                              self.bold, self.align))
        self._text.clear()

    def _cut(self) -> None:
        self._end_text_line(only_if_text=True)
        ticket, self._ticket = self._ticket, PrintedTicket()
        ticket.cut, ticket.at = True, time.monotonic()
        self._on_ticket(ticket)

    def _status_byte(self, n: int) -> int:
        state = self._status()
        if n == 1:
            return 0x12 | (0x08 if state != "online" else 0)
        if n == 2:
            return 0x12 | {"cover_open": 0x04, "out_of_paper": 0x20}.get(state, 0)
        if n == 4:
            return 0x12 | (0x60 if state == "out_of_paper" else 0)
        return 0x12


class VirtualPrinter:
    """Records every ticket it is sent; ``tcp()`` or ``pty(folder)`` makes one listening."""

    def __init__(self) -> None:
        self.tickets: list[PrintedTicket] = []
        self.unknown: list[bytes] = []
        self.state = "online"
        self.connections = 0
        self._cond = threading.Condition()
        self._listeners: list[Callable[[PrintedTicket], None]] = []
        self._closed = False
        self._threads: list[threading.Thread] = []
        self.address = ""  # "127.0.0.1:PORT" for TCP
        self.device = ""  # the stable path for a pty printer
        self._server: socket.socket | None = None
        self._port = 0
        self._pty_master: int | None = None
        self._pty_slave = -1

    # -- making one ---------------------------------------------------------------------
    @classmethod
    def tcp(cls, port: int = 0) -> VirtualPrinter:
        printer = cls()
        printer._listen(port)
        printer.address = f"127.0.0.1:{printer._port}"
        return printer

    @classmethod
    def pty(cls, folder: str | Path) -> VirtualPrinter:
        """A serial printer on a pseudo-terminal, reached by a stable symlink in ``folder``
        (``printer.device``): unplugging removes it, plugging back makes a new pty."""
        printer = cls()
        printer.device = str(Path(folder) / "printer-tty")
        printer._plug()
        return printer

    # -- what tests do --------------------------------------------------------------------
    def subscribe(self, fn: Callable[[PrintedTicket], None]) -> None:
        """``fn(ticket)`` for each ticket cut, on the printer's thread."""
        self._listeners.append(fn)

    def copies_of(self, ticket: Ticket, paper: Paper) -> int:
        """How many times ``ticket`` came out (the browser and fault tests want 1)."""
        with self._cond:
            printed = list(self.tickets)
        texts = [text_line(ln, paper) for ln in ticket.lines if is_text(ln)]  # a cheap first sift
        return sum(not p.differences(ticket, paper) for p in printed if p.texts() == texts)

    def wait_for(self, count: int, timeout_s: float) -> list[PrintedTicket]:
        """Wait until at least ``count`` tickets were printed (TimeoutError if not)."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while len(self.tickets) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(self.tickets)} of {count} tickets printed in {timeout_s} s")
                self._cond.wait(left)
            return list(self.tickets)

    def set_state(self, state: str) -> None:
        """"online", "out_of_paper", "cover_open"; "offline" also refuses connections
        (a TCP printer switched off), and "online" takes them again on the same port."""
        if state not in STATES:
            raise ValueError(state)
        self.state = state
        if self._port:
            if state == "offline" and self._server is not None:
                self._stop_listening()
            elif state != "offline" and self._server is None and not self._closed:
                self._listen(self._port)

    def unplug(self) -> None:
        """A pty printer's cable pulled: its device path is gone."""
        Path(self.device).unlink(missing_ok=True)
        if self._pty_master is not None:
            master, self._pty_master = self._pty_master, None
            os.close(self._pty_slave)
            os.close(master)

    def plug(self) -> None:
        self._plug()

    def close(self) -> None:
        self._closed = True
        if self._server is not None:
            self._stop_listening()
        if self.device:
            self.unplug()
        for t in self._threads:
            t.join(timeout=5)

    # -- inside --------------------------------------------------------------------------
    def _record(self, ticket: PrintedTicket) -> None:
        with self._cond:
            self.tickets.append(ticket)
            self._cond.notify_all()
        for fn in list(self._listeners):
            try:
                fn(ticket)
            except Exception:
                log.exception("virtual printer listener failed")

    def _decoder(self) -> EscposDecoder:
        decoder = EscposDecoder(lambda: self.state, self._record)
        decoder.unknown = self.unknown  # one list for every connection
        return decoder

    def _listen(self, port: int) -> None:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", port))
        server.listen(8)
        self._server, self._port = server, server.getsockname()[1]
        self._spawn(self._accept, server)

    def _stop_listening(self) -> None:
        """Refuse new connections and drop the open ones (shutdown wakes the blocked
        accept(); close alone would leave the socket listening until it returns)."""
        server, self._server = self._server, None
        if server is not None:
            try:
                server.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            server.close()

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        self._threads = [t for t in self._threads if t.is_alive()]
        t = threading.Thread(target=target, args=args, name="virtual-printer", daemon=True)
        self._threads.append(t)
        t.start()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return  # closed: switched off
            self.connections += 1
            self._spawn(self._serve_socket, conn, server)

    def _serve_socket(self, conn: socket.socket, server: socket.socket) -> None:
        decoder = self._decoder()
        with conn:
            while self._server is server:  # switched off: its connections drop too
                if not select.select([conn], [], [], 0.05)[0]:
                    continue
                try:
                    data = conn.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                reply = decoder.feed(data)
                try:
                    conn.sendall(reply)
                except OSError:
                    return  # the kiosk hung up before the answer

    def _plug(self) -> None:
        master, slave = pty.openpty()
        tty.setraw(slave)
        name = os.ttyname(slave)
        self._pty_master, self._pty_slave = master, slave  # kept open: no EIO between kiosk opens
        link = Path(self.device)
        link.unlink(missing_ok=True)
        link.symlink_to(name)
        self._spawn(self._serve_pty, master)

    def _serve_pty(self, master: int) -> None:
        decoder = self._decoder()
        while self._pty_master == master:
            try:
                if not select.select([master], [], [], 0.05)[0]:
                    continue
                data = os.read(master, 65536)
            except OSError:  # unplugged
                return
            reply = decoder.feed(data)
            try:
                os.write(master, reply)
            except OSError:
                return  # unplugged
