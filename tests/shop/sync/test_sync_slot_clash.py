"""Two kiosks given the same number slot by mistake: the server refuses the clashing
numbers, the kiosk says so and keeps those orders, and its other orders still go."""

from __future__ import annotations

from pathlib import Path

import psycopg
from postgres_server import postgres, wait_until  # noqa: F401  (fixture)
from untact.shop.service import Shop
from untact.shop.sync.provision import provision

REPO = Path(__file__).resolve().parents[3]
LINES = [{"item": "americano", "qty": 1, "price": 4500}]


def server_orders(postgres):  # noqa: F811
    with psycopg.connect(postgres.admin_dsn()) as db:
        return db.execute("SELECT kiosk, local_id, number FROM orders ORDER BY number").fetchall()


def test_two_kiosks_given_the_same_slot_are_told_and_their_other_orders_still_go(postgres, tmp_path):  # noqa: F811
    files = provision(postgres.admin_dsn(), "127.0.0.1", postgres.port, REPO / "examples" / "cafe.toml",
                      tmp_path, kiosks=2).kiosk_files
    wrong = files[1].read_text().replace("slot = 2", "slot = 1")
    files[1].write_text(wrong)
    first, second = Shop.open(files[0]), Shop.open(files[1])
    try:
        first.orders.place(LINES, 4500, "ko")  # number 1
        assert wait_until(lambda: first.sync.status().pending == 0, 15)
        clash = second.orders.place(LINES, 4500, "ko")  # number 1 again: refused by the server
        fine = second.orders.place(LINES, 4500, "ko")  # number 3: not taken
        assert (clash.number, fine.number) == (1, 3)
        assert wait_until(lambda: "taken by another kiosk" in second.sync.status().error, 15)
        assert f"no. {clash.number}" in second.sync.status().error
        assert wait_until(lambda: ("2", fine.id, 3) in server_orders(postgres), 15)
        assert second.sync.status().pending == 1  # kept, not lost
    finally:
        first.close()
        second.close()
