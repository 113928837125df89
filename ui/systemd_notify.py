"""sd_notify from the stdlib: tell systemd the kiosk is up, and that it is still alive.

The unit (deploy/untact.service) is ``Type=notify`` with ``WatchdogSec=``: systemd
waits for ``READY=1`` before it counts the kiosk as started, and restarts it when
``WATCHDOG=1`` pings stop for longer than the watchdog time. The ping must come from
the Kivy main loop (``Clock.schedule_interval``), not from a thread of its own: a
thread would keep pinging while the UI is frozen, which is the failure it is for.

The protocol is one datagram per message to the unix socket named in
``$NOTIFY_SOCKET`` (a leading ``@`` means Linux's abstract namespace). Outside systemd
(the simulator, tests) there is no such variable and every call is a cheap no-op.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping


class Notifier:
    """Sends sd_notify messages; a no-op when not started by systemd."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self.address = _address(env.get("NOTIFY_SOCKET", ""))
        self.watchdog_s = _watchdog_s(env)
        self._sock: socket.socket | None = None

    @property
    def enabled(self) -> bool:
        return self.address is not None

    @property
    def ping_interval_s(self) -> float | None:
        """How often to call :meth:`watchdog` (half the watchdog time, as systemd advises),
        or None when systemd runs no watchdog for us."""
        return None if self.watchdog_s is None else self.watchdog_s / 2

    def notify(self, *fields: str) -> bool:
        """Send ``KEY=value`` fields in one datagram; False when not under systemd or the
        socket is gone (never raises: the kiosk must not crash over a status message)."""
        if self.address is None:
            return False
        try:
            if self._sock is None:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._sock.sendto("\n".join(fields).encode(), self.address)
            return True
        except OSError:
            return False

    def ready(self, status: str = "") -> bool:
        return self.notify("READY=1", *([f"STATUS={status}"] if status else []))

    def watchdog(self) -> bool:
        """One "still alive" ping. Call every :attr:`ping_interval_s` from the UI loop."""
        return self.notify("WATCHDOG=1")

    def status(self, text: str) -> bool:
        return self.notify(f"STATUS={text}")

    def stopping(self) -> bool:
        return self.notify("STOPPING=1")

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None


def _address(raw: str) -> str | bytes | None:
    if not raw:
        return None
    if raw.startswith("@"):
        return b"\0" + raw[1:].encode()
    if not raw.startswith("/"):
        return None  # systemd only ever passes absolute or abstract addresses
    return raw


def _watchdog_s(env: Mapping[str, str]) -> float | None:
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    pid = env.get("WATCHDOG_PID")
    if pid and pid != str(os.getpid()):
        return None  # the watchdog is meant for another process
    return usec / 1e6 if usec > 0 else None


def _once(method: str, *args: str) -> bool:
    """Module-level helpers open and close a socket per call: no global state, and a ping
    every ~15 s costs nothing worth caching."""
    n = Notifier()
    try:
        return getattr(n, method)(*args)
    finally:
        n.close()


def notify_ready(status: str = "") -> bool:
    """``READY=1``: call once the first screen is shown."""
    return _once("ready", status)


def notify_watchdog() -> bool:
    """``WATCHDOG=1``: schedule on the Kivy main loop every :func:`watchdog_interval_s`."""
    return _once("watchdog")


def notify_stopping() -> bool:
    return _once("stopping")


def watchdog_interval_s() -> float | None:
    """Half of systemd's ``WatchdogSec`` in seconds, or None when there is no watchdog."""
    return Notifier().ping_interval_s


__all__ = ["Notifier", "notify_ready", "notify_stopping", "notify_watchdog",
           "watchdog_interval_s"]
