"""The physical keypad's specification in firmware/README.md meets the kiosk criteria's
figures (rules.toml [keypad]): read from the README's table, so the document and the
check cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

from untact.accessibility.audit.rules import load_rules

README = Path(__file__).resolve().parents[2] / "firmware" / "README.md"


def spec() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- keypad-spec")[1].split("<!-- /keypad-spec -->")[0]
    rows = [r.strip().strip("|").split("|") for r in block.splitlines() if r.startswith("| ")]
    return {cells[0].strip(): cells[1].strip() for cells in rows[1:]}  # after the header


def number(value: str) -> float:
    m = re.match(r"[\d.]+", value)
    assert m, value
    return float(m.group())


def test_keypad_spec_meets_the_criteria():
    r = load_rules()["keypad"]
    s = spec()
    w, h = number(s["key cap width"]), number(s["key cap height"])
    assert min(w, h) >= r["min_side_mm"] and w * h >= r["min_area_mm2"]
    assert number(s["gap between key caps"]) >= r["min_gap_mm"]
    assert number(s["key cap relief above the panel"]) >= r["min_relief_mm"]
    assert number(s["operating force"]) <= r["max_force_n"]
    assert "raised" in s["reference marker"]
    assert "braille" in s["labels"] and "spoken" in s["labels"]  # 3-12: braille or voice
    low, high = (float(v) for v in re.findall(r"\d+", s["mounting height"]))
    reach = load_rules()["reach"]
    assert low >= reach["min_height_mm"] and high <= reach["max_height_mm"]


def test_a_bare_12_mm_key_would_fail():
    """The check can fail: 12 x 12 mm is 144 mm2."""
    r = load_rules()["keypad"]
    assert 12 * 12 < r["min_area_mm2"]
