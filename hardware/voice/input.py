"""Voice input: audio frames in, intents out on the input bus.

:class:`VoicePipeline` is the synchronous core (VAD -> recognizer -> understanding ->
intents), used directly by tests, benchmarks and the simulator. :class:`VoiceInput` runs
it in its own thread on a microphone (or any frame source), listening only between
:meth:`VoiceInput.start_listening` and :meth:`VoiceInput.stop_listening` (presence, a
keypad voice key). Without a microphone or a model it does not fail: it is "off", and
:attr:`VoiceInput.status` says why, so the kiosk can say so and carry on.

What is posted (every intent has source="voice", the utterance and a confidence):

====================================  ===============================================
heard                                 intent
====================================  ===============================================
customer starts speaking              ``STOP_SPEECH`` (interrupts the kiosk's speech)
다음 / next                            ``NEXT``
이전 / previous, back                  ``PREVIOUS``
처음으로 / home, start over            ``HOME``
도와 주세요 / help                      ``HELP``
다시 / repeat, again                   ``REPEAT``
두 번 / number two (choices read out   ``NUMBER`` (value 2), as the keypad's digit
numbered, see grammar.Screen.numbers)
결제 / pay, checkout                   ``voice(name="pay")``
취소 / cancel                          ``voice(name="cancel")``
크게 / bigger                          ``voice(name="bigger")``
네, 예 / yes, okay (when confirming)   ``voice(name="yes")``
아니요 / no                            ``voice(name="no")``
an order                              ``voice(name="order", slots={"item": id,
                                      "quantity": n, "options": {group: choice}})``
understood, but not surely enough     ``voice(name="unclear", slots={"best": name,
                                      "slots": {...}, "candidates": [...]})``: ask the
                                      customer again, naming the candidates (two or
                                      three readings the recognizer hesitated between)
silence, noise (cut by the VAD)       nothing
speech, nothing understood            ``voice(name="unclear", slots={"best": "",
                                      "candidates": []})`` once a language is chosen
                                      (the dialogue asks again, then numbers the
                                      choices); nothing before (chatter at the door)
====================================  ===============================================

Before a language is chosen (the attract and language screens) every language is
listened to at once (:meth:`VoicePipeline.set_screen` with ``every_language``): each
recognizer decodes the utterance under its own grammar, side by side after the end of
speech (Vosk releases the GIL while it decodes), the reading the recognizers are surest
of wins, and its intent carries ``slots["lang"]``, the language it was said in.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol, TypeGuard

from untact.accessibility.bus import InputBus
from untact.accessibility.intents import Intent, Kind, simple, voice
from untact.shop.menu import Kiosk

from .audio import AudioSourceError, BadFrame, MicrophoneSource, check_frame
from .config import VoiceConfig
from .grammar import Grammar, Screen, build_grammar, numbered
from .recognizers import RecognizerUnavailable, load_recognizer
from .understand import Understanding, understand_nbest
from .vad import Segmenter, SpeechAudio, SpeechDropped, SpeechStarted, Utterance

log = logging.getLogger(__name__)

PLAIN_KINDS = {"next": Kind.NEXT, "previous": Kind.PREVIOUS,
               "home": Kind.HOME, "help": Kind.HELP, "repeat": Kind.REPEAT}


class Recognizer(Protocol):
    lang: str

    def set_grammar(self, grammar: Grammar) -> None: ...

    def recognize(self, pcm: bytes) -> list[tuple[str, float]]: ...


class StreamingRecognizer(Recognizer, Protocol):
    """A recognizer fed while the customer speaks (Vosk): begin() when speech starts,
    accept() each frame, finish() for the n-best at its end (or to drop it)."""

    def begin(self) -> None: ...

    def accept(self, pcm: bytes) -> None: ...

    def finish(self) -> list[tuple[str, float]]: ...


def is_streaming(recognizer: Recognizer) -> TypeGuard[StreamingRecognizer]:
    return hasattr(recognizer, "begin")


def intent_for(u: Understanding, accept: float, reject: float,
               lang: str | None = None) -> Intent | None:
    """The intent an understanding becomes (see the table in this module's docstring).

    ``lang``: the language it was heard in, put in the slots when the kiosk listened in
    several (the kiosk then switches to it)."""
    said = {"lang": lang} if lang else {}
    hesitated = sum(c.confidence for c in u.candidates)
    if not u.name or (u.confidence < reject and hesitated < reject):
        return None
    if u.confidence < accept:
        candidates = [{"name": c.name, "slots": dict(c.slots)} for c in u.candidates]
        return voice(u.text, "unclear", {"best": u.name, "slots": dict(u.slots),
                                         "candidates": candidates, **said}, u.confidence)
    n = numbered(u.name)
    if n is not None:  # a choice of those read out numbered, as a keypad digit picks it
        return Intent(Kind.NUMBER, utterance=u.text, value=n, confidence=u.confidence,
                      source="voice", slots=said)
    kind = PLAIN_KINDS.get(u.name)
    if kind is not None:
        return Intent(kind, utterance=u.text, name=u.name, confidence=u.confidence,
                      source="voice", slots=said)
    return voice(u.text, u.name, {**u.slots, **said}, u.confidence)


@dataclass
class Heard:
    """One utterance's path through the pipeline, for the simulator, logs and benchmarks."""

    hypotheses: list[tuple[str, float]]
    understanding: Understanding
    intent: Intent | None
    seconds: float  # length of the utterance audio
    decide_ms: float  # end of utterance (VAD decision) -> intent ready
    lang: str = ""  # the language it was understood in
    # CPU time of that decision, every language's thread summed: what a loaded machine
    # does not distort (wall time waits for the cores too)
    decide_cpu_ms: float = 0.0


class VoicePipeline:
    """VAD, recognition and understanding on one thread; no devices, no threads."""

    def __init__(self, recognizers: Mapping[str, Recognizer], menu: Kiosk | None,
                 config: VoiceConfig | None = None, lang: str | None = None,
                 screen: Screen | None = None, grammar: Grammar | None = None,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        if not recognizers:
            raise ValueError("no recognizer")
        self.recognizers = dict(recognizers)
        self.menu = menu
        self.config = config = config or VoiceConfig()
        self.segmenter = Segmenter(config.vad_settings())
        self.clock = clock
        self.lang = lang or next(iter(self.recognizers))
        self.screen = screen or Screen()
        self.grammar: Grammar | None = None
        self.grammars: dict[str, Grammar] = {}  # the languages listened to, current first
        self.every_language = False
        self.history: list[Heard] = []  # the last 50 utterances
        self.heard_total = 0
        self._pending: tuple[Screen, str | None, bool] | None = None
        self._menu_changed = False  # a new menu waits for the end of an utterance
        self._pool: ThreadPoolExecutor | None = None
        self.parallel = True  # False: one language after another (the bench's reference)
        if grammar is not None:
            self.use_grammar(grammar)
        else:
            self._apply()

    def use_grammar(self, grammar: Grammar) -> None:
        """Listen for exactly ``grammar`` (e.g. a list of phrases), not a screen's."""
        self.grammar = grammar
        self.lang = grammar.lang
        self.grammars = {self.lang: grammar}
        self.every_language = False
        self.recognizers[self.lang].set_grammar(grammar)
        if hasattr(self.recognizers[self.lang], "whole_only"):
            setattr(self.recognizers[self.lang], "whole_only", False)  # noqa: B010

    def _apply(self) -> None:
        if self.lang not in self.recognizers:
            raise ValueError(f"no recognizer for {self.lang!r}")
        self._menu_changed = False
        langs = [self.lang] + ([lang for lang in self.recognizers if lang != self.lang]
                               if self.every_language else [])
        self.grammars = {lang: build_grammar(self.menu, self.screen, lang) for lang in langs}
        for lang, grammar in self.grammars.items():
            self.recognizers[lang].set_grammar(grammar)
        for recognizer in self.recognizers.values():  # see _surest: only whole readings claim
            if hasattr(recognizer, "whole_only"):
                setattr(recognizer, "whole_only", self.every_language)  # noqa: B010
        self.grammar = self.grammars[self.lang]

    def set_screen(self, screen: Screen, lang: str | None = None,
                   every_language: bool = False) -> None:
        """Listen for what makes sense on ``screen`` (and in ``lang``, if given; in every
        language with a recognizer when ``every_language``, ``lang`` first on a tie).

        During an utterance the change waits for its end: the words already streamed
        into the recognizer are decided under the grammar they were heard with.
        """
        if self.segmenter.in_speech:
            self._pending = (screen, lang, every_language)
            return
        self.screen = screen
        self.every_language = every_language
        if lang is not None:
            self.lang = lang
        self._apply()

    def _apply_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            self.set_screen(*pending)
        elif self._menu_changed:
            self._apply()

    def set_menu(self, menu: Kiosk | None) -> None:
        """Listen with ``menu`` (the merchant edited it); like a screen change, during an
        utterance it waits for the utterance's end."""
        self.menu = menu
        if self.segmenter.in_speech:
            self._menu_changed = True
            return
        self._apply()

    def reset(self) -> None:
        """A new customer: no utterance in progress, nothing adapted to the last voice."""
        self.segmenter.restart()
        self._apply_pending()
        for recognizer in self.recognizers.values():
            if hasattr(recognizer, "new_speaker"):
                recognizer.new_speaker()

    def feed(self, frame: bytes) -> list[Intent]:
        """One frame in; the intents it completes out (usually none)."""
        out: list[Intent] = []
        for event in self.segmenter.feed(frame):
            out += self._event(event)
        return out

    def finish(self) -> list[Intent]:
        """The source ended: decide on an utterance in progress."""
        out: list[Intent] = []
        for event in self.segmenter.flush():
            out += self._event(event)
        return out

    def run(self, frames: Iterable[bytes]) -> list[Intent]:
        out: list[Intent] = []
        for frame in frames:
            out += self.feed(frame)
        return out + self.finish()

    def _event(self, event) -> list[Intent]:
        streaming = [r for r in (self.recognizers[lang] for lang in self.grammars)
                     if is_streaming(r)]
        if isinstance(event, SpeechStarted):
            for recognizer in streaming:
                recognizer.begin()
            return [simple(Kind.STOP_SPEECH, source="voice")]
        if isinstance(event, SpeechAudio):
            for recognizer in streaming:
                recognizer.accept(event.pcm)
            return []
        if isinstance(event, SpeechDropped):
            for recognizer in streaming:
                recognizer.finish()
            self._apply_pending()
            return []
        if isinstance(event, Utterance):
            heard = self.decide(event.pcm, streamed=True)
            self._apply_pending()
            if heard.intent is not None:
                return [heard.intent]
            if self.every_language:  # before a language is chosen: chatter, not a customer
                return []
            # Spoken to and not understood: the dialogue says so and counts it (twice,
            # and it reads the screen's choices out numbered).
            return [voice(heard.understanding.text, "unclear",
                          {"best": "", "slots": {}, "candidates": []},
                          heard.understanding.confidence)]
        return []

    def decide(self, pcm: bytes, streamed: bool = False) -> Heard:
        """Recognize and understand one utterance (16 kHz mono int16), in every language
        listened to; the surest understanding wins.

        ``streamed``: streaming recognizers have already been fed ``pcm`` frame by frame
        since speech started; only their final decision is left (the latency a customer
        feels). Others decode ``pcm`` whole now.
        """
        start = self.clock()
        cpu = time.thread_time()
        assert self.grammar is not None
        listened = list(self.grammars.items())
        # Every language at once: Vosk releases the GIL while it decodes, so the
        # others' decisions run beside it instead of after it (see _decoders).
        if self.parallel:
            others = [self._decoders().submit(self._timed_reading, lang, grammar, pcm, streamed)
                      for lang, grammar in listened[1:]]
            readings = [self._reading(*listened[0], pcm, streamed)]
            done = [f.result() for f in others]
            readings += [reading for reading, _ in done]
            other_cpu = sum(seconds for _, seconds in done)
        else:
            readings = [self._reading(lang, grammar, pcm, streamed) for lang, grammar in listened]
            other_cpu = 0.0
        hypotheses, u, lang = self._surest(readings)
        intent = intent_for(u, self.config.accept_confidence, self.config.reject_confidence,
                            lang if self.every_language else None)
        heard = Heard(hypotheses, u, intent, len(pcm) / 32000, (self.clock() - start) * 1000,
                      lang, (time.thread_time() - cpu + other_cpu) * 1000)
        self.history = (self.history + [heard])[-50:]
        self.heard_total += 1
        return heard

    def _reading(self, lang: str, grammar: Grammar, pcm: bytes, streamed: bool
                 ) -> tuple[list[tuple[str, float]], Understanding, str]:
        """One language's n-best and understanding of the utterance."""
        recognizer = self.recognizers[lang]
        try:
            if streamed and is_streaming(recognizer):
                hypotheses = recognizer.finish()
            else:
                hypotheses = recognizer.recognize(pcm)
        except Exception as exc:  # a recognizer failure must not stop voice input
            log.warning("voice: %s recognizer failed on an utterance: %s", lang, exc)
            hypotheses = []
        return hypotheses, understand_nbest(grammar, hypotheses), lang

    def _timed_reading(self, *args):
        """_reading on a decoder thread, with the CPU seconds that thread spent on it."""
        cpu = time.thread_time()
        reading = self._reading(*args)
        return reading, time.thread_time() - cpu

    def _decoders(self) -> ThreadPoolExecutor:
        """Threads for the other languages' decisions, made when first listened to in
        several (one per recognizer beyond the first; idle between utterances)."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max(1, len(self.recognizers) - 1),
                                            thread_name_prefix="voice-decide")
        return self._pool

    def _surest(self, readings):
        """The reading to act on when several languages were listened to.

        Confidences of different recognizers are not alike: pocketsphinx's is absolute
        (measured against a free phone loop), Vosk's only says how sure it was between
        the sentences of its grammar, which any speech is forced into. So a recognizer
        with absolute confidence claims the utterance when it is sure and explained it
        whole (not by a command padded with fillers); otherwise the
        others' surest reading is taken (the shop's first language on a tie).
        """
        if len(readings) == 1:
            return readings[0]
        accept = self.config.accept_confidence
        absolute = [r for r in readings
                    if getattr(self.recognizers[r[2]], "absolute_confidence", False)]
        claims = [r for r in absolute if r[1].confidence >= accept
                  and getattr(self.recognizers[r[2]], "explained", True)]
        rest = [r for r in readings if r not in absolute] or readings
        pool = claims or rest
        return max(pool, key=lambda r: r[1].confidence)


@dataclass(frozen=True)
class VoiceStatus:
    """``state``: "off" (with ``reason``), "ready" (not listening) or "listening"."""

    state: str
    reason: str = ""

    @property
    def on(self) -> bool:
        return self.state != "off"


class VoiceInput:
    """The kiosk's voice input: a thread reading a frame source, posting to the bus.

    ``source_factory`` makes the audio source when listening starts (default: the
    configured microphone); ``recognizers`` may be given (tests, or to share loaded
    models), otherwise they are loaded in :meth:`start`.

    Voice input survives its microphone: a malformed frame (wrong size or sample type,
    not audio) is dropped and counted (:attr:`dropped_frames`, a one-line log naming
    only what was wrong); a stream that fails (a PortAudio error, an unplugged device)
    is reopened with a growing pause (:attr:`REOPEN_FIRST_S` doubling up to
    :attr:`REOPEN_MAX_S`), and meanwhile the status is "off" with the reason, then
    "listening" again. Listeners given to :meth:`on_status` hear every change.
    """

    REOPEN_FIRST_S = 0.5
    REOPEN_MAX_S = 10.0

    def __init__(self, bus: InputBus, config: VoiceConfig | None = None,
                 menu: Kiosk | None = None,
                 source_factory: Callable[[], Iterable[bytes]] | None = None,
                 recognizers: Mapping[str, Recognizer] | None = None) -> None:
        self.bus = bus
        self.config = config = config or VoiceConfig()
        self.menu = menu
        self._source_factory = source_factory or (lambda: MicrophoneSource(config.device))
        self._given = dict(recognizers) if recognizers else None
        self.pipeline: VoicePipeline | None = None
        self._status = VoiceStatus("off", "not started")
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._source: Iterable[bytes] | None = None
        self._stop = threading.Event()
        self._screen: tuple[Screen, str | None, bool] | None = None
        self._listeners: list[Callable[[VoiceStatus], None]] = []
        self.dropped_frames = 0
        # Utterances decided *and* their intents posted: what a caller waiting for the
        # kiosk to have heard something may count (heard_total moves before the posting).
        self.utterances_posted = 0
        self.reopened = 0

    @property
    def status(self) -> VoiceStatus:
        return self._status

    @property
    def _status(self) -> VoiceStatus:
        return self.__status

    @_status.setter
    def _status(self, status: VoiceStatus) -> None:
        changed = status != getattr(self, "_VoiceInput__status", None)
        self.__status = status
        if changed:
            for listener in list(getattr(self, "_listeners", ())):
                try:
                    listener(status)
                except Exception:  # a listener's bug must not stop voice input
                    log.exception("voice status listener failed")

    def on_status(self, listener: Callable[[VoiceStatus], None]) -> None:
        """Call ``listener(status)`` on every status change (from any thread)."""
        self._listeners.append(listener)

    def start(self) -> VoiceStatus:
        """Check the microphone, then load models; never raises: the status says what
        failed. Without a microphone no model is loaded (a Vosk model is hundreds of MB
        a kiosk that cannot hear would hold for nothing)."""
        if not self.config.enabled:
            self._status = VoiceStatus("off", "voice input is turned off in the kiosk file")
            return self._status
        try:  # a microphone that is missing is found now, not when someone speaks
            self._source = self._source_factory()
        except AudioSourceError as exc:
            self._status = VoiceStatus("off", str(exc))
            return self._status
        recognizers = self._given
        if recognizers is None:
            recognizers, reasons = {}, []
            for language in self.config.languages:
                try:
                    recognizers[language] = load_recognizer(language,
                                                            self.config.model_for(language))
                except RecognizerUnavailable as exc:
                    reasons.append(f"{language}: {exc}")
            if not recognizers:
                self._close_source(self._source)
                self._source = None
                self._status = VoiceStatus("off", "no speech model: " + "; ".join(reasons))
                return self._status
        try:
            screen, lang, every = self._screen or (Screen(), None, False)
            if lang not in recognizers:
                lang = None
            self.pipeline = VoicePipeline(recognizers, self.menu, self.config, lang=lang,
                                          screen=screen)
            if every:
                self.pipeline.set_screen(screen, lang, every_language=True)
            with self._lock:  # the menu changed while the models were loading
                if self.pipeline.menu is not self.menu:
                    self.pipeline.set_menu(self.menu)
        except Exception as exc:
            self._close_source(self._source)
            self._source = None
            self._status = VoiceStatus("off", f"voice grammar failed: {exc}")
            return self._status
        self._status = VoiceStatus("ready")
        return self._status

    def set_screen(self, screen: Screen, lang: str | None = None,
                   every_language: bool = False) -> None:
        """Call on every screen change / language change / pending confirmation;
        ``every_language`` before the customer has chosen one (attract, language).

        Before :meth:`start` (or while off) the latest call is remembered and applied
        when voice input starts.
        """
        self._screen = (screen, lang or (self._screen[1] if self._screen else None),
                        every_language)
        if self.pipeline is None:
            return
        with self._lock:
            if lang is not None and lang not in self.pipeline.recognizers:
                log.warning("voice: no recognizer for %s; keeping %s", lang, self.pipeline.lang)
                lang = None
            self.pipeline.set_screen(screen, lang, every_language)

    def set_menu(self, menu: Kiosk) -> None:
        """Listen with ``menu`` from now on. Slow (seconds, when Vosk's strict graph of the
        whole menu is rebuilt and loaded): call it from a worker thread, never the UI's.
        The slow part runs before the lock is taken, so the voice thread keeps deciding
        utterances and screen changes stay instant meanwhile."""
        with self._lock:
            self.menu = menu
            pipeline = self.pipeline
        if pipeline is None:
            return  # start() builds the pipeline with the newest menu
        for recognizer in pipeline.recognizers.values():
            prepare = getattr(recognizer, "prepare_menu", None)
            if prepare is not None:
                prepare(menu)
        with self._lock:
            if self.menu is menu:  # not overtaken by a newer menu meanwhile
                pipeline.set_menu(menu)

    def start_listening(self) -> bool:
        """Begin listening (a person is present, or the voice key was pressed)."""
        if not self._status.on or self.pipeline is None:
            return False
        if self._thread is not None and self._thread.is_alive():
            return True
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="voice-input", daemon=True)
        self._status = VoiceStatus("listening")
        self._thread.start()
        return True

    def stop_listening(self, timeout: float = 2.0) -> None:
        """Stop listening (the person left); drops any utterance in progress."""
        self._stop.set()
        source = self._source
        if source is not None and hasattr(source, "close"):
            source.close()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
        self._source = None
        if self._status.state == "listening":
            self._status = VoiceStatus("ready")

    def close(self) -> None:
        self.stop_listening()

    def _run(self) -> None:
        assert self.pipeline is not None
        pause = self.REOPEN_FIRST_S
        source = self._source
        while not self._stop.is_set():
            try:
                if source is None:
                    source = self._source_factory()
                self._source = source
                with self._lock:
                    self.pipeline.reset()
                if self._status.state != "listening":
                    self._status = VoiceStatus("listening")
                for frame in source:
                    if self._stop.is_set():
                        break
                    if self._feed(frame):
                        pause = self.REOPEN_FIRST_S  # good audio again: start over
                else:
                    if not self._stop.is_set():  # the source ended by itself (a file)
                        with self._lock:
                            before = self.pipeline.heard_total
                            for intent in self.pipeline.finish():
                                self.bus.post(intent)
                            self.utterances_posted += self.pipeline.heard_total - before
                break
            except Exception as exc:  # the stream failed: nothing here may stop the kiosk
                reason = _one_line(exc)
                self._close_source(source)
                source = self._source = None
                if self._stop.is_set():
                    break
                self._status = VoiceStatus("off", f"microphone failed: {reason}; "
                                                  f"retrying in {pause:g} s")
                log.warning("voice input: microphone failed (%s); reopening in %.1f s",
                            reason, pause)
                if self._stop.wait(pause):
                    break
                pause = min(self.REOPEN_MAX_S, pause * 2)
                self.reopened += 1
        self._source = None
        # Stopped while the microphone was failing: not listening, and the next
        # start_listening() tries the microphone again.
        if self._status.state == "listening" or self._status.reason.startswith("microphone failed"):
            self._status = VoiceStatus("ready")

    def _feed(self, frame) -> bool:
        """One frame from the source; False if it was dropped."""
        try:
            pcm = check_frame(frame)
            with self._lock:
                before = self.pipeline.heard_total  # type: ignore[union-attr]
                intents = self.pipeline.feed(pcm)  # type: ignore[union-attr]
                decided = self.pipeline.heard_total - before  # type: ignore[union-attr]
        except BadFrame as exc:
            self._dropped(str(exc))
            return False
        except Exception as exc:  # the VAD or the recognizer refused it
            self._dropped(_one_line(exc))
            with self._lock:
                self.pipeline.reset()  # type: ignore[union-attr]
            return False
        for intent in intents:
            self.bus.post(intent)
        self.utterances_posted += decided
        return True

    def _dropped(self, why: str) -> None:
        self.dropped_frames += 1
        n = self.dropped_frames
        if n <= 3 or n % 100 == 0:  # one line each, then one per hundred
            log.warning("voice input: dropped a malformed microphone frame (%s); %d so far",
                        why, n)

    @staticmethod
    def _close_source(source) -> None:
        if source is not None and hasattr(source, "close"):
            try:
                source.close()
            except Exception:
                pass


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, AudioSourceError):
        return text[:200]
    return f"{type(exc).__name__}: {text}"[:200]
