"""order_to_staff_page_p95_ms: an order committed by the kiosk (OrderStore.place, as its
checkout does) until the signed-in staff page's event stream delivers the page part that
shows it (the real app on uvicorn, over HTTP on loopback), 40 orders; ready_to_board_p95_ms:
each then marked ready until the ready board's stream lists its number; both again as
20 more orders of a day that already has 10,000. Reference, same
run and same client: a bare SSE round trip on a minimal Starlette app on uvicorn (a POST
whose arrival the server pushes back on an open event stream). Target: <= 1000 ms."""

from __future__ import annotations

import asyncio
import datetime as dt
import http.client
import json
import re
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

from untact.shop.orders import OrderStore

from . import p95_metric

REPO = Path(__file__).resolve().parents[2]
ORDERS = 40
BUSY_DAY = 10_000  # the shop bench's busy day
PIN = "4826"
LINES = [{"item": "americano", "name": {"ko": "아메리카노", "en": "Americano"}, "choices": {},
          "quantity": 1, "unit_price": 4500}]


class _Stream:
    """Reads one event stream in a thread; ``wait(pred)`` returns when an event matches."""

    def __init__(self, port: int, path: str, cookie: str = "") -> None:
        self._conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self._conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        self._resp = self._conn.getresponse()
        if self._resp.status != 200:
            raise RuntimeError(f"{path}: HTTP {self._resp.status}")
        self._events: list[str] = []
        self._cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        data: list[str] = []
        try:
            for raw in self._resp.fp:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("data: "):
                    data.append(line[6:])
                elif not line and data:
                    with self._cond:
                        self._events.append("\n".join(data))
                        self._cond.notify_all()
                    data = []
        except (OSError, ValueError):
            pass

    def wait(self, pred: Callable[[str], bool], timeout: float = 10.0) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: any(pred(e) for e in self._events), timeout):
                raise TimeoutError("no matching event")
            self._events.clear()

    def close(self) -> None:
        self._conn.close()


def _containing(text: str) -> Callable[[str], bool]:
    return lambda event: text in event


def _listing_ready(number: int) -> Callable[[str], bool]:
    return lambda event: number in json.loads(event)["ready"]


def _post(port: int, path: str, form: dict[str, str], cookie: str = "") -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", path, body=urllib.parse.urlencode(form),
                 headers={"Content-Type": "application/x-www-form-urlencoded",
                          **({"Cookie": cookie} if cookie else {})})
    r = conn.getresponse()
    r.read()
    cookie_out = next((v.split(";", 1)[0] for k, v in r.getheaders() if k.lower() == "set-cookie"), cookie)
    conn.close()
    return r.status, cookie_out


def _fill_busy_day(store: OrderStore, count: int) -> None:
    """``count`` collected orders of today, inserted straight into SQLite (placing them one
    fsync at a time would measure the disk)."""
    day = dt.date.today().isoformat()
    rows = [(day, n, f"{day}T09:00:00", json.dumps(LINES, ensure_ascii=False), 4500, "ko",
             "counter", 1, "collected") for n in range(1, count + 1)]
    with store._transaction() as db:
        db.executemany("INSERT INTO orders (day, number, created_at, lines_json, total, language,"
                       " payment, paid, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _staff_latencies(folder: Path, busy: int = 0, orders: int = ORDERS
                     ) -> tuple[list[float], list[float]]:
    """(order committed -> on the staff page, marked ready -> on the ready board), ms,
    after ``busy`` orders already collected today."""
    from untact.shop.service import Shop
    from untact.shop.staff_access import hash_pin
    from untact.web.config import WebConfig
    from untact.web.server import StaffWebServer, local_app

    kiosk = folder / "kiosk.toml"
    kiosk.write_text((REPO / "examples" / "cafe.toml").read_text(encoding="utf-8")
                     + f'\n[admin]\npin_hash = "{hash_pin(PIN, n=2**10)}"\n', encoding="utf-8")
    shop = Shop.open(kiosk)
    _fill_busy_day(shop.orders, busy)
    server = StaffWebServer(local_app(shop, WebConfig(host="127.0.0.1", port=0)), "127.0.0.1", 0).start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.request("GET", "/login")
        r = conn.getresponse()
        page = r.read().decode()
        cookie = next(v.split(";", 1)[0] for k, v in r.getheaders() if k.lower() == "set-cookie")
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        status, cookie = _post(server.port, "/login", {"csrf": token, "pin": PIN}, cookie)
        if status != 303:
            raise RuntimeError(f"sign-in failed: HTTP {status}")
        stream = _Stream(server.port, "/staff/events", cookie)
        stream.wait(_containing("queue-heading"))  # the first, full event
        to_staff, ids = [], []
        for n in range(busy + 1, busy + orders + 1):
            t0 = time.perf_counter()
            ids.append(shop.orders.place(LINES, 4500, "ko").id)
            stream.wait(_containing(f'data-number="{n}"'))
            to_staff.append((time.perf_counter() - t0) * 1000)
        stream.close()
        board = _Stream(server.port, "/board/events")
        board.wait(_containing('"ready"'))
        to_board = []
        for n, order_id in enumerate(ids, busy + 1):
            t0 = time.perf_counter()
            shop.orders.set_status(order_id, "ready")
            board.wait(_listing_ready(n))
            to_board.append((time.perf_counter() - t0) * 1000)
            shop.orders.set_status(order_id, "collected")
        board.close()
        return to_staff, to_board
    finally:
        server.stop()
        shop.close()


def _bare_sse_latencies() -> list[float]:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response, StreamingResponse
    from starlette.routing import Route
    from untact.web.server import StaffWebServer

    queues: list[asyncio.Queue[str]] = []

    async def events(request: Request) -> Response:
        queue: asyncio.Queue[str] = asyncio.Queue()
        queues.append(queue)

        async def stream() -> Iterator[str]:  # type: ignore[misc]
            yield "data: open\n\n"
            while True:
                yield f"data: {await queue.get()}\n\n"
        return StreamingResponse(stream(), media_type="text/event-stream")

    async def ping(request: Request) -> Response:
        form = await request.form()
        for q in queues:
            q.put_nowait(str(form["n"]))
        return Response(status_code=204)

    app = Starlette(routes=[Route("/events", events), Route("/ping", ping, methods=["POST"])])
    server = StaffWebServer(app, "127.0.0.1", 0).start()  # type: ignore[arg-type]
    try:
        stream = _Stream(server.port, "/events")
        stream.wait(lambda e: e == "open")
        out = []
        for n in range(1, ORDERS + 1):
            t0 = time.perf_counter()
            _post(server.port, "/ping", {"n": str(n)})
            stream.wait(str(n).__eq__)
            out.append((time.perf_counter() - t0) * 1000)
        stream.close()
        return out
    finally:
        server.stop()


def run() -> Iterator[dict]:
    reference = _bare_sse_latencies()
    with tempfile.TemporaryDirectory() as tmp:
        staff, board = _staff_latencies(Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        busy_staff, busy_board = _staff_latencies(Path(tmp), busy=BUSY_DAY, orders=20)
    yield p95_metric("order_to_staff_page_p95_ms", staff, target_ms=1000)
    yield p95_metric("ready_to_board_p95_ms", board)
    yield p95_metric("order_to_staff_page_busy_day_p95_ms", busy_staff, target_ms=1000,
                     note=f"after {BUSY_DAY:,} orders of the day")
    yield p95_metric("ready_to_board_busy_day_p95_ms", busy_board,
                     note=f"after {BUSY_DAY:,} orders of the day")
    yield p95_metric("bare_sse_round_trip_p95_ms", reference,
                     reference_for="order_to_staff_page_p95_ms, ready_to_board_p95_ms (and busy day)")
