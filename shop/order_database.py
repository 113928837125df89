"""Opening the orders database, and saying in one line why SQLite refused it.

The merchant cannot act on a traceback, but can on "the disk is full" or "the folder is
read-only". Every refusal of the orders database (a read-only mount, a folder this user
may not write, a full disk, a data folder that is a file, a damaged file) becomes an
:class:`OrderDatabaseError` naming the file, made by :func:`located_error`;
``untact-kiosk``, ``untact-sim`` and ``untact-admin`` print it and exit with status 2.

A damaged database (its header overwritten: "file is not a database") is never
repaired or deleted here: when the kiosk file allows it (``[shop]
start_fresh_if_damaged``) it is renamed aside untouched, with its WAL, and a new one is
started; otherwise the kiosk stops, so no order is written over evidence of lost ones.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

#: SQLite's primary result codes for a file that is not (or no longer) a database.
_DAMAGED = {sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT}
#: The files of one database in WAL mode.
SIDE_FILES = ("", "-wal", "-shm")


class OrderDatabaseError(Exception):
    """The orders database cannot be used; ``str()`` is one line naming the file."""

    def __init__(self, path: Path, reason: str, detail: str = "", damaged: bool = False) -> None:
        self.path, self.reason, self.detail, self.damaged = path, reason, detail, damaged
        super().__init__(f"{path}: {reason}" + (f" ({detail})" if detail else ""))


def located_error(path: Path, exc: sqlite3.Error | OSError) -> OrderDatabaseError:
    """The one-line error for SQLite (or the file system) refusing the database at
    ``path``: what is wrong in words a merchant can act on, SQLite's own words after."""
    folder = path.parent
    detail = str(exc) if isinstance(exc, sqlite3.Error) else (exc.strerror or str(exc))
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    os_errno = exc.errno if isinstance(exc, OSError) else None
    if folder.exists() and not folder.is_dir():
        return OrderDatabaseError(folder, "is a file, not a folder: the data folder must be a "
                                          "folder for the orders database", detail)
    if primary in _DAMAGED:
        return OrderDatabaseError(path, "is damaged", detail, damaged=True)
    if primary == sqlite3.SQLITE_FULL or os_errno == errno.ENOSPC or _disk_full(folder):
        return OrderDatabaseError(path, "cannot be written: the disk is full", detail)
    if os_errno == errno.EROFS or _read_only_mount(folder):
        return OrderDatabaseError(path, "cannot be written: its folder is read-only", detail)
    if (primary == sqlite3.SQLITE_READONLY or os_errno in (errno.EACCES, errno.EPERM)
            or not os.access(_nearest_existing(folder), os.W_OK)):
        return OrderDatabaseError(path, "cannot be written by this user (check its owner and "
                                        "permissions)", detail)
    return OrderDatabaseError(path, "cannot be opened", detail)


def _nearest_existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _disk_full(folder: Path) -> bool:
    try:
        return os.statvfs(_nearest_existing(folder)).f_bavail == 0
    except OSError:
        return False


def _read_only_mount(folder: Path) -> bool:
    try:
        return bool(os.statvfs(_nearest_existing(folder)).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def open_database(path: Path, create_tables: Callable[[sqlite3.Connection], None],
                  fresh_if_damaged: bool = False) -> tuple[sqlite3.Connection, str | None]:
    """Open (creating if needed) the orders database at ``path``: WAL, ``synchronous=FULL``,
    the tables. Returns the connection and, when a damaged database was set aside for a
    fresh one, the one line that says so (else None). Raises :class:`OrderDatabaseError`."""
    try:
        return _connect(path, create_tables), None
    except (sqlite3.Error, OSError) as exc:
        error = located_error(path, exc)
    if not (error.damaged and fresh_if_damaged):
        raise error
    kept = set_aside(path)
    notice = (f"{path}: {error.reason} ({error.detail}); kept aside untouched as {kept.name}, "
              "started a new orders database ([shop] start_fresh_if_damaged)")
    log.warning("%s", notice)
    try:
        return _connect(path, create_tables), notice
    except (sqlite3.Error, OSError) as exc:
        raise located_error(path, exc) from None


def _connect(path: Path, create_tables: Callable[[sqlite3.Connection], None]) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None, timeout=10, check_same_thread=False)
    try:
        use_wal(db)
        db.execute("PRAGMA synchronous=FULL")  # an order survives a power cut
        db.execute("PRAGMA busy_timeout=10000")
        create_tables(db)
    except BaseException:
        db.close()  # a refused database must not stay open (a busy mount, a locked file)
        raise
    return db


def use_wal(db: sqlite3.Connection, within_s: float = 10.0) -> None:
    """Switch the database to write-ahead logging, waiting for other processes.

    Switching needs the database to itself, and SQLite answers "database is locked" at
    once instead of waiting (the busy timeout does not cover it). Two kiosk processes
    opening a new database together (a restart overlapping the old process) met that,
    so this retries, with backoff, as the busy timeout would. Once switched, the mode
    stays in the file and later opens pass straight through.
    """
    deadline = time.monotonic() + within_s
    pause = 0.005
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


def set_aside(path: Path) -> Path:
    """Rename the database and its WAL files to ``<name>.damaged-<time>[-wal|-shm]``,
    bytes untouched, and return the new name of the database file."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while any(Path(f"{kept}{side}").exists() for side in SIDE_FILES):
        n += 1
        kept = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    for side in SIDE_FILES:
        try:
            os.rename(f"{path}{side}", f"{kept}{side}")
        except FileNotFoundError:  # no WAL; or another kiosk process set it aside first
            pass
        except OSError as exc:
            raise located_error(path, exc) from None
    return kept


__all__ = ["OrderDatabaseError", "SIDE_FILES", "located_error", "open_database", "set_aside",
           "use_wal"]
