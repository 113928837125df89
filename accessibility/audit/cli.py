"""``untact-audit``: audit every screen in every profile; exit 1 if anything fails.

    untact-audit --config examples/cafe.toml --out test-output/audit \\
                 --renderer untact.ui.audit_renderer:render_all
    untact-audit --screens accessibility/audit/fixtures/bad_reach.json --json -

The renderer is ``module:function`` with signature
``render_all(config_path: str, out_dir: str) -> list[ScreenInfo]``; it must write a
screenshot per screen into ``out_dir``. ``--screens`` audits JSON screen files instead.
Exit status: 0 all pass, 1 failures, 2 could not audit (one-line error on stderr).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable
from pathlib import Path

from . import report
from .checks import RULE_NAMES, run_checks
from .fixtures import render_files
from .model import ScreenInfo
from .rules import load_rules

# (config path or None, folder for the screenshots) -> the rendered screens
Renderer = Callable[[str | None, str], list[ScreenInfo]]

DEFAULT_RENDERER = "untact.accessibility.audit.fixtures:render_all"


def load_renderer(spec: str) -> Renderer:
    module, _, func = spec.partition(":")
    if not module or not func:
        raise ValueError(f"--renderer must be module:function, not {spec!r}")
    try:
        renderer: Renderer = getattr(importlib.import_module(module), func)
        return renderer
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"cannot load renderer {spec!r}: {exc}") from None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="untact-audit", description=__doc__.split("\n")[0])
    ap.add_argument("--config", default="examples/cafe.toml", help="kiosk TOML file")
    ap.add_argument("--renderer", default=DEFAULT_RENDERER, help="module:function")
    ap.add_argument("--screens", nargs="*", help="audit these JSON screen files instead")
    ap.add_argument("--out", default="test-output/audit", help="report folder")
    ap.add_argument("--rules", help="rules TOML (default: the packaged rules.toml)")
    ap.add_argument("--json", metavar="PATH", help="also write the JSON report ('-': stdout)")
    ap.add_argument("--only", nargs="*", choices=sorted(RULE_NAMES), help="run only these checks")
    args = ap.parse_args(argv)
    err = sys.stderr  # kept: Kivy (screenshot decoding) replaces sys.stderr on import
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        rules = load_rules(args.rules)
        if args.screens:
            screens = render_files(args.screens, out / "screens")
        else:
            screens = load_renderer(args.renderer)(args.config, str(out / "screens"))
        findings = run_checks(screens, rules, set(args.only) if args.only else None)
    except (ValueError, OSError) as exc:
        print(f"untact-audit: {exc}", file=err)
        return 2
    report.write_html(out / "report.html", screens, findings)
    if args.json == "-":
        print(json.dumps(report.to_json(screens, findings), ensure_ascii=False, indent=1))
    elif args.json:
        report.write_json(args.json, screens, findings)
    status = "PASS" if not findings else f"FAIL ({len(findings)} problems)"
    print(f"untact-audit: {len(screens)} screens, {status}; report: {out / 'report.html'}",
          file=err)
    for f in findings:
        print(f"  {f.screen} {f.widget or '-'}: [{f.rule}] {f.message}", file=err)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
