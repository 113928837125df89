"""What the staff page does besides the queue, over HTTP on the real server: a customer's
HELP shown and answered, the day's totals, the CSV of the day, a refused move explained."""

from __future__ import annotations

import csv
import io

from web_helpers import Client, first_event, order


def test_staff_call_is_shown_live_and_answered(server, shop):
    c = Client(server.port)
    assert c.sign_in() == 303
    assert "호출이 없습니다" in c.get("/staff")[2]
    shop.staff_call.raise_call("help")
    name, live = first_event(server.port, "/staff/events", c.cookies)
    assert name == "live" and "local 키오스크에서 호출" in live
    status, _, _ = c.post("/staff/call/acknowledge", {"csrf": c.csrf("/staff"), "kiosk": "local"})
    assert status == 303
    assert not shop.staff_call.active and shop.staff_call.state.by == "staff web"


def test_totals_csv_and_a_refused_move(server, shop):
    a = order(shop, 4500)
    b = order(shop, 9000)
    shop.orders.mark_paid(b.id)
    shop.orders.set_status(a.id, "ready")
    c = Client(server.port)
    c.sign_in()
    page = c.get("/staff")[2]
    assert "주문 2건, 합계 13,500원 (결제됨 9,000원, 카운터 결제 대기 4,500원)" in page
    status, headers, text = c.get(f"/staff/orders.csv?day={a.day}")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(r["ref"], r["number"], r["total"], r["paid"], r["status"]) for r in rows] == [
        (f"local/{a.id}", "1", "4500", "no", "ready"), (f"local/{b.id}", "2", "9000", "yes", "new")]
    assert rows[0]["items"] == "아메리카노 x1"
    assert c.get("/staff/orders.csv?day=yesterday")[0] == 400
    status, _, text = c.post("/staff/status", {"csrf": c.csrf("/staff"), "ref": f"local/{a.id}",
                                                "status": "preparing"})
    assert status == 409 and "바꾸지 못했습니다" in text and "cannot become preparing" in text
    assert shop.orders.get(a.id).status == "ready"
