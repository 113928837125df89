"""The spoken-order dialogue, bridged to the screens.

Voice input is a device (hardware/voice/), so ui never imports it: the composition root
hands the app a voice session (at start or later, once the models have loaded) and this
bridge only calls the methods in :class:`VoiceSessionLike`. It passes each intent to the
dialogue first, does what the dialogue replies (speak, add to the cart, ask yes or no on
the overlay), and tells the dialogue which screen is up, so it listens for the right words.

Voice is listened to from the first screen. Before a language is chosen (the attract
and language screens) it listens in every language of the shop, for any item too; what
it hears there carries the language it was said in (``slots["lang"]``), and the bridge
starts the order in that language: the kiosk switches to it, turns speech mode on for
this customer and goes to the menu, where the dialogue answers (an order said at the
door goes straight to its confirmation, "아메리카노 두 잔 담을까요?").

A customer not understood twice on a screen hears its choices read out numbered (the
names of the screen's buttons in reading order, which only the UI knows: the dialogue
asks for them); a number said or the keypad's digit (both Kind.NUMBER) acts on that
button through the router, the one path every device's SELECT takes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from untact.accessibility.frame import AccessibilityFrame
from untact.accessibility.intents import Intent, Kind

if TYPE_CHECKING:
    from .app import KioskApp
    from .screens.base import KioskScreen


CHOOSING = ("attract", "language")  # screens before the customer has chosen a language


class OrderLineLike(Protocol):
    """A spoken order line (hardware/voice/dialogue.py's OrderLine, a frozen dataclass:
    read-only members)."""

    @property
    def item(self) -> str: ...
    @property
    def options(self) -> Mapping[str, str]: ...
    @property
    def quantity(self) -> int: ...


class ReplyLike(Protocol):
    """What the dialogue answers (hardware/voice/dialogue.py's Reply)."""

    @property
    def say(self) -> str: ...
    @property
    def add_to_cart(self) -> OrderLineLike | None: ...
    @property
    def forward(self) -> Intent | None: ...
    @property
    def confirming(self) -> bool: ...
    @property
    def number_choices(self) -> bool: ...
    @property
    def choose(self) -> str: ...


class VoiceSessionLike(Protocol):
    """The voice session as the kiosk uses it (hardware/voice/session.py's VoiceSession)."""

    def handle(self, intent: Intent) -> ReplyLike | None: ...
    def answer(self, yes: bool) -> ReplyLike: ...
    def number_choices(self, names: list[str]) -> ReplyLike: ...
    def screen_changed(self, orderable: tuple[str, ...] | None, lang: str,
                       every_language: bool = False) -> None: ...
    def session(self, active: bool) -> None: ...
    def close(self) -> None: ...


class VoiceBridge:
    def __init__(self, app: KioskApp, frame: AccessibilityFrame,
                 voice: VoiceSessionLike | None = None) -> None:
        self._app = app  # the cart, the overlay and the current screen
        self._frame = frame
        self.voice = voice

    def attach(self, voice: VoiceSessionLike | None, screen: KioskScreen | None) -> None:
        """Voice input arrives after start-up (models load in the background)."""
        self.voice = voice
        if screen is not None:
            self.screen_changed(screen)

    def screen_changed(self, screen: KioskScreen) -> None:
        if self.voice is not None:
            self.voice.session(True)
            if screen.name in CHOOSING:  # any item: an order said here skips the screens
                self.voice.screen_changed(None, self._app.lang, every_language=True)
            else:
                self.voice.screen_changed(screen.orderable_by_voice(), self._app.lang)

    def session_ended(self) -> None:
        if self.voice is not None:
            self.voice.session(False)

    def on_intent(self, intent: Intent) -> Intent | None:
        """The dialogue's turn: the intent to go on with, or None when it was used up."""
        if self.voice is None:
            return intent
        self._start_in_language(intent)
        reply = self.voice.handle(intent)
        if reply is None:
            return intent
        self._do(reply)
        return reply.forward

    def _start_in_language(self, intent: Intent) -> None:
        """Something said before a language was chosen: begin in the language it was said in."""
        app = self._app
        lang = intent.slots.get("lang") if intent.kind is not Kind.STOP_SPEECH else None
        if not lang or lang not in app.kiosk.languages or app.sm.current not in CHOOSING:
            return
        app.set_language(lang)
        self._frame.handle(Intent(Kind.SPEECH_MODE, value=True, source="voice"))
        app.go("categories")

    def answer(self, yes: bool) -> None:
        """The on-screen answer to a spoken order's confirmation (any modality)."""
        if self.voice is not None:
            self._do(self.voice.answer(yes))

    def _do(self, reply: ReplyLike) -> None:
        """Do what the voice dialogue says: read the screen's choices out numbered, speak,
        add to the cart, ask yes or no, act on a choice picked by its number (as any
        device's SELECT on it would)."""
        app = self._app
        if reply.number_choices and self.voice is not None:
            names = [w.accessible_name(app.lang) for w in app.targets() if w.enabled]
            reply = self.voice.number_choices(names)
        if reply.say:
            self._frame.announce(reply.say, urgent=True)  # a voice customer hears the answer
        if reply.add_to_cart is not None:
            line = reply.add_to_cart
            app.overlay.hide()
            app.add_to_cart(line.item, dict(line.options), line.quantity)
        if reply.confirming:
            app.overlay.show_confirm(reply.say or "")
            app.router.rebuild_overlay()
        elif app.overlay.shown == "confirm":
            app.router.close_overlay()
        if reply.choose:
            app.router.activate(next((w for w in app.targets() if w.enabled
                                      and w.accessible_name(app.lang) == reply.choose), None))

    def close(self) -> None:
        if self.voice is not None:
            self.voice.close()
