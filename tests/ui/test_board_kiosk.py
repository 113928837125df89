"""A virtual sensor board (the real firmware over a real pseudo-terminal, found by the
real host link) drives the real kiosk: a push while an item is focused adds it."""

from pathlib import Path

from untact.accessibility.intents import Kind

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
