"""A merchant's kiosk file: the sample loads, and every kind of mistake gets one clear
line naming file, line and field, with exit status 2 and no traceback."""

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from untact.accessibility.config import ConfigError
from untact.shop.menu import load_kiosk

REPO = Path(__file__).resolve().parents[2]
CAFE = REPO / "examples" / "cafe.toml"
CAFE_TEXT = CAFE.read_text(encoding="utf-8")


def check_config(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "untact.ui.cli", "--check-config", str(path)],
                          capture_output=True, text=True, timeout=60)


def test_sample_cafe_is_a_realistic_menu():
    kiosk = load_kiosk(CAFE)
    assert len(kiosk.items) >= 20 and len(kiosk.categories) >= 4
    assert all(kiosk.items_in(c.id) for c in kiosk.categories)
    assert kiosk.languages == ("ko", "en")
    result = check_config(CAFE)
    assert result.returncode == 0, result.stderr
    assert "23 items in 4 categories" in result.stdout


def replace_once(old: str, new: str) -> str:
    assert CAFE_TEXT.count(old) >= 1, old
    return CAFE_TEXT.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


BROKEN = {
    # name: (file content, expected field, expected line (a needle in the content) or None,
    #        words the message must contain)
    "bad_syntax": (replace_once('price = 4500\n', 'price = = 4500\n'), "", "price = = 4500", ["TOML syntax"]),
    "missing_price": (replace_once('price = 3800\n', ''), "items[18].price", '[[items]]\nid = "croissant"', ["missing"]),
    "negative_price": (replace_once('price = 5000\noptions = ["size", "shot"]',
                                    'price = -500\noptions = ["size", "shot"]'),
                       "items[2].price", "price = -500", ["0 to"]),
    "duplicate_item": (replace_once('id = "cappuccino"', 'id = "americano"'), "items[2].id",
                       'id = "americano"\ncategory = "coffee"\nname = { ko = "카푸치노"', ["duplicate"]),
    "unknown_option": (replace_once('options = ["size", "shot"]', 'options = ["size", "whipped_cream"]'),
                       "items[2].options[1]", 'options = ["size", "whipped_cream"]', ["unknown option"]),
    "wrong_type": (replace_once('price = 6500', 'price = "6500"'), "items[20].price", 'price = "6500"',
                   ["whole number", "text"]),
    "wrong_type_bool": (replace_once('sold_out = false', 'sold_out = "no"'), "items[22].sold_out",
                        'sold_out = "no"', ["true or false"]),
    "missing_language": (replace_once('name = { ko = "녹차", en = "Green Tea" }', 'name = { ko = "녹차" }'),
                         "items[8].name", 'name = { ko = "녹차" }', ["'en'"]),
    "unknown_category": (replace_once('category = "bakery"', 'category = "bakeries"'), "items[18].category",
                         'category = "bakeries"', ["names no category"]),
    "typo_field": (replace_once('price = 3200', 'prise = 3200'), "items[22].prise", "prise = 3200",
                   ["unknown field"]),
    "unknown_counter": (replace_once('counter = "개"\n', 'counter = "잔잔"\n'), "categories[3].counter",
                        'counter = "잔잔"', ["unknown Korean counter", "그릇"]),
    "item_counter_not_text": (replace_once('price = 3200', 'price = 3200\ncounter = 2'),
                              "items[22].counter", "counter = 2", ["text"]),
    "empty_file": ("", "", None, ["empty"]),
    "only_comments": ("# nothing here\n", "shop", None, ["missing"]),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_kiosk_file_gets_one_clear_line(tmp_path, name):
    content, field, needle, words = BROKEN[name]
    path = tmp_path / f"{name}.toml"
    path.write_text(content, encoding="utf-8")
    result = check_config(path)
    assert result.returncode == 2, result
    err = result.stderr.strip()
    assert "\n" not in err and "Traceback" not in err, err
    assert str(path) in err
    if needle is not None:
        assert f"{path}:{line_of(content, needle)}:" in err, err
    if field:
        assert f": {field}: " in err, err
    for w in words:
        assert w in err, err


def test_binary_garbage(tmp_path):
    path = tmp_path / "menu.toml"
    path.write_bytes(bytes(range(256)) * 40)
    result = check_config(path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "not UTF-8" in result.stderr or "NUL" in result.stderr


def test_ten_megabyte_file(tmp_path):
    path = tmp_path / "menu.toml"
    path.write_text(CAFE_TEXT + "# padding\n" * 1_000_000, encoding="utf-8")
    assert path.stat().st_size > 10_000_000
    result = check_config(path)
    assert result.returncode == 2 and "must be under" in result.stderr


def test_missing_file_and_bad_usage(tmp_path):
    result = check_config(tmp_path / "nope.toml")
    assert result.returncode == 2 and "file not found" in result.stderr
    usage = subprocess.run([sys.executable, "-m", "untact.ui.cli"], capture_output=True, text=True)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, len(CAFE_TEXT)), junk=st.text(max_size=30), pos=st.integers(0, len(CAFE_TEXT)))
def test_any_damaged_file_is_either_valid_or_a_config_error(tmp_path, cut, junk, pos):
    """Truncated or corrupted files: nothing but ConfigError may escape the loader."""
    text = CAFE_TEXT[:cut]
    text = text[:pos] + junk + text[pos:]
    path = tmp_path / "fuzz.toml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        load_kiosk(path)
    except ConfigError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)


def test_korean_counters_come_from_categories_with_a_generic_default(tmp_path):
    """The sample counts drinks in cups and bakery by the piece because its file says so;
    a category that says nothing is counted with 개, and an item may set its own."""
    cafe = load_kiosk(CAFE)
    assert {c.id: c.counter for c in cafe.categories} == {
        "coffee": "잔", "tea": "잔", "drinks": "잔", "bakery": "개"}
    text = replace_once('name = { ko = "차", en = "Tea" }\ncounter = "잔"\n',
                        'name = { ko = "차", en = "Tea" }\n')
    text = text.replace('price = 3200', 'price = 3200\ncounter = "조각"', 1)
    path = tmp_path / "cafe.toml"
    path.write_text(text, encoding="utf-8")
    kiosk = load_kiosk(path)
    assert kiosk.item("green_tea").counter == "개"  # tea no longer says: the default
    assert kiosk.item("americano").counter == "잔" and kiosk.item("croissant").counter == "개"
    assert kiosk.item("scone").counter == "조각"  # the item's own, over its category's
