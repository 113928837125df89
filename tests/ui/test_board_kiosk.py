"""A virtual sensor board (the real firmware over a real pseudo-terminal, found by the
real host link) drives the real kiosk: a push while an item is focused adds it."""

from pathlib import Path

import pytest
from untact.accessibility.intents import Kind

pytestmark = pytest.mark.kiosk

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"


def test_board_push_on_a_focused_item_adds_it_to_the_cart(tmp_path):
    from untact.simulator.driver import KioskDriver

    k = KioskDriver(CAFE, data_dir=tmp_path / "data", boards=1).start()
    try:
        k.board_action("approach", {})          # the PIR sees a person: the kiosk wakes
        assert k.screen == "language"
        k.send(Kind.SELECT)                      # 한국어
        k.choose("베이커리")
        k.focus_on(lambda w: "크루아상" in w.text)
        k.board_action("push", {})               # the hand crosses the touch plane
        assert k.screen == "options"
        k.focus_on(lambda w: "담기" in w.text)
        k.board_action("push", {})
        assert k.screen == "cart"
        assert [(ln.item.id, ln.quantity) for ln in k.app.cart.lines] == [("croissant", 1)]
        sources = {s.board_id for s in k.link.status() if s.state == "connected"}
        assert sources == {"sim-1"}
    finally:
        k.stop()


def test_help_on_the_board_calls_staff_at_the_board_and_on_screen(tmp_path):
    from untact.hardware.devices import STAFF_CALL_LED
    from untact.simulator.driver import KioskDriver

    k = KioskDriver(CAFE, data_dir=tmp_path / "data", boards=1).start()
    try:
        board = k.boards.board(0)
        k.board_action("press", {"button": "help"})
        assert k.app.staff_call.active
        k.wait_until(lambda: board.led == STAFF_CALL_LED, timeout=5, what="the board's LED to light")
        k.app.staff_call.acknowledge("test")
        k.wait_until(lambda: board.led == (0, 0, 0), timeout=5, what="the LED to go out")
    finally:
        k.stop()


def test_a_board_sending_garbage_shows_its_counts_on_the_devices_screen(tmp_path):
    from untact.simulator.driver import KioskDriver

    k = KioskDriver(CAFE, data_dir=tmp_path / "data", boards=1).start()
    try:
        k.board_action("line_noise", {"text": "@E 1 key ok\r\n>>> \r\n"})  # no CRC; REPL text
        k.wait_until(lambda: "board_faults" in k.app.device_status, what="the faults counted")
        k.app.go("admin_devices")
        assert k.app.screen.status_line("boards") == (
            "센서 보드: 1개 연결됨 (sim-1) · 받은 데이터 오류: sim-1: 1 damaged frames, 1 stray text lines")
        k.app.go("attract")
    finally:
        k.stop()
