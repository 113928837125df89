"""``untact-kiosk``: run the kiosk on its screen, or check a kiosk file.

Exit status 2 for bad usage or a bad kiosk file, with one line naming file, line and field
(a file asking for the simulator's card terminal is one: ``untact-sim`` runs those). The
kiosk itself is built by the composition root, ui/composition.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from untact.accessibility.config import ConfigError

if TYPE_CHECKING:
    from untact.shop.menu import Kiosk


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="untact-kiosk", description="Run the untact kiosk.")
    p.add_argument("config", nargs="?", help="the kiosk file (TOML)")
    p.add_argument("--check-config", metavar="FILE", help="only validate FILE and exit")
    p.add_argument("--data", metavar="DIR", help="orders folder (default: the file's data_folder)")
    p.add_argument("--window", action="store_true", help="run in a window instead of full screen")
    p.add_argument("--exit-after-first-frame", action="store_true", help=argparse.SUPPRESS)  # bench
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    path = args.check_config or args.config
    if not path:
        parser().error("give a kiosk file, or --check-config FILE")
    try:
        kiosk = check_kiosk_file(path)
    except ConfigError as exc:
        print(f"untact-kiosk: {exc}", file=sys.stderr)
        return 2
    warn_if_pin_hash_exposed(kiosk)
    if args.check_config:
        print(f"{path}: ok ({len(kiosk.items)} items in {len(kiosk.categories)} categories)")
        print(f"{path}: [accessibility.session] {time_limit_choice(kiosk)}")
        from untact.accessibility.display_limits import display_limits

        for limit in display_limits(kiosk.display):  # errors were refused above
            print(f"{path}: [display] {limit}")
        return 0
    from .composition import run_kiosk

    return run_kiosk(kiosk, Path(args.data) if args.data else None, fullscreen=not args.window,
                     configure_app=exit_after_attract if args.exit_after_first_frame else None)


def check_kiosk_file(path: str | Path, real_payment: bool = True) -> Kiosk:
    """Every start-up check of a kiosk file, for the kiosk, the simulator and scenarios
    alike: the menu, ``[admin]``, ``[payment]``, ``[devices]``, ``[printer]`` and
    ``[staff_web]``, and a ``[display]`` on which no customer could be served within the
    criteria; ConfigError on the first problem. A real kiosk takes real payments:
    ``real_payment`` refuses the simulated card terminal (``untact-sim`` runs those)."""
    from untact.accessibility.display_limits import display_limits
    from untact.hardware.devices import validate as validate_devices
    from untact.hardware.printer.config import from_table as printer_config
    from untact.shop.menu_service import validate_kiosk
    from untact.shop.payment import real_method
    from untact.web.config import from_table as staff_web_config

    kiosk = validate_kiosk(path)
    if real_payment:
        real_method(kiosk.section("payment"))
    validate_devices(kiosk.section("devices"))
    printer_config(kiosk.section("printer"))
    staff_web_config(kiosk.section("staff_web"))
    for limit in display_limits(kiosk.display):
        if limit.error:
            raise kiosk.section("display").error(limit.field, limit.message)
    return kiosk


def time_limit_choice(kiosk: Kiosk) -> str:
    """What the merchant's choice for 검증기준 2-2 (a time limit with the remaining time
    shown, or none) means for this kiosk, in one line."""
    from untact.accessibility.profiles import PROFILES
    from untact.hardware.boards import config as boards

    s = kiosk.accessibility.session
    if s.time_limit:
        longer = ", ".join(f"x{p.timeout_scale:g} {p.name}" for p in PROFILES.values()
                           if p.timeout_scale > 1)
        return (f"time limit (검증기준 2-2): {s.timeout_s:g} s without activity ({longer}), "
                f"warned {s.warning_s:g} s ahead, {s.max_extensions} extensions, the "
                "remaining time always on the screen")
    leave_ms = boards.from_table(kiosk.section("devices", "boards")).thresholds.get(
        "leave_ms", boards.LIMITS["leave_ms"][0])
    return ("no time limit (검증기준 2-2): nobody is warned or reset for taking their time; a "
            f"session ends when a sensor board's presence sensor sees nobody for "
            f"{leave_ms / 1000:g} s ([devices.boards.thresholds] leave_ms) or when staff open "
            "the staff pages; without such a board a walked-away cart stays until staff do")


def warn_if_pin_hash_exposed(kiosk: Kiosk) -> None:
    """A warning, not a refusal: the kiosk still runs on a file with an open mode."""
    from untact.shop.staff_access import admin_config, pin_hash_exposure

    exposed = pin_hash_exposure(kiosk.path) if admin_config(kiosk).pin_hash else None
    if exposed:
        print(f"untact-kiosk: warning: {exposed}", file=sys.stderr)


def exit_after_attract(app) -> None:
    """Print when the first frame with the attract screen has been drawn, then quit
    (``make bench`` measures start-up with it)."""
    import os
    import time

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
