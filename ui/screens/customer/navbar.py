"""The bottom bar every ordering screen shares: back, start over and the cart."""

from __future__ import annotations

from untact.shop.cart import won


def fill_navbar(screen, bar, back: bool = True, home: bool = False, cart: bool = False,
                access: bool = True) -> None:
    """Back, start over, the cart, and the accessibility settings (on every screen, so a
    customer can change the profile at any time)."""
    app = screen.app
    bar.clear_widgets()
    if back:
        bar.add_widget(screen.button("nav.back", variant="nav", payload=("back", None)))
    if access:
        bar.add_widget(screen.button("nav.access", variant="nav", payload=("access", None)))
    if home:
        bar.add_widget(screen.button("nav.home", variant="nav", payload=("home", None)))
    if cart:
        labels = {lang: screen_text(lang, app) for lang in app.kiosk.languages}
        bar.add_widget(screen.button(labels, variant="primary", payload=("cart", None),
                                     disabled=app.cart.count() == 0))


def screen_text(lang: str, app) -> str:
    from untact.ui.strings import t

    return t("nav.cart", lang, count=app.cart.count(), total=won(app.cart.total(), lang))
