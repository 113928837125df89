"""``untact-audit``: audit every screen in every profile; exit 1 if anything fails.

    untact-audit --config examples/cafe.toml --out test-output/audit \\
                 --renderer untact.ui.audit_renderer:render_all
    untact-audit --screens accessibility/audit/fixtures/bad_reach.json --json -
    untact-audit --config examples/cafe.toml --renderer ... --displays all \\
                 --known-misses accessibility/audit/known_misses.toml      # make audit

The renderer is ``module:function`` with signature
``render_all(config_path: str, out_dir: str) -> list[ScreenInfo]``; it must write a
screenshot per screen into ``out_dir``. ``--screens`` audits JSON screen files instead;
``--displays`` renders at each supported screen. Besides report.html/.json the out folder
gets conformance.html/.json: the criteria's 47 items and how each is met.
Exit status: 0 all pass, 1 failures, 2 could not audit (one-line error on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..display import SUPPORTED_DISPLAYS
from . import conformance, report
from .checks import RULE_NAMES, run_checks
from .conformance import load_items
from .displays import load_renderer, render_at
from .fixtures import render_files
from .known_misses import load_misses, split
from .rules import load_rules

ROOT = Path(__file__).resolve().parents[2]  # the checkout: named tests are looked up here
DEFAULT_RENDERER = "untact.accessibility.audit.fixtures:render_all"




def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="untact-audit", description=__doc__.split("\n")[0])
    ap.add_argument("--config", default="examples/cafe.toml", help="kiosk TOML file")
    ap.add_argument("--renderer", default=DEFAULT_RENDERER, help="module:function")
    ap.add_argument("--screens", nargs="*", help="audit these JSON screen files instead")
    ap.add_argument("--out", default="test-output/audit", help="report folder")
    ap.add_argument("--rules", help="rules TOML (default: the packaged rules.toml)")
    ap.add_argument("--json", metavar="PATH", help="also write the JSON report ('-': stdout)")
    ap.add_argument("--displays", nargs="*", metavar="NAME",
                    help="render at these supported displays ('all': every one) instead of "
                         "the kiosk file's own")
    ap.add_argument("--known-misses", metavar="TOML",
                    help="findings on record, reported apart (the sample shop's: "
                         "accessibility/audit/known_misses.toml; make audit passes it)")
    ap.add_argument("--only", nargs="*", choices=sorted(RULE_NAMES), help="run only these checks")
    args = ap.parse_args(argv)
    err = sys.stderr  # kept: Kivy (screenshot decoding) replaces sys.stderr on import
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        rules = load_rules(args.rules)
        if args.screens:
            screens = render_files(args.screens, out / "screens")
        elif args.displays:
            names = list(SUPPORTED_DISPLAYS) if args.displays == ["all"] else args.displays
            screens = [s for name in names
                       for s in render_at(args.renderer, args.config, out / "screens", name)]
        else:
            screens = load_renderer(args.renderer)(args.config, str(out / "screens"))
        findings = run_checks(screens, rules, set(args.only) if args.only else None)
        misses = load_misses(args.known_misses) if args.known_misses else []
        items = load_items()
    except (ValueError, OSError) as exc:
        print(f"untact-audit: {exc}", file=err)
        return 2
    failures, known, stale = split(findings, misses)
    report.write_html(out / "report.html", screens, failures, known)
    if args.json == "-":
        print(json.dumps(report.to_json(screens, failures, known), ensure_ascii=False, indent=1))
    elif args.json:
        report.write_json(args.json, screens, failures, known)
    conformance.write(out, conformance.build(items, screens, failures, known, rules, ROOT))
    bad = len(failures) + len(stale)
    status = "PASS" if not bad else f"FAIL ({bad} problems)"
    print(f"untact-audit: {len(screens)} screens, {status}, {len(known)} known misses; "
          f"report: {out / 'report.html'}, criteria: {out / 'conformance.html'}", file=err)
    for f in failures:
        print(f"  {f.screen} {f.widget or '-'}: [{f.rule}] {f.message}", file=err)
    for m in stale:
        print(f"  known miss no longer seen (fixed? remove it from known_misses.toml): "
              f"[{m.rule}] {m.screen}@{m.profile}@{m.display}", file=err)
    for rule in sorted({f.rule for f in known}):
        mine = [f for f in known if f.rule == rule]
        print(f"  known miss [{rule}]: {len(mine)} findings, e.g. {mine[0].screen} "
              f"{mine[0].widget or '-'}: {mine[0].message}", file=err)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
