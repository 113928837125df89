"""The frame's voice: what to say when a screen opens, focus moves or something changes.

Glue between :mod:`phrases` (what words) and :class:`speech.SpeechEngine` (when and how
loud). The UI calls these from its screen/focus events; it never builds speech text
itself. ``speak_focus`` only speaks in speech mode; announcements of changes are spoken
in speech mode and always captioned via the engine's listeners.
"""

from __future__ import annotations

from collections.abc import Callable

from . import phrases
from .phrases import WidgetDescription
from .speech import Priority, SpeechEngine, Utterance


class Narrator:
    def __init__(self, engine: SpeechEngine, language: Callable[[], str],
                 speech_on: Callable[[], bool]) -> None:
        self.engine = engine
        self.language = language  # the customer's current language
        self.speech_on = speech_on  # speech mode is on (profile, jack, help)

    def screen_entered(self, title: str, summary: str = "") -> Utterance | None:
        if not self.speech_on():
            return None
        text = phrases.screen_entry(title, summary, self.language())
        return self.engine.speak(text, self.language(), Priority.FOCUS, interrupt=True)

    def focused(self, widget: WidgetDescription) -> Utterance | None:
        """Focus moved: speak it now, dropping whatever was being said."""
        if not self.speech_on():
            return None
        lang = self.language()
        return self.engine.speak(phrases.describe(widget, lang), lang, Priority.FOCUS,
                                 interrupt=True)

    def announce(self, text: str, urgent: bool = False) -> Utterance | None:
        """A change (item added, total): queued after the focus answer, or urgent."""
        if not self.speech_on() and not urgent:
            return None
        return self.engine.speak(text, self.language(),
                                 Priority.URGENT if urgent else Priority.NORMAL)

    def timeout_warning(self, seconds_left: float) -> Utterance:
        """Always spoken (and shown by the UI), whatever the mode: no silent timeout."""
        lang = self.language()
        return self.engine.speak(phrases.timeout_warning(round(seconds_left), lang), lang,
                                 Priority.URGENT, interrupt=True)
