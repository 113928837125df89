"""Voice input and its confirmation dialogue, as one object the kiosk app holds.

The app never imports recognizers: it is handed a :class:`VoiceSession` (by the kiosk's
or the simulator's composition root) and calls four things: :meth:`handle` for spoken
intents, :meth:`answer` for a yes/no given on screen, :meth:`screen_changed` so the
recognizer listens only for what makes sense, and :meth:`session` when a customer
arrives or leaves.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping

from untact.accessibility.bus import InputBus
from untact.accessibility.intents import Intent, Kind, voice

from .config import VoiceConfig
from .dialogue import Reply, VoiceDialogue
from .grammar import NAVIGATION, Screen, VoiceMenu
from .input import Recognizer, VoiceInput, VoiceStatus

log = logging.getLogger(__name__)


class VoiceSession:
    def __init__(self, bus: InputBus, config: VoiceConfig, menu: VoiceMenu, lang: str = "ko",
                 source_factory: Callable[[], Iterable[bytes]] | None = None,
                 recognizers: Mapping[str, Recognizer] | None = None) -> None:
        self.input = VoiceInput(bus, config, menu, source_factory=source_factory,
                                recognizers=recognizers)
        self.dialogue = VoiceDialogue(menu, lang)
        self._base = Screen(NAVIGATION, ())
        self._lang = lang
        self._active = False
        self.ready = threading.Event()  # set when start() has finished, whatever its outcome

    @property
    def status(self) -> VoiceStatus:
        return self.input.status

    def on_status(self, listener: Callable[[VoiceStatus], None]) -> None:
        """``listener(status)`` on every change: off (and why) while the microphone is
        being reopened, on again after."""
        self.input.on_status(listener)

    def start(self) -> VoiceStatus:
        """Load the models (seconds on a Pi: call from a thread); never raises."""
        try:
            status = self.input.start()
        finally:
            self.ready.set()
        if not status.on:
            log.warning("voice input is off: %s", status.reason)
        elif self._active:
            self.input.start_listening()
        return status

    def handle(self, intent: Intent) -> Reply | None:
        """A spoken intent: what the dialogue says to do (None: not the dialogue's)."""
        if intent.kind is Kind.VOICE or (intent.kind is Kind.STOP_SPEECH and intent.source == "voice"):
            reply = self.dialogue.handle(intent)
            self._listen_for()
            return reply
        return None

    def answer(self, yes: bool) -> Reply:
        """The customer answered the spoken confirmation on screen (a button)."""
        reply = self.dialogue.handle(voice("", "yes" if yes else "no", source="screen"))
        self._listen_for()
        return reply

    @property
    def utterances_decided(self) -> int:
        """How many utterances voice input has heard and decided on (understood or not),
        counted once their intents are on the bus."""
        return self.input.utterances_posted

    @property
    def confirming(self) -> bool:
        return self.dialogue.pending is not None

    def screen_changed(self, orderable: tuple[str, ...] | None, lang: str) -> None:
        """``orderable``: item ids that can be ordered by voice here (None: all; (): none)."""
        # Yes/no are heard on every screen: "네" chooses the focused button, as SELECT does.
        self._base = Screen(NAVIGATION, orderable, confirm=True)
        self._lang = lang
        self.dialogue.set_language(lang)
        self._listen_for()

    def _listen_for(self) -> None:
        self.input.set_screen(self.dialogue.screen(self._base), self._lang)

    def session(self, active: bool) -> None:
        """A customer arrived (listen) or left (stop, forget the pending question)."""
        if active == self._active:
            return
        self._active = active
        if active:
            self.input.start_listening()
        else:
            self.input.stop_listening()
            self.dialogue.reset()

    def close(self) -> None:
        self.input.close()
