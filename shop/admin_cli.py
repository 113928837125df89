"""``untact-admin``: the merchant's few console jobs.

    untact-admin set-pin [--config KIOSK.toml] [--stdin]
    untact-admin export --day YYYY-MM-DD --to DIR [--config KIOSK.toml]

``--config`` may also come before the subcommand. The kiosk file defaults to
``$UNTACT_CONFIG``, else ``/var/lib/untact/kiosk.toml`` (where deploy/install-pi.sh puts
it). ``set-pin`` asks twice without echo on a terminal; with ``--stdin`` (or when stdin is
not a terminal) it reads one line, for scripts::

    echo 482913 | sudo -u untact untact-admin set-pin --stdin

The PIN goes into ``[admin] pin_hash`` of the kiosk file as a salted scrypt hash, through
the same validated, atomic edit as the admin screen; a running kiosk picks it up on its
next admin entry (it reloads a kiosk file changed on disk); a warning follows when other
users can read the file, and with it the hash.
Errors (a bad argument, kiosk file or orders database) are one line on stderr and exit
status 2. A damaged orders database still gives what can be read of the day, in a file
of its own (``...-readable.csv``), with the error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sqlite3
import sys
from pathlib import Path
from typing import NoReturn, TextIO

from untact.accessibility.config import ConfigError

from . import export, staff_access
from .menu_service import MenuEditRefused, MenuService
from .order_database import OrderDatabaseError, located_error
from .order_salvage import readable_orders
from .orders import OrderStore

DEFAULT_CONFIG = "/var/lib/untact/kiosk.toml"


def _config_path(arg: str | None) -> Path:
    return Path(arg or os.environ.get("UNTACT_CONFIG") or DEFAULT_CONFIG)


def read_pin(use_stdin: bool, stdin: TextIO | None = None) -> str:
    stdin = stdin or sys.stdin
    if use_stdin or not stdin.isatty():
        line = stdin.readline()
        if not line:
            raise staff_access.PinError("no PIN on standard input")
        return staff_access.check_pin_format(line)
    first = staff_access.check_pin_format(getpass.getpass("New admin PIN (digits): "))
    if getpass.getpass("The same PIN again: ").strip() != first:
        raise staff_access.PinError("the two PINs differ; nothing was changed")
    return first


def cmd_set_pin(args: argparse.Namespace) -> int:
    path = _config_path(args.config)
    service = MenuService(path)  # validates the file first: never edit a broken one
    pin = read_pin(args.stdin)
    try:
        service.set_pin_hash(staff_access.hash_pin(pin))
    except OSError as exc:  # a read-only or full disk: name the file, not a temporary one
        raise MenuEditRefused(f"{path}: the PIN was not saved: {exc.strerror or exc}") from None
    print(f"admin PIN set in {path} [admin] pin_hash (stored as a salted scrypt hash)")
    exposed = staff_access.pin_hash_exposure(path)
    if exposed:
        print(f"untact-admin: warning: {exposed}", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .menu_service import validate_kiosk

    kiosk = validate_kiosk(_config_path(args.config))
    try:
        result = _export(kiosk.data_folder, args.day, Path(args.to))
    except OrderDatabaseError as exc:
        if not exc.damaged:
            raise
        return _export_readable(exc, args.day, Path(args.to))
    print(result.describe(args.lang))
    return 0


def _export(data_folder: Path, day: dt.date, to: Path) -> export.ExportResult:
    """The day's export; OrderDatabaseError when SQLite refuses the database, opening it
    or on a damaged page found while reading it."""
    store = OrderStore(data_folder)
    try:
        return export.export_day(store, day, to)
    except sqlite3.Error as exc:
        raise located_error(store.path, exc) from None
    finally:
        store.close()
        _give_back_to_kiosk_user(data_folder)


def _export_readable(damaged: OrderDatabaseError, day: dt.date, folder: Path) -> int:
    """A damaged database cannot record an export: write what can still be read of the
    day to its own file (not counted as exported) and say so; status 2 all the same."""
    orders = readable_orders(damaged.path, day.isoformat())
    target = folder / f"untact-orders-{day.isoformat()}-readable.csv"
    export.write_atomically(target, export.to_csv(orders))
    print(f"untact-admin: {damaged}; wrote the {len(orders)} orders of {day} that could be read "
          f"to {target} (not marked as exported)", file=sys.stderr)
    return 2


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date as YYYY-MM-DD, not {text!r}") from None


def _give_back_to_kiosk_user(folder: Path) -> None:
    """Run as root, SQLite may have created the database's -wal/-shm files as root; the
    kiosk's own user could then no longer open its orders. Hand them back."""
    if os.geteuid() != 0:
        return
    try:
        st = folder.stat()
    except OSError:
        return
    for p in folder.glob(f"{OrderStore.DB_NAME}*"):
        try:
            os.chown(p, st.st_uid, st.st_gid)
        except OSError:
            pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """A bad argument is one line, like every other error (``--help`` has the usage)."""
        self.exit(2, f"{self.prog}: {message}\n")


def parser() -> argparse.ArgumentParser:
    """``--config`` is taken before or after the subcommand (the README writes it after)."""
    config_help = f"kiosk file (default $UNTACT_CONFIG or {DEFAULT_CONFIG})"
    main_parser = _Parser(prog="untact-admin", description=__doc__.split("\n")[0])
    main_parser.add_argument("--config", help=config_help)
    sub = main_parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("set-pin", help="set the merchant admin PIN")
    p.add_argument("--stdin", action="store_true", help="read the PIN as one line from stdin")
    p.set_defaults(func=cmd_set_pin)
    p = sub.add_parser("export", help="export a day's orders (each order once) as CSV")
    p.add_argument("--day", required=True, type=_day, help="YYYY-MM-DD")
    p.add_argument("--to", required=True, help="folder, e.g. a mounted USB stick")
    p.add_argument("--lang", default="ko", choices=("ko", "en"))
    p.set_defaults(func=cmd_export)
    for p in sub.choices.values():  # SUPPRESS: absent here, the one given before stays
        p.add_argument("--config", default=argparse.SUPPRESS, help=config_help)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        status: int = args.func(args)
        return status
    except (ConfigError, MenuEditRefused, staff_access.PinError, OrderDatabaseError, OSError) as exc:
        print(f"untact-admin: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("untact-admin: interrupted; nothing was changed", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
