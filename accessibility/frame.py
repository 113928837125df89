"""The accessibility frame in one object: profile, speech mode, voice, session timer.

The UI creates one :class:`AccessibilityFrame`, subscribes :meth:`handle` to the input
bus, and calls :meth:`screen_entered`, :meth:`focused` and :meth:`announce` from its
screen and focus events; it binds its widgets to :attr:`style` (re-read in
``on_style``). Everything else (volume and rate from any modality, stop, repeat, speech
mode switching, the time-out warning and the session reset) happens here, so no screen
has per-screen accessibility code. Pure Python: the clock and the speech engine are
injected, so the simulator and tests run it in simulated time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from . import phrases
from .display import Display
from .intents import Intent, Kind
from .location_guide import LocationGuide, LocationGuideConfig
from .narrator import Narrator
from .phrases import WidgetDescription
from .profiles import DEFAULT_PROFILE, Profile, Style, get_profile, style_for
from .session_timer import SessionTimer, TimerConfig, TimerState
from .speech import Priority, SpeechEngine, Spoken
from .speech_mode import Action, SpeechMode

log = logging.getLogger(__name__)

# Hover moves are not "actions": a jittery hand must not cut speech off every frame.
_NOT_ACTIONS = frozenset({Kind.POINT, Kind.PRESENCE})


class AccessibilityFrame:
    def __init__(self, display: Display, engine: SpeechEngine, clock: Callable[[], float],
                 languages: tuple[str, ...] = ("ko", "en"),
                 timer_config: TimerConfig | None = None,
                 default_profile: str = DEFAULT_PROFILE, base_font_px: int = 0,
                 on_style: Callable[[Style], None] | None = None,
                 on_session_end: Callable[[], None] | None = None,
                 on_caption: Callable[[str, str], None] | None = None,
                 on_warning: Callable[[float], None] | None = None,
                 location_guide: LocationGuideConfig | None = None) -> None:
        """``on_style(style)``: re-theme every widget. ``on_session_end()``: attract
        screen, empty cart. ``on_caption(text, lang)``: show what was said (called on
        the speech thread: hop to the UI thread). ``on_warning(seconds)``: show the
        time-out warning with a "more time" button that calls :meth:`extend`."""
        self.display = display
        self.engine = engine
        self.languages = languages
        self.language = languages[0]
        self.default_profile = default_profile
        self.base_font_px = base_font_px
        self.on_style = on_style
        self.on_session_end = on_session_end
        self.on_caption = on_caption
        self.on_warning = on_warning
        self.speech_mode = SpeechMode()
        self.narrator = Narrator(engine, lambda: self.language, lambda: self.speech_mode.on)
        self.timer_config = timer_config or TimerConfig()
        self.timer = SessionTimer(clock, self.timer_config, on_warn=self._warn,
                                  on_expire=self.end_session)
        self.profile: Profile = get_profile(default_profile)
        self.style: Style = self._style()
        engine.add_listener(self._spoken)
        self.set_profile(default_profile)
        # With a presence sensor: where the kiosk is, once per approach (decree 2025-11).
        self.location_guide = LocationGuide(
            location_guide or LocationGuideConfig(), clock,
            lambda text, lang, db: engine.speak(text, lang, Priority.HINT, volume_db=db))

    def close(self) -> None:
        """Detach from the engine (the engine itself is closed by its owner)."""
        self.engine.remove_listener(self._spoken)

    # -- profile and language -----------------------------------------------------------
    def set_profile(self, name: str) -> Style:
        self.profile = get_profile(name)
        self.style = self._style()
        self.engine.set_defaults(rate_wpm=self.profile.speech_rate_wpm, apply=True)
        if self.profile.speech_on:
            self.speech_mode.switch(True, "profile")
        if self.timer.state in (TimerState.RUNNING, TimerState.WARNING):
            self.timer.start(self.style.session_timeout_s, self.style.warning_s)
        if self.on_style:
            self.on_style(self.style)
        return self.style

    def _style(self) -> Style:
        return style_for(self.profile, self.display, self.base_font_px,
                         timer=self.timer_config)

    def set_language(self, lang: str) -> None:
        if lang not in self.languages:
            raise ValueError(f"language {lang!r} is not one of {self.languages}")
        self.language = lang

    # -- session ------------------------------------------------------------------------
    def start_session(self) -> None:
        self.timer.start(self.style.session_timeout_s, self.style.warning_s)

    def extend(self) -> bool:
        """The customer asked for more time (the warning's button, voice, any key)."""
        return self.timer.extend()

    def tick(self) -> TimerState:
        """Call every ~0.5 s (``Clock.schedule_interval``; the simulator: its own clock)."""
        return self.timer.tick()

    def end_session(self) -> None:
        """Time out or the customer left: silence, defaults, attract screen, empty cart."""
        self.timer.stop()
        self.engine.reset_session()
        self.speech_mode.reset()
        self.language = self.languages[0]
        self.set_profile(self.default_profile)
        if self.on_session_end:
            self.on_session_end()

    def _warn(self, seconds_left: float) -> None:
        self.narrator.timeout_warning(seconds_left)
        if self.on_warning:
            self.on_warning(seconds_left)

    def _spoken(self, spoken: Spoken) -> None:
        if self.on_caption and self.profile.captions:
            self.on_caption(spoken.text, spoken.lang)

    # -- input --------------------------------------------------------------------------
    def handle(self, intent: Intent) -> Action:
        """Frame-level handling of every intent; returns what the screen should do
        (MOVE, ACT, READ, PASS...). Subscribe this first on the input bus."""
        if intent.kind is Kind.PRESENCE and intent.value is True:
            in_use = self.timer.state in (TimerState.RUNNING, TimerState.WARNING)
            self.location_guide.presence(True, in_use)
            if self.timer.state is not TimerState.RUNNING:
                self.start_session()
            return Action.PASS
        if intent.kind is Kind.PRESENCE and intent.value is False:
            self.location_guide.presence(False)
            self.end_session()
            return Action.PASS
        if intent.kind not in _NOT_ACTIONS:
            if self.timer.state in (TimerState.IDLE, TimerState.EXPIRED):
                self.start_session()
            else:
                self.timer.activity()
            if intent.kind is not Kind.REPEAT:
                self.engine.user_action()  # stale speech stops now
        if intent.kind is Kind.SPEECH_MODE and isinstance(intent.value, bool):
            # the earphone jack: its own output and volume, the speaker silent (3-2, 3-3)
            self.engine.set_earphone(intent.value)
        action = self.speech_mode.decide(intent)
        lang = self.language
        if action is Action.MODE_ON:
            self.engine.speak(phrases.speech_mode_on(lang), lang, Priority.FOCUS, interrupt=True)
        elif action is Action.REPEAT:
            self.engine.repeat()
        elif action is Action.SILENCE:
            self.engine.stop()
        elif action is Action.VOLUME:
            i = (self.engine.volume_up() if intent.kind is Kind.VOLUME_UP
                 else self.engine.volume_down())
            n = len(self.engine.config.volume_levels_db)
            self.engine.speak(phrases.volume_level(i, n, self.engine.volume_db, lang), lang,
                              Priority.FOCUS, interrupt=True)
        elif action is Action.RATE:
            wpm = (self.engine.rate_up() if intent.kind is Kind.RATE_UP
                   else self.engine.rate_down())
            rates = self.engine.config.rates_wpm
            self.engine.speak(phrases.rate_level(rates.index(wpm), len(rates), lang), lang,
                              Priority.FOCUS, interrupt=True)
        return action

    # -- what screens report ------------------------------------------------------------
    def screen_entered(self, title: str, summary: str = "") -> None:
        self.narrator.screen_entered(title, summary)

    def focused(self, widget: WidgetDescription) -> None:
        self.narrator.focused(widget)

    def announce(self, text: str, urgent: bool = False) -> None:
        self.narrator.announce(text, urgent)
