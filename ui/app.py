"""The kiosk application: the Kivy app, its screens, and the parts that run the kiosk.

The app owns the Kivy lifecycle (build, start, stop), the screen manager and navigation,
the profile's styles and metrics, and the tick; it wires the parts that each do one job:
the intent router (intents to focus moves and actions), the checkout flow, staff mode
and the voice bridge. Screens only describe themselves, and reach the kiosk through the
narrow ScreenContext (ui/screens/context.py) they are given when made.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Keyboard, Window
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager
from untact.accessibility.bus import InputBus
from untact.accessibility.focus import FocusModel
from untact.accessibility.frame import AccessibilityFrame
from untact.accessibility.heap import return_free_memory
from untact.accessibility.intents import Intent
from untact.accessibility.kivy_adapter import after_first_frame, attach_bus_to_kivy, on_ui_thread
from untact.accessibility.profiles import PROFILES, Style
from untact.accessibility.session_timer import TimerState
from untact.accessibility.speech import SpeechEngine
from untact.shop.cart import Cart, won
from untact.shop.menu import Kiosk
from untact.shop.orders import Order
from untact.shop.service import Shop

from . import systemd_notify
from .app_context import AppScreenContext
from .checkout_flow import CheckoutFlow
from .frame_sync import finish_frames_before_swap
from .intent_router import IntentRouter
from .keyboard import intent_for_key
from .kiosk_devices import KioskCamera, KioskDevices
from .overlays import Overlay
from .screens.base import KioskScreen
from .screens.context import ScreenContext
from .screens.customer.access import AccessScreen
from .screens.customer.attract import AttractScreen
from .screens.customer.cart import CartScreen
from .screens.customer.categories import CategoriesScreen
from .screens.customer.checkout import CheckoutScreen
from .screens.customer.done import DoneScreen
from .screens.customer.items import ItemsScreen
from .screens.customer.language import LanguageScreen
from .screens.customer.options import OptionsScreen
from .screens.staff.devices import AdminDevicesScreen
from .screens.staff.pages import AdminHomeScreen, AdminMenuScreen, AdminOrdersScreen, AdminQueueScreen
from .screens.staff.pin import AdminPinScreen
from .staff_mode import StaffMode
from .strings import t
from .theme import tokens
from .time_left import TimeLeft
from .voice_bridge import VoiceBridge, VoiceSessionLike
from .widgets import FocusRing, HoverCursor, KioskButton

log = logging.getLogger(__name__)
SCREENS_DIR = Path(__file__).parent / "screens"  # each screen's KV file beside its module
SCREENS = {
    "attract": AttractScreen, "language": LanguageScreen, "categories": CategoriesScreen,
    "items": ItemsScreen, "options": OptionsScreen, "cart": CartScreen,
    "checkout": CheckoutScreen, "done": DoneScreen, "access": AccessScreen,
    "admin_pin": AdminPinScreen, "admin": AdminHomeScreen, "admin_orders": AdminOrdersScreen,
    "admin_queue": AdminQueueScreen, "admin_menu": AdminMenuScreen,
    "admin_devices": AdminDevicesScreen,
}
_KEYNAMES = {code: name for name, code in Keyboard.keycodes.items()}


class KioskApp(App):
    lang = StringProperty("ko")
    theme = ObjectProperty(tokens(PROFILES["standard"].theme))
    px_per_mm = NumericProperty(2.0)
    text_scale = NumericProperty(1.0)  # the profile's x the display's type_scale
    target_scale = NumericProperty(1.0)
    type_scale = NumericProperty(1.0)  # design sizes to the display's physical minimum
    items_per_page = NumericProperty(8)
    linear_order = BooleanProperty(False)
    profile_name = StringProperty("standard")
    # Compact chrome, from the display (ui/screens/style.kv uses them; px): a small screen
    # cannot spend 8 mm on each edge and 24 mm on every bar.
    screen_padding = NumericProperty(0)  # round each screen's content
    screen_spacing = NumericProperty(0)  # between a screen's parts and between controls
    control_height = NumericProperty(0)  # a one-line control; rows grow with their text
    title_font = NumericProperty(0)  # the screens' titles
    two_columns = BooleanProperty(False)  # a short, wide screen: title and summary beside
    screen_height = NumericProperty(0)  # what the screens get of the reachable band

    #: how long the order number stays before the kiosk is ready for the next customer
    DONE_SCREEN_S = 20.0

    def __init__(self, shop: Shop, bus: InputBus, devices: KioskDevices, *,
                 keyboard: bool = True, now: Callable[[], float] = time.monotonic,
                 engine: SpeechEngine | None = None, **kw) -> None:
        """Made by the composition root (ui/composition.py): ``shop`` is the live menu,
        orders, payment, staff PIN and staff call; ``devices`` what the app sees of its
        devices (ui/kiosk_devices.py), voice input among them once it has started."""
        super().__init__(**kw)
        self.shop = shop
        self.kiosk = kiosk = shop.menu.kiosk
        self.staff_call = self.shop.staff_call  # the board's LED/buzzer subscribes here
        self._ready_sent = False
        self.bus = bus
        self.cart = Cart(kiosk)
        self.focus: FocusModel[KioskButton] = FocusModel()
        self.lang = kiosk.languages[0]
        self.keyboard = keyboard
        self.now = now  # injected so the simulator can run a long customer in simulated time
        self.deadline: float | None = None  # when the current screen gives up waiting
        self.title = f"untact · {kiosk.shop_name[self.lang]}"
        self.devices = devices
        self.device_status = self.devices.status  # device -> why it is off (shown to staff)
        if self.devices.staff_call_signal is not None:  # HELP lights and beeps the boards
            self.staff_call.subscribe(self.devices.staff_call_signal)
        acc = kiosk.accessibility
        self.engine = engine or SpeechEngine(acc.speech)
        self.frame = AccessibilityFrame(
            kiosk.display, self.engine, clock=self.now, languages=kiosk.languages,
            timer_config=acc.session, default_profile=acc.profiles.default,
            base_font_px=acc.profiles.base_font_px, on_style=self._apply_style,
            on_session_end=self._session_ended, on_caption=on_ui_thread(self._caption),
            on_warning=self._warning, location_guide=acc.location_guide)
        # The parts, each with one job; the screens see them through the context only.
        self.staff_mode = StaffMode(self, shop, shop.orders)
        self.checkout_flow = CheckoutFlow(self, self.shop, self.cart, self.frame)
        self.voice_bridge = VoiceBridge(self, self.frame, devices.voice)
        # Hover-and-hold: devices that time holds themselves (the camera) restart theirs
        # when the widget under the hand changes.
        self.router = IntentRouter(self, self.frame, self.focus, self.staff_mode,
                                   self.voice_bridge, reset_hold=devices.reset_hold)
        self.devices.on_voice(self.attach_voice)  # voice input arrives after start-up
        self.context: ScreenContext = AppScreenContext(
            self, self.router, self.checkout_flow, self.staff_mode, self.voice_bridge)

    # -- the parts' state, under the names the simulator and tests use --------------------
    @property
    def camera_preview(self) -> KioskCamera | None:
        """The camera, for the merchant's set-up preview: set_preview(bool), latest_preview()."""
        return self.devices.camera_preview

    @property
    def saving(self) -> bool:
        return self.checkout_flow.saving

    @property
    def order_listeners(self) -> list[Callable[[Order], None]]:
        return self.checkout_flow.order_listeners

    @property
    def admin_deadline(self) -> float | None:
        return self.staff_mode.deadline

    @admin_deadline.setter
    def admin_deadline(self, when: float | None) -> None:
        self.staff_mode.deadline = when

    # -- construction -------------------------------------------------------------------
    def build(self):
        for kv in sorted(SCREENS_DIR.rglob("*.kv"), key=lambda p: (p.name != "style.kv", str(p))):
            Builder.unload_file(str(kv))  # a second app in one process (tests) must not
            Builder.load_file(str(kv))    # apply every rule twice
        # The kiosk's own area: the whole window on a kiosk, the left part in the simulator.
        root = self.area = FloatLayout()
        self.sm = ScreenManager(transition=NoTransition(), size_hint=(1, 1))
        for name, cls in SCREENS.items():
            self.sm.add_widget(cls(self.context, name=name))
        root.add_widget(self.sm)
        self.time_left = TimeLeft()
        root.add_widget(self.time_left)
        self.overlay = Overlay(self.context)
        root.add_widget(self.overlay)
        self.ring = FocusRing()
        self.cursor = HoverCursor()
        root.add_widget(self.ring)
        root.add_widget(self.cursor)
        self._apply_style(self.frame.style)
        self._update_metrics()
        root.bind(size=lambda *_: self._update_metrics())
        self._clock_events = [
            Clock.schedule_interval(self.ring.follow, 0),  # the ring follows layout and resizes
            Clock.schedule_interval(lambda _dt: self.tick(), 0.25),
            Clock.schedule_once(lambda _dt: self.go("attract"), 0),
        ]
        self._unsubscribe = self.bus.subscribe(self.handle)
        self._shop_unsubscribe = [
            self.shop.menu.subscribe(on_ui_thread(self._menu_changed)),
            self.staff_call.subscribe(on_ui_thread(self.staff_mode.staff_call_changed)),
        ]
        interval = systemd_notify.watchdog_interval_s()
        if interval is not None:
            self._clock_events.append(
                Clock.schedule_interval(lambda _dt: systemd_notify.notify_watchdog(), interval))
        attach_bus_to_kivy(self.bus)
        self._unbind_frame_sync = finish_frames_before_swap(Window)
        if self.keyboard:
            Window.bind(on_key_down=self._on_key_down)
        return root

    def on_start(self) -> None:
        # The synthesis worker takes a few hundred ms to start: not on the first frame's path.
        self._engine_starter = threading.Thread(target=self._start_engine, name="speech-start",
                                                daemon=True)
        after_first_frame(self._engine_starter.start)

    def _start_engine(self) -> None:
        try:
            self.engine.start()
        except Exception:  # the kiosk works without speech; say why in the log
            log.exception("speech output is off")

    def tick(self) -> None:
        """Time-driven behaviour, checked against the injected clock (real or simulated)."""
        self.frame.tick()
        self._show_time_left()
        self.screen.poll()
        self.router.hide_idle_cursor()
        if self.deadline is not None and self.now() >= self.deadline:
            self.deadline = None
            if self.sm.current == "done":
                self.end_session()
        self.staff_mode.tick()

    def _update_metrics(self) -> None:
        width, height = (self.area.size if self.area.get_parent_window() else Window.size)
        # Pixels need not be square (the Pi's 7 in display): the larger of the two, so a
        # size in mm is at least that in both directions (text height is vertical).
        self.px_per_mm = max(width / self.kiosk.display.size_mm[0],
                             height / self.kiosk.display.size_mm[1])
        self._place_screens()
        if getattr(self, "sm", None) and self.sm.current:
            self.rebuild(keep_focus=True)

    def _chrome(self) -> None:
        """Paddings, gaps, the one-line control's height and the title's size for this
        display and profile: the 21.5 in screens keep the roomy design, the small ones
        (11 in or less) get the 2.5 mm the criteria ask between controls and no more.
        A screen less high than 0.7 of its width puts its title beside its content."""
        mm = self.px_per_mm
        small = self.kiosk.display.size_class() == "small"
        self.screen_padding = mm * (2.5 if small else 8)
        self.screen_spacing = mm * (2.5 if small else 4)  # MIN_SPACING_MM on a small screen
        # Text and padding of one line: grows with the profile like the text does, so the
        # low-vision profile's smallest control stays twice the standard's (검증기준 3-8).
        self.control_height = mm * 17 * self.target_scale
        # A title above body text, except where the profile's text is large already: there
        # a larger title only pushes the choices off the screen.
        large = self.text_scale >= 1.5 * self.type_scale
        self.title_font = mm * (10 if large else 11 if small else 13) * self.text_scale

    def _place_screens(self) -> None:
        """Keep every screen inside the reachable band (400 to 1,200 mm above the floor,
        in every profile), with the remaining time under it."""
        y_min, y_max = self.frame.style.reach_band_kivy
        height = self.kiosk.display.resolution[1]
        bar = self.time_left
        self._chrome()
        bar.font_size = self.px_per_mm * 10 * self.text_scale
        bar.color = self.theme["fg"]
        area = getattr(self, "area", None)
        bar.height = bar.font_size * 1.35 * self._time_left_lines(
            area.width if area is not None else self.kiosk.display.resolution[0])
        bar_share = bar.height / area.height if area is not None and area.height > 1 else 0.0
        bar.pos_hint = {"x": 0, "y": y_min / height}
        self.sm.size_hint_y = max(0.1, (y_max - y_min) / height - bar_share)
        self.sm.pos_hint = {"x": 0, "y": y_min / height + bar_share}
        band_px = (y_max - y_min) / height * (area.height if area is not None else height)
        self.screen_height = max(1.0, band_px - bar.height)
        width = area.width if area is not None else self.kiosk.display.resolution[0]
        self.two_columns = band_px < 0.7 * width
        self.items_per_page = self._items_that_fit(self.screen_height if area is not None else 0)

    def _time_left_lines(self, width_px: float) -> int:
        """Lines the remaining time takes at this width and size (two on a narrow screen
        in a large profile): the bar grows instead of clipping it."""
        from kivy.core.text import Label as CoreLabel

        core = CoreLabel(font_size=self.time_left.font_size, font_name=self.time_left.font_name)
        widest = max(core.get_extents(t("time_left", lang, time="10:00"))[0]
                     for lang in self.kiosk.languages)
        return 1 if widest <= width_px else 2

    def _items_that_fit(self, height_px: float) -> int:
        """The profile's items per page, fewer where their rows (two lines of text each,
        as items.kv lays them out) would not fit the screen's height: a short screen
        pages instead of squeezing text out of its buttons."""
        style = self.frame.style
        mm, ts, tg = self.px_per_mm, self.text_scale, self.target_scale
        line = 10 * ts * 1.2  # one line of body text, mm
        chrome = (2 * 8 + 4 * 5 + (13 * ts * 1.2 + 6) + (line + 4)  # padding, title, summary
                  + 20 * tg + 24 * tg)  # pager, navigation bar (items.kv)
        row = max(2 * line + 4, 20 * tg) + 5
        rows = max(1, int((height_px / mm - chrome) // row)) if mm > 0 else 1
        cols = 1 if style.linear_order or ts >= 1.5 * self.type_scale else 2
        return max(1, min(style.items_per_page, rows * cols))

    def _show_time_left(self) -> None:
        running = self.frame.timer.state in (TimerState.RUNNING, TimerState.WARNING)
        self.time_left.show(self.frame.timer.remaining if running else None, self.lang)

    def _apply_style(self, style: Style) -> None:
        """A profile was chosen: every screen follows, without screen code."""
        profile = PROFILES[style.profile]
        self.profile_name = style.profile
        self.theme = tokens(style.theme)
        # Design sizes are scaled to the display's physical minimum (Hangul 12 mm, or
        # 7.25 mm on a small screen), then by the profile: text and the targets holding it.
        self.type_scale = style.type_scale
        self.text_scale = profile.text_scale * style.type_scale
        self.target_scale = profile.target_scale * style.type_scale
        self.items_per_page = style.items_per_page
        self.linear_order = style.linear_order
        Window.clearcolor = self.theme["bg"]
        if getattr(self, "sm", None) is not None:
            self._place_screens()
            overlay = getattr(self, "overlay", None)
            for widget in overlay.walk(restrict=True) if overlay is not None else ():
                if isinstance(widget, KioskButton):
                    widget.recolour()
            if self.sm.current:
                self.rebuild(keep_focus=True)

    def _on_key_down(self, _window, key, _scancode, _codepoint, modifiers):
        name = _KEYNAMES.get(key)
        if name and name[-1:].isdigit() and name.removeprefix("numpad").isdigit() \
                and self.sm.current == "admin_pin":
            self.screen.type_digit(name[-1])  # the PIN from a keyboard, if one is attached
            return True
        intent = intent_for_key(name, shift="shift" in modifiers) if name else None
        if intent is None:
            return False
        self.bus.post(intent)
        return True

    # -- navigation -----------------------------------------------------------------------
    @property
    def screen(self) -> KioskScreen:
        return self.sm.current_screen

    def go(self, name: str, **params) -> None:
        screen = self.sm.get_screen(name)
        for k, v in params.items():
            setattr(screen, k, v)
        if hasattr(screen, "on_params") and (params or name in ("options", "checkout")):
            screen.on_params()
        self.sm.current = name
        self.deadline = self.now() + self.DONE_SCREEN_S if name == "done" else None
        self.voice_bridge.screen_changed(screen)
        self.overlay.hide()
        self._show_time_left()
        self.rebuild()
        self.frame.screen_entered(screen.title(), screen.summary())
        self.router.announce_focus(queue=True)
        if name == "attract" and not self._ready_sent:
            self._ready_sent = True
            systemd_notify.notify_ready("attract screen up")

    def rebuild(self, keep_focus: bool = False) -> None:
        """Re-create the current screen's content and focus targets after a change."""
        screen = self.screen
        old = self.focus.current if keep_focus else None
        old_payload = getattr(old, "payload", None)
        screen.refresh()
        targets = self.targets()
        keep = next((w for w in targets if old_payload is not None and w.payload == old_payload
                     and w.text == getattr(old, "text", None)), None) \
            or next((w for w in targets if old_payload is not None and w.payload == old_payload), None)
        self.focus.set_targets(targets, keep=keep, ordered=True)
        self.router.show_focus()

    def targets(self) -> list[KioskButton]:
        """The actionable widgets in reading order: the overlay's while it is up, else the
        screen's (screens add them top to bottom, left to right, so tree order is reading
        order even before layout)."""
        root = self.overlay if self.overlay.shown else self.screen
        return [w for w in root.walk(restrict=True) if isinstance(w, KioskButton)]

    def nav_action(self, kind: str, screen: KioskScreen) -> None:
        if kind == "back":
            screen.on_back()
        elif kind == "home":
            self.go("categories")
        elif kind == "cart":
            self.go("cart")
        elif kind == "access":
            self.go("access", return_to=screen.name)

    # -- intents, to the parts ------------------------------------------------------------
    def handle(self, intent: Intent) -> None:
        """Every intent from every device lands here, on the main thread."""
        self.router.handle(intent)

    def activate(self, widget: KioskButton | None) -> None:
        self.router.activate(widget)

    def attach_voice(self, voice: VoiceSessionLike | None) -> None:
        """Voice input arrives after start-up (models load in the background); called by
        :meth:`KioskDevices.attach_voice`, on the main thread."""
        built = getattr(self, "sm", None) is not None and self.sm.current
        self.voice_bridge.attach(voice, self.screen if built else None)

    def export_folder(self) -> tuple[Path, bool]:
        return self.staff_mode.export_folder()

    # -- the customer's session ---------------------------------------------------------
    def set_language(self, lang: str) -> None:
        if lang not in self.kiosk.languages:
            raise ValueError(lang)
        self.lang = lang
        self.frame.set_language(lang)

    def set_profile(self, name: str) -> None:
        self.frame.set_profile(name)

    def add_to_cart(self, item_id: str, choices: dict, quantity: int) -> None:
        item = self.kiosk.item(item_id)
        line = self.cart.add(item, choices, quantity)
        self.go("cart")
        self.frame.announce(t("cart.added", self.lang, name=line.describe(self.kiosk, self.lang),
                              qty=quantity, total=won(self.cart.total(), self.lang)))

    def cart_changed(self) -> None:
        self.frame.announce(t("cart.total", self.lang, total=won(self.cart.total(), self.lang)))

    def end_session(self) -> None:
        """The customer is done or gone: nothing of theirs stays for the next one."""
        self.frame.end_session()  # profile, volume, rate, speech mode; calls _session_ended

    def _session_ended(self) -> None:
        self.voice_bridge.session_ended()
        self.cart.clear()
        self.lang = self.kiosk.languages[0]
        self.overlay.hide()
        if getattr(self, "sm", None) is not None:
            self.go("attract")
        return_free_memory()  # the customer's screens are gone: their memory goes back

    def _warning(self, seconds_left: float) -> None:
        Clock.schedule_once(lambda _dt: self.router.show_warning(seconds_left), 0)

    def _caption(self, text: str, lang: str) -> None:
        self.overlay.caption(text)

    # -- the live menu ------------------------------------------------------------------
    def use_menu(self, kiosk: Kiosk) -> None:
        """The menu changed (sold out, prices, names): the cart prices from it from now on."""
        self.kiosk = kiosk
        self.cart.kiosk = kiosk

    def _menu_changed(self, kiosk: Kiosk, _change) -> None:
        """Sold out, prices, names: the customer screens show the live menu at once."""
        self.use_menu(kiosk)
        if getattr(self, "sm", None) is not None and self.sm.current:
            self.rebuild(keep_focus=True)

    def on_stop(self) -> None:
        systemd_notify.notify_stopping()
        self.checkout_flow.finish()
        for unsubscribe in getattr(self, "_shop_unsubscribe", []):
            unsubscribe()
        self.shop.pin_gate.close()
        for event in getattr(self, "_clock_events", []):
            event.cancel()
        if getattr(self, "_unsubscribe", None):
            self._unsubscribe()
        Window.unbind(on_key_down=self._on_key_down)
        getattr(self, "_unbind_frame_sync", lambda: None)()
        self.frame.close()
        starter = getattr(self, "_engine_starter", None)
        if starter is not None and starter.ident is not None:  # started after the first frame
            starter.join(timeout=15)  # closing an engine that is still starting races it
        self.engine.close()
        self.voice_bridge.close()
