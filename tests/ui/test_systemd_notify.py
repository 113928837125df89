"""sd_notify against a real unix datagram socket bound by the test (as systemd does)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from untact.ui.systemd_notify import Notifier


@pytest.fixture
def listener(tmp_path):
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(5)
    yield sock, str(path)
    sock.close()


def test_ready_and_watchdog_pings(listener):
    sock, path = listener
    n = Notifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000",
                  "WATCHDOG_PID": str(os.getpid())})
    assert n.enabled and n.watchdog_s == 30 and n.ping_interval_s == 15
    assert n.ready("menu loaded")
    assert sock.recv(4096) == b"READY=1\nSTATUS=menu loaded"
    for _ in range(3):
        assert n.watchdog()
        assert sock.recv(4096) == b"WATCHDOG=1"
    assert n.stopping() and sock.recv(4096) == b"STOPPING=1"
    n.close()


def test_abstract_socket_address():
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    name = f"untact-test-{os.getpid()}"
    sock.bind("\0" + name)
    sock.settimeout(5)
    try:
        n = Notifier({"NOTIFY_SOCKET": "@" + name})
        assert n.watchdog() and sock.recv(100) == b"WATCHDOG=1"
    finally:
        sock.close()


def test_no_systemd_is_a_no_op(tmp_path):
    n = Notifier({})
    assert not n.enabled and n.ping_interval_s is None and not n.watchdog()
    gone = Notifier({"NOTIFY_SOCKET": str(tmp_path / "nobody-listens")})
    assert gone.enabled and not gone.ready()  # never raises
    other = Notifier({"NOTIFY_SOCKET": "/x", "WATCHDOG_USEC": "1000", "WATCHDOG_PID": "1"})
    assert other.ping_interval_s is None  # that watchdog is for another process


def test_child_process_reads_its_environment(listener):
    """The module-level helpers the app calls, in a fresh process like systemd starts."""
    sock, path = listener
    code = ("from untact.ui import systemd_notify as s;"
            "print(s.watchdog_interval_s());"
            "assert s.notify_ready('up') and s.notify_watchdog()")
    env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC="4000000")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, timeout=30, check=True)
    assert out.stdout.strip() == "2.0"
    assert sock.recv(100) == b"READY=1\nSTATUS=up"
    assert sock.recv(100) == b"WATCHDOG=1"
