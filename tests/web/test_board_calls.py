"""The ready board calls each ready order once: one call across two screens, none again
after the server restarts; the call's speech is a WAV made in memory; staff stay signed
in across a restart (the session key is kept in the data folder, mode 0600)."""

from __future__ import annotations

import http.client
import stat

from untact.web.config import WebConfig
from untact.web.server import StaffWebServer, local_app
from web_helpers import Client, board_event, order


def test_two_screens_one_call_and_no_call_after_a_restart(server, shop):
    o = order(shop)
    assert board_event(server.port)["announce"] == []
    shop.orders.set_status(o.id, "ready")
    first, second = board_event(server.port), board_event(server.port)  # a reload, or a 2nd TV
    assert first["ready"] == second["ready"] == [1]
    assert [c["number"] for c in first["announce"]] == [1]
    assert first["announce"][0]["text"]["ko"] == "1번 고객님, 주문하신 메뉴가 준비되었습니다."
    assert second["announce"] == []

    server.stop()
    again = StaffWebServer(local_app(shop, WebConfig(host="127.0.0.1", port=0)), "127.0.0.1", 0).start()
    try:
        assert board_event(again.port) == {"preparing": [], "ready": [1], "announce": []}
        later = order(shop)
        shop.orders.set_status(later.id, "ready")
        assert [c["number"] for c in board_event(again.port)["announce"]] == [2]
    finally:
        again.stop()


def test_call_speech_in_both_languages(server):
    for lang in ("ko", "en"):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.request("GET", f"/board/call/7.wav?lang={lang}")
        r = conn.getresponse()
        wav = r.read()
        assert r.status == 200 and r.getheader("content-type") == "audio/wav"
        assert wav[:4] == b"RIFF" and len(wav) > 20_000  # a second of speech or more
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", "/board/call/7.wav?lang=fr")
    assert conn.getresponse().status == 400


def test_staff_stay_signed_in_across_a_restart(server, shop):
    c = Client(server.port)
    c.sign_in()
    server.stop()
    key = shop.orders.folder / "staff_web.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    again = StaffWebServer(local_app(shop, WebConfig(host="127.0.0.1", port=0)), "127.0.0.1", 0).start()
    try:
        c.port = again.port
        assert c.get("/staff")[0] == 200
        key.unlink()  # deleting the key signs everyone out at the next start
    finally:
        again.stop()
    third = StaffWebServer(local_app(shop, WebConfig(host="127.0.0.1", port=0)), "127.0.0.1", 0).start()
    try:
        c.port = third.port
        assert c.get("/staff")[0] == 303
    finally:
        third.stop()
