"""The host side of the sensor boards: find, open, handshake, read events, survive replugs.

One :class:`BoardLink` serves every board. A supervisor thread looks for ports (USB id or
configured paths), opens each new one with pyserial and a ``serial.threaded.ReaderThread``
running a :class:`BoardProtocol`, sends heartbeats, resends unacknowledged commands and
declares a board lost after ``lost_after_s`` of silence (or at once when the port fails,
as on a USB unplug). A lost board's port is closed and looked for again, under any name,
so the kiosk keeps running and the board comes back by itself.

Reader threads turn board events into intents and ``InputBus.post()`` them: never Kivy.
The UI may call :meth:`BoardLink.set_led`, :meth:`BoardLink.buzz`, :meth:`BoardLink.send_all`
and :meth:`BoardLink.status` from any thread.

Untrusted input: every byte from a board goes through protocol.Decoder (bounded, CRC
checked); REPL text and tracebacks are logged as board output, never acted on; a frame
that fails anywhere is counted and dropped; nothing a board sends raises out of here.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import serial
import serial.threaded
from untact.accessibility.bus import InputBus
from untact.firmware import protocol

from .config import BoardsConfig
from .intents import event_to_intent
from .ports import PortInfo, find_ports

log = logging.getLogger(__name__)

HELLO_RETRY_S = 0.3
RETRY_PORT_S = 2.0  # wait before reopening a port that failed or never said hello
TEXT_LINES_PER_10S = 20  # board output logged per connection, the rest only counted
FAULT_REPORT_S = 60.0  # damaged frames and stray text: one warning a minute while they last
FAULT_NOTIFY_S = 1.0  # the merchant's devices screen sees the counts this often at most


@dataclass(frozen=True)
class BoardStatus:
    """What the UI can show about one board (immutable snapshot)."""

    board_id: str
    port: str
    state: str  # "connected" or "lost"
    firmware: str = ""
    caps: tuple[str, ...] = ()
    since: float = 0.0  # time.monotonic() of the last state change
    events: int = 0  # events turned into intents or passed to listeners
    bad_frames: int = 0  # damaged frames dropped (CRC, format, length)
    text_lines: int = 0  # stray text (REPL, tracebacks) logged
    missed: int = 0  # frames the board numbered but never arrived
    hand_mm: int | None = None  # last hover distance


@dataclass(frozen=True)
class BoardEvent:
    """A raw event as the board sent it, for listeners (hover included)."""

    board_id: str
    seq: int
    name: str
    value: str | None
    received: float  # time.perf_counter() when decoded


class Pending:
    """A command sent to one board; ``wait()`` until the board acknowledges it."""

    def __init__(self, board_id: str, args: tuple[str, ...]) -> None:
        self.board_id, self.args = board_id, args
        self.ok: bool | None = None
        self.error = ""
        self._done = threading.Event()
        self.sent_at = 0.0
        self.tries = 0
        self.seq = -1

    def finish(self, ok: bool, error: str = "") -> None:
        self.ok, self.error = ok, error
        self._done.set()

    def wait(self, timeout: float = 2.0) -> bool:
        """True if acknowledged OK within ``timeout``."""
        return self._done.wait(timeout) and bool(self.ok)

    def __repr__(self) -> str:
        return f"Pending({self.board_id}, {' '.join(self.args)}, ok={self.ok}, {self.error!r})"


class BoardReaderThread(serial.threaded.ReaderThread):
    """pyserial's ReaderThread, also ending cleanly on OSError.

    On a vanished device pyserial 3.5 raises a bare OSError (EIO) from ``in_waiting``,
    which the stock ReaderThread does not catch: the thread would die without calling
    ``connection_lost`` and the link would only notice the silence much later.
    """

    def run(self) -> None:
        self.protocol = self.protocol_factory()
        try:
            self.protocol.connection_made(self)
        except Exception as exc:
            self.alive = False
            self.protocol.connection_lost(exc)
            self._connection_made.set()
            return
        error: BaseException | None = None
        self._connection_made.set()
        while self.alive and self.serial.is_open:
            try:
                data = self.serial.read(self.serial.in_waiting or 1)
            except (serial.SerialException, OSError, TypeError) as exc:
                error = exc  # TypeError: pyserial closing the port under a blocked read
                break
            if data:
                try:
                    self.protocol.data_received(data)
                except Exception as exc:
                    error = exc
                    break
        self.alive = False
        self.protocol.connection_lost(error)
        self.protocol = None


class BoardProtocol(serial.threaded.Protocol):
    """pyserial's threaded Protocol: bytes from the reader thread into the connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def connection_made(self, transport: serial.threaded.ReaderThread) -> None:
        self.conn.on_open()

    def data_received(self, data: bytes) -> None:
        self.conn.on_data(data)

    def connection_lost(self, exc: BaseException | None) -> None:
        self.conn.on_port_failed(exc)


class Connection:
    """One open port and the board on it (if it has said hello)."""

    def __init__(self, link: BoardLink, port: PortInfo) -> None:
        self.link = link
        self.port = port
        self.decoder = protocol.Decoder()
        self.seq = protocol.Sequencer()
        self.lock = threading.Lock()
        self.reader: BoardReaderThread | None = None
        self.board_id: str | None = None
        self.boot = ""
        self.firmware = ""
        self.caps: tuple[str, ...] = ()
        self.connected = False
        self.failed = False
        self.closed = False  # dropped by the link: nothing it still reads is delivered
        self.opened_at = time.monotonic()
        self.last_rx = self.opened_at
        self.last_tx = 0.0
        self.last_hello_req = 0.0
        self.last_seq: int | None = None
        self.pending: dict[int, Pending] = {}
        self.text_window = (0.0, 0)

    # -- port ---------------------------------------------------------------------------

    def open(self) -> None:
        ser = serial.Serial(self.port.path, self.link.config.baud, timeout=None,
                            write_timeout=0.5, exclusive=True)
        self.reader = BoardReaderThread(ser, lambda: BoardProtocol(self))
        self.reader.name = f"board-reader {self.port.path}"
        self.reader.start()

    def close(self) -> None:
        reader, self.reader = self.reader, None
        if reader is not None and reader is not threading.current_thread():
            try:
                reader.close()
            except Exception as exc:  # closing a vanished device may fail: it is gone anyway
                log.debug("closing %s: %s", self.port.path, exc)
        with self.lock:
            pending, self.pending = list(self.pending.values()), {}
        for p in pending:
            p.finish(False, "board lost")

    def write(self, kind: str, args: list[str] | tuple[str, ...] = ()) -> int:
        with self.lock:
            seq = self.seq.next()
            frame = protocol.encode(kind, seq, args)
        reader = self.reader
        if reader is None:
            raise serial.SerialException("port closed")
        reader.write(frame)
        self.last_tx = time.monotonic()
        return seq

    # -- reader thread ------------------------------------------------------------------

    def on_open(self) -> None:
        self.hello_request()

    def hello_request(self) -> None:
        self.last_hello_req = time.monotonic()
        try:
            self.write(protocol.K_HELLO_REQ, [f"proto={protocol.PROTOCOL_VERSION}"])
        except (serial.SerialException, OSError) as exc:
            self.on_port_failed(exc)

    def on_port_failed(self, exc: BaseException | None) -> None:
        if not self.failed:
            self.failed = True
            if exc is not None:
                log.info("board port %s closed: %s", self.port.path, exc)

    def on_data(self, data: bytes) -> None:
        for item in self.decoder.feed(data):
            if self.closed:  # pyserial stops waiting for a busy reader after 2 s
                return
            if isinstance(item, protocol.Frame):
                try:
                    self.on_frame(item)
                except Exception:  # a board must never take the host down
                    log.exception("board %s: frame %r not handled", self.board_id, item)
            elif item.reason == "text":
                self.on_text(item.data)
            else:
                self.link.fault(self, bad_frames=1)
                log.debug("board %s: dropped %s frame %r", self.board_id, item.reason, item.data)

    def on_text(self, data: bytes) -> None:
        self.link.fault(self, text_lines=1)
        now = time.monotonic()
        start, n = self.text_window
        if now - start > 10:
            start, n = now, 0
        self.text_window = (start, n + 1)
        if n < TEXT_LINES_PER_10S:
            text = data.decode("utf-8", "replace").strip()
            log.info("board %s says: %s", self.board_id or self.port.path, text)

    def on_frame(self, frame: protocol.Frame) -> None:
        self.last_rx = time.monotonic()
        kind = frame.kind
        if kind == protocol.K_HELLO:
            self.on_hello(frame)
            return
        if not self.connected:
            return  # before the hello answers our request: stale bytes from an old session
        delta = None if self.last_seq is None else protocol.seq_delta(frame.seq, self.last_seq)
        if delta is not None and (delta == 0 or delta >= protocol.SEQ_MOD // 2):
            log.debug("board %s: repeated frame %d dropped", self.board_id, frame.seq)
            return
        if delta is not None and delta > 1:
            self.link.count(self, missed=delta - 1)
        self.last_seq = frame.seq
        if kind == protocol.K_EVENT and frame.args:
            name = frame.args[0]
            value = frame.args[1] if len(frame.args) > 1 else None
            self.link.deliver(self, BoardEvent(self.board_id or "", frame.seq, name, value,
                                               time.perf_counter()))
        elif kind == protocol.K_ACK and len(frame.args) >= 2 and frame.args[0].isdigit():
            with self.lock:
                p = self.pending.pop(int(frame.args[0]), None)
            if p is not None:
                ok = frame.args[1] == "ok"
                p.finish(ok, "" if ok else " ".join(frame.args[2:]) or "refused")

    def on_hello(self, frame: protocol.Frame) -> None:
        kv = frame.kv()
        board_id, boot = kv.get("id", ""), kv.get("boot", "")
        if kv.get("proto") != str(protocol.PROTOCOL_VERSION):
            log.error("board on %s speaks protocol %s; this kiosk speaks %d: flash the "
                      "firmware that came with this kiosk (make flash)", self.port.path,
                      kv.get("proto"), protocol.PROTOCOL_VERSION)
            self.failed = True
            return
        if not board_id:
            return
        same_session = self.connected and board_id == self.board_id and boot == self.boot
        if not same_session:
            if self.connected and self.board_id and self.board_id != board_id:
                self.link.mark_lost(self.board_id, self.port.path, "another board on its port")
            resumed = self.link.last_seq_of(board_id, boot)
            self.board_id, self.boot = board_id, boot
            self.firmware = kv.get("fw", "")
            self.caps = tuple(c for c in kv.get("caps", "").split(",") if c)
            self.last_seq = resumed
        delta = None if self.last_seq is None else protocol.seq_delta(frame.seq, self.last_seq)
        if delta is None or 0 < delta < protocol.SEQ_MOD // 2:
            self.last_seq = frame.seq
        if not same_session:  # first hello, or the board restarted: set it up (again)
            self.connected = True
            self.link.on_connected(self)

    # -- commands -----------------------------------------------------------------------

    def command(self, args: tuple[str, ...]) -> Pending:
        p = Pending(self.board_id or self.port.path, args)
        self.send_pending(p)
        return p

    def send_pending(self, p: Pending) -> None:
        with self.lock:
            seq = self.seq.next()
            p.seq, p.tries, p.sent_at = seq, p.tries + 1, time.monotonic()
            self.pending[seq] = p
            frame = protocol.encode(protocol.K_CMD, seq, p.args)
        reader = self.reader
        try:
            if reader is None:
                raise serial.SerialException("port closed")
            reader.write(frame)
            self.last_tx = time.monotonic()
        except (serial.SerialException, OSError) as exc:
            self.on_port_failed(exc)

    def resend_due(self, now: float, timeout: float, tries: int) -> None:
        with self.lock:
            due = [p for p in self.pending.values() if now - p.sent_at >= timeout]
            for p in due:
                del self.pending[p.seq]
        for p in due:
            if p.tries >= tries:
                p.finish(False, "no answer")
            else:  # same command again under a new number; the board acts on it once more,
                self.send_pending(p)  # which is harmless: every command sets a state


class BoardLink:
    """Every sensor board of the kiosk; see the module docstring."""

    def __init__(self, bus: InputBus, config: BoardsConfig | None = None, *,
                 on_change: Callable[[list[BoardStatus]], None] | None = None,
                 fault_report_s: float = FAULT_REPORT_S) -> None:
        self.bus = bus
        self.config = config or BoardsConfig()
        self.on_change = on_change
        self.fault_report_s = fault_report_s
        self._faults: dict[str, _Faults] = {}  # by port path: since the last warning
        self._faults_notified = (0.0, 0)  # when on_change last saw them, faults then
        self._lock = threading.RLock()
        self._conns: dict[str, Connection] = {}  # by real device path
        self._status: dict[str, BoardStatus] = {}  # by board id, lost boards included
        self._seqs: dict[tuple[str, str], int] = {}  # (board id, boot) -> last frame seq
        self._retry_at: dict[str, float] = {}
        self._listeners: list[Callable[[BoardEvent], None]] = []
        self._led: tuple[int, int, int] | None = None
        self._stop = threading.Event()
        self._changed = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None

    # -- life ---------------------------------------------------------------------------

    def start(self) -> BoardLink:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._supervise, name="board-link",
                                            daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        with self._lock:
            conns = list(self._conns.values())
            self._conns.clear()
            for c in conns:
                c.closed = True
        for c in conns:
            c.close()

    def __enter__(self) -> BoardLink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- for the UI (any thread) --------------------------------------------------------

    def status(self) -> list[BoardStatus]:
        """Every board seen since start, connected or lost, sorted by id."""
        with self._lock:
            return sorted(self._status.values(), key=lambda s: s.board_id)

    def wait_for(self, predicate: Callable[[list[BoardStatus]], bool],
                 timeout: float = 5.0) -> bool:
        """Block until ``predicate(status())`` holds (bounded); for tests and the simulator."""
        with self._changed:
            return self._changed.wait_for(lambda: predicate(self.status()), timeout)

    def connected_ids(self) -> list[str]:
        return [s.board_id for s in self.status() if s.state == "connected"]

    def add_listener(self, fn: Callable[[BoardEvent], None]) -> Callable[[], None]:
        """Call ``fn(BoardEvent)`` for every raw event (hover too), on a reader thread."""
        with self._lock:
            self._listeners.append(fn)
        return lambda: self._remove_listener(fn)

    def send_all(self, *args: str) -> list[Pending]:
        """Send one command (e.g. "led", "255", "0", "0") to every connected board."""
        args = tuple(str(a) for a in args)
        for a in args:
            if not protocol.valid_token(a):
                raise ValueError(f"not a valid command word: {a!r}")
        with self._lock:
            conns = [c for c in self._conns.values() if c.connected and not c.failed]
        return [c.command(args) for c in conns]

    def set_led(self, r: int, g: int, b: int) -> list[Pending]:
        """Status LED colour on every board (0..255 each); kept for boards that connect later."""
        for v in (r, g, b):
            if not (isinstance(v, int) and 0 <= v <= 255):
                raise ValueError(f"LED colour values must be 0..255, not {v!r}")
        self._led = (r, g, b)
        return self.send_all("led", str(r), str(g), str(b))

    def buzz(self, hz: int = 2000, ms: int = 200) -> list[Pending]:
        """A tone on every board's buzzer."""
        if not (20 <= hz <= 20000 and 0 <= ms <= 5000):
            raise ValueError("buzz needs 20..20000 Hz and 0..5000 ms")
        return self.send_all("buzz", str(hz), str(ms))

    def set_threshold(self, key: str, value: int) -> list[Pending]:
        return self.send_all("set", key, str(int(value)))

    # -- from connections ---------------------------------------------------------------

    def _remove_listener(self, fn: Callable[[BoardEvent], None]) -> None:
        with self._lock:
            if fn in self._listeners:
                self._listeners.remove(fn)

    def last_seq_of(self, board_id: str, boot: str) -> int | None:
        with self._lock:
            return self._seqs.get((board_id, boot))

    def deliver(self, conn: Connection, event: BoardEvent) -> None:
        """An event from ``conn``'s reader: posted and passed on, unless the link has
        dropped the connection (checked under the lock that drops it, so no event is
        posted once the board has been reported lost)."""
        intent = event_to_intent(event.name, event.value, event.board_id)
        with self._lock:
            if conn.closed:
                return
            if intent is not None:
                self.bus.post(intent)  # never blocks
            self._seqs[(event.board_id, conn.boot)] = event.seq
            listeners = list(self._listeners)
        extra = {}
        if event.name == "hover" and event.value and event.value.isdigit():
            extra["hand_mm"] = int(event.value)
        self.count(conn, events=1, **extra)
        for fn in listeners:
            if conn.closed:
                return
            try:
                fn(event)
            except Exception:
                log.exception("board event listener failed")

    def fault(self, conn: Connection, bad_frames: int = 0, text_lines: int = 0) -> None:
        """A damaged frame or a stray text line from ``conn``: counted on its board's
        status (the devices screen) and in the next warning (:meth:`_report_faults`)."""
        with self._lock:
            tally = self._faults.setdefault(conn.port.path, _Faults())
            tally.bad_frames += bad_frames
            tally.text_lines += text_lines
            tally.board_id = conn.board_id or tally.board_id
        self.count(conn, bad_frames=bad_frames, text_lines=text_lines)

    def count(self, conn: Connection, **fields: int) -> None:
        if conn.board_id is None:
            return
        with self._lock:
            st = self._status.get(conn.board_id)
            if st is None:
                return
            changes: dict[str, Any] = {k: (v if k == "hand_mm" else getattr(st, k) + v)
                                       for k, v in fields.items()}
            self._status[conn.board_id] = replace(st, **changes)
            self._changed.notify_all()

    def on_connected(self, conn: Connection) -> None:
        board_id = conn.board_id or ""
        log.info("board %s connected on %s (firmware %s, %s)", board_id, conn.port.path,
                 conn.firmware, ",".join(conn.caps))
        with self._lock:
            old = self._status.get(board_id)
            base = old if old is not None else BoardStatus(board_id, conn.port.path, "lost")
            self._status[board_id] = replace(base, port=conn.port.path, state="connected",
                                             firmware=conn.firmware, caps=conn.caps,
                                             since=time.monotonic())
            self._changed.notify_all()
        for key, value in self.config.thresholds.items():
            conn.command(("set", key, str(value)))
        if self._led is not None and "led" in conn.caps:
            conn.command(("led",) + tuple(str(v) for v in self._led))
        self._notify()

    def _notify(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change(self.status())
            except Exception:
                log.exception("board status listener failed")

    # -- supervisor thread --------------------------------------------------------------

    def _supervise(self) -> None:
        cfg = self.config
        tick = min(0.05, cfg.heartbeat_s / 2, cfg.scan_s)
        next_scan = 0.0
        while not self._stop.is_set():
            now = time.monotonic()
            try:
                if now >= next_scan:
                    next_scan = now + cfg.scan_s
                    self._scan(now)
                self._check(now)
                self._report_faults(now)
            except Exception:  # keep supervising whatever one port did
                log.exception("board link supervisor")
            self._stop.wait(tick)

    def _scan(self, now: float) -> None:
        try:
            ports = find_ports(self.config.ports, self.config.usb_vid)
        except Exception as exc:
            log.warning("cannot list serial ports: %s", exc)
            return
        for port in ports:
            with self._lock:
                if port.real in self._conns or self._retry_at.get(port.real, 0) > now:
                    continue
            conn = Connection(self, port)
            try:
                conn.open()
            except (serial.SerialException, OSError, ValueError) as exc:
                log.warning("cannot open board port %s: %s", port.path, exc)
                self._retry_at[port.real] = now + RETRY_PORT_S
                continue
            with self._lock:
                self._conns[port.real] = conn

    def _check(self, now: float) -> None:
        cfg = self.config
        with self._lock:
            conns = list(self._conns.items())
        for real, conn in conns:
            reason = None
            if conn.failed:
                reason = "port failed"
            elif conn.connected and now - conn.last_rx > cfg.lost_after_s:
                reason = f"silent for {now - conn.last_rx:.1f} s"
            elif not conn.connected and now - conn.opened_at > cfg.handshake_s:
                reason = "no hello"
                self._retry_at[real] = now + RETRY_PORT_S
            if reason is not None:
                self._drop(real, conn, reason)
                continue
            if not conn.connected:
                if now - conn.last_hello_req >= HELLO_RETRY_S:
                    conn.hello_request()
                continue
            if now - conn.last_tx >= cfg.heartbeat_s:
                try:
                    conn.write(protocol.K_BEAT)
                except (serial.SerialException, OSError) as exc:
                    conn.on_port_failed(exc)
            conn.resend_due(now, cfg.command_timeout_s, cfg.command_tries)

    def _report_faults(self, now: float) -> None:
        """Damaged frames and stray text, while they last: a warning per port at most
        every ``fault_report_s``, and the devices screen told the counts (at most every
        second). A board that sends garbage is otherwise silent at the default log level."""
        due = []
        with self._lock:
            for port, tally in self._faults.items():
                if (tally.bad_frames or tally.text_lines) and now - tally.reported_at >= self.fault_report_s:
                    due.append((port, replace(tally)))
                    tally.bad_frames = tally.text_lines = 0
                    tally.reported_at = now
            total = sum(s.bad_frames + s.text_lines for s in self._status.values())
        for port, tally in due:
            log.warning("board %s on %s: %d damaged frames and %d stray text lines since the last "
                        "report (at most one every %.0f s while they last): check its cable, and "
                        "reflash it if it keeps printing", tally.board_id or "(no hello yet)", port,
                        tally.bad_frames, tally.text_lines, self.fault_report_s)
        when, seen = self._faults_notified
        if total != seen and now - when >= FAULT_NOTIFY_S:
            self._faults_notified = (now, total)
            self._notify()

    def _drop(self, real: str, conn: Connection, reason: str) -> None:
        with self._lock:
            self._conns.pop(real, None)
            conn.closed = True  # under the lock deliver() holds: nothing is posted after
        conn.close()
        if conn.board_id is None:
            log.debug("port %s closed before a hello: %s", conn.port.path, reason)
            return
        self.mark_lost(conn.board_id, conn.port.path, reason)

    def mark_lost(self, board_id: str, port: str, reason: str) -> None:
        """Show ``board_id`` as lost, unless it has meanwhile come back on another port."""
        log.warning("board %s lost on %s: %s", board_id, port, reason)
        with self._lock:
            st = self._status.get(board_id)
            if st is not None and st.port == port and st.state == "connected":
                self._status[board_id] = replace(st, state="lost", since=time.monotonic())
            self._changed.notify_all()
        self._notify()


@dataclass
class _Faults:
    """A port's damaged frames and stray text lines since its last warning."""

    board_id: str = ""
    bad_frames: int = 0
    text_lines: int = 0
    reported_at: float = float("-inf")
