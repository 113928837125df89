"""``untact-sim``: the kiosk in a desktop window, by hand or by script.

    untact-sim examples/cafe.toml [--record session.toml]     by hand
    untact-sim run SCENARIO.toml... [--headless] [--out DIR]   by script

By hand, the keyboard is the kiosk's keypad: arrows move, Enter selects, Backspace goes
back, Home starts over, F1 help, R repeat. Exit status: 0 all passed, 1 a scenario failed,
2 bad usage or a bad file.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from untact.accessibility.config import ConfigError

from .window_layout import DEFAULT_SCALE, PANEL_WIDTH


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["run"]:
        return run_scenarios(argv[1:])
    return run_by_hand(argv)


def run_by_hand(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="untact-sim", description="Run the untact kiosk simulator.",
                                epilog="Scripted: untact-sim run SCENARIO.toml... --headless")
    p.add_argument("config", help="the kiosk file (TOML), e.g. examples/cafe.toml")
    p.add_argument("--data", metavar="DIR", help="orders folder (default: the file's data_folder)")
    p.add_argument("--scale", type=float, default=DEFAULT_SCALE,
                   help=f"window size relative to the kiosk screen (default {DEFAULT_SCALE})")
    p.add_argument("--record", metavar="FILE", help="save this session as a scenario file")
    p.add_argument("--mic", choices=("sim", "real"), default="sim",
                   help="voice input hears typed text / WAV files (sim) or the real microphone")
    p.add_argument("--boards", type=int, default=1, choices=range(0, 5), metavar="N",
                   help="virtual sensor boards running the real firmware (default 1; 0: none)")
    p.add_argument("--camera", metavar="SOURCE", default=None,
                   help="a webcam number, a video file, or 'demo' (a real hand photo moved "
                        "over a background, from $UNTACT_TESTDATA/hands)")
    p.add_argument("--printer", choices=("virtual", "file", "off"), default="virtual",
                   help="receipts on a virtual printer shown in the panel (default), on the "
                        "kiosk file's [printer], or none")
    p.add_argument("--exit-after-first-frame", action="store_true",
                   help="print the time of the attract screen's first frame and exit (benchmarks)")
    args = p.parse_args(argv)
    if not 0.1 <= args.scale <= 2:
        p.error("--scale must be between 0.1 and 2")
    from untact.ui.cli import check_kiosk_file, exit_after_attract
    from untact.ui.composition import Overrides, SimulatedVoice, run_kiosk

    from .card_terminal import payment_method

    try:
        kiosk = check_kiosk_file(args.config, real_payment=False)
    except ConfigError as exc:
        print(f"untact-sim: {exc}", file=sys.stderr)
        return 2

    def configure(app) -> None:
        if args.exit_after_first_frame:
            exit_after_attract(app)
        if args.record:
            from .recorder import Recorder

            rec = Recorder(args.record, Path(args.config), now=app.now)
            app.bus.subscribe(rec.on_intent)
            app.order_listeners.append(rec.on_order)

    microphone = None
    if args.mic == "sim":
        from .voice_sim import SimulatedMicrophone

        microphone = SimulatedMicrophone()
    try:
        camera = _camera_source(args.camera)
    except ValueError as exc:
        print(f"untact-sim: --camera: {exc}", file=sys.stderr)
        return 2
    from .virtual_boards import VirtualBoards

    boards = VirtualBoards(args.boards).start() if args.boards else None
    try:
        printer, printer_config = _printer(args.printer, kiosk)
    except ConfigError as exc:
        print(f"untact-sim: {exc}", file=sys.stderr)
        return 2

    def with_panel(composition):
        from .panel import simulator_app  # imports Kivy's window: only after configure

        return simulator_app(composition, microphone, boards, printer)

    overrides = Overrides(
        voice=SimulatedVoice(microphone.open) if microphone is not None else None,
        camera=camera, board_ports=boards.ports if boards else None, payment=payment_method,
        printer=printer_config)
    try:
        return run_kiosk(kiosk, Path(args.data) if args.data else None, fullscreen=False,
                         scale=args.scale, configure_app=configure, overrides=overrides,
                         app_factory=with_panel, extra_width=PANEL_WIDTH, prog="untact-sim")
    finally:
        if boards is not None:
            boards.stop()
        if printer is not None:
            printer.close()


def _printer(mode: str, kiosk):
    """(the virtual printer or None, the printer override): ``virtual`` prints to a
    virtual ESC/POS printer on a local TCP port, on the file's paper width; ``file`` uses
    the kiosk file's [printer]; ``off`` none. Each ticket is also logged."""
    from untact.hardware.printer.config import PrinterConfig, from_table

    if mode == "off":
        return None, "off"
    config = from_table(kiosk.section("printer"))  # ConfigError: said in one line
    if mode == "file":
        return None, None
    from .virtual_printer import VirtualPrinter

    printer = VirtualPrinter.tcp()
    printer.subscribe(lambda t: print(f"untact-sim: printed\n{t.render_text()}", flush=True))
    host, _, port = printer.address.rpartition(":")
    return printer, PrinterConfig(kind="network", host=host, port=int(port), tickets=config.tickets,
                                  paper=config.paper)


def _camera_source(spec: str | None):
    """The simulator's camera: None (the kiosk file decides), a webcam, a file, a demo clip
    (the panel switches it later: simulator/camera_switch.py)."""
    if spec is None:
        return None
    from .camera_switch import camera_feed

    return camera_feed(spec)


def run_scenarios(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="untact-sim run", description="Run scenario files.")
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario files (TOML)")
    p.add_argument("--headless", action="store_true", help="render offscreen, without a display")
    p.add_argument("--out", metavar="DIR", default="test-output/scenarios",
                   help="where screenshots of failed steps go (default test-output/scenarios)")
    args = p.parse_args(argv)
    if args.headless:
        os.environ.pop("DISPLAY", None)  # Kivy then renders offscreen (EGL)
        os.environ.pop("WAYLAND_DISPLAY", None)
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")  # keep stderr ours (see kivy_setup)
    from .runner import Runner
    from .scenario import load_scenario

    try:
        scenarios = [load_scenario(s) for s in args.scenarios]
    except ConfigError as exc:
        print(f"untact-sim: {exc}", file=sys.stderr)
        return 2
    for sc in scenarios:
        t0 = time.monotonic()
        try:
            result = Runner(sc, out_dir=Path(args.out)).run()
        except AssertionError as exc:  # a failed step (ScenarioFailed), or memory over a day
            print(f"FAIL {exc}", file=sys.stderr)
            return 1
        memory = f", memory {result.memory_growth:+.1%} first to last hour" \
            if result.memory_growth is not None else ""
        print(f"ok   {sc.path} ({result.steps_run} steps, {result.simulated_s:.0f} s simulated "
              f"in {time.monotonic() - t0:.1f} s, {len(result.orders)} orders{memory})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
