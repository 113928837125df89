"""The byte pipe to a printer: a TCP socket (port 9100), a serial port, or the kernel's
USB printer device (usblp, ``/dev/usb/lp0``).

USB goes through usblp rather than pyusb/libusb: the kernel already claims ESC/POS
printers as usblp, the device file reads and writes both ways on printers that answer,
and no udev rule or extra library is needed. Every call has a deadline; a printer
that does not answer is reported, never waited on forever.
"""

from __future__ import annotations

import errno
import os
import select
import socket
import time
from typing import Protocol

from .config import PrinterConfig


class PrinterUnavailable(Exception):
    """The printer cannot be reached; ``state`` is "unplugged" or "offline"."""

    def __init__(self, state: str, reason: str) -> None:
        super().__init__(reason)
        self.state = state


class Transport(Protocol):
    def write(self, data: bytes) -> None: ...

    def read(self, n: int, timeout_s: float) -> bytes:
        """Up to ``n`` bytes, as many as arrive before ``timeout_s`` (b"" if none)."""
        ...

    def close(self) -> None: ...


class SocketTransport:
    def __init__(self, host: str, port: int, timeout_s: float) -> None:
        try:
            self._sock = socket.create_connection((host, port), timeout=timeout_s)
        except OSError as exc:
            raise PrinterUnavailable("offline", f"cannot connect to {host}:{port}: {exc}") from exc
        self._sock.settimeout(timeout_s)

    def write(self, data: bytes) -> None:
        try:
            self._sock.sendall(data)
        except OSError as exc:
            raise PrinterUnavailable("offline", f"connection lost: {exc}") from exc

    def read(self, n: int, timeout_s: float) -> bytes:
        out = b""
        deadline = time.monotonic() + timeout_s
        while len(out) < n:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._sock], [], [], left)[0]:
                break
            try:
                chunk = self._sock.recv(n - len(out))
            except OSError as exc:
                raise PrinterUnavailable("offline", f"connection lost: {exc}") from exc
            if not chunk:
                raise PrinterUnavailable("offline", "the printer closed the connection")
            out += chunk
        return out

    def close(self) -> None:
        self._sock.close()


class DeviceTransport:
    """A character device: the usblp file, or a serial port set up by pyserial."""

    def __init__(self, path: str, baud: int | None, timeout_s: float) -> None:
        self._timeout_s = timeout_s
        self._serial = None
        try:
            if baud is not None:
                import serial  # pyserial: sets the line speed, then we use its descriptor

                self._serial = serial.Serial(path, baud, timeout=0, write_timeout=timeout_s)
                self._fd = self._serial.fileno()
            else:
                self._fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        except OSError as exc:
            missing = exc.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO)
            raise PrinterUnavailable("unplugged" if missing else "offline",
                                     f"cannot open {path}: {exc.strerror or exc}") from exc

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        deadline = time.monotonic() + self._timeout_s + len(data) / 1000  # ~1 KB/s at worst
        while view:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [self._fd], [], left)[1]:
                raise PrinterUnavailable("offline", "the printer takes no data (timed out)")
            try:
                view = view[os.write(self._fd, view):]
            except BlockingIOError:
                continue
            except OSError as exc:
                raise PrinterUnavailable("unplugged", f"write failed: {exc.strerror or exc}") from exc

    def read(self, n: int, timeout_s: float) -> bytes:
        out = b""
        deadline = time.monotonic() + timeout_s
        while len(out) < n:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._fd], [], [], left)[0]:
                break
            try:
                chunk = os.read(self._fd, n - len(out))
            except BlockingIOError:
                continue
            except OSError as exc:
                raise PrinterUnavailable("unplugged", f"read failed: {exc.strerror or exc}") from exc
            if not chunk:
                raise PrinterUnavailable("unplugged", "the device went away")
            out += chunk
        return out

    def close(self) -> None:
        if self._serial is not None:
            self._serial.close()
        else:
            os.close(self._fd)


def open_transport(config: PrinterConfig) -> Transport:
    """Connect to the configured printer; PrinterUnavailable says why not."""
    if config.kind == "network":
        return SocketTransport(config.host, config.port, config.timeout_s)
    if config.kind in ("serial", "usb"):
        return DeviceTransport(config.device, config.baud if config.kind == "serial" else None,
                               config.timeout_s)
    raise ValueError(f"no printer to open (kind = {config.kind!r})")
