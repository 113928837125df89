"""The bottom bar every ordering screen shares: back, start over and the cart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kivy.uix.widget import Widget
from untact.shop.cart import won

if TYPE_CHECKING:
    from ..base import KioskScreen
    from ..context import ScreenContext


def fill_navbar(screen: KioskScreen, bar: Widget, back: bool = True, home: bool = False, cart: bool = False,
                access: bool = True) -> None:
    """Back, start over, the cart, and the accessibility settings (on every screen, so a
    customer can change the profile at any time)."""
    ctx = screen.ctx
    bar.clear_widgets()
    if back:
        bar.add_widget(screen.button("nav.back", variant="nav", payload=("back", None)))
    if access:
        bar.add_widget(screen.button("nav.access", variant="nav", payload=("access", None)))
    if home:
        bar.add_widget(screen.button("nav.home", variant="nav", payload=("home", None)))
    if cart:
        labels = {lang: screen_text(lang, ctx) for lang in ctx.kiosk.languages}
        bar.add_widget(screen.button(labels, variant="primary", payload=("cart", None),
                                     disabled=ctx.cart.count() == 0))


def screen_text(lang: str, ctx: ScreenContext) -> str:
    from untact.ui.strings import t

    return t("nav.cart", lang, count=ctx.cart.count(), total=won(ctx.cart.total(), lang))
