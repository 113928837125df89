"""Shared pieces of the web tests: a kiosk file with a PIN, a real server, an HTTP client."""

from __future__ import annotations

import http.client
import json
import re
import time
import urllib.parse
from pathlib import Path

from untact.shop.staff_access import hash_pin

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"
PIN = "4826"
FAST = {"n": 2**10, "r": 8, "p": 1}  # cheap scrypt costs: the real ones are tested in tests/shop


def kiosk_file(tmp_path: Path, printer: str = "") -> Path:
    """The cafe with an admin PIN and [staff_web]; ``printer``: a network printer's address."""
    path = tmp_path / "kiosk.toml"
    path.write_text(CAFE.read_text(encoding="utf-8") + f"""
[admin]
pin_hash = "{hash_pin(PIN, **FAST)}"
max_attempts = 3
lockout_minutes = 2

[staff_web]
host = "127.0.0.1"
port = 0
""" + (f'\n[printer]\nkind = "network"\naddress = "{printer}"\n' if printer else ""), encoding="utf-8")
    return path


class Client:
    """A browser's HTTP as far as these tests need it: one cookie jar, no redirects followed."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        text = r.read().decode("utf-8", "replace")
        for name, value in r.getheaders():
            if name.lower() == "set-cookie":
                k, _, rest = value.partition("=")
                v = rest.split(";", 1)[0]
                if v in ("", "null") or "expires=thu, 01 jan 1970" in value.lower():
                    self.cookies.pop(k, None)
                else:
                    self.cookies[k] = v
        conn.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, text

    def get(self, path: str, **kw):
        return self.request("GET", path, **kw)

    def post(self, path: str, form: dict[str, str], **kw):
        return self.request("POST", path, form=form, **kw)

    def csrf(self, path: str = "/login") -> str:
        _, _, page = self.get(path)
        m = re.search(r'name="csrf" value="([^"]+)"', page)
        assert m, f"no CSRF token on {path}"
        return m.group(1)

    def sign_in(self, pin: str = PIN) -> int:
        status, _, _ = self.post("/login", {"csrf": self.csrf(), "pin": pin})
        return status


def first_event(port: int, path: str, cookies: dict[str, str], within_s: float = 10.0) -> tuple[str, str]:
    """(event name, data) of the first server-sent event at ``path``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=within_s)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    conn.request("GET", path, headers=headers)
    r = conn.getresponse()
    if r.status != 200:
        conn.close()
        return str(r.status), ""
    name, data = "", []
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        line = r.fp.readline().decode("utf-8").rstrip("\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            data.append(line[6:])
        elif line == "" and name:
            break
    conn.close()
    return name, "\n".join(data)


def board_event(port: int) -> dict:
    name, data = first_event(port, "/board/events", {})
    assert name == "board"
    return json.loads(data)


def order(shop, total: int = 4500):
    """An order placed at the counter, as the kiosk's checkout stores it."""
    lines = [{"item": "americano", "name": {"ko": "아메리카노", "en": "Americano"}, "choices": {},
              "quantity": 1, "unit_price": total}]
    return shop.orders.place(lines, total, "ko")
