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
        profiles = []
        for name, profile in PROFILES.items():
            labels = {lang: profile.labels.get(lang, name) for lang in ctx.kiosk.languages}
            selected = name == ctx.style.profile_name
            profiles.append(self.button(labels, variant="choice", payload=("profile", name), role="radio",
                                        selected=selected,
                                        text=("● " if selected else "○ ") + labels[ctx.lang]))
        sound = [self.button(key, payload=("sound", kind))
                 for key, kind in (("access.volume_down", Kind.VOLUME_DOWN),
                                   ("access.volume_up", Kind.VOLUME_UP),
                                   ("access.rate_down", Kind.RATE_DOWN),
                                   ("access.rate_up", Kind.RATE_UP))]
        fill_navbar(self, self.ids.nav, back=True, access=False)
        # Louder and softer side by side, whatever the profile: a pair reads as one.
        self.lay_out_rows(self.button_rows(profiles) + self.button_rows(sound, 2))

    def title(self) -> str:
        return self.t("access.title")

    def summary(self) -> str:
        return self.t("access.summary") + self.page_note()

    def on_activate(self, widget) -> None:
        kind, value = widget.payload
        if kind == "profile":
            self.ctx.set_profile(value)
            self.ctx.rebuild(keep_focus=True)
        elif kind == "page":
            self.turn_page(value)
        elif kind == "sound":
            # Through the bus, exactly as the keypad's volume keys arrive.
            self.ctx.post(simple(value, source="screen"))
        else:
            self.ctx.nav_action(kind, self)
