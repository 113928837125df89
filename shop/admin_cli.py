"""``untact-admin``: the merchant's few console jobs.

    untact-admin set-pin [--config KIOSK.toml] [--stdin]
    untact-admin export --day YYYY-MM-DD --to DIR [--config KIOSK.toml]

The kiosk file defaults to ``$UNTACT_CONFIG``, else ``/var/lib/untact/kiosk.toml`` (where
deploy/install-pi.sh puts it). ``set-pin`` asks twice without echo on a terminal; with
``--stdin`` (or when stdin is not a terminal) it reads one line, for scripts::

    echo 482913 | sudo -u untact untact-admin set-pin --stdin

The PIN goes into ``[admin] pin_hash`` of the kiosk file as a salted scrypt hash, through
the same validated, atomic edit as the admin screen; a running kiosk picks it up on its
next admin entry (it reloads a kiosk file changed on disk).
Errors are one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from pathlib import Path
from typing import TextIO

from untact.accessibility.config import ConfigError

from . import export, staff_access
from .menu_service import MenuEditRefused, MenuService
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
    service.set_pin_hash(staff_access.hash_pin(pin))
    print(f"admin PIN set in {path} [admin] pin_hash (stored as a salted scrypt hash)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    try:
        day = dt.date.fromisoformat(args.day)
    except ValueError:
        raise SystemExit(f"untact-admin: --day must be YYYY-MM-DD, not {args.day!r}") from None
    from .menu_service import validate_kiosk

    kiosk = validate_kiosk(_config_path(args.config))
    store = OrderStore(kiosk.data_folder)
    try:
        result = export.export_day(store, day, Path(args.to))
    finally:
        store.close()
        _give_back_to_kiosk_user(kiosk.data_folder)
    print(result.describe(args.lang))
    return 0


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="untact-admin", description=__doc__.split("\n")[0])
    parser.add_argument("--config",
                        help=f"kiosk file (default $UNTACT_CONFIG or {DEFAULT_CONFIG})")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("set-pin", help="set the merchant admin PIN")
    p.add_argument("--stdin", action="store_true", help="read the PIN as one line from stdin")
    p.set_defaults(func=cmd_set_pin)
    p = sub.add_parser("export", help="export a day's orders (each order once) as CSV")
    p.add_argument("--day", required=True, help="YYYY-MM-DD")
    p.add_argument("--to", required=True, help="folder, e.g. a mounted USB stick")
    p.add_argument("--lang", default="ko", choices=("ko", "en"))
    p.set_defaults(func=cmd_export)
    args = parser.parse_args(argv)
    try:
        status: int = args.func(args)
        return status
    except (ConfigError, MenuEditRefused, staff_access.PinError, OSError) as exc:
        print(f"untact-admin: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("untact-admin: interrupted; nothing was changed", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
