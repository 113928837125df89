"""``untact-sim``: the kiosk in a desktop window, driven by the keyboard (and, as they
arrive, virtual boards, a synthetic camera and microphone).

Keys: arrows move, Enter selects, Backspace goes back, Home starts over, F1 help, R repeat.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from untact.accessibility.config import ConfigError

from .driver import DEFAULT_SCALE


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="untact-sim", description="Run the untact kiosk simulator.")
    p.add_argument("config", help="the kiosk file (TOML), e.g. examples/cafe.toml")
    p.add_argument("--data", metavar="DIR", help="orders folder (default: the file's data_folder)")
    p.add_argument("--scale", type=float, default=DEFAULT_SCALE,
                   help=f"window size relative to the kiosk screen (default {DEFAULT_SCALE})")
    p.add_argument("--exit-after-first-frame", action="store_true",
                   help="print the time of the attract screen's first frame and exit (benchmarks)")
    args = p.parse_args(argv)
    if not 0.1 <= args.scale <= 2:
        p.error("--scale must be between 0.1 and 2")
    from untact.ui.cli import run_kiosk
    from untact.ui.menu import load_kiosk

    try:
        kiosk = load_kiosk(args.config)
    except ConfigError as exc:
        print(f"untact-sim: {exc}", file=sys.stderr)
        return 2

    def configure(app) -> None:
        if args.exit_after_first_frame:
            _exit_after_attract(app)

    return run_kiosk(kiosk, Path(args.data) if args.data else None, fullscreen=False,
                     scale=args.scale, configure_app=configure)


def _exit_after_attract(app) -> None:
    """Print when the first frame with the attract screen has been drawn, then quit."""
    from kivy.clock import Clock

    def check(_dt):
        if getattr(app, "sm", None) is not None and app.sm.current == "attract":
            # This callback runs after the frame that drew the attract screen was flipped.
            print(f"first-frame {time.time():.6f}", flush=True)
            os._exit(0)
        Clock.schedule_once(check, 0)

    Clock.schedule_once(check, 0)


if __name__ == "__main__":
    sys.exit(main())
