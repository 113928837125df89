"""What a receipt and a kitchen ticket say, from a real order of the sample cafe."""

from __future__ import annotations

import datetime as dt

from untact.shop.cart import Cart
from untact.shop.orders import OrderStore
from untact.shop.tickets import kitchen_ticket, receipt


def order_of(tmp_path, kiosk, paid: bool = False):
    cart = Cart(kiosk)
    cart.add(kiosk.item("americano"), {"size": "large", "temperature": "iced"}, quantity=2)
    cart.add(kiosk.item("cafe_latte"))
    store = OrderStore(tmp_path, now=lambda: dt.datetime(2026, 3, 14, 11, 30, 5))
    order = store.place(cart.snapshot(), cart.total(), "en", payment="counter", paid=paid)
    store.close()
    return order


def test_the_receipt(tmp_path, cafe_menu):
    order = order_of(tmp_path, cafe_menu)
    ticket = receipt(order, cafe_menu)
    text = ticket.text()
    (huge,) = [ln for ln in ticket.lines if ln.size == "huge"]
    assert huge.text == "1" and huge.align == "center"
    assert ticket.lines[0].text == "햇살 카페" and "Haetsal Cafe" in text
    americano = 2 * (4500 + 500)  # large: +500
    assert f"  Americano x2  {americano:,} won" in text and "아메리카노" in text
    assert "  + 크기: 큰 사이즈 / Size: Large" in text and "차갑게 / Temperature: Iced" in text
    assert "No extra shot" not in text  # defaults left off the customer's slip
    assert f"{order.total:,} won" in text and order.total == americano + 5000
    assert "카운터 결제 / pay at the counter" in text and "미결제 / not paid yet" in text
    assert "2026-03-14 11:30" in text


def test_the_kitchen_ticket(tmp_path, cafe_menu):
    order = order_of(tmp_path, cafe_menu, paid=True)
    ticket = kitchen_ticket(order, cafe_menu)
    text = ticket.text()
    assert [ln.text for ln in ticket.lines if ln.size == "huge"] == ["1"]
    assert "2 x 아메리카노" in text and "1 x 카페라테" in text and "    Cafe Latte" in text
    assert "No extra shot" in text and "Temperature: Hot" in text  # every choice, defaults too
    assert "won" not in text and "결제 완료 / paid" in text


def test_a_choice_no_longer_on_the_menu_prints_as_taken(tmp_path, cafe_menu):
    order = order_of(tmp_path, cafe_menu)
    order.lines[0]["choices"]["size"] = "giant"
    assert "  + size: giant" in kitchen_ticket(order, cafe_menu).text()
