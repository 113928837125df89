"""A private PostgreSQL server in a temporary folder: for `make run-shop`, tests and benches.

Debian's ``postgresql`` package gives the binaries; ``initdb`` makes a cluster in a folder
of our own, so no root, no system service and no shared state. PostgreSQL refuses to run
as root: when we are root, the server runs as ``nobody`` (``setpriv``) and the folder is
handed to it. Kiosks and staff connect over TCP on 127.0.0.1 with passwords
(SCRAM-SHA-256, see ``pg_hba.conf`` below); the superuser connects only through the
folder's own Unix socket, without a password.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

PG_BIN = Path(os.environ.get("UNTACT_PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "untact_owner"
DATABASE = "untact"
_HBA = """\
local   all  all                 trust
host    all  all  127.0.0.1/32   scram-sha-256
"""


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL binaries are missing (Debian package ``postgresql``)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class LocalPostgres:
    """One cluster: ``start()``, ``stop()`` (and start again: the data stays), ``destroy()``."""

    folder: Path
    port: int = field(default_factory=free_port)
    _owned: bool = False

    @classmethod
    def create(cls, folder: Path | None = None) -> LocalPostgres:
        """initdb into ``folder`` (default: a new temporary folder, removed by destroy)."""
        if not (PG_BIN / "initdb").exists():
            raise PostgresUnavailable(f"no {PG_BIN / 'initdb'}: install Debian's postgresql package")
        owned = folder is None
        folder = Path(tempfile.mkdtemp(prefix="untact-pg-")) if folder is None else folder
        server = cls(folder, _owned=owned)
        server.data.mkdir(parents=True, exist_ok=True)
        server.socket_dir.mkdir(parents=True, exist_ok=True)
        server._hand_over(folder)
        server._run([str(PG_BIN / "initdb"), "-D", str(server.data), "-U", SUPERUSER,
                     "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "-N"])
        (server.data / "pg_hba.conf").write_text(_HBA)
        with open(server.data / "postgresql.conf", "a") as conf:
            conf.write(f"\nlisten_addresses = '127.0.0.1'\nport = {server.port}\n"
                       f"unix_socket_directories = '{server.socket_dir}'\n"
                       "password_encryption = 'scram-sha-256'\nfsync = on\n")
        server._hand_over(folder)
        return server

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def socket_dir(self) -> Path:
        return self.folder / "socket"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def admin_dsn(self, dbname: str = DATABASE) -> str:
        """The superuser, over the folder's Unix socket (no password: trust, local only)."""
        return f"host={self.socket_dir} port={self.port} user={SUPERUSER} dbname={dbname}"

    def start(self) -> None:
        self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                   "-w", "-t", "60", "start"])
        self._ensure_database()

    def stop(self, mode: str = "fast") -> None:
        """``fast`` closes connections and stops; ``immediate`` is a crash (recovery on start)."""
        if (self.data / "postmaster.pid").exists():
            self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"])

    def destroy(self) -> None:
        self.stop("immediate")
        if self._owned:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _ensure_database(self) -> None:
        import psycopg

        with psycopg.connect(self.admin_dsn("postgres"), autocommit=True) as db:
            if db.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone() is None:
                db.execute(f'CREATE DATABASE "{DATABASE}"')

    def _hand_over(self, folder: Path) -> None:
        """As root, give the folder to the unprivileged user the server will run as."""
        if os.geteuid() != 0:
            return
        nobody = pwd.getpwnam("nobody")
        os.chmod(folder, 0o755)
        for root, dirs, files in os.walk(folder):
            os.chown(root, nobody.pw_uid, nobody.pw_gid)
            for name in files + dirs:
                os.chown(os.path.join(root, name), nobody.pw_uid, nobody.pw_gid)
        os.chmod(self.data, 0o700)

    def _run(self, argv: list[str]) -> None:
        if os.geteuid() == 0:
            argv = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *argv]
        done = subprocess.run(argv, capture_output=True, text=True, cwd=self.folder,
                              stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            tail = self.log.read_text()[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{argv[-1]} failed ({done.returncode}): {done.stderr.strip()} {tail}")


__all__ = ["LocalPostgres", "PostgresUnavailable", "free_port"]
