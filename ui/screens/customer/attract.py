"""The screen the kiosk rests on: it invites a customer in by every modality."""

from __future__ import annotations

from collections.abc import Mapping

from untact.ui.strings import t

from ..base import KioskScreen
from .ready_numbers import ReadyNumbersWatcher


def usable_inputs(device_status: Mapping[str, str]) -> tuple[bool, bool, list[str]]:
    """(hands work, voice works, devices set up but off) from the devices' states: hands
    by the camera or a connected sensor board; buttons (touch, keypad) always work."""
    camera = device_status.get("camera")
    boards = device_status.get("boards", "")
    hand = camera in ("tracking", "starting") or boards[:1].isdigit() and not boards.startswith("0")
    voice = device_status.get("voice") == "on"
    off = [d for d, ok in (("camera", camera in ("tracking", "starting")), ("voice", voice))
           if device_status.get(d) is not None and not ok]
    return hand, voice, off


class AttractScreen(KioskScreen):
    _ready: ReadyNumbersWatcher | None = None

    def on_enter(self, *_args) -> None:
        if self._ready is None:
            self._ready = ReadyNumbersWatcher(self.ctx.staff.ready_queue)
        self._ready.start()

    def on_leave(self, *_args) -> None:
        if self._ready is not None:
            self._ready.stop()

    def refresh(self) -> None:
        self.ids.title.text = self.title()
        self.ids.summary.text = self.summary()
        self.ids.actions.clear_widgets()
        style = self.ctx.style
        if self.ctx.kiosk.display.size_class() != "small":
            # The way in is a large target for a hand held over it (hover-and-hold),
            # 40 mm x the profile's target scale where the screen has room for it.
            self.ids.actions.min_row_height = max(style.control_height,
                                                  style.px_per_mm * 40 * style.target_scale)
        labels = {lang: t("attract.start", lang) for lang in self.ctx.kiosk.languages}
        self.ids.actions.add_widget(self.button(labels, variant="primary", payload=("start", None),
                                                text=" / ".join(labels.values())))
        access = {lang: t("access.open", lang) for lang in self.ctx.kiosk.languages}
        self.ids.access.clear_widgets()
        self.ids.access.add_widget(self.button(access, variant="nav", payload=("access", None),
                                               text=" / ".join(access.values())))
        self.fit_head()

    def title(self) -> str:
        return self.t("attract.welcome", shop=self.ctx.kiosk.shop_name[self.ctx.lang])

    def summary(self) -> str:
        """How to begin, naming only the inputs that work now, and which are off; in every
        language, since the customer has not chosen one yet."""
        hand, voice, off = usable_inputs(self.ctx.device_status)
        hint = "attract.hint" if hand and voice else "attract.hint.hand" if hand \
            else "attract.hint.voice" if voice else "attract.hint.press"
        keys = [hint] + [f"attract.off.{device}" for device in off]
        return "\n".join(t(key, lang) for lang in self.ctx.kiosk.languages for key in keys)

    def poll(self) -> None:
        """Devices start after the first frame and may stop or come back at any time."""
        summary = self.summary()
        if self.ids.summary.text != summary:
            self.ids.summary.text = summary
        if self._ready is not None and self._ready.latest is not None:  # numbers ready/made
            self.ids.ready_numbers.show(self._ready.latest, self.ctx.kiosk.languages)

    def on_activate(self, widget) -> None:
        if widget.payload and widget.payload[0] == "access":
            self.ctx.nav_action("access", self)
        else:
            self.ctx.go("language" if len(self.ctx.kiosk.languages) > 1 else "categories")
