"""``make run-shop``: a whole shop on one computer: PostgreSQL, two kiosks, the staff page.

    python -m untact.simulator.run_shop [--config examples/cafe.toml] [--kiosks 2]

1. a private PostgreSQL in a temporary folder (initdb, a free port; no root needed);
2. the shop set up on it as a merchant would with ``untact-sync setup``: schema, one login
   per kiosk and one for the counter, kiosk files with ``[shop.server]``;
3. two simulated kiosks (``untact-sim``, each in its own window with its control panel);
4. the staff web app and the ready board (``untact-shop serve``) on the counter's file,
   opened in the browser, with a one-time staff PIN printed here.

Ctrl-C stops everything and removes the temporary folder.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import webbrowser
from pathlib import Path

from untact.shop.menu_service import MenuService
from untact.shop.staff_access import hash_pin
from untact.shop.sync.local_postgres import LocalPostgres, PostgresUnavailable, free_port
from untact.shop.sync.provision import provision

REPO = Path(__file__).resolve().parents[1]


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _listening(port: int, within_s: float) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.1)
    return False


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="run-shop", description=__doc__.splitlines()[0])
    p.add_argument("--config", default=str(REPO / "examples" / "cafe.toml"), help="the shop's kiosk file")
    p.add_argument("--kiosks", type=int, default=2, choices=range(1, 10), metavar="N")
    p.add_argument("--no-browser", action="store_true", help="do not open the staff pages")
    args = p.parse_args(argv)
    try:
        server = LocalPostgres.create()
    except PostgresUnavailable as exc:
        print(f"run-shop: {exc}", file=sys.stderr)
        return 2
    children: list[subprocess.Popen[bytes]] = []
    for signum in (signal.SIGINT, signal.SIGTERM):  # SIGINT too: a background job ignores it
        signal.signal(signum, _interrupt)
    try:
        server.start()
        files = provision(server.admin_dsn(), "127.0.0.1", server.port, Path(args.config),
                          server.folder / "shop", kiosks=args.kiosks)
        print(f"shop server: PostgreSQL on 127.0.0.1:{server.port}, folder {server.folder}", flush=True)
        for f in files.kiosk_files:
            children.append(subprocess.Popen([_bin("untact-sim"), str(f)]))
            print(f"kiosk: {f}", flush=True)
        pin = f"{secrets.randbelow(10**6):06d}"
        MenuService(files.staff_file).set_pin_hash(hash_pin(pin))
        if importlib.util.find_spec("untact.web") is not None:
            port = free_port()
            children.append(subprocess.Popen([_bin("untact-shop"), "serve", "--config", str(files.staff_file),
                                              "--host", "127.0.0.1", "--port", str(port)]))
            urls = [f"http://127.0.0.1:{port}/staff", f"http://127.0.0.1:{port}/board"]
            print(f"staff page: {urls[0]} (PIN {pin}), ready board: {urls[1]}", flush=True)
            has_display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
            if not args.no_browser and has_display and _listening(port, within_s=20):
                for url in urls:
                    webbrowser.open(url)
        else:
            print("staff page: not in this build (untact.web is missing)", flush=True)
        print("Ctrl-C stops the shop.", flush=True)
        while any(c.poll() is None for c in children):
            time.sleep(0.5)
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        for c in children:
            if c.poll() is None:
                c.terminate()
        for c in children:
            try:
                c.wait(timeout=15)
            except subprocess.TimeoutExpired:
                c.kill()
        server.destroy()  # and its temporary folder


if __name__ == "__main__":
    sys.exit(main())
