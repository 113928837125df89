"""Intents to actions: the one place that knows what NEXT, SELECT, a pointer or HELP does.

Every device's intent lands in :meth:`IntentRouter.handle` on the main thread. The
accessibility frame takes its part first (speech, volume, speech mode, the session
timer) and says what the screen should do: move the focus, act on the focused or
pointed-at widget, read it, or pass. The router does that the same way whatever device
spoke, shows the focus ring, says what is focused, and opens and closes the overlay.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from untact.accessibility.focus import FocusModel
from untact.accessibility.frame import AccessibilityFrame
from untact.accessibility.hover import HoverGuard
from untact.accessibility.intents import Intent, Kind
from untact.accessibility.phrases import WidgetDescription, describe
from untact.accessibility.speech_mode import Action

from .strings import t
from .widgets import KioskButton

if TYPE_CHECKING:
    from .app import KioskApp
    from .staff_mode import StaffMode
    from .voice_bridge import VoiceBridge

#: intents that leave the overlay up; any other closes it
_OVERLAY_KEEPS = (Kind.POINT, Kind.PRESENCE, Kind.REPEAT, Kind.STOP_SPEECH, Kind.VOLUME_UP,
                  Kind.VOLUME_DOWN, Kind.RATE_UP, Kind.RATE_DOWN, Kind.DWELL, Kind.SELECT,
                  Kind.NEXT, Kind.PREVIOUS)
#: spoken commands that are plain navigation
_SPOKEN_KINDS = {"next": Kind.NEXT, "previous": Kind.PREVIOUS, "select": Kind.SELECT,
                 "back": Kind.BACK, "home": Kind.HOME, "help": Kind.HELP, "repeat": Kind.REPEAT,
                 "yes": Kind.SELECT, "no": Kind.BACK, "cancel": Kind.BACK}
#: the hover cursor disappears when no pointer intent came for this long (the hand has gone)
_CURSOR_GONE_S = 0.6


class IntentRouter:
    def __init__(self, app: KioskApp, frame: AccessibilityFrame,
                 focus: FocusModel[KioskButton], staff: StaffMode, voice: VoiceBridge,
                 reset_hold: Callable[[], None] = lambda: None) -> None:
        self._app = app  # the screens, the overlay and navigation
        self._frame = frame
        self._focus = focus
        self._staff = staff
        self._voice = voice
        # Hover-and-hold: a DWELL acts only on the widget the hold started on. Devices that
        # time holds themselves (the camera) restart their hold when the widget changes.
        self.hover = HoverGuard(self._hit_test, reset_hold=reset_hold)
        self._last_point = -1e9

    # -- intents ----------------------------------------------------------------------------
    def handle(self, intent: Intent) -> None:
        """Every intent from every device lands here, on the main thread."""
        app = self._app
        if self._staff.on_intent(intent):
            return
        action = self._frame.handle(intent)
        k = intent.kind
        forwarded = self._voice.on_intent(intent)
        if forwarded is None:
            return
        intent = forwarded
        if app.overlay.shown and k not in _OVERLAY_KEEPS:
            self.close_overlay()
            return
        if action is Action.MODE_ON:
            screen = app.screen  # the customer cannot see: read where they are
            self._frame.screen_entered(screen.title(), screen.summary())
            self.announce_focus(queue=True)
        if action is Action.MOVE:
            self._focus.next() if k is Kind.NEXT else self._focus.previous()
            self.show_focus()
            self.announce_focus()
        elif action is Action.ACT and k is Kind.SELECT:
            if app.sm.current == "attract" and not app.overlay.shown:
                self.activate(self._focus.current or app.targets()[0])
            elif self._focus.current is not None:
                self.activate(self._focus.current)
        elif k in (Kind.POINT, Kind.DWELL):
            self._pointer(intent, act=action is Action.ACT)
        elif k is Kind.BACK:
            app.screen.on_back()
        elif k is Kind.HOME:
            app.go("attract" if app.sm.current in ("attract", "done") else "categories")
        elif k is Kind.HELP:
            self.show_help()
        elif k is Kind.PRESENCE:
            if intent.value and app.sm.current == "attract":
                app.go("language" if len(app.kiosk.languages) > 1 else "categories")
        elif k is Kind.VOICE:
            self._spoken(intent)

    def activate(self, widget: KioskButton | None) -> None:
        """Act on a widget: the one path for keypad, gesture, voice, touch and mouse."""
        if widget is None or not widget.enabled:
            return
        app = self._app
        if widget in app.targets():
            self._focus.focus(widget)
            self.show_focus()
        if app.overlay.shown:
            app.overlay.on_activate(widget)
        else:
            app.screen.on_activate(widget)

    def _spoken(self, intent: Intent) -> None:
        """Spoken commands that name things; plain navigation arrives as plain intents."""
        app = self._app
        if intent.name in _SPOKEN_KINDS:
            self.handle(Intent(_SPOKEN_KINDS[intent.name], source=intent.source))
        elif intent.name in ("pay", "checkout"):
            if app.sm.current == "checkout" and self._focus.current is not None:
                self.activate(self._focus.current)  # "결제" again: pay the focused way
            elif app.cart.count():
                app.go("checkout")
        elif intent.name == "bigger":
            self._frame.set_profile("low_vision")
        elif intent.name == "order" and "item" in intent.slots and self._voice.voice is None:
            # Without a dialogue (a scripted VOICE intent), the order goes straight in.
            app.add_to_cart(intent.slots["item"], dict(intent.slots.get("options", {})),
                            int(intent.slots.get("quantity", 1)))

    # -- the pointer ------------------------------------------------------------------------
    def _to_window(self, nx: float, ny: float) -> tuple[float, float]:
        a = self._app.area
        return a.x + nx * a.width, a.y + (1.0 - ny) * a.height

    def _hit_test(self, nx: float, ny: float) -> KioskButton | None:
        x, y = self._to_window(nx, ny)
        return next((w for w in self._app.targets() if w.enabled and _inside(w.focus_box, x, y)),
                    None)

    def _pointer(self, intent: Intent, act: bool) -> None:
        """A hover cursor (camera, or a scripted pointer): focus follows it, a completed
        hold acts (or, in speech mode, only reads)."""
        cursor = self._app.cursor
        self._last_point = self._app.now()
        cursor.point = self._to_window(*intent.xy)
        chosen = self.hover.on_intent(intent)
        cursor.progress = self.hover.ring[1] if self.hover.ring else 0.0
        under = self._hit_test(*intent.xy)
        if under is not None and under is not self._focus.current:
            self._focus.focus(under)
            self.show_focus()
            self.announce_focus()
        if act and chosen is not None:
            self.activate(chosen)

    def hide_idle_cursor(self) -> None:
        """The tick's part: no pointer for a while means the hand has gone."""
        cursor = self._app.cursor
        if cursor.point is not None and self._app.now() - self._last_point > _CURSOR_GONE_S:
            cursor.point = None

    # -- the focus, shown and said ----------------------------------------------------------
    def show_focus(self) -> None:
        app = self._app
        for w in app.targets():
            w.focused = w is self._focus.current
        app.ring.color = app.theme["focus"]
        scale = app.area.width / app.kiosk.display.resolution[0] if app.area.width > 1 else 1
        app.ring.thickness = max(2.0, self._frame.style.focus_ring_width_px * scale)
        app.ring.target = self._focus.current

    def announce_focus(self, queue: bool = False) -> None:
        w = self._focus.current
        if w is None:
            return
        lang = self._app.lang
        targets = self._focus.targets
        states = ("selected",) if w.selected else ()
        value = {lang: w.spoken_value} if w.spoken_value else None
        desc = WidgetDescription(dict(w.labels) or {lang: w.text}, w.role, value, states,
                                 targets.index(w) + 1 if w in targets else None, len(targets))
        if queue:
            self._frame.announce(describe(desc, lang))
        else:
            self._frame.focused(desc)

    # -- the overlay: help, time-out warning, spoken-order confirmation, captions -----------
    def show_help(self) -> None:
        self._app.overlay.show_help()
        self._frame.announce(t("help.text", self._app.lang), urgent=True)
        self.rebuild_overlay()

    def show_warning(self, seconds_left: float) -> None:
        if self._app.sm.current == "attract":
            return
        self._app.overlay.show_warning(seconds_left)
        self.rebuild_overlay()

    def rebuild_overlay(self) -> None:
        self._focus.set_targets(self._app.targets(), ordered=True)
        self.show_focus()
        self.announce_focus(queue=True)

    def close_overlay(self) -> None:
        self._app.overlay.hide()
        self._app.rebuild(keep_focus=False)


def _inside(box: tuple[float, float, float, float], x: float, y: float) -> bool:
    bx, by, bw, bh = box
    return bx <= x <= bx + bw and by <= y <= by + bh
