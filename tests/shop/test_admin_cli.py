"""``untact-admin`` as a merchant runs it: set-pin (terminal without echo, or stdin) and
export, in real child processes."""

from __future__ import annotations

import datetime as dt
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from shop_helpers import fill, lines, tmpfs
from untact.shop import staff_access
from untact.shop.menu_service import validate_kiosk
from untact.shop.orders import OrderStore

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"
ADMIN = [sys.executable, "-m", "untact.shop.admin_cli"]


@pytest.fixture
def kiosk_file(tmp_path):
    path = tmp_path / "kiosk.toml"
    shutil.copy(CAFE, path)
    return path


def cli(*args, stdin=""):
    return subprocess.run([*ADMIN, *args], input=stdin, capture_output=True, text=True,
                          timeout=60)


def test_set_pin_from_stdin(kiosk_file):
    r = cli("--config", str(kiosk_file), "set-pin", "--stdin", stdin="482913\n")
    assert r.returncode == 0, r.stderr
    text = kiosk_file.read_text()
    assert "482913" not in text and "# untact sample kiosk" in text
    cfg = staff_access.admin_config(validate_kiosk(kiosk_file))
    assert staff_access.verify_pin("482913", cfg.pin_hash) and not staff_access.verify_pin("482914", cfg.pin_hash)


def test_set_pin_refuses_bad_input(kiosk_file):
    before = kiosk_file.read_bytes()
    r = cli("--config", str(kiosk_file), "set-pin", "--stdin", stdin="12ab\n")
    assert r.returncode == 2
    assert r.stderr.strip() == "untact-admin: the PIN must be digits only (0-9)"
    r = cli("--config", str(kiosk_file.with_name("none.toml")), "set-pin", stdin="1234\n")
    assert r.returncode == 2 and "file not found" in r.stderr and "Traceback" not in r.stderr
    assert kiosk_file.read_bytes() == before


def _talk(argv, dialogue, timeout=30.0):
    """Run argv on a real pseudo-terminal, answering each (prompt, answer) once the prompt
    is on screen; return what was shown and the exit code. Killed if it takes too long."""
    pid, fd = pty.fork()
    if pid == 0:  # child: the pty is its controlling terminal, as in a console
        os.execv(argv[0], argv)
    shown, deadline, step, answered_upto = b"", time.monotonic() + timeout, 0, 0
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the child closed the terminal (exited)
                break
            if not chunk:
                break
            shown += chunk
            # answer a prompt only after it appeared: getpass flushes earlier input
            if step < len(dialogue) and dialogue[step][0] in shown[answered_upto:]:
                os.write(fd, dialogue[step][1].encode() + b"\n")
                answered_upto = len(shown)
                step += 1
    finally:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done == 0:  # still running after the deadline: do not leave it behind
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
        os.close(fd)
    return shown.decode(errors="replace"), os.waitstatus_to_exitcode(status)


def test_set_pin_on_a_terminal_does_not_echo(kiosk_file):
    shown, code = _talk([*ADMIN, "--config", str(kiosk_file), "set-pin"],
                        [(b"PIN (digits): ", "135792"), (b"again: ", "135792")])
    assert code == 0, shown
    assert "New admin PIN" in shown and "again" in shown and "135792" not in shown
    cfg = staff_access.admin_config(validate_kiosk(kiosk_file))
    assert staff_access.verify_pin("135792", cfg.pin_hash)


def test_export_command(kiosk_file, tmp_path):
    day = dt.date.today()
    data = validate_kiosk(kiosk_file).data_folder
    store = OrderStore(data)
    for _ in range(3):
        store.place(lines(), 4500, "ko")
    store.close()
    stick = tmp_path / "usb"
    stick.mkdir()
    args = ("--config", str(kiosk_file), "export", "--day", day.isoformat(), "--to", str(stick))
    r = cli(*args)
    assert r.returncode == 0, r.stderr
    assert "주문 3건" in r.stdout and len(list(stick.glob("*.csv"))) == 1
    r = cli(*args, "--lang", "en")
    assert r.returncode == 0 and "no new orders" in r.stdout
    r = cli("--config", str(kiosk_file), "export", "--day", day.isoformat(), "--to", "/nope")
    assert r.returncode == 2 and "export folder not found" in r.stderr
    r = cli("--config", str(kiosk_file), "export", "--day", "yesterday", "--to", str(stick))
    assert r.returncode == 2 and "YYYY-MM-DD" in r.stderr


def test_set_pin_as_the_readme_writes_it(kiosk_file):
    """``untact-admin set-pin --config FILE``: the option after the subcommand."""
    kiosk_file.chmod(0o640)
    r = cli("set-pin", "--config", str(kiosk_file), "--stdin", stdin="482913\n")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""  # a private file: no warning
    cfg = staff_access.admin_config(validate_kiosk(kiosk_file))
    assert staff_access.verify_pin("482913", cfg.pin_hash)
    other = kiosk_file.with_name("other.toml")
    r = cli("--config", str(other), "set-pin", "--config", str(kiosk_file), "--stdin", stdin="135790\n")
    assert r.returncode == 0, r.stderr  # given twice, the one after the subcommand wins
    assert staff_access.verify_pin("135790", staff_access.admin_config(validate_kiosk(kiosk_file)).pin_hash)


@pytest.mark.parametrize("args, message", [
    (("export", "--day", "2026-13-01", "--to", "."),
     "untact-admin export: argument --day: must be a date as YYYY-MM-DD, not '2026-13-01'"),
    (("export", "--day", "yesterday", "--to", "."),
     "untact-admin export: argument --day: must be a date as YYYY-MM-DD, not 'yesterday'"),
    (("export", "--day", "2026-03-14"), "untact-admin export: the following arguments are required: --to"),
    (("export", "--day", "2026-03-14", "--to", ".", "--lang", "fr"),
     "untact-admin export: argument --lang: invalid choice: 'fr' (choose from 'ko', 'en')"),
    (("set-pn",), "untact-admin: argument command: invalid choice: 'set-pn' (choose from 'set-pin', 'export')"),
    ((), "untact-admin: the following arguments are required: command"),
])
def test_every_bad_argument_is_one_line_and_status_2(kiosk_file, args, message):
    r = cli("--config", str(kiosk_file), *args)
    assert (r.returncode, r.stderr) == (2, message + "\n")


def test_a_pin_hash_others_can_read_is_warned_about(kiosk_file):
    kiosk_file.chmod(0o644)
    r = cli("--config", str(kiosk_file), "set-pin", "--stdin", stdin="482913\n")
    assert r.returncode == 0
    assert r.stderr == (f"untact-admin: warning: {kiosk_file} holds the admin PIN hash and other users "
                        f"can read it (mode 0644); make it private: chmod o-rwx {kiosk_file}\n")
    assert kiosk_file.stat().st_mode & 0o777 == 0o644  # warned, not changed behind the merchant's back
    check = [sys.executable, "-m", "untact.ui.cli", "--check-config", str(kiosk_file)]
    r = subprocess.run(check, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stderr == (
        f"untact-kiosk: warning: {kiosk_file} holds the admin PIN hash and other users can read it "
        f"(mode 0644); make it private: chmod o-rwx {kiosk_file}\n")
    kiosk_file.chmod(0o640)
    r = subprocess.run(check, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stderr == ""


@pytest.mark.parametrize("fault", ["read-only", "full"])
def test_set_pin_on_a_read_only_or_full_disk_names_the_file(tmp_path, fault):
    folder = tmp_path / "etc"
    with tmpfs(folder, "size=256k"):
        kiosk = folder / "kiosk.toml"
        shutil.copy(CAFE, kiosk)
        before = kiosk.read_bytes()
        if fault == "full":
            fill(folder)
        else:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        r = cli("set-pin", "--config", str(kiosk), "--stdin", stdin="482913\n")
        reason = "No space left on device" if fault == "full" else "Read-only file system"
        assert (r.returncode, r.stderr) == (2, f"untact-admin: {kiosk}: the PIN was not saved: {reason}\n")
        assert kiosk.read_bytes() == before
