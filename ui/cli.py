"""``untact-kiosk``: run the kiosk on its screen, or check a kiosk file.

Exit status 2 for bad usage or a bad kiosk file, with one line naming file, line and field.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from untact.accessibility.config import ConfigError


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
    from untact.shop.menu_service import validate_kiosk

    path = args.check_config or args.config
    if not path:
        parser().error("give a kiosk file, or --check-config FILE")
    try:
        kiosk = validate_kiosk(path)  # the menu, [admin] and [payment]: all start-up checks
        # This is the kiosk's composition root: the device sections are checked here too.
        from untact.hardware.devices import validate as validate_devices

        validate_devices(kiosk.section("devices"))
    except ConfigError as exc:
        print(f"untact-kiosk: {exc}", file=sys.stderr)
        return 2
    if args.check_config:
        print(f"{path}: ok ({len(kiosk.items)} items in {len(kiosk.categories)} categories)")
        return 0
    return run_kiosk(kiosk, Path(args.data) if args.data else None, fullscreen=not args.window,
                     configure_app=exit_after_attract if args.exit_after_first_frame else None)


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


def run_kiosk(kiosk, data_dir: Path | None, fullscreen: bool, scale: float = 1.0,
              configure_app=None, app_class=None, voice_source=None, camera_source=None,
              board_ports=None) -> int:
    """Open the orders store and run the app (``app_class``: the simulator's, with its
    control panel; ``voice_source``: the simulator's microphone instead of the real one)."""
    from . import kivy_setup

    w, h = kiosk.display.resolution
    kivy_setup.configure(size=(int(w * scale), int(h * scale)), fullscreen=fullscreen)
    from untact.shop.orders import OrderStore

    from .app import KioskApp

    app_class = app_class or KioskApp
    from untact.accessibility.bus import InputBus
    from untact.hardware.devices import Devices

    bus = InputBus()
    section = kiosk.section("devices")
    devices = Devices()

    try:
        store = OrderStore(data_dir or kiosk.data_folder)
    except OSError as exc:
        print(f"untact-kiosk: cannot open the orders folder {data_dir or kiosk.data_folder}: {exc}",
              file=sys.stderr)
        return 2
    app = app_class(kiosk, store, bus=bus)
    app.device_status = devices.status
    app.devices = devices
    app.staff_call.subscribe(devices.signal_staff_call)  # HELP lights and beeps the boards

    def build_devices() -> None:
        """Off the first frame's path: the recognizers, OpenCV and pyserial take a while
        to import; the kiosk is usable by keyboard and touch meanwhile."""
        from untact.hardware.devices import build_boards, build_camera, build_voice

        try:
            devices.voice = build_voice(section, app.shop.menu, bus, kiosk.languages[0],
                                        source_factory=voice_source)
            devices.camera = build_camera(section, bus, source=camera_source)
            devices.boards = build_boards(section, bus, ports=board_ports)
        except Exception as exc:  # a device must never keep the kiosk from running
            devices.status["devices"] = f"could not start: {exc}"
            return
        from kivy.clock import Clock

        Clock.schedule_once(lambda _dt: attach(), 0)

    def attach() -> None:
        if devices.camera is not None:
            app.hover_listeners.append(devices.camera.reset_hold)
            app.camera_preview = devices.camera
        app.attach_voice(devices.voice)
        devices.start()

    import threading

    from untact.accessibility.kivy_adapter import after_first_frame

    builder = threading.Thread(target=build_devices, name="devices", daemon=True)
    after_first_frame(builder.start)
    if configure_app:
        configure_app(app)
    try:
        app.run()
    finally:
        if builder.ident is not None:
            builder.join(timeout=30)
        devices.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
