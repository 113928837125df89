"""The staff side of a shop of several kiosks, on a real PostgreSQL server: the order
feed (orders of every kiosk, status moves, change waits), and the shop control (sold out
reaching every kiosk, staff calls answered from the counter, device health)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from postgres_server import postgres, wait_until  # noqa: F401  (fixture)
from untact.shop.menu_service import MenuService
from untact.shop.service import Shop
from untact.shop.sync.config import from_kiosk
from untact.shop.sync.provision import provision, write_secret
from untact.shop.sync.server_feed import PostgresOrderFeed, PostgresShopControl, server_views

REPO = Path(__file__).resolve().parents[3]
LINES = [{"item": "latte", "qty": 2, "price": 5000}]


@pytest.fixture(scope="module")
def shop(postgres, tmp_path_factory):  # noqa: F811
    files = provision(postgres.admin_dsn(), "127.0.0.1", postgres.port, REPO / "examples" / "cafe.toml",
                      tmp_path_factory.mktemp("shop"), kiosks=2)
    staff_menu = MenuService(files.staff_file)
    config = from_kiosk(staff_menu.kiosk)
    feed, control = PostgresOrderFeed(config), PostgresShopControl(config, staff_menu)
    kiosks = [Shop.open(f) for f in files.kiosk_files]
    yield feed, control, kiosks
    for k in kiosks:
        k.close()
    feed.close()
    control.close()


def test_the_feed_shows_every_kiosks_orders_and_wakes_on_a_new_one(shop):
    feed, _, kiosks = shop
    start = feed.version()
    woke: list[int] = []
    waiter = threading.Thread(target=lambda: woke.append(feed.wait_change(start, 20)))
    waiter.start()
    order = kiosks[1].orders.place(LINES, 10000, "en")
    waiter.join(25)
    assert woke and woke[0] > start
    (seen,) = [o for o in feed.orders() if o.ref == f"2/{order.id}"]
    assert (seen.kiosk, seen.number, seen.total, seen.lines, seen.status) == ("2", order.number, 10000,
                                                                               LINES, "new")


def test_status_moves_forward_only_and_shows_on_the_kiosks_board(shop):
    feed, _, kiosks = shop
    order = kiosks[0].orders.place(LINES, 10000, "ko")
    ref = f"1/{order.id}"
    assert wait_until(lambda: any(o.ref == ref for o in feed.orders()), 15)
    before = feed.version()
    assert feed.set_status(ref, "ready").status == "ready"
    assert feed.version() > before
    assert feed.set_status(ref, "ready").status == "ready"  # a double tap
    with pytest.raises(ValueError, match="cannot become preparing"):
        feed.set_status(ref, "preparing")
    with pytest.raises(ValueError, match="unknown order"):
        feed.set_status("1/999999", "ready")
    assert feed.summary().by_status["ready"] >= 1
    assert wait_until(lambda: (order.number, "ready") in kiosks[1].sync.queue(), 15)


def test_sold_out_from_the_counter_reaches_every_kiosk_and_its_file(shop):
    _, control, kiosks = shop
    control.set_sold_out("americano", True)
    for k in kiosks:
        assert wait_until(lambda k=k: k.menu.kiosk.item("americano").sold_out, 15)
        assert MenuService(k.menu.path).kiosk.item("americano").sold_out  # saved: survives a restart
    control.set_sold_out("americano", False)
    for k in kiosks:
        assert wait_until(lambda k=k: not k.menu.kiosk.item("americano").sold_out, 15)
    with pytest.raises(KeyError):
        control.set_sold_out("no-such-item", True)


def test_a_kiosks_staff_call_and_devices_reach_the_counter_and_staff_answer_it(shop):
    _, control, kiosks = shop
    kiosks[0].sync.report_devices(lambda: {"camera": "on", "voice": "no microphone"})
    kiosks[0].staff_call.raise_call("help")
    assert wait_until(lambda: [c.kiosk for c in control.staff_calls()] == ["1"], 15)
    assert wait_until(lambda: control.device_health().get("1", {}).get("microphone") == "no microphone", 15)
    assert control.device_health()["1"]["camera"] == "on"
    control.acknowledge_call("1")
    assert control.staff_calls() == []
    assert wait_until(lambda: not kiosks[0].staff_call.active, 15)
    assert kiosks[0].staff_call.state.by == "staff"


def test_the_staff_app_gets_the_servers_views_only_with_a_staff_login(shop, tmp_path):
    feed, control, kiosks = shop
    assert server_views(kiosks[0].menu) is None  # a kiosk's file
    staff_file = control.menu().path
    wrong = tmp_path / "staff.toml"
    wrong.write_text(staff_file.read_text().replace('password_file = "staff_counter.secret"',
                                                    f'password_file = "{tmp_path / "wrong.secret"}"'))
    write_secret(tmp_path / "wrong.secret", "not-the-counters-password")
    with pytest.raises(ConnectionError, match="password authentication failed"):
        server_views(MenuService(wrong))


def test_a_lost_server_is_a_one_line_connection_error_and_the_app_reconnects(shop, postgres):  # noqa: F811
    """Last in this file: it stops the module's server for a moment."""
    feed, control, _ = shop
    postgres.stop()
    try:
        for call in (feed.orders, feed.summary, control.staff_calls, control.device_health):
            with pytest.raises(ConnectionError, match="^shop server: ") as caught:
                call()
            assert "\n" not in str(caught.value)
    finally:
        postgres.start()

    def back() -> bool:
        try:
            feed.orders()
            return True
        except ConnectionError:
            return False

    assert wait_until(back, 15)
