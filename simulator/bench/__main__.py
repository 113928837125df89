"""Run every benchmark module in this package; one JSON object per line on stdout."""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import traceback

import untact.simulator.bench as bench_pkg


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    wanted = set(argv)
    failed = 0
    for info in sorted(pkgutil.iter_modules(bench_pkg.__path__), key=lambda m: m.name):
        if wanted and info.name not in wanted:
            continue
        module = importlib.import_module(f"{bench_pkg.__name__}.{info.name}")
        if not hasattr(module, "run"):
            continue
        try:
            for row in module.run():
                print(json.dumps(row, ensure_ascii=False), flush=True)
        except Exception as exc:  # report and go on: one broken bench must not hide others
            failed += 1
            print(json.dumps({"metric": f"{info.name}_error", "value": None, "unit": "",
                              "error": f"{type(exc).__name__}: {exc}"}), flush=True)
            traceback.print_exc(file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
