"""Staff security on the real server: no session, no change; no cross-site change; the
PIN locks out; cookies are HttpOnly and SameSite=Strict; the shop LAN only; the board
reaches nothing of the staff's."""

from __future__ import annotations

import asyncio

from untact.web.config import WebConfig, client_allowed
from untact.web.security import LanOnly
from web_helpers import PIN, Client, first_event, order


def test_staff_endpoints_refuse_without_a_session(server, shop):
    o = order(shop)
    c = Client(server.port)
    status, headers, _ = c.get("/staff")
    assert status == 303 and headers["location"] == "/login"
    token = c.csrf()  # a visitor's own session token does not make them staff
    for path, form in (("/staff/status", {"ref": f"local/{o.id}", "status": "ready"}),
                       ("/staff/sold-out", {"item": "americano", "sold_out": "1"}),
                       ("/staff/call/acknowledge", {"kiosk": "local"})):
        status, _, text = c.post(path, {**form, "csrf": token})
        assert status == 403 and "sign in" in text, path
    assert c.get("/staff/orders.csv")[0] == 403
    assert first_event(server.port, "/staff/events", c.cookies)[0] == "403"
    assert shop.orders.get(o.id).status == "new"
    assert not shop.menu.kiosk.item("americano").sold_out


def test_cross_site_posts_are_refused(server, shop):
    o = order(shop)
    c = Client(server.port)
    assert c.sign_in() == 303
    token = c.csrf("/staff")
    form = {"csrf": token, "ref": f"local/{o.id}", "status": "preparing"}
    status, _, text = c.post("/staff/status", form, headers={"Origin": "http://evil.example"})
    assert status == 403 and "cross-site" in text
    status, _, _ = c.post("/staff/status", form, headers={"Sec-Fetch-Site": "cross-site"})
    assert status == 403
    status, _, text = c.post("/staff/status", {**form, "csrf": "forged"})
    assert status == 403 and "CSRF" in text
    assert shop.orders.get(o.id).status == "new"
    origin = {"Origin": f"http://127.0.0.1:{server.port}", "X-Requested-With": "fetch"}
    assert c.post("/staff/status", form, headers=origin)[0] == 204
    assert shop.orders.get(o.id).status == "preparing"
    # signing in needs the token too (no login CSRF)
    assert Client(server.port).post("/login", {"pin": PIN})[0] == 403


def test_pin_locks_out_after_failures_and_the_right_pin_waits(server, shop):
    c = Client(server.port)
    for left in (2, 1):
        status, _, page = c.post("/login", {"csrf": c.csrf(), "pin": "0000"})
        assert status == 401 and f"{left}번 더" in page
    status, _, page = c.post("/login", {"csrf": c.csrf(), "pin": "0000"})
    assert status == 429 and "2분 후에" in page
    status, _, page = c.post("/login", {"csrf": c.csrf(), "pin": PIN})
    assert status == 429  # locked: not even checked
    assert c.get("/staff")[0] == 303
    assert shop.pin_gate.locked_for() > 0  # the kiosk's own lock: one gate for both


def test_session_cookie_is_httponly_strict_and_renewed_at_sign_in(server):
    c = Client(server.port)
    _, headers, _ = c.get("/login")
    cookie = headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    before = c.cookies["untact_staff"]
    assert c.sign_in() == 303
    assert c.cookies["untact_staff"] != before
    assert c.get("/staff")[0] == 200
    c.post("/logout", {"csrf": c.csrf("/staff")})
    assert c.get("/staff")[0] == 303


def test_only_the_shop_lan_is_served():
    cfg = WebConfig()
    for host in ("127.0.0.1", "192.168.0.23", "10.1.2.3", "172.16.4.5", "::1", "fe80::1",
                 "::ffff:192.168.1.2"):
        assert client_allowed(host, cfg), host
    for host in ("8.8.8.8", "1.1.1.1", "2001:4860::8888", "::ffff:8.8.8.8", None, "nonsense"):
        assert not client_allowed(host, cfg), host
    import ipaddress
    assert client_allowed("1.1.1.1", WebConfig(allow=(ipaddress.ip_network("1.1.1.0/24"),)))

    reached = []

    async def app(scope, receive, send):
        reached.append(scope["client"])

    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    gate = LanOnly(app, cfg)
    for client in (("8.8.8.8", 5000), ("192.168.0.9", 5000)):
        asyncio.run(gate({"type": "http", "client": client, "method": "GET", "path": "/board",
                          "headers": []}, receive, send))
    assert reached == [("192.168.0.9", 5000)]
    assert sent[0]["status"] == 403


def test_the_board_shows_numbers_and_nothing_of_the_staff(server, shop):
    order(shop)
    b = order(shop)
    shop.orders.set_status(b.id, "ready")
    c = Client(server.port)
    status, _, page = c.get("/board")
    assert status == 200
    assert "href=\"/staff" not in page and "<form" not in page and "csrf" not in page
    name, data = first_event(server.port, "/board/events", {})
    assert name == "board" and '"preparing": [1]' in data and '"ready": [2]' in data
    assert "americano" not in data.lower() and "4500" not in data  # numbers only
    assert c.get("/staff")[0] == 303  # the board's visitor is no staff
