"""``[shop.server]`` in the kiosk file: each mistake is one located line, exit status 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from untact.accessibility.config import ConfigError
from untact.shop.menu_service import validate_kiosk
from untact.shop.sync.config import from_kiosk
from untact.shop.sync.numbering import Numbering

REPO = Path(__file__).resolve().parents[3]
GOOD = {"host": '"127.0.0.1"', "login": '"kiosk_1"', "password_file": '"k.secret"', "slot": "1",
        "kiosks": "2"}


def kiosk_file(tmp_path: Path, **fields: str) -> Path:
    secret = tmp_path / "k.secret"
    secret.write_text("a-password-of-some-length\n")
    secret.chmod(0o600)
    server = "\n".join(f"{k} = {v}" for k, v in ({**GOOD, **fields}).items() if v is not None)
    path = tmp_path / "kiosk.toml"
    path.write_text((REPO / "examples" / "cafe.toml").read_text() + f"\n[shop.server]\n{server}\n")
    return path


def test_a_good_table_gives_the_kiosks_numbering(tmp_path):
    config = from_kiosk(validate_kiosk(kiosk_file(tmp_path)))
    assert config is not None and config.numbering == Numbering(1, 2)
    assert config.password == "a-password-of-some-length" and config.port == 5432
    assert "sslmode=prefer" in config.dsn() and "a-password" not in config.dsn() + repr(config)


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"slot": "3"}, "shop.server.slot", "must be 1 to kiosks (2), not 3"),
    ({"kiosks": None}, "shop.server.kiosks", "is missing"),
    ({"login": '"admin"'}, "shop.server.login", "must be kiosk_<id> or staff_<name>"),
    ({"password_file": '"missing.secret"'}, "shop.server.password_file", "does not exist"),
    ({"port": "70000"}, "shop.server.port", "must be at most 65535"),
    ({"prot": "5432"}, "shop.server.prot", "unknown field"),
    ({"tls": '"always"'}, "shop.server.tls", "must be one of disable, prefer, require"),
    ({"login": '"staff_counter"'}, "shop.server.slot", "is for kiosk logins only"),
])
def test_each_mistake_names_its_line_and_field(tmp_path, fields, field, message):
    path = kiosk_file(tmp_path, **fields)
    with pytest.raises(ConfigError) as caught:
        validate_kiosk(path)
    assert caught.value.field == field and message in caught.value.message
    line = path.read_text().splitlines()[caught.value.line - 1]
    assert line.startswith(field.split(".")[-1]) or line == "[shop.server]"


def test_a_password_file_anyone_can_read_is_refused(tmp_path):
    path = kiosk_file(tmp_path)
    (tmp_path / "k.secret").chmod(0o644)
    with pytest.raises(ConfigError, match="can be read by anyone"):
        validate_kiosk(path)


def test_the_kiosk_command_says_it_in_one_line_and_exits_2(tmp_path):
    path = kiosk_file(tmp_path, slot="0")
    done = subprocess.run([sys.executable, "-m", "untact.ui.cli", "--check-config", str(path)],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "shop.server.slot: must be at least 1, not 0" in done.stderr
    assert "Traceback" not in done.stderr


def test_numbers_interleave_and_never_meet():
    for kiosks in range(1, 5):
        seen: set[int] = set()
        for slot in range(1, kiosks + 1):
            numbering, last, mine = Numbering(slot, kiosks), 0, []
            for _ in range(50):
                last = numbering.after(last)
                mine.append(last)
            assert mine[0] == slot and all(b - a == kiosks for a, b in zip(mine, mine[1:], strict=False))
            assert not seen & set(mine)
            seen |= set(mine)


VALUES = st.one_of(st.integers(-5, 70000), st.text(max_size=12), st.booleans(), st.floats(allow_nan=False),
                   st.lists(st.integers(), max_size=2), st.sampled_from(['"kiosk_1"', '"staff_x"', "k.secret"]))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.dictionaries(st.sampled_from([*GOOD, "port", "database", "tls", "other"]), VALUES, max_size=4))
def test_any_server_table_loads_or_is_one_located_error(tmp_path, fields):
    """Whatever the merchant writes there, no traceback: a config or a ConfigError."""
    import tomlkit

    path = kiosk_file(tmp_path)
    doc = tomlkit.parse(path.read_text())
    for key, value in fields.items():
        doc["shop"]["server"][key] = value
    path.write_text(tomlkit.dumps(doc))
    try:
        validate_kiosk(path)
    except ConfigError as exc:
        assert exc.line and "\n" not in str(exc)
