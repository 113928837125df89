"""Self-voicing: a prioritized speech queue that never blocks the kiosk.

Kivy has no screen reader, so the frame speaks for itself. The UI thread only calls
non-blocking methods (:meth:`SpeechEngine.speak`, :meth:`user_action`, :meth:`stop`,
:meth:`repeat`, volume and rate); a speaker thread asks a supervised synthesis process
(:mod:`speech_worker`, pyttsx3 on espeak-ng) for PCM and writes it in ~10 ms blocks to an
:class:`~untact.accessibility.audio_sink.AudioSink`, applying the volume as a gain in dB.

- Priorities: a higher-priority utterance preempts a lower one that is playing; equal or
  lower ones wait their turn. ``interrupt=True`` also drops everything queued.
- Any user action makes what is playing and queued stale: :meth:`user_action` stops it
  within one block (the bench measures it, target 50 ms).
- A worker that does not answer within ``synth_timeout_s`` is killed and restarted, and
  the utterance is retried once: pyttsx3 hanging cannot hang the kiosk.
- Everything spoken goes to :attr:`transcript` as (time, text, lang) when its first sample
  plays; ``on_spoken`` lets the UI caption it (hearing profile). The transcript and
  :attr:`history` keep the newest ``keep`` entries only: a kiosk runs for months.
"""

from __future__ import annotations

import array
import enum
import functools
import itertools
import logging
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, NamedTuple

from . import speech_worker
from .audio_sink import AudioSink, NullSink, make_sink
from .config import Table
from .recent import Recent

log = logging.getLogger(__name__)

# The worker's messages, read by a thread of their own; None once the worker is gone.
Inbox = queue.Queue[tuple[Any, ...] | None]


class Priority(enum.IntEnum):
    HINT = 0  # help text, screen summaries that may wait
    NORMAL = 1  # announcements: item added, total changed
    FOCUS = 2  # the answer to what the customer just did: focus, screen entry, repeat
    URGENT = 3  # time-out warnings, errors: preempt everything


class Spoken(NamedTuple):
    time: float  # the engine's clock when the first sample played
    text: str
    lang: str


@dataclass
class Utterance:
    id: int
    text: str
    lang: str
    priority: Priority
    t_request: float  # time.perf_counter() at speak()
    cancel: threading.Event = field(default_factory=threading.Event)
    t_first_audio: float | None = None
    t_cancel: float | None = None  # when someone asked it to stop
    t_stopped: float | None = None  # when the sink was silenced after that
    started: threading.Event = field(default_factory=threading.Event)  # first sample played
    done: threading.Event = field(default_factory=threading.Event)
    outcome: str = "queued"  # queued | played | interrupted | dropped | failed
    attempts: int = 0
    volume_db: float | None = None  # its own level (the location guide), else the engine's


@dataclass(frozen=True)
class SpeechConfig:
    voices: dict[str, str] = field(default_factory=lambda: {"ko": "ko", "en": "en"})
    volume_levels_db: tuple[float, ...] = (-24.0, -18.0, -12.0, -6.0, 0.0)
    default_volume_index: int = 3
    rates_wpm: tuple[int, ...] = (110, 140, 175, 210, 250)
    default_rate_wpm: int = 175
    synth_timeout_s: float = 2.0  # no answer from the worker for this long: restart it
    startup_timeout_s: float = 15.0
    block_ms: float = 10.0
    recycle_after: int = 500  # utterances; then a fresh worker, while idle (leaks, drift)
    sink: str = "auto"  # auto | portaudio | null
    # The earphone's own output (a PortAudio device name; "" = none): with the earphone
    # in, speech goes there alone, the speaker is silent, at the earphone's own volume.
    earphone_device: str = ""
    device: str | None = None

    def __post_init__(self) -> None:
        problem = volume_problem(self.volume_levels_db)
        if problem:
            raise ValueError(problem)
        if not 0 <= self.default_volume_index < len(self.volume_levels_db):
            raise ValueError("default_volume_index is outside volume_levels_db")
        if self.default_rate_wpm not in self.rates_wpm:
            raise ValueError("default_rate_wpm must be one of rates_wpm")

    @classmethod
    def from_table(cls, table: Table) -> SpeechConfig:
        """``[accessibility.speech]``; every field optional."""
        table.unknown_keys({"voices", "volume_levels_db", "default_volume_index", "rates_wpm",
                            "default_rate_wpm", "synth_timeout_s", "sink", "device",
                            "earphone_device", "block_ms", "recycle_after"})
        d = cls()
        voices = table.get("voices", dict, d.voices)
        if not all(isinstance(k, str) and isinstance(v, str) and v for k, v in voices.items()):
            raise table.error("voices", 'must map languages to voice names: { ko = "ko" }')
        levels = table.get("volume_levels_db", list, list(d.volume_levels_db))
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in levels):
            raise table.error("volume_levels_db", "must be a list of numbers (dB)")
        problem = volume_problem(tuple(float(v) for v in levels))
        if problem:
            raise table.error("volume_levels_db", problem)
        rates = table.get("rates_wpm", list, list(d.rates_wpm))
        if not rates or not all(isinstance(r, int) and 60 <= r <= 450 for r in rates):
            raise table.error("rates_wpm", "must be whole words-per-minute between 60 and 450")
        default_rate = table.get("default_rate_wpm", int, d.default_rate_wpm, choices=rates)
        return cls(
            voices=dict(voices), volume_levels_db=tuple(float(v) for v in levels),
            default_volume_index=table.get("default_volume_index", int,
                                           min(d.default_volume_index, len(levels) - 1),
                                           min=0, max=len(levels) - 1),
            rates_wpm=tuple(sorted(rates)), default_rate_wpm=default_rate,
            synth_timeout_s=table.get("synth_timeout_s", float, d.synth_timeout_s, min=0.2,
                                      max=30),
            sink=table.get("sink", str, d.sink, choices=("auto", "portaudio", "null")),
            device=table.get("device", str, d.device) if table.has("device") else None,
            earphone_device=table.get("earphone_device", str, d.earphone_device),
            block_ms=table.get("block_ms", float, d.block_ms, min=2, max=50),
            recycle_after=table.get("recycle_after", int, d.recycle_after, min=1,
                                    max=1_000_000),
        )


def volume_problem(levels: tuple[float, ...], rules: dict[str, Any] | None = None) -> str | None:
    """Why a volume scale breaks the rule (``[speech_volume]`` in the audit's rules.toml:
    an 18 dB range with a step 12 dB above the lowest; never above 0 dB full scale), or
    None. ``rules`` replaces the rules file (tests)."""
    rule = (rules if rules is not None else _rules()).get("speech_volume", {})
    min_range = float(rule.get("min_range_db", 18.0))
    step = float(rule.get("step_above_lowest_db", 12.0))
    if len(levels) < 2 or list(levels) != sorted(levels):
        return "volume levels must be at least two dB values, lowest first"
    if levels[-1] > 0:
        return "volume levels cannot exceed 0 dB (full scale)"
    if levels[-1] - levels[0] < min_range:
        return (f"volume range is {levels[-1] - levels[0]:g} dB; at least {min_range:g} dB "
                "is required")
    if not any(abs(v - levels[0] - step) <= 0.5 for v in levels):
        return f"one volume level must be {step:g} dB above the lowest"
    return None


@functools.lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    from .audit.rules import load_rules

    return load_rules()


def apply_gain(pcm: bytes, db: float) -> bytes:
    """Scale int16 PCM by ``db`` (<= 0: never clips)."""
    if db >= 0:
        return pcm
    gain = 10 ** (db / 20)
    samples = array.array("h")
    samples.frombytes(pcm)
    return array.array("h", [int(s * gain) for s in samples]).tobytes()


Listener = Callable[[Spoken], None]


# Utterances the transcript and history keep. Nothing reads far back (REPEAT uses the last
# one, the simulator's panel shows 40, tests and benches the few they asked for); 1000 is
# the last few dozen customers of a speech-mode day, about a megabyte at most.
KEEP = 1000


class SpeechEngine:
    """The speech queue, its speaker thread and the supervised synthesis worker."""

    def __init__(self, config: SpeechConfig | None = None, sink: AudioSink | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 on_spoken: Listener | None = None, keep: int = KEEP,
                 earphone_sink: AudioSink | None = None) -> None:
        self.config = config or SpeechConfig()
        # None: chosen in start(), off the first frame's path (probing PortAudio's devices
        # takes tens of milliseconds).
        self.sink: AudioSink | None = sink
        # The earphone's output (검증기준 3-2, 3-3): used alone while the earphone is in.
        self.earphone_sink: AudioSink | None = earphone_sink
        self.earphone_in = False
        self.clock = clock
        self.transcript: Recent[Spoken] = Recent(keep)
        self.history: Recent[Utterance] = Recent(keep)  # every utterance asked for, newest last
        self.restarts = 0  # workers killed because they stopped answering
        self.recycles = 0  # workers replaced after recycle_after utterances
        self._served = 0  # utterances the current worker synthesized
        self._listeners: list[Listener] = [on_spoken] if on_spoken else []
        self._ids = itertools.count(1)
        self._lock = threading.Condition()
        self._queue: list[Utterance] = []
        self._current: Utterance | None = None
        self._last: tuple[str, str] | None = None
        self._volume_index = self.config.default_volume_index
        # each output keeps its own volume: {earphone in: index}
        self._volumes = {False: self.config.default_volume_index,
                         True: self.config.default_volume_index}
        self._rate_wpm = self.config.default_rate_wpm
        self._default_volume_index = self.config.default_volume_index
        self._default_rate_wpm = self.config.default_rate_wpm
        self._running = False
        self._thread: threading.Thread | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self._inbox: Inbox | None = None
        self._jobs = itertools.count(1)
        self.sample_rate = speech_worker.SAMPLE_RATE

    # -- life cycle ---------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker (waits until it is ready, bounded) and the speaker thread."""
        if self._running:
            return
        self._start_worker()
        if self.sink is None:
            self.sink = make_sink(self.config.sink, self.config.device)
        self.sink.open(self.sample_rate)
        if self.earphone_sink is None and self.config.earphone_device:
            self.earphone_sink = make_sink("portaudio", self.config.earphone_device)
        if self.earphone_sink is not None:
            self.earphone_sink.open(self.sample_rate)
        self._running = True
        self._thread = threading.Thread(target=self._speaker, name="untact-speech",
                                        daemon=True)
        self._thread.start()

    def close(self) -> None:
        with self._lock:
            self._running = False
            for u in self._queue:
                self._finish(u, "dropped")
            self._queue.clear()
            if self._current:
                self._current.cancel.set()
            self._lock.notify_all()
        if self._thread:
            self._thread.join(timeout=2)
        self._stop_worker()
        for sink in (self.sink, self.earphone_sink):
            if sink is not None:
                sink.close()

    def __enter__(self) -> SpeechEngine:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def worker_pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def add_listener(self, fn: Listener) -> None:
        """``fn(Spoken)`` on the speaker thread when speech starts (captions: hand it to
        the UI thread, e.g. with ``Clock.schedule_once``)."""
        self._listeners.append(fn)

    def remove_listener(self, fn: Listener) -> None:
        if fn in self._listeners:
            self._listeners.remove(fn)

    # -- what the UI calls (non-blocking) ----------------------------------------------
    def speak(self, text: str, lang: str = "ko", priority: Priority = Priority.NORMAL,
              interrupt: bool = False, volume_db: float | None = None) -> Utterance:
        """Queue ``text``. A higher priority preempts what is playing; ``interrupt``
        also drops everything queued (use it for the answer to a user action);
        ``volume_db`` plays it at that level instead of the customer's volume."""
        u = Utterance(next(self._ids), str(text), lang, Priority(priority), time.perf_counter(),
                      volume_db=volume_db)
        with self._lock:
            self.history.append(u)
            if interrupt:
                self._make_stale(u.t_request)
            elif self._current is not None and u.priority > self._current.priority:
                self._cancel(self._current, u.t_request)
            self._queue.append(u)
            self._queue.sort(key=lambda q: (-q.priority, q.id))
            self._lock.notify_all()
        return u

    def user_action(self) -> None:
        """The customer did something: what is playing or queued is stale, silence it."""
        with self._lock:
            self._make_stale(time.perf_counter())
            self._lock.notify_all()

    def stop(self) -> None:
        """The stop key: silence now, forget the queue (REPEAT still works)."""
        self.user_action()

    def repeat(self) -> Utterance | None:
        """REPEAT: say the last thing spoken again."""
        last = self._last
        if last is None:
            return None
        return self.speak(last[0], last[1], Priority.FOCUS, interrupt=True)

    @property
    def busy(self) -> bool:
        with self._lock:
            return bool(self._queue) or self._current is not None

    def wait_idle(self, timeout: float) -> bool:
        """Block (tests, scripts; never the UI) until nothing is queued or playing."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._queue or self._current is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
        return True

    # -- output: speaker or earphone -----------------------------------------------------
    def set_earphone(self, plugged: bool) -> bool:
        """The earphone went in (or out). In: speech plays on the earphone's own output
        only, the speaker is silenced at once, and the volume is the earphone's own;
        out: back to the speaker at its volume. False if the kiosk has no earphone output
        (then speech stays on the speaker: say so to the merchant)."""
        with self._lock:
            if plugged == self.earphone_in:
                return self.earphone_sink is not None
            self._volumes[self.earphone_in] = self._volume_index
            old = self._open_sink() if self.sink is not None else None
            self.earphone_in = plugged
            self._volume_index = self._volumes[plugged]
            if self._current is not None and self.earphone_sink is not None:
                self._current.cancel.set()  # what was playing stops where it was
        if old is not None and self.earphone_sink is not None:
            old.abort()
        if self.earphone_sink is None:
            log.warning("earphone %s, but no earphone_device is set: speech stays on the "
                        "speaker", "in" if plugged else "out")
        return self.earphone_sink is not None

    @property
    def output(self) -> str:
        return "earphone" if self.earphone_in and self.earphone_sink is not None else "speaker"

    # -- volume and rate ----------------------------------------------------------------
    @property
    def volume_index(self) -> int:
        return self._volume_index

    @property
    def volume_db(self) -> float:
        return self.config.volume_levels_db[self._volume_index]

    def set_volume_index(self, index: int) -> int:
        """Clamp and set; takes effect within one block, even mid-utterance."""
        self._volume_index = max(0, min(len(self.config.volume_levels_db) - 1, index))
        return self._volume_index

    def volume_up(self) -> int:
        return self.set_volume_index(self._volume_index + 1)

    def volume_down(self) -> int:
        return self.set_volume_index(self._volume_index - 1)

    @property
    def rate_wpm(self) -> int:
        return self._rate_wpm

    def set_rate_wpm(self, wpm: int) -> int:
        """Nearest configured rate; applies from the next utterance."""
        self._rate_wpm = min(self.config.rates_wpm, key=lambda r: abs(r - wpm))
        return self._rate_wpm

    def _rate_step(self, step: int) -> int:
        rates = self.config.rates_wpm
        i = rates.index(self._rate_wpm) if self._rate_wpm in rates else 0
        return self.set_rate_wpm(rates[max(0, min(len(rates) - 1, i + step))])

    def rate_up(self) -> int:
        return self._rate_step(+1)

    def rate_down(self) -> int:
        return self._rate_step(-1)

    def set_defaults(self, volume_index: int | None = None, rate_wpm: int | None = None,
                     apply: bool = True) -> None:
        """The profile's defaults (e.g. slower speech for the elderly profile)."""
        if volume_index is not None:
            self._default_volume_index = max(0, min(len(self.config.volume_levels_db) - 1,
                                                    volume_index))
        if rate_wpm is not None:
            self._default_rate_wpm = min(self.config.rates_wpm, key=lambda r: abs(r - rate_wpm))
        if apply:
            self._volume_index, self._rate_wpm = self._default_volume_index, self._default_rate_wpm

    def reset_session(self) -> None:
        """The customer left: silence, forget, configured volume and rate again."""
        self.stop()
        self._default_volume_index = self.config.default_volume_index
        self._default_rate_wpm = self.config.default_rate_wpm
        self._volume_index, self._rate_wpm = self._default_volume_index, self._default_rate_wpm
        self._volumes = {False: self._default_volume_index, True: self._default_volume_index}
        self._last = None

    # -- internals ----------------------------------------------------------------------
    def _cancel(self, u: Utterance, t: float) -> None:
        if u.t_cancel is None:
            u.t_cancel = t
        u.cancel.set()

    def _make_stale(self, t: float) -> None:
        for q in self._queue:
            self._finish(q, "dropped")
        self._queue.clear()
        if self._current is not None:
            self._cancel(self._current, t)

    def _finish(self, u: Utterance, outcome: str) -> None:
        u.outcome = outcome
        u.done.set()

    def _start_worker(self) -> None:
        # A fresh interpreter (not fork: Kivy's threads; not multiprocessing's spawn: it
        # re-imports the app's main module), talking over a socket pair.
        ours, theirs = socket.socketpair()
        proc = subprocess.Popen(
            [sys.executable, "-m", "untact.accessibility.speech_worker", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            close_fds=True)
        theirs.close()
        conn = Connection(os.dup(ours.fileno()))
        ours.close()
        try:
            ok = conn.poll(self.config.startup_timeout_s)
            msg = conn.recv() if ok else None
        except (EOFError, OSError):
            msg = None
        if not msg or msg[0] != "ready":
            proc.kill()
            proc.wait(2)
            conn.close()
            raise RuntimeError("speech worker did not start (are pyttsx3 and espeak-ng "
                               "installed?)")
        self.sample_rate = msg[2]
        # A reader thread owns recv(): a worker stopped halfway through sending a message
        # would block recv() forever, so the speaker waits on this queue with a timeout.
        inbox: Inbox = queue.Queue()
        threading.Thread(target=_read_worker, args=(conn, inbox), daemon=True,
                         name=f"untact-speech-reader-{proc.pid}").start()
        self._proc, self._conn, self._inbox = proc, conn, inbox
        self._served = 0

    def _stop_worker(self) -> None:
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if conn is not None:
            try:
                conn.send(("quit",))
            except (OSError, ValueError):
                pass
        if proc is not None:
            try:
                proc.wait(1)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(2)
        if conn is not None:
            conn.close()

    def _restart_worker(self, why: str) -> None:
        log.warning("restarting the speech worker: %s", why)
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if proc is not None:
            proc.kill()  # SIGKILL also ends a stopped (SIGSTOP) or wedged process
            try:
                proc.wait(2)
            except subprocess.TimeoutExpired:
                log.error("speech worker %s did not die", proc.pid)
        if conn is not None:
            conn.close()
        self.restarts += 1
        self._start_worker()

    def _recycle_worker(self) -> None:
        """Replace a long-serving worker while nothing is waiting to be said."""
        self._stop_worker()
        try:
            self._start_worker()
        except RuntimeError as exc:  # the next utterance will try again
            log.error("speech worker recycle failed: %s", exc)
        self.recycles += 1

    def _next(self) -> Utterance | None:
        with self._lock:
            while self._running and not self._queue:
                self._lock.wait()
            if not self._running:
                return None
            u = self._queue.pop(0)
            self._current = u
            return u

    def _speaker(self) -> None:
        while True:
            u = self._next()
            if u is None:
                return
            try:
                outcome = self._play(u)
            except Exception as exc:  # never let one utterance kill the voice
                log.exception("speech failed: %s", exc)
                outcome = "failed"
            self._served += 1
            with self._lock:
                self._finish(u, outcome)
                recycle = (not self._queue and self._running
                           and self._served >= self.config.recycle_after)
                if not recycle:
                    self._current = None
                    self._lock.notify_all()
            if recycle:  # still "busy" meanwhile, so wait_idle() covers it
                self._recycle_worker()
                with self._lock:
                    self._current = None
                    self._lock.notify_all()

    def _play(self, u: Utterance) -> str:
        voice = self.config.voices.get(u.lang) or self.config.voices.get("en", "en")
        while u.attempts < 2:
            u.attempts += 1
            if self._conn is None:
                self._restart_worker("no worker")
            result = self._play_once(u, voice)
            if result != "hung":
                return result
            self._restart_worker(f"no audio within {self.config.synth_timeout_s:g} s")
            if u.cancel.is_set():
                return self._silenced(u)
        return "failed"

    def _open_sink(self) -> AudioSink:
        """The earphone's output while it is in (when the kiosk has one), else the speaker."""
        if self.earphone_in and self.earphone_sink is not None:
            return self.earphone_sink
        assert self.sink is not None, "start() opened the sink"
        return self.sink

    def _silenced(self, u: Utterance) -> str:
        self._open_sink().abort()
        u.t_stopped = time.perf_counter()
        return "interrupted"

    def _play_once(self, u: Utterance, voice: str) -> str:
        job = next(self._jobs)
        conn, inbox = self._conn, self._inbox
        assert conn is not None and inbox is not None, "_play started the worker"
        try:
            conn.send(("say", job, u.text, voice, self._rate_wpm))
        except (OSError, ValueError):
            return "hung"
        block = max(2, int(self.sample_rate * self.config.block_ms / 1000)) * 2
        deadline = time.monotonic() + self.config.synth_timeout_s
        while True:
            if u.cancel.is_set():
                try:
                    conn.send(("cancel", job))
                except (OSError, ValueError):
                    pass
                return self._silenced(u)
            try:
                msg = inbox.get(timeout=0.005)
            except queue.Empty:
                if time.monotonic() > deadline:
                    return "hung"
                continue
            if msg is None:  # the worker died
                return "hung"
            if msg[1] != job:
                continue  # stale audio of a cancelled job
            if msg[0] == "error":
                log.error("speech worker: %s", msg[2])
                return "failed"
            _, _, _index, pcm, last = msg
            for start in range(0, len(pcm), block):
                gain = u.volume_db if u.volume_db is not None else self.volume_db
                data = apply_gain(pcm[start:start + block], gain)
                if not self._open_sink().write(data, u.cancel):
                    return self._silenced(u)
                if u.t_first_audio is None:
                    self._started(u)
            if last:
                if not self._open_sink().drain(u.cancel):
                    return self._silenced(u)
                return "played"
            deadline = time.monotonic() + self.config.synth_timeout_s

    def _started(self, u: Utterance) -> None:
        u.t_first_audio = time.perf_counter()
        u.started.set()
        spoken = Spoken(self.clock(), u.text, u.lang)
        self.transcript.append(spoken)
        self._last = (u.text, u.lang)
        for fn in list(self._listeners):
            try:
                fn(spoken)
            except Exception:
                log.exception("speech listener failed")


def _read_worker(conn: Connection, inbox: Inbox) -> None:
    """Move the worker's messages to ``inbox``; None when the worker is gone."""
    try:
        while True:
            inbox.put(conn.recv())
    except (EOFError, OSError, ValueError):
        inbox.put(None)


def null_engine(config: SpeechConfig | None = None, capture: bool = False) -> SpeechEngine:
    """An engine that synthesizes for real but plays into a real-time null sink."""
    return SpeechEngine(config, sink=NullSink(capture=capture))
