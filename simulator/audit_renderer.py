"""The audit's renderer for the real kiosk: every screen of the ordering flow, in every
profile, rendered offscreen at the kiosk's full resolution and described widget by widget
with the colours, sizes and positions the app actually used.

``make audit`` runs ``untact-audit --renderer untact.simulator.audit_renderer:render_all``.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

from untact.accessibility.audit.model import ScreenInfo, WidgetInfo
from untact.accessibility.display import kivy_to_top_left
from untact.accessibility.intents import Kind
from untact.accessibility.profiles import PROFILES
from untact.accessibility.session_timer import TimerState

FLOW = ("attract", "language", "categories", "items", "options", "cart", "checkout", "done", "access",
        "admin_pin", "admin", "admin_orders", "admin_queue", "admin_menu",
        "admin_devices")


def render_all(config_path: str, out_dir: str) -> list[ScreenInfo]:
    os.environ.pop("DISPLAY", None)
    from .driver import KioskDriver

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    screens: list[ScreenInfo] = []
    with tempfile.TemporaryDirectory(prefix="untact-audit-") as data:
        kiosk = KioskDriver(config_path, data_dir=data, scale=1.0).start()
        try:
            for profile in PROFILES:
                for name in FLOW:
                    _visit(kiosk, name, profile)
                    shot = kiosk.screenshot(out / f"{name}@{profile}.png")
                    screens.append(describe(kiosk, name, profile, shot))
        finally:
            kiosk.stop()
    return screens


def _visit(k, name: str, profile: str) -> None:
    """Bring the kiosk to screen ``name`` in ``profile`` the way a customer would."""
    app = k.app
    if name == "attract":
        app.end_session()
        k.pump(2)
        # The numbers of orders waiting (placed by earlier profiles' "done") are read by a
        # thread: render them shown, every time, not as the race decides.
        attract = app.sm.get_screen("attract")
        k.wait_until(lambda: attract._ready is not None and attract._ready.latest is not None,
                     what="the attract screen's ready numbers")
        attract.poll()
    app.set_profile(profile)
    if name not in ("attract", "done") and not name.startswith("admin"):
        app.frame.start_session()  # a customer's session: its time limit runs
    first_category = app.kiosk.categories[0]
    first_item = app.kiosk.items_in(first_category.id)[0]
    if name == "language":
        app.go("language")
    elif name == "categories":
        app.go("categories")
    elif name == "items":
        app.go("items", category=first_category.id, page=0)
    elif name == "options":
        app.go("options", item=first_item.id)
    elif name == "cart":
        if not app.cart.count():
            app.cart.add(first_item, {}, 1)
        app.go("cart")
    elif name == "checkout":
        app.go("checkout")
    elif name == "done":
        k.send(Kind.SELECT)  # pay at the counter: a real order, committed
        k.wait_until(lambda: k.screen == "done")
    elif name == "access":
        app.go("access", return_to="attract")
    elif name.startswith("admin"):
        app.go(name)  # the merchant's screens, shown as staff would see them
    k.pump(3)


def _titles(app) -> dict[str, str]:
    """The screen's title in every language the shop offers."""
    current, titles = app.lang, {}
    for lang in app.kiosk.languages:
        app.lang = lang
        titles[lang] = app.screen.title()
    app.lang = current
    return titles


HANGUL_PROBE = "갈"  # a plain syllable with 받침: the height the criteria measure
LATIN_PROBE = "H"


@functools.lru_cache(maxsize=512)
def ink_height_px(text: str, font_name: str, font_size: float, bold: bool) -> float:
    """Rows of ``text`` that carry ink, rendered by Kivy in this font and size: the
    glyph's real height, whatever the font's metrics claim."""
    from kivy.core.text import Label as CoreLabel

    label = CoreLabel(text=text, font_name=font_name, font_size=font_size, bold=bold)
    label.refresh()
    tex = label.texture
    w, h, data = tex.width, tex.height, tex.pixels  # RGBA rows
    inked = [y for y in range(h) if any(data[(y * w + x) * 4 + 3] > 127 for x in range(w))]
    return float(inked[-1] - inked[0] + 1) if inked else 0.0


def text_box(w, window_height: float) -> tuple[float, float, float, float]:
    """Where a Label draws its text, top-left origin: Kivy centres the texture on the
    widget, and the texture holds the label's padding around the lines."""
    tw, th = w.texture_size
    left, top, right, bottom = w.padding
    x, y = w.to_window(w.center_x - tw / 2 + left, w.center_y - th / 2 + bottom)
    return kivy_to_top_left(x, y, max(0, tw - left - right), max(0, th - top - bottom),
                            window_height)


def describe(k, name: str, profile: str, shot: Path) -> ScreenInfo:
    from kivy.core.window import Window
    from kivy.uix.label import Label
    from untact.ui.widgets import KioskButton

    app = k.app
    height = Window.height
    widgets: list[WidgetInfo] = []
    focusable = set(map(id, app.focus.targets))
    ring = app.ring
    shown = [*app.screen.walk(restrict=True), app.time_left]
    for w in shown:
        if not isinstance(w, Label) or not w.text.strip() or w.opacity == 0 or w.width < 1:
            continue
        x, y = w.to_window(*w.pos)
        box = kivy_to_top_left(x, y, w.width, w.height, height)
        w.texture_update()
        font = (str(w.font_name), float(w.font_size), bool(w.bold))
        hangul, cap = ink_height_px(HANGUL_PROBE, *font), ink_height_px(LATIN_PROBE, *font)
        drawn = text_box(w, height)
        if isinstance(w, KioskButton):
            widgets.append(WidgetInfo(
                id=f"{name}.{len(widgets)}", screen=name, role=w.role, labels=dict(w.labels),
                actionable=not w.disabled, bbox=box, text=w.text, font_size_px=float(w.font_size),
                bold=bool(w.bold), fg=tuple(w.fg_colour), bg=tuple(w.bg_colour),
                focus_ring=tuple(app.theme["focus"]), focus_ring_width_px=float(ring.thickness),
                in_focus_order=id(w) in focusable, hangul_height_px=hangul, cap_height_px=cap,
                text_bbox=drawn))
        else:
            widgets.append(WidgetInfo(
                id=f"{name}.{len(widgets)}", screen=name, role=getattr(w, "role", "text"),
                bbox=box, text=w.text,
                font_size_px=float(w.font_size), bold=bool(w.bold), fg=tuple(w.color),
                bg=tuple(app.theme["bg"]), hangul_height_px=hangul, cap_height_px=cap,
                text_bbox=drawn))
    style = app.frame.style
    timer = app.kiosk.accessibility.session
    if app.frame.timer.state in (TimerState.RUNNING, TimerState.WARNING):
        # The session runs on this screen: timed (warns, extends) unless the merchant
        # chose no time limit.
        widgets.append(WidgetInfo(id=f"{name}.session_timer", screen=name, role="timer",
                                  timed=timer.time_limit, extendable=True,
                                  extensions=timer.max_extensions, warning_s=style.warning_s))
    return ScreenInfo(name=name, profile=profile, window_px=(Window.width, Window.height),
                      display=app.kiosk.display, languages=app.kiosk.languages,
                      background=tuple(app.theme["bg"]),
                      title=_titles(app),
                      screenshot=str(shot), widgets=widgets)
