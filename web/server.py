"""Serving the staff web app: uvicorn in a thread of the kiosk's process, or on its own.

In the one-kiosk shop the server runs inside the kiosk's process (``[staff_web]`` in the
kiosk file): the staff page then acts on the kiosk's own live menu (sold out reaches the
customer screens at once), answers its staff call and reads its devices, with no second
copy of any of them. ``untact-shop serve`` runs the same app in a process of its own on
the same data folder, for a shop machine that is not a kiosk (orders and sold out work;
the calls and devices of kiosks in other processes reach it through the sync server).
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from untact.shop.order_feed import LocalOrderFeed, LocalShopControl
from untact.shop.service import Shop
from untact.shop.sync.server_feed import server_views

from .app import create_app
from .config import WebConfig, from_table


class StaffWebServer:
    """uvicorn in a daemon thread; ``start`` returns once it listens (port 0: any free)."""

    def __init__(self, app: Starlette, host: str, port: int) -> None:
        self.app = app
        self._server = uvicorn.Server(uvicorn.Config(
            app, host=host, port=port, log_level="warning", lifespan="off",
            timeout_graceful_shutdown=1, access_log=False, proxy_headers=False))
        self._thread = threading.Thread(target=self._server.run, name="staff-web", daemon=True)

    def start(self, within_s: float = 10.0) -> StaffWebServer:
        self._thread.start()
        deadline = time.monotonic() + within_s
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise OSError("the staff web server did not start (is the port in use?)")
            time.sleep(0.01)
        return self

    @property
    def port(self) -> int:
        port: int = self._server.servers[0].sockets[0].getsockname()[1]
        return port

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)


def local_app(shop: Shop, config: WebConfig | None = None,
              devices: Callable[[], Mapping[str, str]] | None = None,
              kiosk_id: str = "local") -> Starlette:
    """The app over one kiosk's Shop (its orders, live menu, staff call, PIN gate)."""
    config = config if config is not None else web_config(shop)
    feed = LocalOrderFeed(shop.orders, kiosk_id)
    control = LocalShopControl(shop.menu, shop.staff_call, kiosk_id, devices)
    return create_app(feed, control, shop.check_pin, config, session_secret(shop.orders.folder))


def shop_app(shop: Shop, config: WebConfig | None = None,
             devices: Callable[[], Mapping[str, str]] | None = None) -> Starlette:
    """The app for this kiosk file: over the shop server's order stream when the file
    joins one with a staff login (``[shop.server]``, several kiosks), else over this
    kiosk's own shop. ConnectionError (one line) when the shop server cannot be reached."""
    views = server_views(shop.menu)
    if views is None:
        return local_app(shop, config, devices)
    config = config if config is not None else web_config(shop)
    return create_app(*views, shop.check_pin, config, session_secret(shop.orders.folder))


def session_secret(folder: Path) -> str:
    """The key that signs staff sessions, kept in the data folder (mode 0600) so that a
    kiosk restarted by its watchdog does not sign the counter tablet out."""
    path = folder / "staff_web.key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= 32:
            return key
        path.unlink()  # damaged (a power cut while it was written): make another
        return session_secret(folder)
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key)
        f.flush()
        os.fsync(f.fileno())
    return key


def web_config(shop: Shop) -> WebConfig:
    return from_table(shop.menu.kiosk.section("staff_web"))


def serve_shop(kiosk_path: str | Path, host: str | None = None, port: int | None = None) -> None:
    """``untact-shop serve``: the app on its own, until interrupted."""
    shop = Shop.open(kiosk_path)
    config = web_config(shop)
    app = shop_app(shop, config)
    # No proxy in front: the peer's own address is what the LAN-only gate must judge.
    uvicorn.run(app, host=host or config.host, port=port if port is not None else config.port,
                log_level="info", timeout_graceful_shutdown=1, proxy_headers=False)
