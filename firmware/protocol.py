"""The untact board protocol: one implementation, run by the board (MicroPython) and the host.

A frame is one line of printable ASCII, readable in any serial terminal::

    @E 17 swipe right*3F1C\\n
     | |  |           |
     | |  |           CRC-16/CCITT-FALSE of the text between '@' and '*', 4 upper-case hex
     | |  arguments: up to MAX_ARGS tokens of [A-Za-z0-9_.,:=+-], each up to MAX_TOKEN long
     | sequence number 0..65535 (wraps), one counter per sender
     kind: one upper-case letter (see the K_* constants)

Why this shape: the board's USB serial also carries MicroPython's REPL prompt and any
traceback it prints. A line that does not start a frame is *text*: the host logs it as
board output and never turns it into an event. '@' cannot occur inside a frame, so a
decoder that sees '@' starts a new frame whatever came before (garbage without a newline
costs at most the frame it was glued to, never the next one). Every length is bounded:
input is untrusted on both ends.

Kinds:
    Q host->board  hello request: ``Q seq proto=1``            board answers with H
    H board->host  hello: ``H seq proto=1 id=.. fw=.. boot=.. caps=a,b,c``
    E board->host  event: ``E seq name [value]`` (names in EVENTS)
    B both ways    heartbeat: ``B seq``
    C host->board  command: ``C seq led r g b`` | ``C seq buzz hz ms`` | ``C seq set key value``
    A board->host  acknowledgement: ``A seq ok`` | ``A seq err reason`` (seq = the command's)

Must run on MicroPython: no f-strings with '=', no dataclasses, no typing at run time,
no double-underscore names, no ``del`` on bytearray slices.
"""

try:
    from binascii import crc_hqx as _crc_hqx  # type: ignore[attr-defined]  # CPython: in C
except ImportError:  # MicroPython
    _crc_hqx = None

PROTOCOL_VERSION = 1
MAX_FRAME = 120  # bytes from '@' to the last CRC digit
MAX_TEXT = 200  # longest stray text line kept for the log (the rest is cut)
MAX_ARGS = 8
MAX_TOKEN = 48
SEQ_MOD = 65536

K_HELLO_REQ = "Q"
K_HELLO = "H"
K_EVENT = "E"
K_BEAT = "B"
K_CMD = "C"
K_ACK = "A"
KINDS = "QHEBCA"

EVENTS = ("presence", "hover", "push", "swipe", "key", "jack")
SWIPES = ("left", "right", "up", "down")
KEYS = ("up", "down", "left", "right", "ok", "back", "help", "vol_up", "vol_down")

_TOKEN_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.,:=+-"
_TOKEN_OK = bytearray(256)
for _c in _TOKEN_CHARS:
    _TOKEN_OK[_c] = 1
_HEX = b"0123456789ABCDEF"


def _make_table():
    table = []
    for i in range(256):
        crc = i << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
        table.append(crc & 0xFFFF)
    return table


_TABLE = _make_table()


def crc16(data, crc=0xFFFF):
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF); crc16(b"123456789") == 0x29B1."""
    if _crc_hqx is not None:
        return _crc_hqx(data, crc)
    table = _TABLE
    for b in data:
        crc = ((crc << 8) & 0xFFFF) ^ table[(crc >> 8) ^ b]
    return crc


def crc16_table(data, crc=0xFFFF):
    """The table-driven CRC the board uses; kept callable so tests compare both."""
    table = _TABLE
    for b in data:
        crc = ((crc << 8) & 0xFFFF) ^ table[(crc >> 8) ^ b]
    return crc


def valid_token(tok):
    """True if ``tok`` (str or bytes) may be a frame argument."""
    if isinstance(tok, str):
        tok = tok.encode()
    if not tok or len(tok) > MAX_TOKEN:
        return False
    ok = _TOKEN_OK
    for c in tok:
        if not ok[c]:
            return False
    return True


def encode(kind, seq, args=()):
    """The bytes of one frame; raises ValueError for anything the decoder would refuse."""
    if len(kind) != 1 or kind not in KINDS:
        raise ValueError("bad kind")
    if not isinstance(seq, int) or seq < 0 or seq >= SEQ_MOD:
        raise ValueError("bad seq")
    if len(args) > MAX_ARGS:
        raise ValueError("too many args")
    parts = [kind, str(seq)]
    for a in args:
        a = str(a)
        if not valid_token(a):
            raise ValueError("bad token")
        parts.append(a)
    body = " ".join(parts).encode()
    crc = crc16(body)
    out = b"@" + body + b"*" + bytes((_HEX[crc >> 12], _HEX[(crc >> 8) & 15],
                                      _HEX[(crc >> 4) & 15], _HEX[crc & 15])) + b"\n"
    if len(out) - 1 > MAX_FRAME:
        raise ValueError("frame too long")
    return out


class Frame:
    """One decoded, CRC-checked frame."""

    def __init__(self, kind, seq, args):
        self.kind = kind
        self.seq = seq
        self.args = args

    def kv(self):
        """Arguments of the form key=value as a dict (the hello's fields)."""
        out = {}  # type: dict[str, str]
        for a in self.args:
            i = a.find("=")
            if i > 0:
                out[a[:i]] = a[i + 1:]
        return out

    def __eq__(self, other):
        return (isinstance(other, Frame) and self.kind == other.kind
                and self.seq == other.seq and self.args == other.args)

    def __repr__(self):
        return "Frame(%r, %d, %r)" % (self.kind, self.seq, self.args)


class Junk:
    """Bytes that are not a valid frame: ``reason`` is text, crc, format or long.

    ``text`` lines are what the REPL or a traceback printed: the host logs them as board
    output. The other reasons are damaged frames: counted, never acted on.
    """

    def __init__(self, reason, data):
        self.reason = reason
        self.data = data[:MAX_TEXT]

    def __repr__(self):
        return "Junk(%r, %r)" % (self.reason, self.data)


def parse_body(body):
    """The Frame in ``body`` (the bytes between '@' and the newline), or a reason string."""
    n = len(body)
    if n > MAX_FRAME - 1:
        return "long"
    if n < 8 or body[n - 5] != 42:  # 42 == '*'
        return "format"
    text = body[:n - 5]
    crc = 0
    for c in body[n - 4:]:
        d = _HEX.find(bytes((c,)))
        if d < 0:
            return "format"
        crc = (crc << 4) | d
    if crc16(text) != crc:
        return "crc"
    parts = text.split(b" ")
    if len(parts) < 2 or len(parts) > MAX_ARGS + 2:
        return "format"
    kind = parts[0]
    if len(kind) != 1 or KINDS.find(chr(kind[0])) < 0:
        return "format"
    seq_b = parts[1]
    if not seq_b or len(seq_b) > 5 or not seq_b.isdigit():
        return "format"
    seq = int(seq_b)
    if seq >= SEQ_MOD:
        return "format"
    args = []
    for p in parts[2:]:
        if not valid_token(p):
            return "format"
        args.append(p.decode())
    return Frame(chr(kind[0]), seq, args)


class Decoder:
    """Turns a byte stream into Frames and Junk; never raises on any input.

    Memory is bounded: at most MAX_FRAME + MAX_TEXT bytes are held between feeds.
    """

    def __init__(self):
        self._buf = b""
        self.frames = 0
        self.bad = 0  # damaged frames (crc, format, long)
        self.text = 0  # stray text lines

    def feed(self, data):
        """Decode ``data`` (bytes) and return the list of Frame and Junk items it completed."""
        out = []  # type: list[Frame | Junk]
        buf = self._buf + bytes(data) if self._buf else bytes(data)
        start = 0
        while True:
            nl = buf.find(b"\n", start)
            if nl < 0:
                break
            self._line(buf[start:nl], out)
            start = nl + 1
        rest = buf[start:] if start else buf
        if len(rest) > MAX_FRAME + MAX_TEXT:
            # No newline for too long. Keep a frame that may still be arriving; the text
            # before it, or an overlong frame, is reported now so memory stays bounded.
            at = rest.rfind(b"@")
            if at >= 0 and len(rest) - at <= MAX_FRAME + 1:
                self._junk(rest[:at], out)
                rest = rest[at:]
            else:
                self._junk(rest, out)
                rest = b""
        self._buf = rest
        return out

    def reset(self):
        """Forget a partial line (after the port was reopened)."""
        self._buf = b""

    def _junk(self, data, out):
        if not data:
            return
        at = data.find(b"@")
        if at == 0:
            self.bad += 1
            out.append(Junk("long", data))
            return
        self.text += 1
        out.append(Junk("text", data))

    def _line(self, line, out):
        if line and line[-1] == 13:  # '\r' from a terminal or the REPL
            line = line[:-1]
        at = line.rfind(b"@")
        if at < 0:
            if line.strip():
                self.text += 1
                out.append(Junk("text", line))
            return
        if at > 0:
            prefix = line[:at]
            if prefix[0] == 64:  # '@': a frame cut short by a new one (the sender reset)
                self.bad += 1
                out.append(Junk("format", prefix))
            elif prefix.strip():
                self.text += 1
                out.append(Junk("text", prefix))
        item = parse_body(line[at + 1:])
        if isinstance(item, Frame):
            self.frames += 1
            out.append(item)
        else:
            self.bad += 1
            out.append(Junk(item, line[at:]))


class Sequencer:
    """The sender's side of sequence numbers: 0, 1, ... 65535, 0, ..."""

    def __init__(self, start=0):
        self.value = start % SEQ_MOD

    def next(self):
        v = self.value
        self.value = (v + 1) % SEQ_MOD
        return v


def seq_delta(new, last):
    """How far ``new`` is ahead of ``last`` modulo 2**16: 1 is in order, 0 a repeat.

    Values in the upper half mean "behind" (a repeat or a restarted sender).
    """
    return (new - last) % SEQ_MOD


def hello_args(board_id, firmware, boot, caps):
    """The arguments of a board's H frame."""
    return ["proto=%d" % PROTOCOL_VERSION, "id=" + board_id, "fw=" + firmware,
            "boot=" + boot, "caps=" + ",".join(caps)]
