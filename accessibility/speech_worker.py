"""The synthesis worker: pyttsx3 on espeak-ng, in its own process, supervised.

pyttsx3 is known to hang or cut utterances in long-running processes, and its Linux
``say()`` shells out to ``aplay``. So the kiosk never calls it on the UI thread nor even
in the UI process: this worker only *synthesizes* (espeak-ng in its synchronous mode,
through pyttsx3's binding, into memory: see :class:`Synthesizer` for why not through
pyttsx3's ``Engine``) and sends raw PCM back over a pipe; the engine in the UI process
plays it through a sink it controls, and kills and restarts this process when it stops
answering.

Text is split into clauses and each is sent as soon as it is synthesized, so the first
audio does not wait for a long announcement to be synthesized whole.

Messages (tuples over a ``multiprocessing`` connection):
  parent -> worker: ("say", job, text, voice, rate_wpm) | ("cancel", job) | ("quit",)
  worker -> parent: ("ready", pid, sample_rate) | ("audio", job, index, pcm, last)
                    | ("error", job, message)
"""

from __future__ import annotations

import array
import ctypes
import os
import re
import sys
from multiprocessing.connection import Connection
from types import ModuleType

SAMPLE_RATE = 22050  # what espeak-ng produces (the worker reports the real one)
_CLAUSE = re.compile(r"(?<=[.!?,;:。])\s+")
SILENCE_LEVEL = 200  # int16 amplitude under which leading samples are trimmed
MAX_TEXT = 2000


def split_clauses(text: str, max_chars: int = 120) -> list[str]:
    """Clauses at punctuation followed by a space ("4,500원" stays whole)."""
    out: list[str] = []
    for part in _CLAUSE.split(text.strip()):
        part = part.strip()
        while len(part) > max_chars:  # a run-on phrase: cut at the last space before max
            cut = part.rfind(" ", 0, max_chars)
            cut = cut if cut > 0 else max_chars
            out.append(part[:cut].strip())
            part = part[cut:].strip()
        if part:
            out.append(part)
    return out


def trim_leading_silence(pcm: bytes, keep_frames: int = 220) -> bytes:
    """Drop espeak's leading silence so the first sound comes sooner (keep ~10 ms)."""
    samples = array.array("h")
    samples.frombytes(pcm[: len(pcm) - len(pcm) % 2])
    for i, s in enumerate(samples):
        if s > SILENCE_LEVEL or s < -SILENCE_LEVEL:
            return pcm[max(0, i - keep_frames) * 2:]
    return pcm


class Synthesizer:
    """espeak-ng through pyttsx3's binding, in synchronous mode, synthesizing into memory.

    Not through pyttsx3's ``Engine`` (``save_to_file`` + ``runAndWait``), which lost
    rate changes: its espeak driver runs espeak-ng in the asynchronous RETRIEVAL mode,
    where ``espeak_SetParameter`` (the rate) is only queued for espeak's own command
    thread, and ``runAndWait()`` always calls the driver's ``stop()``, which calls
    ``espeak_Cancel()`` if that thread is busy at that instant. ``espeak_Cancel`` drops
    the queued rate change and resets every parameter to the last one applied, so
    whether a customer's "slower" took effect depended on thread timing (a change right
    after a clause, or on a loaded machine, lost it), and it was then remembered as set
    and never sent again. The same ``stop()`` could cancel the clause just queued (pyttsx3
    "cutting utterances"). In synchronous mode every call runs in this thread, in order,
    and ``espeak_Synth`` returns with the clause complete: nothing is queued or cancelled.
    pyttsx3's Engine cannot drive that mode (its loop waits for an end-of-message event
    only the asynchronous mode sends), so this class calls the binding directly.

    espeak-ng is one state per process (initialised once, one callback; ``pyttsx3.init``
    likewise caches one engine per driver), so the voice and rate in effect are read
    back from espeak-ng before every clause, never remembered per object.
    """

    def __init__(self) -> None:
        from pyttsx3.drivers import _espeak

        self._espeak = _espeak
        self.sample_rate = _init_espeak_synchronously(_espeak)
        # espeak_GetParameter(parameter, current): pyttsx3 binds it with one argument,
        # which leaves ``current`` (1 = the value in effect) to chance.
        self._get_parameter = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_int)(
            ("espeak_GetParameter", _espeak.dll))
        self._chunks: list[bytes] = []
        self._voice_ids: dict[str, str] = {}  # requested name -> espeak identifier

    def current_rate(self) -> int:
        """The rate espeak-ng uses for the next clause, in words per minute."""
        rate: int = self._get_parameter(self._espeak.RATE, 1)
        return rate

    def current_voice(self) -> str | None:
        """The identifier of espeak-ng's current voice (e.g. ``sit/ko``)."""
        voice = self._espeak.GetCurrentVoice()
        if not voice or not voice.contents.identifier:
            return None
        identifier: bytes = voice.contents.identifier
        return identifier.decode("utf-8", "replace")

    def set_voice(self, voice: str) -> None:
        if self._voice_ids.get(voice) and self._voice_ids[voice] == self.current_voice():
            return
        self._voice_ids.pop(voice, None)
        if self._espeak.SetVoiceByName(voice.encode("utf-8")) != 0:
            raise ValueError(f"espeak-ng has no voice {voice!r}")
        self._voice_ids[voice] = self.current_voice() or ""

    def set_rate(self, rate_wpm: int) -> None:
        if self.current_rate() != rate_wpm:
            self._espeak.SetParameter(self._espeak.RATE, rate_wpm, 0)
        if self.current_rate() != rate_wpm:  # e.g. outside espeak-ng's 80..450
            raise ValueError(f"espeak-ng kept {self.current_rate()} wpm, not {rate_wpm}")

    def synth(self, text: str, voice: str, rate_wpm: int) -> bytes:
        """16-bit mono PCM at :attr:`sample_rate`; returns when the clause is complete."""
        self.set_voice(voice)
        self.set_rate(int(rate_wpm))
        self._chunks = []
        self._espeak.SetSynthCallback(self._on_synth)  # the process has one: take it
        status = self._espeak.Synth(text.encode("utf-8"),
                                    flags=self._espeak.ENDPAUSE | self._espeak.CHARS_UTF8)
        if status != 0:
            raise RuntimeError(f"espeak_Synth failed with status {status}")
        pcm, self._chunks = b"".join(self._chunks), []
        return pcm

    def _on_synth(self, wav: ctypes._Pointer[ctypes.c_short], numsamples: int,
                  events: object) -> int:
        if numsamples > 0:
            self._chunks.append(ctypes.string_at(wav, numsamples * 2))
        return 0  # 0: go on


def _init_espeak_synchronously(_espeak: ModuleType) -> int:
    """Initialise espeak-ng in AUDIO_OUTPUT_SYNCHRONOUS mode, once per process, and tell
    pyttsx3's espeak driver it is done (so ``pyttsx3.init()`` in the same process cannot
    switch it to the asynchronous mode). Returns the sample rate."""
    from pyttsx3.drivers.espeak import EspeakDriver

    rate: int | None = getattr(EspeakDriver, "_untact_sample_rate", None)
    if rate:
        return rate
    if EspeakDriver._moduleInitialized:
        raise RuntimeError("espeak-ng was already initialised asynchronously in this "
                           "process; rate changes would be lost (see Synthesizer)")
    rate = _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 200)
    if rate <= 0:
        raise RuntimeError("could not initialise espeak-ng")
    voice = _espeak.GetCurrentVoice()
    default = voice.contents.name.decode("utf-8") if voice and voice.contents.name else ""
    EspeakDriver._defaultVoice = default or "en"
    EspeakDriver._moduleInitialized = True
    EspeakDriver._untact_sample_rate = rate
    return rate


def serve(conn: Connection) -> None:
    """Worker main loop; returns on "quit" or when the parent goes away."""
    synth = Synthesizer()
    try:
        _serve(conn, synth)
    except (BrokenPipeError, ConnectionResetError, EOFError):
        return  # the engine went away (closed or restarted us): nothing to report


def _serve(conn: Connection, synth: Synthesizer) -> None:
    conn.send(("ready", os.getpid(), synth.sample_rate))
    pending = None
    while True:
        try:
            msg = pending or conn.recv()
        except (EOFError, OSError):
            return
        pending = None
        if msg[0] == "quit":
            return
        if msg[0] != "say":
            continue  # a late "cancel" for a job already done
        _, job, text, voice, rate = msg
        clauses = split_clauses(str(text)[:MAX_TEXT]) or [""]
        for i, clause in enumerate(clauses):
            if conn.poll():  # a newer request or a cancel: stop this job now
                nxt = conn.recv()
                if nxt[0] == "quit":
                    return
                if nxt[0] == "say":
                    pending = nxt
                break
            try:
                pcm = synth.synth(clause, voice, rate) if clause else b""
            except Exception as exc:  # a bad voice name etc.: report, keep serving
                conn.send(("error", job, f"{type(exc).__name__}: {exc}"))
                break
            if i == 0:
                pcm = trim_leading_silence(pcm)
            conn.send(("audio", job, i, pcm, i == len(clauses) - 1))


def main(conn: Connection) -> None:
    """Process entry point (spawned by :class:`untact.accessibility.speech.SpeechEngine`)."""
    try:
        serve(conn)
    finally:
        try:
            conn.close()
        except OSError:
            pass


if __name__ == "__main__":
    from multiprocessing.connection import Connection

    main(Connection(int(sys.argv[1])))
