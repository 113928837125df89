"""Several kiosks, one shop: how fast orders reach PostgreSQL, and how fast a kiosk
catches up after the server was away for a minute. A private PostgreSQL (initdb in a
temporary folder, shop/sync/local_postgres.py) and real kiosk processes
(``untact.simulator.shop_load``: Shop.open, local SQLite, outbox, forwarder).

- ``orders_per_s_4_kiosks_postgres``: four kiosk processes place orders as fast as they
  can; orders committed on the server per second, from "go" to the last one there.
  Reference ``orders_per_s_4_kiosks_local_sqlite``: the same four processes, same
  orders, each kiosk on its own (its SQLite, WAL, synchronous=FULL; no server), until
  the last is committed: the difference is what forwarding costs.
- ``outbox_catch_up_s_after_60s_outage``: the server is stopped (a crash, ``-m
  immediate``) for 60 s while two kiosks take an order every 0.25 s each; from the
  moment it accepts connections again until every order is on it. Reference
  ``outbox_local_commit_same_orders_s``: committing that many orders locally.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import tomlkit
from untact.shop.orders import OrderStore
from untact.shop.sync.local_postgres import LocalPostgres
from untact.shop.sync.provision import provision

from . import metric

REPO = Path(__file__).resolve().parents[2]
PER_KIOSK = 200
OUTAGE_S = 60.0
OUTAGE_INTERVAL_S = 0.25
OUTAGE_PER_KIOSK = 220  # placed within 55 s: all taken while the server is away
LINES = [{"item": "americano", "qty": 1, "price": 4500}]


def _kiosk(kiosk_file: Path, count: int, interval: float) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "untact.simulator.shop_load", str(kiosk_file),
                             str(count), str(interval), "--wait-for-go"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def _server_count(server: LocalPostgres) -> int:
    with psycopg.connect(server.admin_dsn()) as db:
        return int(db.execute("SELECT COUNT(*) FROM orders").fetchone()[0])  # type: ignore[index]


def _wait_count(server: LocalPostgres, expected: int, within_s: float) -> float:
    """Seconds until the server holds ``expected`` orders (polled every 20 ms)."""
    t0 = time.perf_counter()
    while _server_count(server) < expected:
        if time.perf_counter() - t0 > within_s:
            raise TimeoutError(f"the server has {_server_count(server)} of {expected} orders")
        time.sleep(0.02)
    return time.perf_counter() - t0


def _go(kiosks: list[subprocess.Popen[str]]) -> None:
    for k in kiosks:
        assert k.stdout is not None and k.stdout.readline().strip() == "ready"
    for k in kiosks:
        assert k.stdin is not None
        k.stdin.write("go\n")
        k.stdin.flush()


def _alone(template: Path, folder: Path, n: int) -> list[Path]:
    """``n`` kiosk files without ``[shop.server]``, each with its own data folder."""
    out = []
    for i in range(1, n + 1):
        doc = tomlkit.parse(template.read_text(encoding="utf-8"))
        doc["shop"]["data_folder"] = str(folder / f"alone_{i}-data")  # type: ignore[index]
        out.append(folder / f"alone_{i}.toml")
        out[-1].write_text(tomlkit.dumps(doc), encoding="utf-8")
    return out


def _finish(kiosks: list[subprocess.Popen[str]]) -> None:
    for k in kiosks:
        k.communicate(timeout=120)
        if k.returncode != 0:
            raise RuntimeError(f"a kiosk process exited with {k.returncode}")


def _local_commit_s(count: int) -> float:
    folder = Path(tempfile.mkdtemp(prefix="untact-bench-sqlite-"))
    try:
        store = OrderStore(folder)
        t0 = time.perf_counter()
        for _ in range(count):
            store.place(LINES, 4500, "ko")
        elapsed = time.perf_counter() - t0
        store.close()
        return elapsed
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run() -> Iterator[dict]:
    server = LocalPostgres.create()
    folder = Path(tempfile.mkdtemp(prefix="untact-bench-shop-"))
    try:
        server.start()
        template = REPO / "examples" / "cafe.toml"
        files = provision(server.admin_dsn(), "127.0.0.1", server.port, template, folder,
                          kiosks=4).kiosk_files
        total = 4 * PER_KIOSK
        kiosks = [_kiosk(f, PER_KIOSK, 0.0) for f in files]
        _go(kiosks)
        elapsed = _wait_count(server, total, 300)
        _finish(kiosks)
        yield metric("orders_per_s_4_kiosks_postgres", total / elapsed, "orders/s", orders=total,
                     seconds=round(elapsed, 3), load_average=os.getloadavg()[0])
        kiosks = [_kiosk(f, PER_KIOSK, 0.0) for f in _alone(template, folder, 4)]
        _go(kiosks)
        t0 = time.perf_counter()
        _finish(kiosks)  # each prints "done" after its last commit, then exits
        local = time.perf_counter() - t0
        yield metric("orders_per_s_4_kiosks_local_sqlite", total / local, "orders/s", orders=total,
                     seconds=round(local, 3), reference_for="orders_per_s_4_kiosks_postgres")

        before = _server_count(server)
        server.stop("immediate")
        down_at = time.perf_counter()
        kiosks = [_kiosk(f, OUTAGE_PER_KIOSK, OUTAGE_INTERVAL_S) for f in files[:2]]
        _go(kiosks)
        time.sleep(max(0.0, down_at + OUTAGE_S - time.perf_counter()))  # the outage's length
        outage = time.perf_counter() - down_at
        server.start()
        catch_up = _wait_count(server, before + 2 * OUTAGE_PER_KIOSK, 120)
        _finish(kiosks)
        yield metric("outbox_catch_up_s_after_60s_outage", catch_up, "s", orders=2 * OUTAGE_PER_KIOSK,
                     outage_s=round(outage, 1))
        yield metric("outbox_local_commit_same_orders_s", _local_commit_s(2 * OUTAGE_PER_KIOSK), "s",
                     orders=2 * OUTAGE_PER_KIOSK, reference_for="outbox_catch_up_s_after_60s_outage")
    finally:
        server.destroy()
        shutil.rmtree(folder, ignore_errors=True)
