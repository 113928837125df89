"""Audit reports: HTML for people (screenshot per screen, failing widgets outlined) and
JSON for tools. Outlines are absolutely positioned boxes over the ``<img>`` in
percentages, so the report needs no image library and scales with the page."""

from __future__ import annotations

import html
import json
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from .checks import Finding
from .model import ScreenInfo


def to_json(screens: list[ScreenInfo], findings: list[Finding],
            known: Sequence[Finding] = ()) -> dict[str, Any]:
    """``findings`` fail the audit; ``known`` are known misses, listed apart."""
    by_screen: dict[str, list[dict[str, Any]]] = {s.key: [] for s in screens}
    known_by_screen: dict[str, list[dict[str, Any]]] = {s.key: [] for s in screens}
    for f in findings:
        by_screen.setdefault(f.screen, []).append(f.to_dict())
    for f in known:
        known_by_screen.setdefault(f.screen, []).append(f.to_dict())
    return {
        "passed": not findings,
        "failures": len(findings),
        "known_misses": len(known),
        "screens": [{"screen": s.name, "profile": s.profile, "display": s.display_name,
                     "key": s.key, "screenshot": s.screenshot, "widgets": len(s.widgets),
                     "findings": by_screen[s.key], "known_misses": known_by_screen[s.key]}
                    for s in screens],
    }


def write_json(path: str | Path, screens: list[ScreenInfo], findings: list[Finding],
               known: Sequence[Finding] = ()) -> None:
    Path(path).write_text(json.dumps(to_json(screens, findings, known), ensure_ascii=False,
                                     indent=1), encoding="utf-8")


_CSS = """
body{font-family:sans-serif;margin:1em;background:#fafafa;color:#111}
.screen{display:flex;gap:1.5em;margin:1.5em 0;padding:1em;background:#fff;border:1px solid #ccc}
.shot{position:relative;width:360px;flex:none;align-self:flex-start}
.shot img{width:100%;display:block;border:1px solid #888}
.box{position:absolute;border:3px solid #d00000;box-sizing:border-box}
.box span{position:absolute;top:-1.3em;left:0;background:#d00000;color:#fff;font-size:11px;
 padding:0 3px;white-space:nowrap}
.ok{color:#056b05}.bad{color:#b00000}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px}
"""


def write_html(path: str | Path, screens: list[ScreenInfo], findings: list[Finding],
               known: Sequence[Finding] = ()) -> None:
    path = Path(path)
    findings = [*findings, *(replace(f, rule=f"{f.rule} (known miss)") for f in known)]
    out = ["<!doctype html><html lang='en'><meta charset='utf-8'>",
           "<title>untact accessibility audit</title>", f"<style>{_CSS}</style>",
           "<h1>untact accessibility audit</h1>",
           f"<p class='{'ok' if len(findings) == len(known) else 'bad'}'>"
           f"{len(screens)} screens, {len(findings) - len(known)} failures, "
           f"{len(known)} known misses</p>"]
    for s in screens:
        mine = [f for f in findings if f.screen == s.key]
        out.append(f"<section class='screen' id='{html.escape(s.key)}'>")
        out.append("<div class='shot'>")
        if s.screenshot:
            src = os.path.relpath(s.screenshot, path.parent)
            out.append(f"<img src='{html.escape(src)}' alt='screenshot of "
                       f"{html.escape(s.key)}'>")
        ww, wh = s.window_px
        seen = set()
        for f in mine:
            if f.bbox is None or (f.widget, f.rule) in seen:
                continue
            seen.add((f.widget, f.rule))
            x, y, w, h = f.bbox
            out.append(f"<div class='box' style='left:{100 * x / ww:.3f}%;top:{100 * y / wh:.3f}%;"
                       f"width:{100 * w / ww:.3f}%;height:{100 * h / wh:.3f}%'>"
                       f"<span>{html.escape(f.widget or '')}: {html.escape(f.rule)}</span></div>")
        out.append("</div><div>")
        out.append(f"<h2>{html.escape(s.name)} <small>({html.escape(s.profile)})</small></h2>")
        if not mine:
            out.append("<p class='ok'>passes every rule</p>")
        else:
            out.append("<table><tr><th>rule</th><th>widget</th><th>problem</th>"
                       "<th>clauses</th></tr>")
            for f in mine:
                out.append(f"<tr><td>{html.escape(f.rule)}</td><td>{html.escape(f.widget or '')}"
                           f"</td><td>{html.escape(f.message)}</td>"
                           f"<td>{html.escape('; '.join(f.clauses))}</td></tr>")
            out.append("</table>")
        out.append("</div></section>")
    out.append("</html>")
    path.write_text("\n".join(out), encoding="utf-8")
