"""The app's side of :class:`~untact.ui.screens.context.ScreenContext`.

One small adapter, made by the app and handed to every screen and the overlay: it
forwards each member of the interface to the part that owns it (navigation to the app,
activation to the intent router, paying to the checkout flow, staff actions to staff
mode), and nothing more, so screens cannot grow new reaches into the app unnoticed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from untact.accessibility.intents import Intent
from untact.shop.cart import Cart
from untact.shop.menu import Kiosk
from untact.shop.staff_call import StaffCall

from .checkout_flow import CheckoutFlow
from .intent_router import IntentRouter
from .staff_mode import StaffMode
from .voice_bridge import VoiceBridge
from .widgets import KioskButton

if TYPE_CHECKING:
    from .app import KioskApp
    from .screens.base import KioskScreen
    from .screens.context import CameraPreview, StyleView


class AppScreenContext:
    def __init__(self, app: KioskApp, router: IntentRouter, checkout: CheckoutFlow,
                 staff: StaffMode, voice: VoiceBridge) -> None:
        self._app = app
        self._router = router
        self._checkout = checkout
        self._staff = staff
        self._voice = voice

    # -- what is shown ---------------------------------------------------------------------
    @property
    def lang(self) -> str:
        return self._app.lang

    @property
    def kiosk(self) -> Kiosk:
        return self._app.kiosk

    @property
    def cart(self) -> Cart:
        return self._app.cart

    @property
    def style(self) -> StyleView:
        return self._app  # its Kivy properties: theme, px_per_mm, text_scale, ...

    @property
    def device_status(self) -> Mapping[str, str]:
        return self._app.device_status  # written by the device threads: read it live

    @property
    def camera_preview(self) -> CameraPreview | None:
        return self._app.camera_preview

    @property
    def staff_call(self) -> StaffCall:
        return self._app.staff_call

    @property
    def current_screen(self) -> KioskScreen:
        return self._app.screen

    @property
    def area_width(self) -> float:
        return self._app.area.width

    # -- navigation and focus ----------------------------------------------------------------
    def go(self, name: str, **params: Any) -> None:
        self._app.go(name, **params)

    def rebuild(self, keep_focus: bool = False) -> None:
        self._app.rebuild(keep_focus=keep_focus)

    def activate(self, widget: KioskButton) -> None:
        self._router.activate(widget)

    def nav_action(self, kind: str, screen: KioskScreen) -> None:
        self._app.nav_action(kind, screen)

    def dim_screens(self, dimmed: bool) -> None:
        """The overlay is up (dimmed) or gone; before build there is nothing to dim."""
        sm = getattr(self._app, "sm", None)
        if sm is not None:
            sm.opacity = 0.15 if dimmed else 1

    # -- the customer's session --------------------------------------------------------------
    def announce(self, text: str, urgent: bool = False) -> None:
        self._app.frame.announce(text, urgent=urgent)

    def post(self, intent: Intent) -> None:
        self._app.bus.post(intent)

    def set_profile(self, name: str) -> None:
        self._app.set_profile(name)

    def set_language(self, lang: str) -> None:
        self._app.set_language(lang)

    def add_to_cart(self, item_id: str, choices: dict[str, str], quantity: int) -> None:
        self._app.add_to_cart(item_id, choices, quantity)

    def cart_changed(self) -> None:
        self._app.cart_changed()

    def end_session(self) -> None:
        self._app.end_session()

    def extend_session(self) -> None:
        self._app.frame.extend()

    def close_overlay(self) -> None:
        self._router.close_overlay()

    def answer_voice(self, yes: bool) -> None:
        self._voice.answer(yes)

    # -- paying and staff ----------------------------------------------------------------------
    @property
    def checkout(self) -> CheckoutFlow:
        return self._checkout

    @property
    def staff(self) -> StaffMode:
        return self._staff
