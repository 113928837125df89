"""The wired shop: HELP calls staff, the hidden sequence opens admin, a PIN set from the
console while the kiosk runs is honoured, a checkout places an order."""

from __future__ import annotations

import queue
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from untact.accessibility.intents import Kind, simple
from untact.shop.checkout import CheckoutStatus
from untact.shop.service import Shop

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"


class Clock:
    t = 50.0

    def __call__(self):
        return self.t


@pytest.fixture
def shop(tmp_path):
    path = tmp_path / "kiosk.toml"
    shutil.copy(CAFE, path)
    clock = Clock()
    s = Shop.open(path, monotonic=clock)
    s.clock = clock
    yield s
    s.close()


def test_help_calls_staff_and_the_sequence_opens_admin(shop):
    events = []
    shop.staff_call.subscribe(events.append)
    results = []
    for _ in range(5):
        results.append(shop.on_intent(simple(Kind.HELP)))
        shop.clock.t += 0.5
    assert results == ["staff_called"] * 4 + ["admin"]
    assert not shop.staff_call.active and events[-1].by == "admin"
    assert shop.on_intent(simple(Kind.NEXT)) is None


def test_pin_set_from_the_console_while_running(shop):
    assert shop.check_pin("1234").no_pin
    r = subprocess.run([sys.executable, "-m", "untact.shop.admin_cli", "--config",
                        str(shop.menu.path), "set-pin", "--stdin"], input="975310\n",
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert shop.check_pin("975310").ok
    assert shop.check_pin("975311").attempts_left == 4


def test_checkout_through_the_shop(shop):
    done: queue.Queue = queue.Queue()
    line = [{"item": "americano", "name": {"ko": "아메리카노", "en": "Americano"},
             "choices": {}, "quantity": 1, "unit_price": 4500}]
    shop.checkout().start(line, 4500, "ko", done.put)
    out = done.get(timeout=10)
    assert out.status is CheckoutStatus.ORDERED and out.order.number == 1
    assert [o.id for o in shop.orders.queue()] == [out.order.id]


def test_entry_sequence_follows_the_kiosk_file(shop):
    def two_backs(doc):
        import tomlkit
        doc["admin"] = tomlkit.table()
        doc["admin"]["entry_sequence"] = ["back", "back", "back"]

    shop.menu.edit(two_backs)
    assert [shop.on_intent(simple(Kind.BACK)) for _ in range(3)] == [None, None, "admin"]
