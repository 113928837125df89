"""A real PostgreSQL server for tests: Debian's postgresql, initdb in a temporary folder.

    from tests.postgres_server import postgres  # noqa: F401  (the fixture)

    def test_x(postgres): psycopg.connect(postgres.admin_dsn())

One server per test module (a cluster takes about 2 s to make and start); the test skips,
saying why, where the postgresql package is not installed. ``wait_until`` waits on a
condition with a deadline (never a bare sleep).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from untact.shop.sync.local_postgres import LocalPostgres, PostgresUnavailable


@pytest.fixture(scope="module")
def postgres() -> Iterator[LocalPostgres]:
    try:
        server = LocalPostgres.create()
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))
    try:
        server.start()
        yield server
    finally:
        server.destroy()


def wait_until(condition: Callable[[], bool], within_s: float, step_s: float = 0.05) -> bool:
    """Poll ``condition`` until it holds or ``within_s`` passed; returns whether it held."""
    deadline = time.monotonic() + within_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(step_s)
    return True
