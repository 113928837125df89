"""The one composition root: a kiosk file in, a running kiosk out, devices real or not.

``untact-kiosk`` (ui/cli.py), ``untact-sim`` (simulator/cli.py) and the scenario driver
(simulator/driver.py) all build their kiosk here, so they differ only in
:class:`Overrides`: which devices are real (as the kiosk file's ``[devices]`` says),
simulated (a given audio source, frame source, board ports, speech engine, clock,
payment method) or off. ``hardware/devices.py`` builds the devices; this module decides
which, wires them to the app through :class:`~untact.ui.kiosk_devices.KioskDevices`, and
starts them in the background after the first frame. It is the only ui module, with
ui/cli.py, that imports ``untact.hardware``.

Kivy must be configured (``kivy_setup.configure``) before a :class:`KioskComposition`
makes its app: Kivy modules are imported inside functions here for that reason.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from untact.accessibility.bus import InputBus
from untact.accessibility.kivy_adapter import on_ui_thread
from untact.accessibility.speech import SpeechEngine
from untact.shop.menu import Kiosk
from untact.shop.order_database import OrderDatabaseError
from untact.shop.order_feed import LocalOrderFeed
from untact.shop.orders import OrderStore
from untact.shop.payment import PaymentConfig, PaymentMethod

from .kiosk_devices import KioskDevices
from .ready_tones import READY_TONE, ReadyTones

if TYPE_CHECKING:
    from kivy.app import App
    from untact.hardware.camera.frame_sources import FrameSource
    from untact.hardware.printer.config import PrinterConfig
    from untact.hardware.printer.service import PrintService
    from untact.web.server import StaffWebServer

OFF: Literal["off"] = "off"


@dataclass(frozen=True)
class SimulatedVoice:
    """Voice input that hears ``source_factory``'s audio (None: the real microphone), with
    ``recognizers`` already loaded (None: as the kiosk file's ``[devices.voice]`` says)."""

    source_factory: Callable[[], Iterable[bytes]] | None = None
    recognizers: Mapping | None = None


@dataclass(frozen=True)
class Overrides:
    """What replaces the kiosk file's devices and services; each None means as configured.

    ``voice``: a :class:`SimulatedVoice` or ``OFF``; ``camera``: a frame source or
    ``OFF``; ``board_ports``: serial ports (virtual boards' pseudo-terminals) or ``OFF``,
    with ``board_scan_s`` to look for them more often; ``engine``: the speech engine;
    ``clock``: the app's monotonic clock (simulated time); ``payment``: makes the payment
    method from the file's ``[payment]`` (the simulator's, with its card terminal).
    ``start``: "after_first_frame" builds and starts devices in a background thread once
    the first frame is up (a kiosk is usable by touch meanwhile); "now" builds them in
    :class:`KioskComposition`'s constructor, for the caller to attach and wait on.
    """

    voice: SimulatedVoice | Literal["off"] | None = None
    camera: FrameSource | Literal["off"] | None = None
    board_ports: tuple[str, ...] | Literal["off"] | None = None
    board_scan_s: float | None = None
    engine: SpeechEngine | None = None
    clock: Callable[[], float] | None = None
    payment: Callable[[PaymentConfig], PaymentMethod] | None = None
    start: Literal["after_first_frame", "now"] = "after_first_frame"
    #: the receipt printer in place of the file's ``[printer]`` (the simulator's virtual one)
    printer: PrinterConfig | Literal["off"] | None = None


class KioskComposition:
    """The kiosk's parts, wired: input bus, shop, devices; :meth:`make_app` adds the app."""

    def __init__(self, kiosk: Kiosk, store: OrderStore, overrides: Overrides | None = None) -> None:
        from untact.hardware.devices import Devices
        from untact.shop.service import Shop

        overrides = overrides if overrides is not None else Overrides()
        self.kiosk, self.overrides = kiosk, overrides
        self.bus = InputBus()
        self.hardware = Devices()  # voice, camera, boards: built by hardware/devices.py
        self.devices = KioskDevices(self.hardware.status, self.hardware.signal_staff_call)
        self.shop = Shop.open(kiosk.path, deliver=lambda fn: on_ui_thread(fn)(), orders=store, kiosk=kiosk,
                              payment=overrides.payment)
        self.printer = self._start_printer(overrides.printer)
        self._builder: threading.Thread | None = None
        self.staff_web: StaffWebServer | None = None  # when the file has [staff_web]
        self.ready_tones: ReadyTones | None = None  # with it: boards sound for ready orders
        if overrides.start == "now":
            self.build_devices()
        if self.shop.sync is not None:  # one of a shop's kiosks: its heartbeat tells the devices
            self.shop.sync.report_devices(lambda: dict(self.devices.status))

    def _start_printer(self, override: PrinterConfig | Literal["off"] | None) -> PrintService | None:
        """The receipt printer, attached to the orders before any order is placed (each
        order queues its tickets in its own transaction); it prints from its own thread
        and its state is one line of the device status, for staff."""
        from untact.hardware.printer.service import PrintService

        if isinstance(override, str):  # OFF
            return None
        printer = PrintService.for_shop(self.shop, override)
        if printer is None:
            return None
        printer.subscribe(lambda st: self.devices.status.__setitem__("printer", st.summary()))
        self.devices.status["printer"] = printer.status.summary()
        printer.start()
        return printer

    def make_app(self, app_class=None, **extra):
        """The app (``app_class``: KioskApp, or the simulator's with its panel), given
        everything it uses; ``extra``: that class's own arguments."""
        from .app import KioskApp

        o = self.overrides
        clock = {"now": o.clock} if o.clock is not None else {}
        return (app_class or KioskApp)(self.shop, self.bus, self.devices, engine=o.engine,
                                       **clock, **extra)

    # -- devices --------------------------------------------------------------------------
    def build_devices(self) -> None:
        """Build the devices the overrides leave on (the recognizers, OpenCV and pyserial
        take a while to import: run off the first frame's path). Raises what they raise."""
        from untact.hardware.devices import build_boards, build_camera, build_voice

        o, section, hw = self.overrides, self.kiosk.section("devices"), self.hardware
        if o.voice != OFF:
            voice = o.voice or SimulatedVoice()
            hw.voice = build_voice(section, self.shop.menu, self.bus,
                                   self.kiosk.languages[0], source_factory=voice.source_factory,
                                   recognizers=voice.recognizers)
        if o.camera != OFF:
            hw.camera = build_camera(section, self.bus, source=o.camera)
        if o.board_ports != OFF:
            hw.boards = build_boards(section, self.bus, ports=o.board_ports,
                                     scan_s=o.board_scan_s)

    def attach_devices(self) -> None:
        """Start the devices and give the app the camera and voice (the driver's path:
        it calls this on Kivy's main thread and waits for them)."""
        self.hardware.start()
        self._give_to_app()

    def _give_to_app(self) -> None:
        """On Kivy's main thread: the app's camera preview and hold reset, and voice."""
        self.devices.use_camera(self.hardware.camera)
        self.devices.attach_voice(self.hardware.voice)

    def start_devices_after_first_frame(self) -> None:
        """Build and start the devices in a background thread once the first frame is
        drawn (the camera's tracking process is spawned there, not on Kivy's thread), then
        hand them to the app on the main thread; a device must never keep the kiosk from
        running."""
        from untact.accessibility.kivy_adapter import after_first_frame

        def build() -> None:
            self.start_staff_web()
            try:
                self.build_devices()
                self.hardware.start()
            except Exception as exc:
                self.hardware.status["devices"] = f"could not start: {exc}"
                return
            on_ui_thread(self._give_to_app)()

        self._builder = threading.Thread(target=build, name="devices", daemon=True)
        after_first_frame(self._builder.start)

    def start_staff_web(self) -> None:
        """The staff page and the ready board, in this process over this kiosk's shop,
        when the kiosk file has ``[staff_web]``, and the boards' tone for ready orders
        (started off the first frame's path: Starlette and uvicorn take a while to
        import). One that cannot start (the port taken) says why on the devices screen;
        the kiosk runs on."""
        if not self.kiosk.source.root().has("staff_web"):
            return
        from untact.web.server import StaffWebServer, shop_app, web_config

        try:
            config = web_config(self.shop)
            server = StaffWebServer(shop_app(self.shop, config, devices=lambda: self.devices.status),
                                    config.host, config.port).start()
            self.staff_web = server
            self.hardware.status["staff_web"] = "on"
        except Exception as exc:
            self.hardware.status["staff_web"] = f"could not start: {exc}"
            return

        def buzz() -> object:
            boards = self.hardware.boards
            return boards.buzz(*READY_TONE) if boards is not None else None

        self.ready_tones = ReadyTones(LocalOrderFeed(self.shop.orders), self.shop.orders.queue,
                                      buzz).start()

    def close(self) -> None:
        if self.shop.sync is not None:  # orders not yet forwarded stay in the outbox
            self.shop.sync.close()
        builder = self._builder
        if builder is not None and builder.ident is not None:
            builder.join(timeout=30)
        if self.ready_tones is not None:
            self.ready_tones.stop()
        if self.staff_web is not None:
            self.staff_web.stop()
        self.hardware.close()
        if self.printer is not None:
            self.printer.stop()


def run_kiosk(kiosk: Kiosk, data_dir: Path | None, fullscreen: bool, scale: float = 1.0,
              configure_app: Callable | None = None, overrides: Overrides | None = None,
              app_factory: Callable[[KioskComposition], App] | None = None,
              extra_width: int = 0, prog: str = "untact-kiosk") -> int:
    """Open the orders store and run the kiosk until it stops; 2 (and one line naming the
    file) when SQLite refuses the orders database. ``app_factory``: makes the app from
    the composition (the simulator's, with its panel, ``extra_width`` pixels wide beside
    the kiosk); ``configure_app(app)`` runs before the loop (benchmarks, recorder)."""
    from . import kivy_setup

    w, h = kiosk.display.resolution
    kivy_setup.configure(size=(int(w * scale) + extra_width, int(h * scale)),
                         fullscreen=fullscreen)
    folder = data_dir or kiosk.data_folder
    try:
        store = OrderStore(folder, fresh_if_damaged=kiosk.start_fresh_if_damaged)
    except OrderDatabaseError as exc:
        fresh = (f"; kept as it is: to set it aside and start a new one, set [shop] "
                 f"start_fresh_if_damaged = true in {kiosk.path}") if exc.damaged else ""
        print(f"{prog}: {exc}{fresh}", file=sys.stderr)
        return 2
    if store.notice:
        print(f"{prog}: {store.notice}", file=sys.stderr)
    composition = KioskComposition(kiosk, store, overrides)
    app = app_factory(composition) if app_factory else composition.make_app()
    composition.start_devices_after_first_frame()
    if configure_app:
        configure_app(app)
    try:
        app.run()
    finally:
        composition.close()
    return 0
