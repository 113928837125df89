"""``[shop.server]`` of the kiosk file: the shop server this kiosk (or staff app) joins.

    [shop.server]
    host = "192.168.0.10"          # the shop's PostgreSQL server
    port = 5432
    database = "untact"
    login = "kiosk_a"              # this device's own login (untact-sync add-kiosk made it)
    password_file = "kiosk_a.secret"   # relative to this file; kept out of the menu file
    slot = 1                       # kiosks only: this kiosk's numbers are 1, 3, 5, ...
    kiosks = 2                     #   ... when the shop numbers with 2 kiosks
    tls = "prefer"                 # libpq's sslmode: "require" or "verify-full" once the
                                   #   server has a certificate (orders then travel encrypted)

Without the table the kiosk is on its own (SQLite only), as before. Every mistake is a
located one-line error, like the rest of the file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from untact.accessibility.config import Table

from ..menu import Kiosk
from .numbering import MAX_KIOSKS, Numbering

TLS_MODES = ("disable", "prefer", "require", "verify-ca", "verify-full")  # libpq's sslmode
_LOGIN = re.compile(r"^(kiosk|staff)_[a-z0-9_]{1,30}$")


@dataclass(frozen=True)
class ServerConfig:
    host: str
    port: int
    database: str
    login: str
    password: str = field(repr=False)  # never in a log line
    numbering: Numbering | None  # None for a staff login
    tls: str = "prefer"

    def dsn(self) -> str:
        return (f"host={self.host} port={self.port} dbname={self.database} user={self.login}"
                f" sslmode={self.tls}"
                " connect_timeout=3 keepalives_idle=5 keepalives_interval=2 keepalives_count=2")

    @property
    def is_kiosk(self) -> bool:
        return self.login.startswith("kiosk_")


def from_table(table: Table) -> ServerConfig | None:
    """The parsed ``[shop.server]`` table, or None when the file has none."""
    if not table.data:
        return None
    table.unknown_keys({"host", "port", "database", "login", "password_file", "slot", "kiosks", "tls"})
    host = table.get("host", str, max_len=255)
    if not host.strip():
        raise table.error("host", "must name the shop server (a host name or an address)")
    port = table.get("port", int, 5432, min=1, max=65535)
    database = table.get("database", str, "untact", max_len=63)
    login = table.get("login", str, max_len=40)
    if not _LOGIN.match(login):
        raise table.error("login", f"must be kiosk_<id> or staff_<name> (a-z, 0-9, _), not {login!r}")
    password = _password(table)
    tls = table.get("tls", str, "prefer", choices=TLS_MODES)
    numbering = None
    if login.startswith("kiosk_"):
        kiosks = table.get("kiosks", int, min=1, max=MAX_KIOSKS)
        slot = table.get("slot", int, min=1, max=MAX_KIOSKS)
        if slot > kiosks:
            raise table.error("slot", f"must be 1 to kiosks ({kiosks}), not {slot}")
        numbering = Numbering(slot, kiosks)
    else:
        for key in ("slot", "kiosks"):
            if table.has(key):
                raise table.error(key, "is for kiosk logins only (a staff app numbers no orders)")
    return ServerConfig(host.strip(), port, database, login, password, numbering, tls)


def from_kiosk(kiosk: Kiosk) -> ServerConfig | None:
    return from_table(kiosk.section("shop", "server"))


def _password(table: Table) -> str:
    name = table.get("password_file", str, max_len=500)
    path = Path(name)
    if not path.is_absolute():
        path = table.source.path.resolve().parent / path
    try:
        if os.stat(path).st_mode & 0o004:
            raise table.error("password_file", f"{path} can be read by anyone: chmod 600 it")
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise table.error("password_file", f"{path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise table.error("password_file", f"{path} cannot be read: {exc}") from None
    if not text or "\n" in text:
        raise table.error("password_file", f"{path} must hold the password on one line")
    return text


__all__ = ["ServerConfig", "from_kiosk", "from_table"]
