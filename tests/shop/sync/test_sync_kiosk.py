"""A real kiosk (KioskApp through the composition root, offscreen) that is one of a
shop's kiosks: a customer orders at the screen, and the number shown is the shop's (slot
2 of 2: even) and is on the PostgreSQL server under this kiosk with the items ordered."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from postgres_server import postgres, wait_until  # noqa: F401  (fixture)
from untact.accessibility.intents import Kind
from untact.shop.sync.provision import provision
from untact.simulator.driver import KioskDriver

REPO = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.kiosk


def test_a_number_shown_at_the_kiosk_is_the_shops_and_on_the_server(postgres, tmp_path):  # noqa: F811
    files = provision(postgres.admin_dsn(), "127.0.0.1", postgres.port, REPO / "examples" / "cafe.toml",
                      tmp_path, kiosks=2).kiosk_files
    kiosk = KioskDriver(files[1]).start()
    try:
        assert kiosk.app.shop.sync is not None
        kiosk.send(Kind.SELECT)
        for label in ("한국어", "커피", "아메리카노", "담기", "주문하기", "카운터"):
            kiosk.choose(label)
        kiosk.wait_until(lambda: kiosk.screen == "done")
        shown = int(kiosk.app.sm.get_screen("done").ids.number.text)
        assert shown == 2  # the first of slot 2 of 2

        def on_server():
            with psycopg.connect(postgres.admin_dsn()) as db:
                return db.execute("SELECT kiosk, number, lines FROM orders").fetchall()

        assert wait_until(lambda: len(on_server()) == 1, 20)
        ((who, number, lines),) = on_server()
        assert (who, number) == ("2", shown)
        assert [line["item"] for line in lines] == ["americano"]
    finally:
        kiosk.stop()
