"""CSV export of a day's orders, each order exported exactly once, written atomically.

The merchant (or their accountant) copies files to a USB stick and adds them up; an order
in two files is counted twice, an order in none is lost money. So every export is a
*batch* recorded in SQLite before any file is written:

1. claim: in one transaction, create a batch (``untact-orders-<day>-<seq>.csv``) and
   assign it every order of the day not yet in a batch (``order_exports.order_id`` is a
   primary key: an order can never be in two batches);
2. write the batch's file to a temporary name in the target folder, fsync, rename over
   the final name, fsync the folder (a pulled stick leaves no half file under the name);
3. mark the batch written.

A crash or a pulled stick between 1 and 3 leaves a claimed, unwritten batch; the next
export of that day writes it first, under the same name and with the same orders, so
the retry replaces rather than duplicates. Orders placed after an export go into the
next batch (``...-002.csv``). The CSV is UTF-8 with a BOM so spreadsheet programs open
Korean text correctly.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .orders import Order, OrderStore, inserted_id

COLUMNS = ("order_id", "day", "number", "created_at", "items", "item_count", "total",
           "payment", "paid", "status", "language")


@dataclass(frozen=True)
class ExportResult:
    day: str
    files: tuple[Path, ...]  # written by this call (a retried batch, then the new one)
    orders: int  # orders in those files

    def describe(self, lang: str = "ko") -> str:
        if not self.files:
            return (f"{self.day}: 새로 내보낼 주문이 없습니다." if lang == "ko"
                    else f"{self.day}: no new orders to export.")
        names = ", ".join(f.name for f in self.files)
        return (f"{self.day}: 주문 {self.orders}건을 {names}에 저장했습니다." if lang == "ko"
                else f"{self.day}: saved {self.orders} orders to {names}.")


def export_day(store: OrderStore, day: str | dt.date, folder: str | Path,
               language: str = "ko") -> ExportResult:
    """Export the day's not-yet-exported orders to ``folder`` (see the module doc).

    Raises OSError (e.g. no stick, read-only, full) with nothing marked as written: the
    same call later writes the same file.
    """
    day = day.isoformat() if isinstance(day, dt.date) else str(day)
    dt.date.fromisoformat(day)  # ValueError for a malformed day
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"export folder not found: {folder}")
    files: list[Path] = []
    count = 0
    pending = _pending_batches(store, day)
    new = _claim(store, day)
    if new is not None:
        pending.append(new)
    for batch_id, filename in pending:
        orders = _batch_orders(store, batch_id)
        path = folder / filename
        write_atomically(path, to_csv(orders, language))
        _mark_written(store, batch_id, folder)
        files.append(path)
        count += len(orders)
    return ExportResult(day, tuple(files), count)


def exported_order_ids(store: OrderStore, day: str) -> set[int]:
    """Orders of ``day`` whose export file has been written."""
    with store._lock:
        return {r[0] for r in store._db.execute(
            "SELECT e.order_id FROM order_exports e JOIN export_batches b ON b.id = e.batch_id"
            " WHERE b.day = ? AND b.written_to IS NOT NULL", (day,))}


def to_csv(orders: list[Order], language: str = "ko") -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for o in orders:
        w.writerow((o.id, o.day, o.number, o.created_at, describe_lines(o.lines, language),
                    sum(int(ln.get("quantity", 1)) for ln in o.lines), o.total, o.payment,
                    "yes" if o.paid else "no", o.status, o.language))
    return out.getvalue().encode("utf-8-sig")


def describe_lines(lines: list[dict[str, Any]], language: str = "ko") -> str:
    """``아메리카노 x2 [size=large]; 크루아상 x1`` from an order's stored lines."""
    parts = []
    for ln in lines:
        names = ln.get("name") or {}
        name = names.get(language) or next(iter(names.values()), ln.get("item", "?"))
        choices = ln.get("choices") or {}
        extra = f" [{', '.join(f'{k}={v}' for k, v in choices.items())}]" if choices else ""
        parts.append(f"{name} x{ln.get('quantity', 1)}{extra}")
    return "; ".join(parts)


def write_atomically(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename, fsync the folder."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some filesystems (FAT on a stick) refuse fsync on a folder
        pass
    finally:
        os.close(fd)


def _pending_batches(store: OrderStore, day: str) -> list[tuple[int, str]]:
    with store._lock:
        return [tuple(r) for r in store._db.execute(
            "SELECT id, filename FROM export_batches WHERE day = ? AND written_to IS NULL"
            " ORDER BY seq", (day,))]


def _claim(store: OrderStore, day: str) -> tuple[int, str] | None:
    """Step 1: a new batch holding every unexported order of the day, or None."""
    with store._transaction() as db:
        (waiting,) = db.execute(
            "SELECT COUNT(*) FROM orders WHERE day = ?"
            " AND id NOT IN (SELECT order_id FROM order_exports)", (day,)).fetchone()
        if not waiting:
            return None
        (seq,) = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM export_batches WHERE day = ?",
                            (day,)).fetchone()
        filename = f"untact-orders-{day}-{seq:03d}.csv"
        cur = db.execute("INSERT INTO export_batches (day, seq, created_at, filename)"
                         " VALUES (?, ?, ?, ?)",
                         (day, seq, store._now().isoformat(timespec="seconds"), filename))
        db.execute("INSERT INTO order_exports (order_id, batch_id)"
                   " SELECT id, ? FROM orders WHERE day = ?"
                   " AND id NOT IN (SELECT order_id FROM order_exports)", (inserted_id(cur), day))
        return inserted_id(cur), filename


def _batch_orders(store: OrderStore, batch_id: int) -> list[Order]:
    with store._lock:
        ids = [r[0] for r in store._db.execute(
            "SELECT e.order_id FROM order_exports e JOIN orders o ON o.id = e.order_id"
            " WHERE e.batch_id = ? ORDER BY o.number", (batch_id,))]
    return [store.get(i) for i in ids]


def _mark_written(store: OrderStore, batch_id: int, folder: Path) -> None:
    with store._transaction() as db:
        db.execute("UPDATE export_batches SET written_to = ? WHERE id = ?",
                   (str(folder.resolve()), batch_id))


__all__ = ["ExportResult", "export_day", "exported_order_ids", "to_csv", "describe_lines",
           "write_atomically"]
