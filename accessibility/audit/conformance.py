"""The conformance report: the criteria's 47 items (``criteria.toml``), each marked as
measured by the audit's rules (with the figures, per display), covered by named tests,
left to a person (with what to check), or not applicable, and its result.

A rule's result is the audit's own: an item passes only if none of its rules failed on
any screen, display or profile (known misses included: they are failures on record).
"""

from __future__ import annotations

import html
import json
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .checks import (
    RULE_NAMES,
    Finding,
    gap_mm,
    is_hangul,
    smallest_target_mm,
    smallest_text_mm,
    text_height_mm,
)
from .model import ScreenInfo
from .rules import Rules


@dataclass
class Item:
    id: str
    grade: str
    ko: str
    en: str
    rules: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)
    person: str = ""
    na: str = ""


def load_items(path: str | Path | None = None) -> list[Item]:
    text = (Path(path).read_text("utf-8") if path is not None else
            resources.files(__package__).joinpath("criteria.toml").read_text("utf-8"))
    items = [Item(**d) for d in tomllib.loads(text)["item"]]
    for it in items:
        unknown = set(it.rules) - set(RULE_NAMES)
        if unknown:
            raise ValueError(f"criteria.toml: item {it.id}: unknown rules {sorted(unknown)}")
    return items


def figures(screens: list[ScreenInfo], rules: Rules) -> dict[str, dict[str, str]]:
    """The measured extremes per rule and display: what the report prints beside a pass."""
    out: dict[str, dict[str, str]] = {}
    displays = sorted({s.display_name or "kiosk file" for s in screens})
    for d in displays:
        mine = [s for s in screens if (s.display_name or "kiosk file") == d]
        hangul: list[float] = []
        latin: list[float] = []
        sides: list[float] = []
        areas: list[float] = []
        gaps: list[float] = []
        tops: list[float] = []
        bottoms: list[float] = []
        seen: list[float] = []
        for s in mine:
            mx, my = s.mm_per_px()
            acts = [w for w in s.widgets if w.actionable]
            for w in s.widgets:
                if w.text.strip() and (got := text_height_mm(s, w, rules)) is not None:
                    (hangul if is_hangul(w.text) else latin).append(got[0])
                    box = w.text_bbox or w.bbox
                    seen.append(s.row_height_mm(box[1]))
            for i, w in enumerate(acts):
                sides.append(min(w.bbox[2] * mx, w.bbox[3] * my))
                areas.append(w.bbox[2] * mx * w.bbox[3] * my)
                tops.append(s.row_height_mm(w.bbox[1]))
                bottoms.append(s.row_height_mm(w.bbox[1] + w.bbox[3]))
                gaps.extend(gap_mm(w.bbox, o.bbox, mx, my) for o in acts[i + 1:])
        size_class = mine[0].display.size_class(rules["size_classes"]["small_max_diagonal_mm"])

        def low(v: list[float], unit: str) -> str:
            return f"{min(v):.1f} {unit}" if v else "none"

        def high(v: list[float], unit: str) -> str:
            return f"{max(v):.0f} {unit}" if v else "none"

        factors = [(t / b, c / e) for s in mine if s.profile == rules["magnification"]["profile"]
                   for base in mine if base.profile == "standard" and base.name == s.name
                   if (t := smallest_text_mm(s, rules)) and (b := smallest_text_mm(base, rules))
                   and (c := smallest_target_mm(s)) and (e := smallest_target_mm(base))]
        for rule, text in (
                ("text_size", f"smallest Hangul {low(hangul, 'mm')} (받침 included), smallest "
                              f"Latin capital {low(latin, 'mm')}; {size_class} screen"),
                ("target_size", f"smallest side {low(sides, 'mm')}, smallest area "
                                f"{low(areas, 'mm2')}"),
                ("target_spacing", f"smallest gap {low(gaps, 'mm')}"),
                ("reach", f"controls from {low(bottoms, 'mm')} to {high(tops, 'mm')} above "
                          "the floor"),
                ("visual_height", f"highest text {high(seen, 'mm')} above the floor"),
                ("magnification", _factors_text(factors)),
                ("timing", _timing_text(mine)),
        ):
            out.setdefault(rule, {})[d] = text
    return out


def _factors_text(factors: list[tuple[float, float]]) -> str:
    if not factors:
        return "no low-vision screen"
    return (f"smallest text x{min(f[0] for f in factors):.2f}, "
            f"smallest control x{min(f[1] for f in factors):.2f} of the standard profile's")


def _timing_text(screens: list[ScreenInfo]) -> str:
    """Which of 2-2's two ways the kiosk takes: no time limit, or the remaining time shown."""
    sessions = [s for s in screens if any(w.role == "timer" for w in s.widgets)]
    timers = [w for s in sessions for w in s.widgets if w.role == "timer" and w.timed]
    shown = sum(1 for s in sessions
                if any(w.role == "remaining_time" and w.text.strip() for w in s.widgets))
    if not sessions:
        return "no customer session on these screens"
    if not timers:
        return (f"no time limit (the merchant's choice): never warned or reset; the bar says "
                f"so on {shown} of {len(sessions)} screens with a session")
    return (f"time limit with the remaining time shown on {shown} of {len(sessions)} screens "
            f"with a session; warned {min(w.warning_s for w in timers):g} s ahead, "
            f"extendable {min(w.extensions for w in timers)} times")


def test_exists(ref: str, root: Path) -> bool:
    """``path::name`` names a test function that is in the repository."""
    path, _, name = ref.partition("::")
    f = root / path
    return f.is_file() and f"def {name}(" in f.read_text("utf-8")


def build(items: list[Item], screens: list[ScreenInfo], failures: list[Finding],
          known: list[Finding], rules: Rules, root: Path) -> list[dict[str, Any]]:
    figs = figures(screens, rules)
    bad = {f.rule for f in failures} | {f.rule for f in known}
    rows = []
    for it in items:
        missing = [t for t in it.tests if not test_exists(t, root)]
        if it.rules:
            failed = sorted(set(it.rules) & bad)
            result = "fail" if failed else "pass"
            how = "checked automatically"
        elif it.tests:
            result = "covered" if not missing else "fail"
            how = "covered by tests"
        elif it.na:
            result, how = "n/a", "not applicable"
        else:
            result, how = "person", "left to a person"
        if missing:
            result = "fail"
        counts = {r: sum(1 for f in failures if f.rule == r) for r in it.rules}
        known_counts = {r: sum(1 for f in known if f.rule == r) for r in it.rules}
        rows.append({
            "id": it.id, "grade": it.grade, "ko": it.ko, "en": it.en, "how": how,
            "result": result, "rules": it.rules, "failures": counts,
            "known_misses": known_counts,
            "figures": {r: figs.get(r, {}) for r in it.rules},
            "tests": it.tests, "missing_tests": missing, "person": it.person, "na": it.na,
        })
    return rows


def write(out_dir: Path, rows: list[dict[str, Any]]) -> None:
    (out_dir / "conformance.json").write_text(
        json.dumps({"items": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    tally: dict[str, int] = {}
    for r in rows:
        tally[r["result"]] = tally.get(r["result"], 0) + 1
    e = html.escape
    out = ["<!doctype html><html lang='ko'><meta charset='utf-8'>",
           "<title>무인정보단말기 접근성 검증기준: untact</title>",
           "<style>body{font-family:sans-serif;margin:1em}td,th{border:1px solid #ccc;"
           "padding:3px 6px;font-size:13px;vertical-align:top}table{border-collapse:collapse}"
           ".pass,.covered{color:#056b05}.fail{color:#b00000}</style>",
           "<h1>무인정보단말기 접근성 검증기준 (47 items)</h1>",
           "<p>" + ", ".join(f"{k}: {v}" for k, v in sorted(tally.items())) + "</p>",
           "<table><tr><th>item</th><th>grade</th><th>criterion</th><th>how</th>"
           "<th>result</th><th>figures / tests / what to check</th></tr>"]
    for r in rows:
        detail = []
        for rule, per_display in r["figures"].items():
            n, k = r["failures"].get(rule, 0), r["known_misses"].get(rule, 0)
            detail.append(f"<b>{e(rule)}</b>: {n} failures, {k} known misses")
            detail += [f"&nbsp;&nbsp;{e(d)}: {e(t)}" for d, t in per_display.items()]
        detail += [f"test: {e(t)}" + (" <b class='fail'>(missing)</b>"
                                      if t in r["missing_tests"] else "") for t in r["tests"]]
        if r["person"]:
            detail.append(f"person: {e(r['person'])}")
        if r["na"]:
            detail.append(f"n/a: {e(r['na'])}")
        out.append(f"<tr><td>{e(r['id'])}</td><td>{e(r['grade'])}</td><td>{e(r['ko'])}<br>"
                   f"<small>{e(r['en'])}</small></td><td>{e(r['how'])}</td>"
                   f"<td class='{e(r['result'])}'>{e(r['result'])}</td>"
                   f"<td>{'<br>'.join(detail)}</td></tr>")
    out.append("</table></html>")
    (out_dir / "conformance.html").write_text("\n".join(out), encoding="utf-8")
