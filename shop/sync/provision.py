"""Setting up a shop: the server's schema, a login per kiosk and for staff, kiosk files.

Used by ``untact-sync`` (a merchant's real server), ``make run-shop``, the tests and the
benches, so all of them set a shop up the same way. Passwords are random (24 bytes),
written to files only the owner can read, next to the kiosk files that name them.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import psycopg
import tomlkit

from .schema import add_kiosk, add_staff, migrate


@dataclass(frozen=True)
class ShopFiles:
    kiosk_files: list[Path]  # one kiosk file per kiosk, slot 1, 2, ...
    staff_file: Path  # the staff app's (the counter tablet's) file: the shop's master menu


def write_secret(path: Path, password: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(password + "\n")
    os.chmod(path, 0o600)


def server_table(host: str, port: int, login: str, password_file: str,
                 slot: int | None = None, kiosks: int | None = None) -> tomlkit.items.Table:
    table = tomlkit.table()
    table["host"], table["port"], table["database"] = host, port, "untact"
    table["login"], table["password_file"] = login, password_file
    if slot is not None and kiosks is not None:
        table["slot"], table["kiosks"] = slot, kiosks
    return table


def kiosk_file(template: Path, to: Path, data_folder: Path, server: tomlkit.items.Table) -> Path:
    """``template`` (a kiosk file) with its own data folder (relative: next to the file,
    wherever it is copied) and ``[shop.server]``."""
    doc = tomlkit.parse(template.read_text(encoding="utf-8"))
    doc["shop"]["data_folder"] = str(data_folder)
    doc["shop"]["server"] = server
    to.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return to


def provision(admin_dsn: str, host: str, port: int, template: Path, folder: Path,
              kiosks: int = 2, staff: str = "counter") -> ShopFiles:
    """Migrate the server, create logins ``kiosk_1..N`` and ``staff_<staff>``, and write
    their kiosk files (and password files) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    with psycopg.connect(admin_dsn, autocommit=True) as db:
        migrate(db)
        files = []
        for slot in range(1, kiosks + 1):
            password = secrets.token_urlsafe(24)
            login = add_kiosk(db, str(slot), password)
            write_secret(folder / f"{login}.secret", password)
            files.append(kiosk_file(template, folder / f"{login}.toml", Path(f"{login}-data"),
                                    server_table(host, port, login, f"{login}.secret", slot, kiosks)))
        password = secrets.token_urlsafe(24)
        login = add_staff(db, staff, password)
        write_secret(folder / f"{login}.secret", password)
        staff_file = kiosk_file(template, folder / f"{login}.toml", Path(f"{login}-data"),
                                server_table(host, port, login, f"{login}.secret"))
    return ShopFiles(files, staff_file)


__all__ = ["ShopFiles", "kiosk_file", "provision", "server_table", "write_secret"]
