"""``untact-sync``: a merchant sets a shop up on a real server and checks each kiosk's
login; every failure is one line and exit status 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from postgres_server import postgres  # noqa: F401  (fixture)
from untact.shop.sync.provision import write_secret

REPO = Path(__file__).resolve().parents[3]


def sync(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "untact.shop.sync.cli", *args], capture_output=True,
                          text=True, timeout=60)


def test_setup_then_check_each_kiosk_and_refuse_a_wrong_password(postgres, tmp_path):  # noqa: F811
    to = tmp_path / "shop-files"
    done = sync("setup", "--admin", postgres.admin_dsn(), "--host", "127.0.0.1", "--port", str(postgres.port),
                "--config", str(REPO / "examples" / "cafe.toml"), "--kiosks", "3", "--to", str(to))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in to.glob("*.toml")) == ["kiosk_1.toml", "kiosk_2.toml", "kiosk_3.toml",
                                                         "staff_counter.toml"]
    for name in ("kiosk_1", "kiosk_3", "staff_counter"):
        done = sync("check", "--config", str(to / f"{name}.toml"))
        assert done.returncode == 0 and f"{name} logs in to 127.0.0.1" in done.stdout, done.stderr
    done = sync("migrate", "--admin", postgres.admin_dsn())  # again: nothing to do
    assert done.returncode == 0 and done.stdout == "schema version 1\n", done.stderr
    write_secret(to / "kiosk_2.secret", "someone-elses-password")
    done = sync("check", "--config", str(to / "kiosk_2.toml"))
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert 'password authentication failed for user "kiosk_2"' in done.stderr


def test_an_unreachable_server_is_one_line(tmp_path):
    done = sync("migrate", "--admin", f"host={tmp_path} port=1 user=nobody dbname=untact")
    assert done.returncode == 2 and done.stderr.startswith("untact-sync: ") and done.stderr.count("\n") == 1
