"""The synthesis worker: pyttsx3 on espeak-ng, in its own process, supervised.

pyttsx3 is known to hang or cut utterances in long-running processes, and its Linux
``say()`` shells out to ``aplay``. So the kiosk never calls it on the UI thread nor even
in the UI process: this worker only *synthesizes* (``save_to_file`` into memory) and
sends raw PCM back over a pipe; the engine in the UI process plays it through a sink it
controls, and kills and restarts this process when it stops answering.

Text is split into clauses and each is sent as soon as it is synthesized, so the first
audio does not wait for a long announcement to be synthesized whole.

Messages (tuples over a ``multiprocessing`` connection):
  parent -> worker: ("say", job, text, voice, rate_wpm) | ("cancel", job) | ("quit",)
  worker -> parent: ("ready", pid, sample_rate) | ("audio", job, index, pcm, last)
                    | ("error", job, message)
"""

from __future__ import annotations

import array
import contextlib
import io
import os
import re
import sys
import wave

SAMPLE_RATE = 22050  # what pyttsx3's espeak driver writes
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
    """pyttsx3 used only to synthesize into memory."""

    def __init__(self) -> None:
        import pyttsx3

        self.engine = pyttsx3.init("espeak")
        self._voice: str | None = None
        self._rate: int | None = None

    def synth(self, text: str, voice: str, rate_wpm: int) -> bytes:
        if voice != self._voice:
            self.engine.setProperty("voice", voice)
            self._voice = voice
        if rate_wpm != self._rate:
            self.engine.setProperty("rate", int(rate_wpm))
            self._rate = rate_wpm
        buf = io.BytesIO()
        with contextlib.redirect_stdout(io.StringIO()):  # it prints "Audio saved to ..."
            self.engine.save_to_file(text, buf)
            self.engine.runAndWait()
        buf.seek(0)
        if not buf.getbuffer().nbytes:
            return b""
        with wave.open(buf, "rb") as w:
            return w.readframes(w.getnframes())


def serve(conn) -> None:
    """Worker main loop; returns on "quit" or when the parent goes away."""
    synth = Synthesizer()
    try:
        _serve(conn, synth)
    except (BrokenPipeError, ConnectionResetError, EOFError):
        return  # the engine went away (closed or restarted us): nothing to report


def _serve(conn, synth: Synthesizer) -> None:
    conn.send(("ready", os.getpid(), SAMPLE_RATE))
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


def main(conn) -> None:
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
