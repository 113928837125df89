"""Two kiosks and a real PostgreSQL server, in one process: orders reach the server once,
numbered shop-wide, and a kiosk with a wrong password is refused and keeps its orders."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from postgres_server import postgres, wait_until  # noqa: F401  (fixture)
from untact.shop.service import Shop
from untact.shop.sync.provision import provision, write_secret

REPO = Path(__file__).resolve().parents[3]
LINES = [{"item": "americano", "qty": 1, "price": 4500}]


@pytest.fixture(scope="module")
def shop_files(postgres, tmp_path_factory):  # noqa: F811
    return provision(postgres.admin_dsn(), "127.0.0.1", postgres.port, REPO / "examples" / "cafe.toml",
                     tmp_path_factory.mktemp("shop"), kiosks=2)


def server_orders(postgres):  # noqa: F811
    with psycopg.connect(postgres.admin_dsn()) as db:
        return db.execute("SELECT kiosk, local_id, number FROM orders ORDER BY number").fetchall()


def test_orders_of_two_kiosks_reach_the_server_once_numbered_shop_wide(postgres, shop_files):  # noqa: F811
    shops = [Shop.open(f) for f in shop_files.kiosk_files]
    try:
        placed = []
        for _ in range(3):
            for shop in shops:
                placed.append(shop.orders.place(LINES, 4500, "ko"))
        assert [o.number for o in placed] == [1, 2, 3, 4, 5, 6]
        assert wait_until(lambda: len(server_orders(postgres)) == 6, 15), shops[0].sync.status()
        assert server_orders(postgres) == [("1", 1, 1), ("2", 1, 2), ("1", 2, 3), ("2", 2, 4),
                                           ("1", 3, 5), ("2", 3, 6)]
        assert all(s.sync.status().pending == 0 and s.sync.status().online for s in shops)
    finally:
        for shop in shops:
            shop.close()


def test_a_resent_order_is_not_stored_twice(postgres, shop_files):  # noqa: F811
    """The connection may drop after the server's COMMIT: the kiosk then sends it again."""
    shop = Shop.open(shop_files.kiosk_files[0])
    try:
        order = shop.orders.place(LINES, 4500, "ko")
        assert wait_until(lambda: shop.sync.status().pending == 0, 15)
        before = len(server_orders(postgres))
        shop.orders._db.execute("INSERT INTO sync_outbox (order_id) VALUES (?)", (order.id,))
        assert wait_until(lambda: shop.sync.status().pending == 0, 15)
        assert len(server_orders(postgres)) == before
    finally:
        shop.close()


def test_a_kiosk_with_a_wrong_password_is_refused_and_keeps_its_orders(postgres, shop_files, tmp_path):  # noqa: F811
    kiosk = shop_files.kiosk_files[1]
    bad = tmp_path / "kiosk_2.toml"
    bad.write_text(kiosk.read_text().replace('password_file = "kiosk_2.secret"',
                                             f'password_file = "{tmp_path / "wrong.secret"}"'))
    write_secret(tmp_path / "wrong.secret", "not-the-password-of-kiosk-2")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(f"host=127.0.0.1 port={postgres.port} dbname=untact user=kiosk_2",
                        password="not-the-password-of-kiosk-2").close()
    before = server_orders(postgres)
    shop = Shop.open(bad)
    try:
        shop.orders.place(LINES, 4500, "ko")
        assert wait_until(lambda: shop.sync.status().error.startswith("refused"), 15), shop.sync.status()
        assert shop.sync.status().pending == 1
        assert server_orders(postgres) == before
    finally:
        shop.close()


def test_an_order_paid_later_at_the_counter_is_paid_on_the_server(postgres, shop_files):  # noqa: F811
    shop = Shop.open(shop_files.kiosk_files[0])
    try:
        order = shop.orders.place(LINES, 4500, "ko")
        assert wait_until(lambda: shop.sync.status().pending == 0, 15)
        count = len(server_orders(postgres))
        shop.orders.mark_paid(order.id)

        def paid_on_server() -> bool:
            with psycopg.connect(postgres.admin_dsn()) as db:
                return db.execute("SELECT paid FROM orders WHERE kiosk = '1' AND local_id = %s",
                                  (order.id,)).fetchone()[0]

        assert wait_until(paid_on_server, 15)
        assert len(server_orders(postgres)) == count
    finally:
        shop.close()


def test_a_kiosk_whose_database_was_replaced_is_told_and_keeps_its_orders(postgres, shop_files, tmp_path):  # noqa: F811
    """Its ids start again at 1: its new orders must not pass for the old ones on the server."""
    replaced = tmp_path / "kiosk_1.toml"
    replaced.write_text(shop_files.kiosk_files[0].read_text().replace('data_folder = "kiosk_1-data"',
                                                                       f'data_folder = "{tmp_path / "new"}"')
                        .replace('password_file = "kiosk_1.secret"',
                                 f'password_file = "{shop_files.kiosk_files[0].with_suffix(".secret")}"'))
    before = server_orders(postgres)
    shop = Shop.open(replaced)
    try:
        shop.orders.place(LINES, 4500, "ko")
        assert wait_until(lambda: "database replaced" in shop.sync.status().error, 15), shop.sync.status()
        assert shop.sync.status().pending == 1
        assert server_orders(postgres) == before
    finally:
        shop.close()


def login(postgres, shop_files, name: str) -> psycopg.Connection:  # noqa: F811
    folder = shop_files.staff_file.parent
    password = (folder / f"{name}.secret").read_text().strip()
    return psycopg.connect(f"host=127.0.0.1 port={postgres.port} dbname=untact user={name}",
                           password=password, autocommit=True)


@pytest.mark.parametrize("statement", [
    "SELECT * FROM orders",
    "INSERT INTO orders (kiosk, local_id, day, number, created_at, lines, total, language, payment, paid)"
    " VALUES ('2', 999, current_date, 999, now(), '[]', 0, 'ko', 'counter', true)",
    "UPDATE menu_items SET sold_out = true",
    "UPDATE kiosk_health SET ack_requested = true",
    "SELECT * FROM kiosks",
])
def test_a_kiosk_login_can_do_nothing_but_its_own_work(postgres, shop_files, statement):  # noqa: F811
    with login(postgres, shop_files, "kiosk_1") as db, pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute(statement)


def test_a_staff_login_cannot_submit_orders_or_change_them_but_by_status(postgres, shop_files):  # noqa: F811
    with login(postgres, shop_files, "staff_counter") as db:
        for statement in ("SELECT untact_submit(1, current_date, 1, now()::timestamp, '[]', 0, 'ko', 'c', true)",
                          "UPDATE orders SET total = 0", "DELETE FROM orders"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                db.execute(statement)
