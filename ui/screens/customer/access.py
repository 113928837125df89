"""Accessibility settings, reachable from every screen by every modality: the profile
(low vision, speech, low position, simple, hearing) and the voice's volume and speed."""

from __future__ import annotations

from untact.accessibility.intents import Kind, simple
from untact.accessibility.profiles import PROFILES

from ..base import KioskScreen
from .navbar import fill_navbar


class AccessScreen(KioskScreen):
    return_to: str = "attract"

    def on_back(self) -> bool:
        self.ctx.go(self.return_to if self.return_to != "access" else "attract")
        return True

    def refresh(self) -> None:
        ctx = self.ctx
        self.ids.title.text = self.title()
        self.ids.summary.text = self.summary()
        grid = self.ids.profiles
        grid.clear_widgets()
        for name, profile in PROFILES.items():
            labels = {lang: profile.labels.get(lang, name) for lang in ctx.kiosk.languages}
            selected = name == ctx.style.profile_name
            grid.add_widget(self.button(labels, variant="choice", payload=("profile", name), role="radio",
                                        selected=selected,
                                        text=("● " if selected else "○ ") + labels[ctx.lang]))
        sound = self.ids.sound
        sound.clear_widgets()
        for key, kind in (("access.volume_down", Kind.VOLUME_DOWN), ("access.volume_up", Kind.VOLUME_UP),
                          ("access.rate_down", Kind.RATE_DOWN), ("access.rate_up", Kind.RATE_UP)):
            sound.add_widget(self.button(key, payload=("sound", kind), size_hint_y=None,
                                         height=ctx.style.px_per_mm * 20 * ctx.style.target_scale))
        fill_navbar(self, self.ids.nav, back=True, access=False)

    def title(self) -> str:
        return self.t("access.title")

    def summary(self) -> str:
        return self.t("access.summary")

    def on_activate(self, widget) -> None:
        kind, value = widget.payload
        if kind == "profile":
            self.ctx.set_profile(value)
            self.ctx.rebuild(keep_focus=True)
        elif kind == "sound":
            # Through the bus, exactly as the keypad's volume keys arrive.
            self.ctx.post(simple(value, source="screen"))
        else:
            self.ctx.nav_action(kind, self)
