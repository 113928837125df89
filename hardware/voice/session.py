"""Voice input and its confirmation dialogue, as one object the kiosk app holds.

The app never imports recognizers: it is handed a :class:`VoiceSession` (by the kiosk's
or the simulator's composition root) and calls five things: :meth:`handle` for spoken
intents, :meth:`answer` for a yes/no given on screen, :meth:`screen_changed` so the
recognizer listens only for what makes sense, :meth:`session` when a customer
arrives or leaves, and :meth:`number_choices` with the screen's choices when the dialogue
asks to read them out numbered.

It listens to the shop's live menu (:class:`LiveMenu`, i.e.
:class:`untact.shop.menu_service.MenuService`): a name edited or an item sold out or put
back on sale on the admin screen is heard at once, without a restart. The dialogue takes
the new menu immediately; grammars are rebuilt on a worker thread (Vosk's strict graph
of the whole menu and a model loaded with it take seconds), never on the thread that made
the edit. An edit that changes nothing said (a price) costs no rebuild of the graph.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from untact.accessibility.bus import InputBus
from untact.accessibility.intents import Intent, Kind, voice
from untact.shop.menu import Kiosk

from .config import VoiceConfig
from .dialogue import Reply, VoiceDialogue
from .grammar import GREETING, NAVIGATION, Screen
from .input import Recognizer, VoiceInput, VoiceStatus

log = logging.getLogger(__name__)


class LiveMenu(Protocol):
    """The shop's menu as it is now, and news of every change (MenuService)."""

    @property
    def kiosk(self) -> Kiosk: ...

    def subscribe(self, listener: Callable[[Kiosk, Any], None]) -> Callable[[], None]: ...


class VoiceSession:
    def __init__(self, bus: InputBus, config: VoiceConfig, menu: LiveMenu, lang: str = "ko",
                 source_factory: Callable[[], Iterable[bytes]] | None = None,
                 recognizers: Mapping[str, Recognizer] | None = None) -> None:
        kiosk = menu.kiosk
        self.input = VoiceInput(bus, config, kiosk, source_factory=source_factory,
                                recognizers=recognizers)
        self.dialogue = VoiceDialogue(kiosk, lang)
        self._base = Screen(NAVIGATION, ())
        self._lang = lang
        self._every_language = False
        self._active = False
        self.ready = threading.Event()  # set when start() has finished, whatever its outcome
        self._menu_lock = threading.Lock()
        self._next_menu: Kiosk | None = None
        self._menu_worker: threading.Thread | None = None
        self._unsubscribe = menu.subscribe(self._menu_changed)

    @property
    def menu(self) -> Kiosk | None:
        """The menu voice input listens with now (its current grammar's); after an edit it
        becomes the new menu once the grammars are rebuilt."""
        pipeline = self.input.pipeline
        grammar = pipeline.grammar if pipeline is not None else None
        return grammar.menu if grammar is not None else self.input.menu

    def _menu_changed(self, kiosk: Kiosk, _change: object) -> None:
        """Called in the editing thread (the admin screen's): hand the rebuild over."""
        self.dialogue.menu = kiosk
        with self._menu_lock:
            self._next_menu = kiosk
            if self._menu_worker is None:
                self._menu_worker = threading.Thread(target=self._rebuild_for_menus,
                                                     name="voice-menu", daemon=True)
                self._menu_worker.start()

    def _rebuild_for_menus(self) -> None:
        """Rebuild for the newest menu until no newer one came meanwhile (edits made in
        quick succession cost one rebuild for the last, not one each)."""
        while True:
            with self._menu_lock:
                kiosk, self._next_menu = self._next_menu, None
                if kiosk is None:
                    self._menu_worker = None
                    return
            try:
                self.input.set_menu(kiosk)
            except Exception:  # a failed rebuild must not stop the kiosk: keep the old one
                log.exception("voice: could not listen with the edited menu")

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
        """A spoken intent, or NEXT/PREVIOUS while candidates were asked back (any device
        steps through them; SELECT on the question's yes takes the one read last): what
        the dialogue says to do (None: not the dialogue's)."""
        choosing = self.dialogue.choices and intent.kind in (Kind.NEXT, Kind.PREVIOUS)
        numbered = self.dialogue.numbers and intent.kind is Kind.NUMBER
        if choosing or numbered or intent.kind is Kind.VOICE or (
                intent.kind is Kind.STOP_SPEECH and intent.source == "voice"):
            reply = self.dialogue.handle(intent)
            self._listen_for()
            return reply
        return None

    def number_choices(self, names: list[str]) -> Reply:
        """Read the screen's choices (``names``, in reading order) out numbered, as the
        dialogue asked (Reply.number_choices), and listen for their numbers."""
        reply = self.dialogue.number_choices(names)
        self._listen_for()
        return reply

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

    def screen_changed(self, orderable: tuple[str, ...] | None, lang: str,
                       every_language: bool = False) -> None:
        """``orderable``: item ids that can be ordered by voice here (None: all; (): none).
        ``every_language``: no language is chosen yet (attract, language screens): listen
        in all of them, and to greetings; what is heard carries the language it was said in.
        """
        # Yes/no are heard on every screen: "네" chooses the focused button, as SELECT does.
        self._base = Screen(GREETING if every_language else NAVIGATION, orderable, confirm=True)
        self._lang = lang
        self._every_language = every_language
        self.dialogue.set_language(lang)
        self.dialogue.new_screen()
        self._listen_for()

    def _listen_for(self) -> None:
        self.input.set_screen(self.dialogue.screen(self._base), self._lang, self._every_language)

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
        self._unsubscribe()
        self.input.close()
