"""``untact-shop serve`` as a process of its own, and bad ``[staff_web]`` settings: one
line naming file, line and field, exit status 2 (from untact-shop and untact-kiosk)."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time

import pytest
from web_helpers import kiosk_file

SHOP = [sys.executable, "-m", "untact.web.cli"]


def test_bad_staff_web_settings_are_one_located_line(tmp_path):
    path = kiosk_file(tmp_path)
    text = path.read_text(encoding="utf-8").replace('host = "127.0.0.1"', 'host = "shop.local"')
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index('host = "shop.local"') + 1
    for cmd in ([*SHOP, "serve", "--config", str(path)],
                [sys.executable, "-m", "untact.ui.cli", "--check-config", str(path)]):
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        assert r.returncode == 2, r.stderr
        err = r.stderr.strip()
        assert len(err.splitlines()) == 1 and "Traceback" not in err
        assert f"kiosk.toml:{line}: staff_web.host: must be an IP address" in err
    r = subprocess.run([*SHOP, "serve"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "--config" in r.stderr


def test_serve_runs_the_board_on_its_own(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([*SHOP, "serve", "--config", str(kiosk_file(tmp_path)), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/board")
                r = conn.getresponse()
                assert r.status == 200 and "준비 완료" in r.read().decode()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                assert time.monotonic() < deadline, "untact-shop did not answer within 60 s"
                time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(30)


@pytest.mark.kiosk
def test_untact_kiosk_serves_the_staff_page_itself(tmp_path):
    """The one-kiosk set-up as a merchant runs it: ``untact-kiosk`` with ``[staff_web]``."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    path = kiosk_file(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("port = 0", f"port = {port}"), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "untact.ui.cli", str(path), "--window",
                             "--data", str(tmp_path / "data")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/staff")
                r = conn.getresponse()
                assert r.status == 303 and r.getheader("location") == "/login"
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                assert time.monotonic() < deadline, "the kiosk's staff page did not answer in 120 s"
                time.sleep(0.2)
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
