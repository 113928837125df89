"""The printer in the real kiosk (KioskDriver): an order taken on screen prints its
receipt, with the number the customer was shown, and its kitchen ticket; staff see the
printer run out of paper on the devices page, in Korean and English."""

from __future__ import annotations

from pathlib import Path

import pytest
from printer_rig import assert_printed_as
from untact.accessibility.intents import Kind
from untact.hardware.printer.config import PAPER_DOTS
from untact.hardware.printer.escpos_render import Paper
from untact.shop.staff_access import hash_pin
from untact.shop.tickets import tickets_for

CAFE = Path(__file__).resolve().parents[3] / "examples" / "cafe.toml"
PIN = "4826"
FAST = {"n": 2**10, "r": 8, "p": 1}  # cheap scrypt costs: the real ones are tested elsewhere


@pytest.fixture
def kiosk(tmp_path, printer):
    from untact.simulator.driver import KioskDriver

    path = tmp_path / "kiosk.toml"
    path.write_text(CAFE.read_text(encoding="utf-8") + f"""
[admin]
pin_hash = "{hash_pin(PIN, **FAST)}"
entry_sequence = ["back", "back", "back", "back", "home"]

[printer]
kind = "network"
address = "{printer.address}"
paper_mm = 58
""", encoding="utf-8")
    driver = KioskDriver(path, data_dir=tmp_path / "data").start()
    yield driver
    driver.stop()


def row_texts(kiosk) -> str:
    return " ".join(w.text for w in kiosk.app.screen.ids.content.walk(restrict=True)
                    if hasattr(w, "text"))


@pytest.mark.kiosk
def test_an_order_on_screen_prints_and_staff_see_the_printer(kiosk, printer, output_dir):
    shown = kiosk.order("커피", "아메리카노")
    receipt, ticket = printer.wait_for(2, timeout_s=20)
    (order,) = kiosk.store.for_day()
    assert str(order.number) == shown
    want = tickets_for(order, kiosk.app.shop.menu.kiosk)
    assert_printed_as(receipt, want[0], Paper(PAPER_DOTS[58]))
    assert_printed_as(ticket, want[1], Paper(PAPER_DOTS[58]))
    assert shown in [ln.text.strip() for ln in receipt.lines if ln.width == 6]

    kiosk.key("enter")
    kiosk.send(Kind.BACK, Kind.BACK, Kind.BACK, Kind.BACK, Kind.HOME)
    for digit in PIN:
        kiosk.choose(digit)
    kiosk.choose("확인")
    pin_screen = kiosk.app.sm.get_screen("admin_pin")
    kiosk.wait_until(lambda: not pin_screen.checking, what="the PIN check")
    kiosk.choose("장치 상태와 카메라")
    assert kiosk.screen == "admin_devices"
    kiosk.wait_until(lambda: "영수증 프린터: 켜짐" in row_texts(kiosk), what="printer on")
    printer.set_state("out_of_paper")
    kiosk.wait_until(lambda: "영수증 프린터: 용지 없음" in row_texts(kiosk), timeout=15,
                     what="out of paper shown to staff")
    kiosk.screenshot(output_dir / "admin_devices_printer.png")
