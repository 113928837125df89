"""MenuService: live sold-out, validated edits saved atomically, bad edits refused."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from untact.shop import staff_access
from untact.shop.menu import load_kiosk
from untact.shop.menu_service import MenuEditRefused, MenuService

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"


@pytest.fixture
def menu(tmp_path):
    path = tmp_path / "kiosk.toml"
    shutil.copy(CAFE, path)
    os.chmod(path, 0o640)
    svc = MenuService(path)
    seen = []
    svc.subscribe(lambda kiosk, change: seen.append((kiosk, change)))
    svc.seen = seen
    return svc


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".edit"))


def test_sold_out_applies_live_and_persists(menu):
    before = menu.kiosk
    kiosk = menu.set_sold_out("croissant")
    assert menu.kiosk is kiosk is not before
    assert kiosk.item("croissant").sold_out and not before.item("croissant").sold_out
    (notified, change), = menu.seen
    assert notified is kiosk and (change.what, change.item_id) == ("sold_out", "croissant")
    assert load_kiosk(menu.path).item("croissant").sold_out  # survives a restart
    menu.set_sold_out("croissant", False)
    assert not menu.kiosk.item("croissant").sold_out
    assert len(menu.seen) == 2
    assert kiosk.path == menu.path and os.stat(menu.path).st_mode & 0o777 == 0o640


def test_price_edit_keeps_the_merchants_comments(menu):
    menu.set_price("americano", 4800)
    assert menu.kiosk.item("americano").price == 4800
    text = menu.path.read_text(encoding="utf-8")
    assert "# --- tea ----" in text and "# the first one is the default" in text
    assert "price = 4800" in text
    assert text.count("\n") == CAFE.read_text(encoding="utf-8").count("\n")  # in place
    menu.set_name("americano", "en", "Americano (house blend)")
    assert load_kiosk(menu.path).item("americano").name["en"] == "Americano (house blend)"


def test_bad_edit_is_refused_and_nothing_changes(menu):
    before_kiosk, before_bytes = menu.kiosk, menu.path.read_bytes()

    def move_to_missing_category(doc):
        for item in doc["items"]:
            if item["id"] == "espresso":
                item["category"] = "pizza"

    with pytest.raises(MenuEditRefused) as err:
        menu.edit(move_to_missing_category)
    reason = err.value.reason
    assert reason.startswith(f"{menu.path}:") and "items[6].category: names no category" in reason
    line = int(reason.split(":")[1])
    assert 'id = "espresso"' in before_bytes.decode().splitlines()[line - 2]
    assert menu.kiosk is before_kiosk and menu.path.read_bytes() == before_bytes
    assert menu.seen == [] and leftovers(menu.path.parent) == []

    with pytest.raises(MenuEditRefused, match="0 to 10,000,000 won"):
        menu.set_price("americano", -500)
    with pytest.raises(MenuEditRefused, match="does not use language 'ja'"):
        menu.set_name("americano", "ja", "アメリカーノ")
    with pytest.raises(MenuEditRefused, match=r"items\[0\]\.name\.en: must be non-empty"):
        menu.set_name("americano", "en", "   ")
    with pytest.raises(MenuEditRefused, match="no item with id 'pizza'"):
        menu.set_sold_out("pizza")
    with pytest.raises(MenuEditRefused, match="TOML syntax error"):
        menu.replace_text("[shop\nname = 1\n")
    with pytest.raises(MenuEditRefused, match="admin.pin_hash"):
        menu.set_pin_hash("not-a-hash")
    assert menu.kiosk is before_kiosk and menu.path.read_bytes() == before_bytes
    assert leftovers(menu.path.parent) == []


def test_reload_after_hand_edit(menu):
    text = menu.path.read_text(encoding="utf-8")
    menu.path.write_text(text.replace("price = 3200", "price = 3300"), encoding="utf-8")
    assert menu.reload_if_changed() and menu.kiosk.item("scone").price == 3300
    assert not menu.reload_if_changed()
    good = menu.kiosk
    menu.path.write_text(text.replace("price = 3200", "price = -1"), encoding="utf-8")
    with pytest.raises(MenuEditRefused, match="items.*price"):
        menu.reload_if_changed()
    assert menu.kiosk is good


def test_pin_hash_goes_to_the_admin_table(menu):
    h = staff_access.hash_pin("13579", n=2**10)
    menu.set_pin_hash(h)
    assert staff_access.admin_config(menu.kiosk).pin_hash == h
    assert "[admin]" in menu.path.read_text() and "13579" not in menu.path.read_text()
    menu.set_pin_hash(staff_access.hash_pin("24680", n=2**10))
    assert menu.path.read_text().count("pin_hash") == 1


def test_a_broken_listener_does_not_block_others(menu):
    menu.subscribe(lambda k, c: 1 / 0)
    got = []
    menu.subscribe(lambda k, c: got.append(c.what))
    menu.set_sold_out("bagel")
    assert got == ["sold_out"]


def test_lunchtime_edits_do_not_need_tomlkit(menu, monkeypatch):
    """Sold-out and price edit one line of text (fast on a 1000-item menu); tomlkit,
    seconds on big menus, is not touched."""
    import tomlkit

    def no_tomlkit(*a, **kw):
        raise AssertionError("tomlkit used")

    monkeypatch.setattr(tomlkit, "parse", no_tomlkit)
    before = menu.path.read_text()
    menu.set_sold_out("americano")
    menu.set_price("americano", 4700)
    menu.set_sold_out("americano", False)
    menu.set_sold_out("scone", True)  # written as "sold_out = false" in the sample
    assert menu.kiosk.item("scone").sold_out and not menu.kiosk.item("americano").sold_out
    assert menu.kiosk.item("americano").price == 4700
    after = menu.path.read_text()
    assert after.count("price = 4500") == before.count("price = 4500") - 1
    assert after.count("price = 4700") == 1 and "# --- tea ---" in after
    # one line added (americano's "sold_out = false"), every other line kept as it was
    assert len(after.splitlines()) == len(before.splitlines()) + 1
    assert load_kiosk(menu.path).item("scone").sold_out


def test_unusual_layout_falls_back_to_tomlkit(tmp_path):
    text = CAFE.read_text(encoding="utf-8")
    head, _, _ = text.partition("# --- coffee")
    path = tmp_path / "inline.toml"
    rows = [f'  {{ id = "{i}", category = "{c}", name = {{ ko = "{i}", en = "{i}" }},'
            f' price = {p} }},\n'
            for i, c, p in (("a", "coffee", 1000), ("b", "tea", 2000), ("c", "drinks", 3000),
                            ("d", "bakery", 4000))]
    path.write_text("items = [\n" + "".join(rows) + "]\n" + head, encoding="utf-8")
    svc = MenuService(path)
    svc.set_sold_out("b")
    svc.set_price("c", 3500)
    again = load_kiosk(path)
    assert again.item("b").sold_out and again.item("c").price == 3500
    assert again.item("a").price == 1000 and not again.item("a").sold_out
