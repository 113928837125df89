"""The kiosk application: screens, the customer's session, and intents to actions.

Intents arrive from the input bus on Kivy's main thread. The accessibility frame takes
its part first (speech, volume, speech mode, the session timer) and says what the screen
should do: move the focus, act on the focused or pointed-at widget, read it, or pass.
The app does that the same way whatever device spoke. Screens only describe themselves.
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
from untact.accessibility.hover import HoverGuard
from untact.accessibility.intents import Intent, Kind
from untact.accessibility.kivy_adapter import after_first_frame, attach_bus_to_kivy, on_ui_thread
from untact.accessibility.phrases import WidgetDescription
from untact.accessibility.profiles import PROFILES, Style
from untact.accessibility.speech import SpeechEngine
from untact.accessibility.speech_mode import Action
from untact.hardware.keyboard import intent_for_key
from untact.shop.cart import Cart, won
from untact.shop.checkout import CheckoutOutcome, CheckoutStatus
from untact.shop.menu import Kiosk
from untact.shop.orders import Order, OrderStore
from untact.shop.service import Shop
from untact.shop.staff_call import StaffCallEvent

from . import systemd_notify
from .kiosk_devices import KioskDevices
from .overlays import Overlay
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
from .strings import t
from .theme import tokens
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
    text_scale = NumericProperty(1.0)
    target_scale = NumericProperty(1.0)
    items_per_page = NumericProperty(8)
    linear_order = BooleanProperty(False)
    profile_name = StringProperty("standard")

    #: how long the order number stays before the kiosk is ready for the next customer
    DONE_SCREEN_S = 20.0

    def __init__(self, kiosk: Kiosk, store: OrderStore, bus: InputBus | None = None,
                 keyboard: bool = True, now: Callable[[], float] = time.monotonic,
                 engine: SpeechEngine | None = None, voice=None, shop: Shop | None = None,
                 devices: KioskDevices | None = None, **kw) -> None:
        """``voice``: a VoiceSession (hardware/voice/session.py) or None; the app only
        calls its handle/answer/screen_changed/session methods. ``devices``: what the app
        sees of its devices (ui/kiosk_devices.py), from the composition root (ui/composition.py)."""
        super().__init__(**kw)
        # The shop: live menu (sold out), payment, admin PIN, staff call, on these orders.
        self.shop = shop or Shop.open(kiosk.path, deliver=_on_main_thread, orders=store,
                                      kiosk=kiosk)
        self.kiosk = self.shop.menu.kiosk
        self.store = store
        self.staff_call = self.shop.staff_call  # the board's LED/buzzer subscribes here
        self._checkout = self.shop.checkout()
        self.admin_deadline: float | None = None  # admin mode closes itself when idle
        self.export_dir: Path | None = None  # CSV export folder; default under the data
        self._ready_sent = False
        self.bus = bus or InputBus()
        self.cart = Cart(kiosk)
        self.focus = FocusModel()
        self.lang = kiosk.languages[0]
        self.keyboard = keyboard
        self.now = now  # injected so the simulator can run a long customer in simulated time
        self.deadline: float | None = None  # when the current screen gives up waiting
        self.last_order: Order | None = None
        self.saving = False  # an order is being committed; its number is not shown yet
        self.order_listeners: list[Callable[[Order], None]] = []  # e.g. staff screen, recorder
        self.title = f"untact · {kiosk.shop_name[self.lang]}"
        self.devices = devices if devices is not None else KioskDevices()
        self.voice = voice if voice is not None else self.devices.voice
        self.devices.on_voice(self.attach_voice)  # voice input arrives after start-up
        if self.devices.staff_call_signal is not None:  # HELP lights and beeps the boards
            self.staff_call.subscribe(self.devices.staff_call_signal)
        # Hover-and-hold: a DWELL acts only on the widget the hold started on. Devices that
        # time holds themselves (the camera) restart their hold when the widget changes.
        self.hover_listeners = self.devices.hold_resets
        self.hover = HoverGuard(self._hit_test, reset_hold=self.devices.reset_hold)
        self._last_point = -1e9
        self.device_status = self.devices.status  # device -> why it is off (shown to staff)
        acc = kiosk.accessibility
        self.engine = engine or SpeechEngine(acc.speech)
        self.frame = AccessibilityFrame(
            kiosk.display, self.engine, clock=self.now, languages=kiosk.languages,
            timer_config=acc.session, default_profile=acc.profiles.default,
            base_font_px=acc.profiles.base_font_px, on_style=self._apply_style,
            on_session_end=self._session_ended, on_caption=on_ui_thread(self._caption),
            on_warning=self._warning)

    # -- construction -------------------------------------------------------------------
    def build(self):
        for kv in sorted(SCREENS_DIR.rglob("*.kv"), key=lambda p: (p.name != "style.kv", str(p))):
            Builder.unload_file(str(kv))  # a second app in one process (tests) must not
            Builder.load_file(str(kv))    # apply every rule twice
        # The kiosk's own area: the whole window on a kiosk, the left part in the simulator.
        root = self.area = FloatLayout()
        self.sm = ScreenManager(transition=NoTransition(), size_hint=(1, 1))
        for name, cls in SCREENS.items():
            self.sm.add_widget(cls(name=name))
        root.add_widget(self.sm)
        self.overlay = Overlay()
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
            self.staff_call.subscribe(on_ui_thread(self._staff_call_changed)),
        ]
        interval = systemd_notify.watchdog_interval_s()
        if interval is not None:
            self._clock_events.append(
                Clock.schedule_interval(lambda _dt: systemd_notify.notify_watchdog(), interval))
        attach_bus_to_kivy(self.bus)
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
        self.screen.poll()
        if self.cursor.point is not None and self.now() - self._last_point > 0.6:
            self.cursor.point = None  # the hand has gone
        if self.deadline is not None and self.now() >= self.deadline:
            self.deadline = None
            if self.sm.current == "done":
                self.end_session()
        if self.admin_deadline is not None and self.now() >= self.admin_deadline:
            self.exit_admin()
        elif self.admin_deadline is not None and self.staff_call.active \
                and not self.overlay.shown and self.sm.current != "admin_pin":
            waited = int(self.staff_call.waiting_s()) // 5  # the banner's wait, every 5 s
            if waited != getattr(self, "_staff_waited", None):
                self._staff_waited = waited
                self.rebuild(keep_focus=True)

    def _update_metrics(self) -> None:
        width = self.area.width if self.area.get_parent_window() else Window.width
        self.px_per_mm = width / self.kiosk.display.size_mm[0]
        self._place_screens()
        if getattr(self, "sm", None) and self.sm.current:
            self.rebuild(keep_focus=True)

    def _place_screens(self) -> None:
        """Keep every screen inside the profile's reachable band (low position)."""
        y_min, y_max = self.frame.style.reach_band_kivy
        height = self.kiosk.display.resolution[1]
        self.sm.size_hint_y = max(0.1, (y_max - y_min) / height)
        self.sm.pos_hint = {"x": 0, "y": y_min / height}

    def _apply_style(self, style: Style) -> None:
        """A profile was chosen: every screen follows, without screen code."""
        profile = PROFILES[style.profile]
        self.profile_name = style.profile
        self.theme = tokens(style.theme)
        self.text_scale = profile.text_scale
        self.target_scale = profile.target_scale
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
    def screen(self):
        return self.sm.current_screen

    def go(self, name: str, **params) -> None:
        screen = self.sm.get_screen(name)
        for k, v in params.items():
            setattr(screen, k, v)
        if hasattr(screen, "on_params") and (params or name in ("options", "checkout")):
            screen.on_params()
        self.sm.current = name
        self.deadline = self.now() + self.DONE_SCREEN_S if name == "done" else None
        if self.voice is not None:
            self.voice.session(name != "attract")
            self.voice.screen_changed(screen.orderable_by_voice(), self.lang)
        self.overlay.hide()
        self.rebuild()
        self.frame.screen_entered(screen.title(), screen.summary())
        self._announce_focus(queue=True)
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
        self._show_focus()

    def targets(self) -> list[KioskButton]:
        """The actionable widgets in reading order: the overlay's while it is up, else the
        screen's (screens add them top to bottom, left to right, so tree order is reading
        order even before layout)."""
        root = self.overlay if self.overlay.shown else self.screen
        return [w for w in root.walk(restrict=True) if isinstance(w, KioskButton)]

    def _show_focus(self) -> None:
        for w in self.targets():
            w.focused = w is self.focus.current
        self.ring.color = self.theme["focus"]
        scale = self.area.width / self.kiosk.display.resolution[0] if self.area.width > 1 else 1
        self.ring.thickness = max(2.0, self.frame.style.focus_ring_width_px * scale)
        self.ring.target = self.focus.current

    # -- intents --------------------------------------------------------------------------
    def handle(self, intent: Intent) -> None:
        """Every intent from every device lands here, on the main thread."""
        if self._shop_intent(intent):
            return
        action = self.frame.handle(intent)
        k = intent.kind
        if self.voice is not None:
            reply = self.voice.handle(intent)
            if reply is not None:
                self._voice_reply(reply)
                if reply.forward is None:
                    return
                intent = reply.forward
        if self.overlay.shown and k not in (Kind.POINT, Kind.PRESENCE, Kind.REPEAT, Kind.STOP_SPEECH,
                                            Kind.VOLUME_UP, Kind.VOLUME_DOWN, Kind.RATE_UP,
                                            Kind.RATE_DOWN, Kind.DWELL, Kind.SELECT, Kind.NEXT,
                                            Kind.PREVIOUS):
            self.close_overlay()
            return
        if action is Action.MODE_ON:
            screen = self.screen  # the customer cannot see: read where they are
            self.frame.screen_entered(screen.title(), screen.summary())
            self._announce_focus(queue=True)
        if action is Action.MOVE:
            self.focus.next() if k is Kind.NEXT else self.focus.previous()
            self._show_focus()
            self._announce_focus()
        elif action is Action.ACT and k is Kind.SELECT:
            if self.sm.current == "attract" and not self.overlay.shown:
                self.activate(self.focus.current or self.targets()[0])
            elif self.focus.current is not None:
                self.activate(self.focus.current)
        elif k in (Kind.POINT, Kind.DWELL):
            self._pointer(intent, act=action is Action.ACT)
        elif k is Kind.BACK:
            self.screen.on_back()
        elif k is Kind.HOME:
            self.go("attract" if self.sm.current in ("attract", "done") else "categories")
        elif k is Kind.HELP:
            self.show_help()
        elif k is Kind.PRESENCE:
            if intent.value and self.sm.current == "attract":
                self.go("language" if len(self.kiosk.languages) > 1 else "categories")
        elif k is Kind.VOICE:
            self._voice(intent)

    def _to_window(self, nx: float, ny: float) -> tuple[float, float]:
        a = self.area
        return a.x + nx * a.width, a.y + (1.0 - ny) * a.height

    def _hit_test(self, nx: float, ny: float) -> KioskButton | None:
        x, y = self._to_window(nx, ny)
        return next((w for w in self.targets() if w.enabled and _inside(w.focus_box, x, y)), None)

    def _pointer(self, intent: Intent, act: bool) -> None:
        """A hover cursor (camera, or a scripted pointer): focus follows it, a completed
        hold acts (or, in speech mode, only reads)."""
        self._last_point = self.now()
        self.cursor.point = self._to_window(intent.x, intent.y)
        chosen = self.hover.on_intent(intent)
        self.cursor.progress = self.hover.ring[1] if self.hover.ring else 0.0
        under = self._hit_test(intent.x, intent.y)
        if under is not None and under is not self.focus.current:
            self.focus.focus(under)
            self._show_focus()
            self._announce_focus()
        if act and chosen is not None:
            self.activate(chosen)

    def _voice(self, intent: Intent) -> None:
        """Spoken commands that name things; plain navigation arrives as plain intents."""
        simple = {"next": Kind.NEXT, "previous": Kind.PREVIOUS, "select": Kind.SELECT,
                  "back": Kind.BACK, "home": Kind.HOME, "help": Kind.HELP, "repeat": Kind.REPEAT,
                  "yes": Kind.SELECT, "no": Kind.BACK, "cancel": Kind.BACK}
        if intent.name in simple:
            self.handle(Intent(simple[intent.name], source=intent.source))
        elif intent.name in ("pay", "checkout"):
            if self.sm.current == "checkout" and self.focus.current is not None:
                self.activate(self.focus.current)  # "결제" again: pay the focused way
            elif self.cart.count():
                self.go("checkout")
        elif intent.name == "bigger":
            self.frame.set_profile("low_vision")
        elif intent.name == "order" and "item" in intent.slots and self.voice is None:
            # Without a dialogue (a scripted VOICE intent), the order goes straight in.
            self.add_to_cart(intent.slots["item"], dict(intent.slots.get("options", {})),
                             int(intent.slots.get("quantity", 1)))

    def _voice_reply(self, reply) -> None:
        """Do what the voice dialogue says: speak, add to the cart, ask yes or no."""
        if reply.say:
            self.frame.announce(reply.say, urgent=True)  # a voice customer hears the answer
        if reply.add_to_cart is not None:
            line = reply.add_to_cart
            self.overlay.hide()
            self.add_to_cart(line.item, dict(line.options), line.quantity)
        if reply.confirming:
            self.overlay.show_confirm(self, reply.say or "")
            self.rebuild_overlay()
        elif self.overlay.shown == "confirm":
            self.close_overlay()

    @property
    def camera_preview(self):
        """The camera, for the merchant's set-up preview: set_preview(bool), latest_preview()."""
        return self.devices.camera_preview

    def attach_voice(self, voice) -> None:
        """Voice input arrives after start-up (models load in the background); called by
        :meth:`KioskDevices.attach_voice`, on the main thread."""
        self.voice = voice
        if voice is not None and getattr(self, "sm", None) is not None and self.sm.current:
            voice.session(self.sm.current != "attract")
            voice.screen_changed(self.screen.orderable_by_voice(), self.lang)

    def answer_voice(self, yes: bool) -> None:
        """The on-screen answer to a spoken order's confirmation (any modality)."""
        if self.voice is not None:
            self._voice_reply(self.voice.answer(yes))

    def activate(self, widget: KioskButton) -> None:
        """Act on a widget: the one path for keypad, gesture, voice, touch and mouse."""
        if widget is None or not widget.enabled:
            return
        if widget in self.targets():
            self.focus.focus(widget)
            self._show_focus()
        if self.overlay.shown:
            self.overlay.on_activate(widget)
        else:
            self.screen.on_activate(widget)

    def nav_action(self, kind: str, screen) -> None:
        if kind == "back":
            screen.on_back()
        elif kind == "home":
            self.go("categories")
        elif kind == "cart":
            self.go("cart")
        elif kind == "access":
            self.go("access", return_to=screen.name)

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

    def place_order(self, payment: str | None = None) -> None:
        """Take the payment with the configured method, then commit the order, all off the
        main thread; show its number only once committed. ``payment`` is kept for callers
        of the old signature; the kiosk file's ``[payment]`` decides the method."""
        if self._checkout.busy:
            return
        lines, total, lang = self.cart.snapshot(), self.cart.total(), self.lang
        screen = self.sm.get_screen("checkout")
        screen.saving, screen.failed, screen.message = True, False, ""
        self.saving = True
        try:
            self._checkout.start(lines, total, lang, self._checkout_done)
        except (RuntimeError, ValueError):
            log.exception("checkout could not start")
            self.saving = screen.saving = False
            return
        self.rebuild()
        self.frame.announce(screen.summary())

    def cancel_payment(self) -> None:
        """The customer pressed cancel while the card terminal waits."""
        self._checkout.cancel()

    @property
    def card_payment(self) -> bool:
        return bool(self.shop.payment.settles_now)

    def _checkout_done(self, outcome: CheckoutOutcome) -> None:
        """The checkout's answer, on the main thread."""
        self.saving = False
        screen = self.sm.get_screen("checkout")
        screen.saving = False
        if outcome.status is CheckoutStatus.ORDERED:
            order = outcome.order
            self.last_order = order
            self.cart.clear()
            self.go("done", order=order)
            for listener in list(self.order_listeners):
                listener(order)
            return
        lang = self.lang
        if outcome.call_staff:
            log.error("checkout failed: %s", outcome.error)
            self.staff_call.raise_call("checkout_error")
        screen.failed = outcome.status is CheckoutStatus.ERROR
        screen.message = outcome.message(lang)
        if self.sm.current == "checkout":
            self.rebuild()
        self.frame.announce(screen.message, urgent=True)

    def end_session(self) -> None:
        """The customer is done or gone: nothing of theirs stays for the next one."""
        self.frame.end_session()  # profile, volume, rate, speech mode; calls _session_ended

    def _session_ended(self) -> None:
        if self.voice is not None:
            self.voice.session(False)
        self.cart.clear()
        self.lang = self.kiosk.languages[0]
        self.overlay.hide()
        if getattr(self, "sm", None) is not None:
            self.go("attract")

    # -- overlays: help, time-out warning, captions ---------------------------------------
    def show_help(self) -> None:
        self.overlay.show_help(self)
        self.frame.announce(t("help.text", self.lang), urgent=True)
        self.rebuild_overlay()

    def _warning(self, seconds_left: float) -> None:
        Clock.schedule_once(lambda _dt: self._show_warning(seconds_left), 0)

    def _show_warning(self, seconds_left: float) -> None:
        if self.sm.current == "attract":
            return
        self.overlay.show_warning(self, seconds_left)
        self.rebuild_overlay()

    def rebuild_overlay(self) -> None:
        self.focus.set_targets(self.targets(), ordered=True)
        self._show_focus()
        self._announce_focus(queue=True)

    def close_overlay(self) -> None:
        self.overlay.hide()
        self.rebuild(keep_focus=False)

    def _caption(self, text: str, lang: str) -> None:
        self.overlay.caption(self, text)

    def _announce_focus(self, queue: bool = False) -> None:
        w = self.focus.current
        if w is None:
            return
        targets = self.focus.targets
        states = ("selected",) if w.selected else ()
        value = {self.lang: w.spoken_value} if w.spoken_value else None
        desc = WidgetDescription(dict(w.labels) or {self.lang: w.text}, w.role, value, states,
                                 targets.index(w) + 1 if w in targets else None, len(targets))
        if queue:
            self.frame.announce(_describe(desc, self.lang))
        else:
            self.frame.focused(desc)

    # -- the merchant: admin mode, staff call, live menu -----------------------------------
    def _shop_intent(self, intent: Intent) -> bool:
        """The hidden admin entry and the staff call; True when the intent is used up."""
        if self.sm.current.startswith("admin"):
            self.admin_deadline = self.now() + self.shop.admin.idle_exit_s
            if intent.kind is Kind.HOME:
                self.exit_admin()
                return True
            return False
        if self.shop.on_intent(intent) == "admin":
            self.open_admin()
            return True
        return False

    def open_admin(self) -> None:
        """The PIN screen; the customer's session (cart, profile) ends first."""
        self.end_session()
        self.go("admin_pin")
        self.admin_deadline = self.now() + self.shop.admin.idle_exit_s

    def exit_admin(self) -> None:
        self.admin_deadline = None
        if self.sm.current.startswith("admin"):
            self.end_session()
            if self.sm.current != "attract":
                self.go("attract")

    def export_folder(self) -> tuple[Path, bool]:
        """Where the admin's CSV export goes, and whether it is the default folder (made
        when missing) rather than the configured one (a USB stick: missing is an error)."""
        if self.export_dir is not None:
            return self.export_dir, False
        configured = self.shop.admin.export_folder
        if configured:
            return self.kiosk.path.parent / Path(configured).expanduser(), False
        return Path(self.store.path).parent / "exports", True

    def _menu_changed(self, kiosk: Kiosk, _change) -> None:
        """Sold out, prices, names: the customer screens show the live menu at once."""
        self.kiosk = kiosk
        self.cart.kiosk = kiosk
        if getattr(self, "sm", None) is not None and self.sm.current:
            self.rebuild(keep_focus=True)

    def _staff_call_changed(self, event: StaffCallEvent) -> None:
        if self.sm.current.startswith("admin") and not self.overlay.shown:
            self.rebuild(keep_focus=True)
        elif event.active and not event.repeat:
            self.frame.announce(t("help.staff_called", self.lang))

    def on_stop(self) -> None:
        systemd_notify.notify_stopping()
        self._checkout.cancel()  # a card terminal waiting for a card stops waiting
        deadline = time.monotonic() + 10  # an order being committed is finished, not dropped
        while self._checkout.busy and time.monotonic() < deadline:
            time.sleep(0.02)
        for unsubscribe in getattr(self, "_shop_unsubscribe", []):
            unsubscribe()
        self.shop.pin_gate.close()
        for event in getattr(self, "_clock_events", []):
            event.cancel()
        if getattr(self, "_unsubscribe", None):
            self._unsubscribe()
        Window.unbind(on_key_down=self._on_key_down)
        self.frame.close()
        starter = getattr(self, "_engine_starter", None)
        if starter is not None and starter.ident is not None:  # started after the first frame
            starter.join(timeout=15)  # closing an engine that is still starting races it
        self.engine.close()
        if self.voice is not None:
            self.voice.close()


def _on_main_thread(fn: Callable[[], None]) -> None:
    Clock.schedule_once(lambda _dt: fn(), 0)


def _describe(desc: WidgetDescription, lang: str) -> str:
    from untact.accessibility.phrases import describe

    return describe(desc, lang)


def _inside(box, x, y) -> bool:
    bx, by, bw, bh = box
    return bx <= x <= bx + bw and by <= y <= by + bh
