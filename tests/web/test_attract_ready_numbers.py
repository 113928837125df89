"""The kiosk's attract screen shows the numbers being made and ready, live, from the same
orders the ready board reads; nothing while no order waits."""

from __future__ import annotations

import pytest
from web_helpers import kiosk_file, order

pytestmark = pytest.mark.kiosk


def test_attract_screen_follows_the_order_stream(tmp_path, output_dir):
    from untact.simulator.driver import KioskDriver

    kiosk = KioskDriver(kiosk_file(tmp_path), data_dir=tmp_path / "data").start()
    try:
        assert kiosk.screen == "attract"
        widget = kiosk.app.screen.ids.ready_numbers
        kiosk.pump(5)
        assert widget.ready_text == widget.preparing_text == "" and widget.height == 0

        shop = kiosk.composition.shop
        first, second = order(shop), order(shop)
        shop.orders.set_status(second.id, "ready")  # as staff do it, from another thread/process
        kiosk.wait_until(lambda: widget.ready_text == "준비 완료 / Ready: 2", what="ready 2")
        assert widget.preparing_text == "준비 중 / Preparing: 1" and widget.height > 0
        kiosk.screenshot(output_dir / "attract-ready-numbers.png")

        shop.orders.set_status(second.id, "collected")
        shop.orders.set_status(first.id, "collected")
        kiosk.wait_until(lambda: widget.ready_text == widget.preparing_text == "", what="cleared")
    finally:
        kiosk.stop()
