"""Web fixtures: a shop over a temp copy of the cafe, and its staff server on a free port."""

from __future__ import annotations

import pytest
from web_helpers import kiosk_file


@pytest.fixture
def shop(tmp_path):
    from untact.shop.service import Shop

    s = Shop.open(kiosk_file(tmp_path))
    yield s
    s.close()


@pytest.fixture
def server(shop):
    """The real app on uvicorn, on 127.0.0.1 and a free port."""
    from untact.web.config import WebConfig
    from untact.web.server import StaffWebServer, local_app

    srv = StaffWebServer(local_app(shop, WebConfig(host="127.0.0.1", port=0)), "127.0.0.1", 0).start()
    yield srv
    srv.stop()
