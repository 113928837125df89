"""``make run-shop`` end to end: PostgreSQL in a temporary folder, two real simulated
kiosks (untact-sim, offscreen) that join it with their own logins and report in, the
staff page (``untact-shop serve`` on the counter's file, over the server's order stream)
that a staff member signs in to with the PIN run-shop printed and that lists an order
taken under each kiosk's login, and a clean stop on Ctrl-C that removes the temporary
folder."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import psycopg
import pytest
from postgres_server import wait_until
from untact.shop.sync.local_postgres import PG_BIN

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "web"))
from web_helpers import Client  # noqa: E402  (the web tests' HTTP client, cookies and CSRF)

pytestmark = [pytest.mark.kiosk, pytest.mark.slow]


def order_as(kiosk_file: Path, to: Path) -> None:
    """One order under this kiosk's login and slot, from a kiosk process of its own
    (simulator/shop_load.py) on its own data folder: the simulated kiosk on screen is
    not scripted from outside."""
    to.mkdir()
    shutil.copy(kiosk_file, to)
    shutil.copy(kiosk_file.with_suffix(".secret"), to)
    done = subprocess.run([sys.executable, "-m", "untact.simulator.shop_load", str(to / kiosk_file.name), "1", "0"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.endswith("done\n"), done.stderr


def test_run_shop_starts_a_server_two_kiosks_and_the_staff_page(tmp_path):
    if not (PG_BIN / "initdb").exists():
        pytest.skip("Debian's postgresql package is not installed")
    shop = subprocess.Popen([sys.executable, "-m", "untact.simulator.run_shop", "--no-browser"],
                            stdout=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(shop.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        assert wait_until(lambda: any(line.startswith("staff page:") for line in lines), 60), lines
        port, folder = re.search(r":(\d+), folder (\S+)", lines[0]).groups()
        dsn = f"host={folder}/socket port={port} user=untact_owner dbname=untact"
        staff = next(line for line in lines if line.startswith("staff page:"))
        web_port, pin = re.search(r"127\.0\.0\.1:(\d+)/staff \(PIN (\d+)\)", staff).groups()
        kiosk_files = [Path(line.split(": ", 1)[1].strip()) for line in lines if line.startswith("kiosk:")]
        assert len(kiosk_files) == 2, lines

        def reported() -> list[str]:
            with psycopg.connect(dsn) as db:
                return [k for (k,) in db.execute("SELECT kiosk FROM kiosk_health ORDER BY kiosk")]

        assert wait_until(lambda: reported() == ["1", "2"], 180), lines
        for i, f in enumerate(kiosk_files):
            order_as(f, tmp_path / f"kiosk{i + 1}")

        client = Client(int(web_port))
        assert wait_until(lambda: client.get("/login")[0] == 200, 30)
        assert client.sign_in(pin) == 303
        status, _, page = client.get("/staff")
        assert status == 200
        assert set(re.findall(r'data-ref="([^"]+)"', page)) == {"1/1", "2/1"}, page
        assert sorted(re.findall(r'data-number="(\d+)"', page)) == ["1", "2"]  # interleaved: slot 1 odd, 2 even
    finally:
        shop.send_signal(signal.SIGINT)
        assert shop.wait(60) == 0
    reader.join(5)
    assert not Path(folder).exists()
