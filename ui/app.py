"""The kiosk application: screens, the customer's session, and intents to actions.

Intents arrive from the input bus on Kivy's main thread. The app turns them into the
same few actions whatever device spoke: move focus, activate the focused (or pointed-at)
widget, go back, start over, ask for help. Screens only describe themselves.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Keyboard, Window
from kivy.lang import Builder
from kivy.properties import NumericProperty, ObjectProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.label import Label
from kivy.uix.screenmanager import NoTransition, ScreenManager
from untact.accessibility.bus import InputBus
from untact.accessibility.focus import FocusModel
from untact.accessibility.intents import Intent, Kind
from untact.accessibility.kivy_adapter import attach_bus_to_kivy
from untact.hardware.keyboard import intent_for_key

from .cart import Cart, won
from .menu import Kiosk
from .orders import Order, OrderStore
from .screens.attract import AttractScreen
from .screens.cart import CartScreen
from .screens.categories import CategoriesScreen
from .screens.checkout import CheckoutScreen
from .screens.done import DoneScreen
from .screens.items import ItemsScreen
from .screens.language import LanguageScreen
from .screens.options import OptionsScreen
from .strings import t
from .theme import STANDARD
from .widgets import FocusRing, HoverCursor, KioskButton

log = logging.getLogger(__name__)
KV_DIR = Path(__file__).parent / "kv"
SCREENS = {
    "attract": AttractScreen, "language": LanguageScreen, "categories": CategoriesScreen,
    "items": ItemsScreen, "options": OptionsScreen, "cart": CartScreen,
    "checkout": CheckoutScreen, "done": DoneScreen,
}
_KEYNAMES = {code: name for name, code in Keyboard.keycodes.items()}


class KioskApp(App):
    lang = StringProperty("ko")
    theme = ObjectProperty(STANDARD)
    px_per_mm = NumericProperty(2.0)
    text_scale = NumericProperty(1.0)
    target_scale = NumericProperty(1.0)
    items_per_page = NumericProperty(6)
    status = StringProperty("")  # one line for developers: current screen and focus

    #: how long the order number stays before the kiosk is ready for the next customer
    DONE_SCREEN_S = 20.0

    def __init__(self, kiosk: Kiosk, store: OrderStore, bus: InputBus | None = None,
                 keyboard: bool = True, now: Callable[[], float] = time.monotonic, **kw) -> None:
        super().__init__(**kw)
        self.kiosk = kiosk
        self.store = store
        self.bus = bus or InputBus()
        self.cart = Cart(kiosk)
        self.focus = FocusModel()
        self.lang = kiosk.languages[0]
        self.keyboard = keyboard
        self.now = now  # injected so the simulator can run a long customer in simulated time
        self.deadline: float | None = None  # when the current screen gives up waiting
        self.transcript: list[tuple[str, str]] = []  # (lang, text) of everything announced
        self.speaker: Callable[[str, str, bool], None] | None = None
        self.last_order: Order | None = None
        self.saving = False  # an order is being committed; its number is not shown yet
        self.help_shown = False
        self.order_listeners: list[Callable[[Order], None]] = []  # e.g. staff screen, recorder
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="orders")
        self._pending_rebuild = False
        self.title = f"untact · {kiosk.shop_name[self.lang]}"

    # -- construction -------------------------------------------------------------------
    def build(self):
        for kv in sorted(KV_DIR.glob("*.kv"), key=lambda p: (p.name != "style.kv", p.name)):
            Builder.unload_file(str(kv))  # a second app in one process (tests) must not
            Builder.load_file(str(kv))    # apply every rule twice
        Window.clearcolor = self.theme["bg"]
        # The kiosk's own area: the whole window on a kiosk, the left part in the simulator.
        root = self.area = FloatLayout()
        self._update_metrics()
        root.bind(size=lambda *_: self._update_metrics())
        self.sm = ScreenManager(transition=NoTransition())
        for name, cls in SCREENS.items():
            self.sm.add_widget(cls(name=name))
        root.add_widget(self.sm)
        self.help_label = Label(opacity=0, size_hint=(0.9, 0.5), pos_hint={"center_x": 0.5, "center_y": 0.5})
        root.add_widget(self.help_label)
        self.ring = FocusRing()
        self.cursor = HoverCursor()
        root.add_widget(self.ring)
        root.add_widget(self.cursor)
        self._clock_events = [
            Clock.schedule_interval(self.ring.follow, 0),  # the ring follows layout and resizes
            Clock.schedule_interval(lambda _dt: self.tick(), 0.25),
            Clock.schedule_once(lambda _dt: self.go("attract"), 0),
        ]
        self._unsubscribe = self.bus.subscribe(self.handle)
        attach_bus_to_kivy(self.bus)
        if self.keyboard:
            Window.bind(on_key_down=self._on_key_down)
        return root

    def tick(self) -> None:
        """Time-driven behaviour, checked against the injected clock (real or simulated)."""
        if self.deadline is not None and self.now() >= self.deadline:
            self.deadline = None
            if self.sm.current == "done":
                self.end_session()

    def _update_metrics(self) -> None:
        width = self.area.width if self.area.get_parent_window() else Window.width
        self.px_per_mm = width / self.kiosk.display.size_mm[0]
        if getattr(self, "sm", None):
            self.rebuild(keep_focus=True)

    def _on_key_down(self, _window, key, _scancode, _codepoint, modifiers):
        name = _KEYNAMES.get(key)
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
        self.hide_help()
        self.rebuild()
        self.announce(sentences(screen.title(), screen.summary(), t("nav.how", self.lang)), interrupt=True)
        self._announce_focus()

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
        self.status = f"{self.sm.current}"

    def targets(self) -> list[KioskButton]:
        """The screen's actionable widgets in reading order: screens add them top to
        bottom, left to right, so tree order is reading order even before layout."""
        return [w for w in self.screen.walk(restrict=True) if isinstance(w, KioskButton)]

    def _show_focus(self) -> None:
        for w in self.targets():
            w.focused = w is self.focus.current
        self.ring.color = self.theme["focus"]
        self.ring.thickness = max(2.0, self.px_per_mm * 1.0 * self.target_scale)
        self.ring.target = self.focus.current

    # -- intents --------------------------------------------------------------------------
    def handle(self, intent: Intent) -> None:
        """Every intent from every device lands here, on the main thread."""
        k = intent.kind
        if self.help_shown and k not in (Kind.POINT, Kind.PRESENCE, Kind.REPEAT):
            self.hide_help()
            return
        if k is Kind.NEXT:
            self.focus.next()
            self._show_focus()
            self._announce_focus()
        elif k is Kind.PREVIOUS:
            self.focus.previous()
            self._show_focus()
            self._announce_focus()
        elif k is Kind.SELECT:
            if self.sm.current == "attract":
                self.activate(self.focus.current or self.targets()[0])
            elif self.focus.current is not None:
                self.activate(self.focus.current)
        elif k is Kind.BACK:
            self.screen.on_back()
        elif k is Kind.HOME:
            self.go("attract" if self.sm.current in ("attract", "done") else "categories")
        elif k is Kind.HELP:
            self.show_help()
        elif k is Kind.REPEAT:
            if self.transcript:
                self.announce(self.transcript[-1][1], interrupt=True)
        elif k is Kind.PRESENCE:
            if intent.value and self.sm.current == "attract":
                self.go("language" if len(self.kiosk.languages) > 1 else "categories")
        elif k in (Kind.POINT, Kind.DWELL):
            self._pointer(intent)
        elif k is Kind.VOICE:
            self._voice(intent)

    def _pointer(self, intent: Intent) -> None:
        a = self.area
        x, y = a.x + intent.x * a.width, a.y + (1.0 - intent.y) * a.height
        self.cursor.point = (x, y)
        self.cursor.progress = float(intent.value or 0.0) if intent.kind is Kind.POINT else 0.0
        under = next((w for w in self.targets() if w.enabled and _inside(w.focus_box, x, y)), None)
        if under is not None and under is not self.focus.current:
            self.focus.focus(under)
            self._show_focus()
            self._announce_focus()
        if intent.kind is Kind.DWELL and under is not None:
            self.activate(under)

    def _voice(self, intent: Intent) -> None:
        simple = {"next": Kind.NEXT, "previous": Kind.PREVIOUS, "select": Kind.SELECT,
                  "back": Kind.BACK, "home": Kind.HOME, "help": Kind.HELP, "repeat": Kind.REPEAT}
        if intent.name in simple:
            self.handle(Intent(simple[intent.name], source=intent.source))
        elif intent.name == "checkout" and self.cart.count():
            self.go("checkout")
        elif intent.name == "order" and "item" in intent.slots:
            self.add_to_cart(intent.slots["item"], dict(intent.slots.get("options", {})),
                             int(intent.slots.get("quantity", 1)))

    def activate(self, widget: KioskButton) -> None:
        """Act on a widget: the one path for keypad, gesture, voice, touch and mouse."""
        if widget is None or not widget.enabled:
            return
        if widget in self.targets():
            self.focus.focus(widget)
            self._show_focus()
        self.screen.on_activate(widget)

    def nav_action(self, kind: str, screen) -> None:
        if kind == "back":
            screen.on_back()
        elif kind == "home":
            self.go("categories")
        elif kind == "cart":
            self.go("cart")

    # -- the customer's session ---------------------------------------------------------
    def set_language(self, lang: str) -> None:
        if lang not in self.kiosk.languages:
            raise ValueError(lang)
        self.lang = lang

    def add_to_cart(self, item_id: str, choices: dict, quantity: int) -> None:
        item = self.kiosk.item(item_id)
        line = self.cart.add(item, choices, quantity)
        self.announce(f"{line.describe(self.kiosk, self.lang)} {quantity}. "
                      f"{t('cart.total', self.lang, total=won(self.cart.total(), self.lang))}")
        self.go("cart")

    def cart_changed(self) -> None:
        self.announce(t("cart.total", self.lang, total=won(self.cart.total(), self.lang)))

    def place_order(self, payment: str) -> None:
        """Commit the order off the main thread; show its number only once committed."""
        lines, total, lang = self.cart.snapshot(), self.cart.total(), self.lang
        self.rebuild()
        self.announce(t("checkout.saving", lang))
        future = self._writer.submit(self.store.place, lines, total, lang, payment)
        self.saving = True

        def finished(_dt) -> None:
            self.saving = False
            checkout = self.sm.get_screen("checkout")
            checkout.saving = False
            try:
                order = future.result()
            except Exception:
                log.exception("order could not be stored")
                checkout.failed = True
                if self.sm.current == "checkout":
                    self.rebuild()
                self.announce(t("checkout.failed", lang), interrupt=True)
                return
            self.last_order = order
            self.cart.clear()
            self.go("done", order=order)
            for listener in list(self.order_listeners):
                listener(order)

        future.add_done_callback(lambda _f: Clock.schedule_once(finished, 0))

    def end_session(self) -> None:
        """The customer is done or gone: nothing of theirs stays for the next one."""
        self.cart.clear()
        self.lang = self.kiosk.languages[0]
        self.go("attract")

    # -- help and speech ----------------------------------------------------------------
    def show_help(self) -> None:
        self.help_shown = True
        self.help_label.text = f"{t('help.title', self.lang)}\n\n{t('help.text', self.lang)}"
        self.help_label.color = self.theme["fg"]
        self.help_label.font_size = self.px_per_mm * 8 * self.text_scale
        self.help_label.text_size = (self.area.width * 0.85, None)
        self.help_label.halign = "center"
        self.help_label.opacity = 1
        self.sm.opacity = 0.08
        self.announce(t("help.text", self.lang), interrupt=True)

    def hide_help(self) -> None:
        if self.help_shown:
            self.help_shown = False
            self.help_label.opacity = 0
            self.sm.opacity = 1

    def _announce_focus(self) -> None:
        w = self.focus.current
        if w is None:
            return
        parts = [w.accessible_name(self.lang)]
        if w.spoken_value:
            parts.append(w.spoken_value)
        if w.selected:
            parts.append(t("state.selected", self.lang))
        parts.append(t("role.button", self.lang))
        self.announce(", ".join(parts), interrupt=True)

    def announce(self, text: str, interrupt: bool = False) -> None:
        """Say ``text`` (and keep it in the transcript, which REPEAT and tests read)."""
        self.transcript.append((self.lang, text))
        if len(self.transcript) > 500:
            del self.transcript[:100]
        if self.speaker is not None:
            self.speaker(text, self.lang, interrupt)

    def on_stop(self) -> None:
        self._writer.shutdown(wait=True)  # an order being committed is finished, not dropped
        for event in getattr(self, "_clock_events", []):
            event.cancel()
        if getattr(self, "_unsubscribe", None):
            self._unsubscribe()
        Window.unbind(on_key_down=self._on_key_down)


def sentences(*parts: str) -> str:
    """Join phrases into one utterance, with exactly one full stop between them."""
    return " ".join(p.strip().rstrip(".") + "." for p in parts if p and p.strip())


def _inside(box, x, y) -> bool:
    bx, by, bw, bh = box
    return bx <= x <= bx + bw and by <= y <= by + bh
