"""``untact-sync``: set up a shop server for several kiosks, and check a kiosk's link.

    untact-sync setup --admin "host=... user=postgres dbname=untact" --host 192.168.0.10 \\
                      --config cafe.toml --kiosks 2 --to shop-files/
    untact-sync migrate --admin "..."          # after an untact upgrade
    untact-sync check --config kiosk_1.toml    # can this kiosk log in? is its outbox empty?

``setup`` creates the schema, a login per kiosk (kiosk_1, kiosk_2, ...) and one for the
counter tablet (staff_counter), each with a random password in its own file, and writes
one kiosk file per device into ``--to``: copy ``kiosk_N.toml`` and ``kiosk_N.secret`` to
kiosk N. Running it again re-keys every login (the old password files stop working).
Every failure is one line and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import psycopg
from untact.accessibility.config import ConfigError

from ..menu_service import validate_kiosk
from ..orders import OrderStore
from .config import from_kiosk
from .outbox import Outbox
from .provision import provision
from .schema import migrate


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="untact-sync", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    setup = sub.add_parser("setup", help="schema, logins and kiosk files for a shop")
    setup.add_argument("--admin", required=True, help="libpq connection string of the database owner")
    setup.add_argument("--host", required=True, help="the server's address as the kiosks reach it")
    setup.add_argument("--port", type=int, default=5432)
    setup.add_argument("--config", required=True, help="the shop's kiosk file (the menu)")
    setup.add_argument("--kiosks", type=int, default=2, choices=range(1, 10), metavar="N")
    setup.add_argument("--to", required=True, help="folder for the kiosk files and passwords")
    mig = sub.add_parser("migrate", help="bring the server's schema up to date")
    mig.add_argument("--admin", required=True)
    check = sub.add_parser("check", help="log in as a kiosk file's login; say what is pending")
    check.add_argument("--config", required=True)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "setup":
            validate_kiosk(args.config)
            files = provision(args.admin, args.host, args.port, Path(args.config), Path(args.to),
                              kiosks=args.kiosks)
            for f in [*files.kiosk_files, files.staff_file]:
                print(f"{f}  (and {f.with_suffix('.secret').name})")
        elif args.command == "migrate":
            with psycopg.connect(args.admin, autocommit=True) as db:
                print(f"schema version {migrate(db)}")
        else:
            return _check(args.config)
    except ConfigError as exc:
        print(f"untact-sync: {exc}", file=sys.stderr)
        return 2
    except (psycopg.Error, OSError, ValueError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        print(f"untact-sync: {first}", file=sys.stderr)
        return 2
    return 0


def _check(path: str) -> int:
    kiosk = validate_kiosk(path)
    config = from_kiosk(kiosk)
    if config is None:
        print(f"untact-sync: {path}: has no [shop.server] table (a kiosk on its own)", file=sys.stderr)
        return 2
    with psycopg.connect(config.dsn(), password=config.password) as db:
        db.execute("SELECT 1")
    pending = ""
    if config.is_kiosk and (kiosk.data_folder / OrderStore.DB_NAME).exists():
        outbox = Outbox(kiosk.data_folder / OrderStore.DB_NAME)
        pending = f", {outbox.count()} orders not yet on the server"
        outbox.close()
    print(f"{path}: {config.login} logs in to {config.host}:{config.port}{pending}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
