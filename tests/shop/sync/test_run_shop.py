"""``make run-shop`` end to end: PostgreSQL in a temporary folder, two real simulated
kiosks (untact-sim, offscreen) that join it with their own logins and report in, and a
clean stop on Ctrl-C that removes the temporary folder."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import psycopg
import pytest
from postgres_server import wait_until
from untact.shop.sync.local_postgres import PG_BIN

pytestmark = [pytest.mark.kiosk, pytest.mark.slow]


def test_run_shop_starts_a_server_and_two_kiosks_that_report_in(tmp_path):
    if not (PG_BIN / "initdb").exists():
        pytest.skip("Debian's postgresql package is not installed")
    shop = subprocess.Popen([sys.executable, "-m", "untact.simulator.run_shop", "--no-browser"],
                            stdout=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(shop.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        assert wait_until(lambda: any(line.startswith("shop server:") for line in lines), 60), lines
        port, folder = re.search(r":(\d+), folder (\S+)", lines[0]).groups()
        dsn = f"host={folder}/socket port={port} user=untact_owner dbname=untact"

        def reported() -> list[str]:
            with psycopg.connect(dsn) as db:
                return [k for (k,) in db.execute("SELECT kiosk FROM kiosk_health ORDER BY kiosk")]

        assert wait_until(lambda: reported() == ["1", "2"], 180), lines
    finally:
        shop.send_signal(signal.SIGINT)
        assert shop.wait(60) == 0
    reader.join(5)
    assert not Path(folder).exists()
