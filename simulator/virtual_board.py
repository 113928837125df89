"""Virtual sensor boards: the real firmware/main.py on CPython, on a real pseudo-terminal.

Each VirtualBoard runs ``untact.firmware.main.main`` (the very file flashed onto a Pico) in
its own thread with a FakeMachine (simulator/fake_machine.py) whose sensors the simulator
drives, and a pseudo-terminal pair: the firmware holds the master side, the kiosk's host
link opens the slave (``board.port``) exactly like a USB serial device.

With ``link_dir`` the board also appears as ``<link_dir>/ttyACM<n>`` (a symlink to the pty),
so a host link configured with ``ports = ["<link_dir>/ttyACM*"]`` finds it like a kernel
device name; ``replug(new_name=True)`` brings it back under a different name.

    board = VirtualBoard("sim-1", link_dir=tmp).start()
    board.swipe("right"); board.press("ok"); board.push(); board.set_presence(True)
    board.unplug(); board.replug(new_name=True); board.stop()
"""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import termios
import threading
import time
import tty
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from untact.firmware import main as firmware_main
from untact.firmware import protocol

from .fake_machine import FakeMachine, FakeWorld

if TYPE_CHECKING:
    from untact.firmware.board import Board

DRAIN_S = 2.0


@dataclass(frozen=True)
class SentEvent:
    """An event the firmware sent, with the time it was made (time.perf_counter())."""

    boot: str
    seq: int
    name: str
    value: object
    created: float


class PtyPort:
    """The firmware's side of the pty: non-blocking reads and whole-frame writes."""

    def __init__(self, master_fd: int) -> None:
        self.fd = master_fd
        self.lock = threading.Lock()
        self.dropped_bytes = 0
        self.closed = False

    def read(self, n: int = 512) -> bytes:
        if self.closed:
            return b""
        try:
            return os.read(self.fd, n)
        except (BlockingIOError, InterruptedError):
            return b""
        except OSError:
            return b""

    def write(self, data: bytes) -> None:
        with self.lock:
            if self.closed:
                return
            view = memoryview(bytes(data))
            deadline = time.monotonic() + 0.05
            while view:
                try:
                    n = os.write(self.fd, view)
                    view = view[n:]
                except BlockingIOError:  # nobody reads the port: drop like a real USB CDC
                    if time.monotonic() > deadline:
                        self.dropped_bytes += len(view)
                        return
                    time.sleep(0.001)
                except OSError:
                    self.dropped_bytes += len(view)
                    return


class SimClock:
    """Milliseconds since power-on; sleeps end at once when the board is switched off."""

    def __init__(self, wake: threading.Event) -> None:
        self.t0 = time.monotonic()
        self.wake = wake

    def ms(self) -> int:
        return int((time.monotonic() - self.t0) * 1000)

    def sleep_ms(self, ms: int) -> None:
        self.wake.wait(ms / 1000)


class VirtualBoard:
    """One simulated sensor board. See the module docstring for the whole API."""

    def __init__(self, board_id: str = "sim-1", link_dir: str | Path | None = None,
                 loop_ms: int = 2) -> None:
        self.board_id = board_id
        self.link_dir = Path(link_dir) if link_dir is not None else None
        self.loop_ms = loop_ms
        self.world = FakeWorld()
        self.events: list[SentEvent] = []
        self.boots: list[str] = []
        self.firmware: Board | None = None  # the running firmware's Board object
        self._events_cond = threading.Condition()
        self._master: int | None = None
        self._slave: int | None = None
        self._port: PtyPort | None = None
        self._device: str | None = None
        self._link: Path | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._lock = threading.RLock()
        self._crashed: BaseException | None = None
        self._last_names: tuple[str | None, str | None] = (None, None)
        self.drain_timeouts = 0
        self._dropped_bytes = 0  # unplugs that cut bytes the host had not read yet

    @staticmethod
    def ports_pattern(link_dir: str | Path) -> str:
        """The glob to put in BoardsConfig.ports so a host link finds boards of ``link_dir``."""
        return str(Path(link_dir) / "ttyACM*")

    # -- power and cable ----------------------------------------------------------------

    def start(self) -> VirtualBoard:
        """Plug the board in and power it on."""
        with self._lock:
            if self._master is None:
                self._open_pty(None)
            self._boot()
        return self

    @property
    def port(self) -> str:
        """The path a host link opens: the ttyACM symlink if link_dir was given, else the pty."""
        if self._link is not None:
            return str(self._link)
        if self._device is None:
            raise RuntimeError("board is unplugged")
        return self._device

    @property
    def device(self) -> str | None:
        """The pseudo-terminal's own name (/dev/pts/N), None while unplugged."""
        return self._device

    @property
    def plugged(self) -> bool:
        return self._master is not None

    def unplug(self, drain: bool = True) -> None:
        """Pull the USB cable: the firmware stops (no power) and the port disappears.

        With ``drain`` the bytes the firmware already wrote are left for the host to read
        first (bounded at DRAIN_S), as a USB host controller had them before the cable went;
        ``drain=False`` cuts the line wherever it is, mid-frame included. (Best effort: the
        kernel may still hold bytes in the pty's flip buffer that no count shows, so a
        test that must not lose data waits for the host to have them before unplugging.)
        """
        with self._lock:
            self._halt()
            if drain:
                self._drain()
            self._close_pty()

    def _drain(self) -> None:
        """Wait (at most DRAIN_S) until the host has read what the firmware wrote."""
        if self._slave is not None:
            deadline = time.monotonic() + DRAIN_S
            while _pending(self._slave) > 0:
                if time.monotonic() > deadline:
                    self.drain_timeouts += 1
                    return
                time.sleep(0.002)

    def replug(self, new_name: bool = False) -> None:
        """Plug the cable back in: a fresh boot; ``new_name`` gives a different device name
        (another /dev/pts number and, with link_dir, another ttyACM number)."""
        with self._lock:
            old = (self._master, self._slave, self._port, self._device, self._link)
            if self._master is not None:
                self._halt()
                self._drain()
                if not new_name:
                    self._close_pty()
                    old = (None, None, None, None, None)
            avoid_link = avoid_dev = None
            if new_name:
                avoid_link, avoid_dev = self._last_names
            if old[4] is not None:  # the old name disappears with the old device ...
                _unlink(old[4])
            self._open_pty(avoid_link, avoid_dev)  # ... while the old pty holds its number
            if old[0] is not None:
                if old[2] is not None:
                    with old[2].lock:
                        old[2].closed = True
                    self._dropped_bytes += old[2].dropped_bytes
                for fd in old[:2]:
                    _close_fd(fd)
            self._boot()

    def reset(self) -> None:
        """Press the reset button: the firmware restarts (new boot, sequence from 0)."""
        with self._lock:
            self._halt()
            self._boot()

    def hang(self) -> None:
        """The firmware freezes (a deadlock, a stuck I2C bus): the port stays, nothing is sent.

        The host must declare the board lost after its silence; ``reset()`` revives it."""
        with self._lock:
            self._halt()

    def stop(self) -> None:
        """Power off and remove the port; the object can start() again."""
        with self._lock:
            self._halt()
            self._close_pty()

    # -- the world in front of the board ------------------------------------------------

    def set_distance(self, mm: int | None) -> None:
        """Hand or body at ``mm`` from the distance sensor; None for nothing in range."""
        self.world.set_distance(mm)

    def push(self, start_mm: int = 260, end_mm: int = 30) -> None:
        """A hand poking toward the screen through the touch plane, then going away."""
        step = (start_mm - end_mm) / 5
        samples: list[int | None] = [int(start_mm - i * step) for i in range(6)]
        self.world.script_distance(samples + [end_mm, end_mm + 120], None)

    def swipe(self, direction: str) -> None:
        self.world.swipe(direction)

    def press(self, key: str) -> None:
        if key not in protocol.KEYS:
            raise ValueError(f"no such key {key!r}; keys are {', '.join(protocol.KEYS)}")
        self.world.press(key)

    def set_presence(self, present: bool) -> None:
        """The PIR sees someone (True) or no one (False)."""
        with self.world.lock:
            self.world.pir = bool(present)

    def plug_jack(self, inserted: bool = True) -> None:
        with self.world.lock:
            self.world.jack_inserted = bool(inserted)

    def inject_noise(self, data: bytes) -> None:
        """Write raw bytes on the line between frames (REPL text, a traceback, garbage)."""
        if self._port is None:
            raise RuntimeError("board is unplugged")
        self._port.write(bytes(data))

    @property
    def dropped_bytes(self) -> int:
        """Bytes the firmware wrote that the line could not take (nobody reading)."""
        return self._dropped_bytes + (self._port.dropped_bytes if self._port else 0)

    @property
    def led(self) -> tuple[int, int, int]:
        return self.world.led

    @property
    def buzzer_hz(self) -> int:
        return self.world.buzzer_hz

    @property
    def boot(self) -> str | None:
        return self.boots[-1] if self.boots else None

    def events_of_boot(self, boot: str | None = None) -> list[SentEvent]:
        boot = boot or self.boot
        with self._events_cond:
            return [e for e in self.events if e.boot == boot]

    def wait_for_events(self, count: int, timeout: float = 5.0) -> bool:
        """Wait until the firmware has sent ``count`` events in all (bounded)."""
        with self._events_cond:
            return self._events_cond.wait_for(lambda: len(self.events) >= count, timeout)

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until the person has finished: keys released, swipes and pushes played out."""
        deadline = time.monotonic() + timeout
        while not self.world.idle():
            if time.monotonic() > deadline or not self.plugged:
                return False
            time.sleep(0.002)
        return True

    def wait_connected(self, timeout: float = 5.0) -> bool:
        """Wait until the firmware hears a host (bounded)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            fw = self.firmware
            if fw is not None and fw.connected(fw.clock.ms()):
                return True
            time.sleep(0.005)
        return False

    # -- internals ------------------------------------------------------------------------

    def _record(self, boot: str, seq: int, name: str, value: object) -> None:
        with self._events_cond:
            self.events.append(SentEvent(boot, seq, name, value, time.perf_counter()))
            self._events_cond.notify_all()

    def _boot(self) -> None:
        if self._port is None:
            raise RuntimeError("board is unplugged")
        boot = secrets.token_hex(4)
        self.boots.append(boot)
        self._stop = threading.Event()
        stop = self._stop
        port = self._port
        ready = threading.Event()

        def on_event(seq: int, name: str, value: object) -> None:
            self._record(boot, seq, name, value)

        def run() -> None:
            try:
                clock = SimClock(stop)
                fw = firmware_main.build(FakeMachine(self.world), port, clock, self.board_id,
                                         boot, on_event)
                self.firmware = fw
                ready.set()
                fw.run(stop.is_set, self.loop_ms)
            except BaseException as exc:  # surfaced by tests through .crashed
                self._crashed = exc
                ready.set()
                raise

        self._thread = threading.Thread(target=run, name=f"vboard-{self.board_id}", daemon=True)
        self._thread.start()
        ready.wait(2.0)

    @property
    def crashed(self) -> BaseException | None:
        return self._crashed

    def _halt(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2.0)
            self._thread = None

    def _open_pty(self, avoid: str | None, avoid_device: str | None = None) -> None:
        master, slave = os.openpty()
        if avoid_device is not None and os.ttyname(slave) == avoid_device:
            spare = (master, slave)  # the kernel gave the old number back: take the next
            master, slave = os.openpty()
            _close_fd(spare[0])
            _close_fd(spare[1])
        tty.setraw(slave)  # no echo or line editing before the host opens it
        attrs = termios.tcgetattr(slave)
        attrs[3] &= ~termios.ECHO
        termios.tcsetattr(slave, termios.TCSANOW, attrs)
        flags = fcntl.fcntl(master, fcntl.F_GETFL)
        fcntl.fcntl(master, fcntl.F_SETFL, flags | os.O_NONBLOCK)
        self._master, self._slave = master, slave
        self._device = os.ttyname(slave)
        self._port = PtyPort(master)
        self._last_names = (None, self._device)
        self._link = None
        if self.link_dir is not None:
            self.link_dir.mkdir(parents=True, exist_ok=True)
            n = 0
            while True:
                name = f"ttyACM{n}"
                if name != avoid:
                    try:
                        os.symlink(self._device, self.link_dir / name)
                        self._link = self.link_dir / name
                        self._last_names = (name, self._device)
                        break
                    except FileExistsError:
                        pass
                n += 1

    def _close_pty(self) -> None:
        if self._link is not None:
            _unlink(self._link)
            self._link = None
        if self._port is not None:
            with self._port.lock:
                self._port.closed = True
            self._dropped_bytes += self._port.dropped_bytes
        for fd in (self._master, self._slave):
            _close_fd(fd)
        self._master = self._slave = None
        self._port = None
        self._device = None


def _pending(fd: int) -> int:
    """Bytes written to the pty that no reader has taken yet."""
    import array

    buf = array.array("i", [0])
    try:
        fcntl.ioctl(fd, termios.FIONREAD, buf, True)
    except OSError as exc:
        if exc.errno in (errno.EIO, errno.EBADF):
            return 0
        raise
    return buf[0]


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _close_fd(fd: int | None) -> None:
    if fd is not None:
        try:
            os.close(fd)
        except OSError:
            pass
