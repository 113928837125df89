"""Shop benchmarks: loading a big menu, the admin screen's queries on a busy day, and a
live menu edit. Each target metric comes with its reference measured in the same run.

- ``menu_load_1000_items_ms`` (target 200 ms): ``load_kiosk`` of a generated 1000-item
  menu; reference ``menu_parse_1000_items_tomllib_ms``, a bare ``tomllib`` parse of the
  same file (the floor: what validation adds is the difference).
- ``admin_day_10000_orders_ms`` (target 300 ms): what the admin screen asks for a day of
  10,000 orders: the day list (``day_rows``: every order's number, time, total, payment,
  paid, status), the totals (``summary``) and the staff queue (``queue``, decoded);
  reference ``admin_day_10000_orders_raw_select_ms``, a bare ``SELECT *`` of the day.
  Also reported: ``..._full_decode_ms`` (``for_day``: all 10,000 orders with their lines
  decoded from JSON, which a list screen should not need) and
  ``admin_screen_page_10000_orders_ms`` (one page of 50 decoded orders + totals + queue).
  The day: 10,000 orders (and 10,000 the day before), all collected but the last 40
  (new or preparing), as at a busy counter.
- ``menu_sold_out_toggle_*_ms``: one sold-out toggle through MenuService (tomlkit edit,
  validation, fsync, atomic replace), on the sample cafe and on the 1000-item menu;
  reference: ``load_kiosk`` alone of the same file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from untact.shop.menu import load_kiosk
from untact.shop.menu_service import MenuService
from untact.shop.orders import OrderStore

from . import median, metric, percentile, times_ms

REPO = Path(__file__).resolve().parents[2]
DAY = "2026-03-14"



def _row(name: str, samples: list[float], **extra: object) -> dict:
    return metric(name, median(samples), "ms", p90=round(percentile(samples, 90), 3),
                  runs=len(samples), **extra)


def big_menu(items: int = 1000, seed: int = 1) -> str:
    """A plausible 1000-item kiosk file: 20 categories, 4 option groups, aliases."""
    rng = random.Random(seed)
    out = ['[shop]', 'name = { ko = "큰 가게", en = "Big Shop" }', 'languages = ["ko", "en"]',
           'data_folder = "data"', '']
    for g, choices in (("size", 3), ("temperature", 2), ("shot", 2), ("syrup", 4)):
        out.append(f"[options.{g}]")
        out.append(f'name = {{ ko = "옵션 {g}", en = "Option {g}" }}')
        out.append("choices = [")
        for c in range(choices):
            out.append(f'  {{ id = "c{c}", name = {{ ko = "선택 {c}", en = "Choice {c}" }},'
                       f' price = {c * 500} }},')
        out.append("]")
        out.append("")
    for c in range(20):
        out += ["[[categories]]", f'id = "cat{c:02d}"',
                f'name = {{ ko = "분류 {c}", en = "Category {c}" }}', ""]
    for i in range(items):
        opts = rng.sample(["size", "temperature", "shot", "syrup"], rng.randint(0, 3))
        out += ["[[items]]", f'id = "item{i:04d}"', f'category = "cat{i % 20:02d}"',
                f'name = {{ ko = "메뉴 {i}번", en = "Menu item {i}" }}',
                f"price = {rng.randrange(1000, 20000, 100)}",
                f"options = {json.dumps(opts)}",
                f'aliases = {{ ko = ["메뉴{i}"], en = ["item {i}"] }}', ""]
    return "\n".join(out)


def _fill_orders(store: OrderStore, per_day: int, rng: random.Random) -> None:
    """Bulk-insert a busy day (and the day before) straight into SQLite: placing 20,000
    orders one fsync at a time would measure the SD card, not the admin queries."""
    rows = []
    for day in ("2026-03-13", DAY):
        for n in range(1, per_day + 1):
            qty = rng.randint(1, 3)
            lines = [{"item": f"item{rng.randrange(1000):04d}",
                      "name": {"ko": "메뉴", "en": "Item"}, "choices": {"size": "c1"},
                      "quantity": qty, "unit_price": 4500}]
            status = "collected" if n <= per_day - 40 else rng.choice(["new", "preparing"])
            rows.append((day, n, f"{day}T12:00:00", json.dumps(lines, ensure_ascii=False),
                         4500 * qty, "ko", rng.choice(["counter", "card-sim"]),
                         rng.random() < 0.7, status))
    with store._transaction() as db:
        db.executemany("INSERT INTO orders (day, number, created_at, lines_json, total, language,"
                       " payment, paid, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _toggle_rows(label: str, path: Path) -> Iterator[dict]:
    svc = MenuService(path)
    item = svc.kiosk.items[-1].id
    flips = iter([True, False] * 20)
    toggle = times_ms(lambda: svc.set_sold_out(item, next(flips)), runs=9)
    yield _row(f"menu_sold_out_toggle_{label}_ms", toggle)
    yield _row(f"menu_load_{label}_ms", times_ms(lambda: load_kiosk(path), runs=9),
               reference_for=f"menu_sold_out_toggle_{label}_ms")


def run() -> Iterator[dict]:
    yield metric("shop_bench_load_average", os.getloadavg()[0], "load",
                 note="1-minute load average of this machine when the shop bench started")
    tmp = Path(tempfile.mkdtemp(prefix="untact-bench-shop-"))
    try:
        # --- a 1000-item menu ---------------------------------------------------------
        menu_path = tmp / "big.toml"
        text = big_menu()
        menu_path.write_text(text, encoding="utf-8")
        kiosk = load_kiosk(menu_path)
        assert len(kiosk.items) == 1000
        load = times_ms(lambda: load_kiosk(menu_path), runs=15)
        parse = times_ms(lambda: tomllib.loads(menu_path.read_text(encoding="utf-8")), runs=15)
        yield _row("menu_load_1000_items_ms", load, target_ms=200,
                   file_bytes=len(text.encode()))
        yield _row("menu_parse_1000_items_tomllib_ms", parse,
                   reference_for="menu_load_1000_items_ms")

        # --- a day of 10,000 orders -------------------------------------------------------
        store = OrderStore(tmp / "data", now=lambda: dt.datetime(2026, 3, 14, 18, 0))
        _fill_orders(store, 10_000, random.Random(7))
        seen: dict[str, Any] = {}

        def admin_queries() -> None:
            seen["orders"] = store.day_rows(DAY)
            seen["summary"] = store.summary(DAY)
            seen["queue"] = store.queue(DAY)

        admin = times_ms(admin_queries, runs=9)
        assert len(seen["orders"]) == 10_000 and seen["summary"].count == 10_000
        raw_db = sqlite3.connect(store.path)
        raw = times_ms(lambda: raw_db.execute("SELECT * FROM orders WHERE day = ?",
                                               (DAY,)).fetchall(), runs=9)
        yield _row("admin_day_10000_orders_ms", admin, target_ms=300,
                   queue_len=len(seen["queue"]))
        yield _row("admin_day_10000_orders_raw_select_ms", raw,
                   reference_for="admin_day_10000_orders_ms")
        parts = (("full_decode", lambda: store.for_day(DAY)),
                 ("day_rows", lambda: store.day_rows(DAY)),
                 ("summary", lambda: store.summary(DAY)),
                 ("queue", lambda: store.queue(DAY)), ("page", lambda: store.page(DAY)))
        for name, fn in parts:
            yield _row(f"admin_day_10000_orders_{name}_ms", times_ms(fn, runs=9))

        def screen() -> None:
            store.page(DAY, 0, 50)
            store.summary(DAY)
            store.queue(DAY)

        yield _row("admin_screen_page_10000_orders_ms", times_ms(screen, runs=9))
        raw_db.close()
        store.close()

        # --- a live sold-out toggle ---------------------------------------------------------
        for label, source in (("cafe", REPO / "examples" / "cafe.toml"), ("1000_items", menu_path)):
            path = tmp / f"toggle-{label}.toml"
            shutil.copy(source, path)
            yield from _toggle_rows(label, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
