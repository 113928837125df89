"""What every kiosk screen is: a title, a one-line summary, actionable widgets, and BACK.

Screens never see intents or devices. The app moves focus and activates widgets; a
screen only says what is on it (``refresh``) and what its buttons do (``on_activate``).
What a screen may ask of the kiosk is its ``ctx`` (a ScreenContext), given when it is made.
"""

from __future__ import annotations

from kivy.uix.screenmanager import Screen

from ..strings import t
from ..widgets import KioskButton
from .context import ScreenContext


class KioskScreen(Screen):
    #: where BACK goes; None means the screen handles BACK itself or ignores it
    back_to: str | None = None

    def __init__(self, ctx: ScreenContext, **kw) -> None:
        super().__init__(**kw)
        self.ctx: ScreenContext = ctx

    def t(self, key: str, **fmt: object) -> str:
        return t(key, self.ctx.lang, **fmt)

    def button(self, key_or_labels: str | dict, variant: str = "normal", payload=None,
               spoken_value: str = "", **kw) -> KioskButton:
        """A KioskButton labelled in every language from a string key or a {lang: text} dict."""
        langs = self.ctx.kiosk.languages
        if isinstance(key_or_labels, str):
            fmt = kw.pop("fmt", {})
            labels = {lang: t(key_or_labels, lang, **fmt) for lang in langs}
        else:
            labels = dict(key_or_labels)
        text = kw.pop("text", labels[self.ctx.lang])  # visible text may differ ("+")
        b = KioskButton(text=text, labels=labels, variant=variant,
                        payload=payload, spoken_value=spoken_value, **kw)
        b.bind(on_release=lambda w: self.ctx.activate(w))
        return b

    # -- what a screen provides ---------------------------------------------------------
    def refresh(self) -> None:
        """Rebuild content from the app's state; called on every entry and change."""

    def title(self) -> str:
        return ""

    def summary(self) -> str:
        return ""

    def on_activate(self, widget: KioskButton) -> None:
        """A button of this screen was chosen (by any modality)."""

    def on_back(self) -> bool:
        """BACK on this screen; True when handled."""
        if self.back_to:
            self.ctx.go(self.back_to)
            return True
        return False

    def poll(self) -> None:
        """Called four times a second while shown, for what changes without an intent."""

    def orderable_by_voice(self) -> tuple[str, ...] | None:
        """Item ids a customer may order by voice here: None for all, () for none."""
        return ()

    def focus_first(self) -> KioskButton | None:
        """Which widget gets focus on entry; default: the first in reading order."""
        return None
