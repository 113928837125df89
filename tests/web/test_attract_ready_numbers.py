"""At the kiosk: the attract screen shows the numbers being made and ready, live, from the
same orders the ready board reads (nothing while no order waits); the sensor boards
sound once for each order that becomes ready."""

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


def test_sensor_boards_sound_when_an_order_is_ready(tmp_path):
    """With [staff_web], the kiosk's boards sound once per order that becomes ready."""
    from untact.simulator.driver import KioskDriver

    kiosk = KioskDriver(kiosk_file(tmp_path), data_dir=tmp_path / "data", boards=1).start()
    try:
        kiosk.wait_until(lambda: any(s.state == "connected" for s in kiosk.link.status()),
                         timeout=20, what="the virtual board")
        kiosk.composition.start_staff_web()
        tones = kiosk.composition.ready_tones
        shop = kiosk.composition.shop
        a, b = order(shop), order(shop)
        shop.orders.set_status(a.id, "preparing")
        shop.orders.set_status(b.id, "ready")
        kiosk.wait_until(lambda: tones.sounded == 1, timeout=10, what="a tone for order 2")
        assert tones.last_tone and all(p.wait(5) for p in tones.last_tone)  # the board acknowledged
        shop.orders.set_status(b.id, "collected")
        shop.orders.set_status(a.id, "ready")
        kiosk.wait_until(lambda: tones.sounded == 2, timeout=10, what="a tone for order 1")
        kiosk.pump(30)
        assert tones.sounded == 2  # each order once
    finally:
        kiosk.stop()
