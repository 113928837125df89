"""Reading the orders that can still be read from a damaged orders database.

The most common damage, a file whose first 100 bytes were overwritten, loses only
SQLite's header: every page of orders is still there. So the database and its WAL are
copied to a temporary folder (the original stays untouched, as evidence), the copy's
header is rebuilt for each page size SQLite may have used, and the first that reads is
used. Rows are read one by one where a damaged page stops a whole query.
"""

from __future__ import annotations

import shutil
import sqlite3
import struct
import tempfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from .order_database import SIDE_FILES
from .orders import Order, _order

_MAGIC = b"SQLite format 3\x00"
# 4096 is SQLite's default (and Python's): tried first.
_PAGE_SIZES = (4096, 1024, 2048, 8192, 16384, 32768, 65536, 512)


def readable_orders(path: Path, day: str) -> list[Order]:
    """The orders of ``day`` that can be read from the damaged database at ``path``
    (empty when none can); never writes to ``path``."""
    with tempfile.TemporaryDirectory(prefix="untact-salvage-") as tmp:
        copy = Path(tmp) / path.name
        for side in SIDE_FILES[:2]:  # the database and its WAL (committed orders)
            if Path(f"{path}{side}").is_file():
                shutil.copyfile(f"{path}{side}", f"{copy}{side}")
        if not copy.is_file():
            return []
        db = _readable_copy(copy)
        if db is None:
            return []
        with closing(db):
            return list(_day_orders(db, day))


def _readable_copy(copy: Path) -> sqlite3.Connection | None:
    """``copy`` as it is, else with its header rebuilt for each page size (the file's
    size must be a multiple of it), opened once it can read the orders table."""
    db = _reading(copy)
    size = copy.stat().st_size
    wal = Path(f"{copy}-wal").is_file()
    for page_size in _PAGE_SIZES:
        if db is not None:
            break
        if size < page_size or size % page_size:
            continue
        with open(copy, "r+b") as f:
            f.write(_header(page_size, wal))
        db = _reading(copy)
    return db


def _reading(copy: Path) -> sqlite3.Connection | None:
    db = sqlite3.connect(copy, isolation_level=None)
    try:
        db.execute("SELECT id FROM orders LIMIT 1").fetchall()
    except sqlite3.DatabaseError:
        db.close()
        return None
    return db


def _header(page_size: int, wal: bool) -> bytes:
    """A valid 100-byte SQLite header (https://sqlite.org/fileformat.html#the_database_header).
    The database size and change counters are zero, so SQLite takes the size from the
    file; the free-page list is dropped (nothing is written to the copy)."""
    version = 2 if wal else 1  # 2: read the WAL's committed pages too
    header = bytearray(100)
    header[0:16] = _MAGIC
    struct.pack_into(">HBBBBBB", header, 16, 1 if page_size == 65536 else page_size,
                     version, version, 0, 64, 32, 32)
    struct.pack_into(">I", header, 40, 1)   # schema cookie
    struct.pack_into(">I", header, 44, 4)   # schema format
    struct.pack_into(">I", header, 56, 1)   # text encoding: UTF-8
    struct.pack_into(">I", header, 96, sqlite3.sqlite_version_info[0] * 1_000_000
                     + sqlite3.sqlite_version_info[1] * 1_000 + sqlite3.sqlite_version_info[2])
    return bytes(header)


def _day_orders(db: sqlite3.Connection, day: str) -> Iterator[Order]:
    try:
        rows = db.execute("SELECT * FROM orders WHERE day = ? ORDER BY number", (day,)).fetchall()
    except sqlite3.DatabaseError:  # a damaged page: read each row that still can be
        rows = list(_each_row(db, day))
    for row in rows:
        try:
            yield _order(row)
        except ValueError:  # its lines no longer JSON
            continue


def _each_row(db: sqlite3.Connection, day: str) -> Iterator[tuple[Any, ...]]:
    try:
        (last,) = db.execute("SELECT MAX(id) FROM orders").fetchone()
    except sqlite3.DatabaseError:
        return
    for order_id in range(1, (last or 0) + 1):
        try:
            row = db.execute("SELECT * FROM orders WHERE id = ? AND day = ?", (order_id, day)).fetchone()
        except sqlite3.DatabaseError:
            continue
        if row is not None:
            yield row


__all__ = ["readable_orders"]
