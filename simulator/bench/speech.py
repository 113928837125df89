"""Speech latency: user action to stale speech stopped, and request to first audio.

Real synthesis (espeak-ng in the supervised worker). Two outputs:
- ``speech_first_audio_ms`` and ``speech_interrupt_ms``: through a real output, the
  kiosk's own: ``PortAudioSink`` -> PortAudio -> ALSA -> a PulseAudio server (started
  here, stopped after) whose null sink stands in for the sound card. Measured where the
  audio arrives, at the sink's monitor: request to the first audible sample recorded
  there, and user action to the last audible sample recorded there. Skipped, with the
  reason, where no PulseAudio server can be started.
- ``*_nullsink_ms``: the same queue into the real-time ``NullSink`` (timing as the
  engine sees it: when it wrote the first block, when it silenced the sink).
References measured in the same run:
- first audio: the raw synthesis time of the same first clause in-process (no queue, no
  process hop); and the output path alone: a tone written straight to a PortAudioSink
  until it is recorded at the monitor;
- interrupt: how long one thread takes to see an Event another thread sets (the wake-up
  floor of any cross-thread stop); and the output path alone: a playing tone aborted
  until the monitor records silence.
Targets: speech_interrupt_ms p95 <= 50, speech_first_audio_ms p95 <= 150.
"""

from __future__ import annotations

import array
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable

from untact.accessibility import speech_worker
from untact.accessibility.audio_sink import NullSink
from untact.accessibility.speech import Priority, SpeechConfig, SpeechEngine
from untact.accessibility.speech_worker import Synthesizer, split_clauses

from ..sound_server import NullSoundServer, SoundServerUnavailable
from . import metric, p95_metric, percentile

PHRASES = [
    ("아이스 아메리카노, 4,500원, 버튼", "ko"),
    ("Iced Americano, 4,500 won, button", "en"),
    ("카페라테, 5,000원, 버튼, 8개 중 2번째", "ko"),
    ("Cafe Latte, 5,000 won, button, 2 of 8", "en"),
]
LONG = ("메뉴 화면입니다. 커피, 차, 음료, 베이커리 중에서 고르세요. "
        "다음과 이전으로 움직이고, 선택으로 고릅니다.", "ko")
N = 30


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def _ms_since(t: float | None, t0: float) -> float:
    """Milliseconds from ``t0`` to ``t``, a time the engine has recorded by now."""
    if t is None:
        raise RuntimeError("the speech engine recorded no time")
    return _ms(t - t0)


def _thread_wake_ms(n: int) -> list[float]:
    out = []
    for _ in range(n):
        ev, seen = threading.Event(), list[float]()

        def waiter(ev=ev, seen=seen):
            ev.wait(5)
            seen.append(time.perf_counter())

        th = threading.Thread(target=waiter)
        th.start()
        time.sleep(0.02)
        t0 = time.perf_counter()
        ev.set()
        th.join()
        out.append(_ms(seen[0] - t0))
    return out


def run() -> Iterable[dict]:
    rng = random.Random(7)
    cfg = SpeechConfig()
    voices = cfg.voices
    synth = Synthesizer()
    raw = []
    for i in range(N):
        text, lang = PHRASES[i % len(PHRASES)]
        t0 = time.perf_counter()
        synth.synth(split_clauses(text)[0], voices[lang], cfg.default_rate_wpm)
        raw.append(_ms(time.perf_counter() - t0))

    with SpeechEngine(cfg, sink=NullSink()) as eng:
        eng.speak("준비", "ko").done.wait(10)  # warm: voices loaded, caches filled
        first = []
        for i in range(N):
            text, lang = PHRASES[i % len(PHRASES)]
            u = eng.speak(text, lang, Priority.FOCUS, interrupt=True)
            if not u.started.wait(5):
                raise RuntimeError("no audio within 5 s")
            first.append(_ms_since(u.t_first_audio, u.t_request))
            eng.user_action()
            u.done.wait(5)
        interrupt = []
        for _ in range(N):
            u = eng.speak(*LONG, Priority.NORMAL)
            if not u.started.wait(5):
                raise RuntimeError("no audio within 5 s")
            u.done.wait(rng.uniform(0.05, 0.4))  # land somewhere mid-utterance
            t0 = time.perf_counter()
            eng.user_action()
            if not u.done.wait(2):
                raise RuntimeError("speech not stopped within 2 s")
            interrupt.append(_ms_since(u.t_stopped, t0))
        first_long = []
        for _ in range(N // 3):
            u = eng.speak(*LONG, Priority.FOCUS, interrupt=True)
            if not u.started.wait(5):
                raise RuntimeError("no audio within 5 s")
            first_long.append(_ms_since(u.t_first_audio, u.t_request))
            eng.user_action()
            u.done.wait(5)
        recovery = []
        for _ in range(2):
            pid = eng.worker_pid
            if pid is None:
                raise RuntimeError("the speech worker is not running")
            os.kill(pid, signal.SIGSTOP)
            u = eng.speak("다시 시작했습니다", "ko", Priority.FOCUS, interrupt=True)
            if not u.started.wait(30):
                raise RuntimeError(f"no recovery: {u.outcome} after {u.attempts} attempts")
            recovery.append(_ms_since(u.t_first_audio, u.t_request))
            u.done.wait(10)
    wake = _thread_wake_ms(N)

    sink = "null (real-time, 50 ms buffer)"
    yield from _real_output(cfg)
    yield p95_metric("speech_first_audio_nullsink_ms", first, target=150, sink=sink)
    yield p95_metric("speech_first_audio_long_ms", first_long, target=150, chars=len(LONG[0]),
                     note="screen-entry announcement: clauses stream")
    yield p95_metric("speech_first_audio_ref_raw_synth_ms", raw,
                     note="espeak-ng synthesis of the same first clause, in-process")
    yield p95_metric("speech_interrupt_nullsink_ms", interrupt, target=50, sink=sink)
    yield p95_metric("speech_interrupt_ref_thread_wake_ms", wake,
                     note="Event.set() in one thread to another thread running")
    yield metric("speech_hang_recovery_ms", max(recovery), "ms", stat="max", n=len(recovery),
                 synth_timeout_ms=_ms(cfg.synth_timeout_s),
                 note="worker SIGSTOPped; request to first audio via a restarted worker")


# -- through a real output ---------------------------------------------------------------
REAL_METRICS = ("speech_first_audio_ms", "speech_interrupt_ms")


def _real_output(cfg: SpeechConfig) -> Iterable[dict]:
    """Start a PulseAudio null sink, measure in a child process (PortAudio reads the ALSA
    configuration once, at load), stop the server. Never hangs: bounded everywhere."""
    try:
        server = NullSoundServer(speech_worker.SAMPLE_RATE)
        server.start()
    except SoundServerUnavailable as exc:
        for name in REAL_METRICS:
            yield {"metric": name, "value": None, "unit": "ms",
                   "skipped": f"no real audio output could be started here: {exc}"}
        return
    try:
        out = subprocess.run([sys.executable, "-m", __name__, "--real-output"],
                             env=dict(os.environ, **server.env), capture_output=True,
                             text=True, timeout=600)
    except subprocess.TimeoutExpired:
        out = None
    finally:
        server.stop()
    rows = [json.loads(line) for line in (out.stdout if out else "").splitlines()
            if line.startswith("{")]
    if out is None or out.returncode != 0 or not rows:
        why = "timed out" if out is None else (out.stderr.strip().splitlines() or ["?"])[-1]
        for name in REAL_METRICS:
            yield {"metric": name, "value": None, "unit": "ms",
                   "skipped": f"real-output measurement failed: {why}"}
        return
    yield from rows


def _measure_real_output(n: int = N) -> Iterable[dict]:
    """In the child process, whose environment points ALSA and parec at the server."""
    from untact.accessibility.audio_sink import PortAudioSink

    from ..sound_server import ALSA_DEVICE, Monitor

    rng = random.Random(11)
    cfg = SpeechConfig()
    rate = speech_worker.SAMPLE_RATE
    mon = Monitor(dict(os.environ), rate, threshold=speech_worker.SILENCE_LEVEL, chunk_ms=2)
    try:
        if not mon.started.wait(5):
            raise RuntimeError("the sink's monitor records nothing")
        path, path_stop = _output_path_reference(PortAudioSink(ALSA_DEVICE), mon, rate, n)
        with SpeechEngine(cfg, sink=PortAudioSink(ALSA_DEVICE)) as eng:
            eng.speak("준비", "ko").done.wait(10)
            first, first_engine = [], []
            for i in range(n):
                mon.wait_quiet(0.1, 2)
                text, lang = PHRASES[i % len(PHRASES)]
                u = eng.speak(text, lang, Priority.FOCUS, interrupt=True)
                heard = mon.first_loud_after(u.t_request, 5)
                if heard is None or not u.started.wait(5):
                    raise RuntimeError("nothing audible reached the sink within 5 s")
                first.append(_ms(heard - u.t_request))
                first_engine.append(_ms_since(u.t_first_audio, u.t_request))
                eng.user_action()
                u.done.wait(5)
            stop, stop_engine = [], []
            for _ in range(n):
                mon.wait_quiet(0.1, 2)
                u = eng.speak(*LONG, Priority.NORMAL)
                if mon.first_loud_after(u.t_request, 5) is None:
                    raise RuntimeError("nothing audible reached the sink within 5 s")
                u.done.wait(rng.uniform(0.05, 0.4))  # land somewhere mid-utterance
                t0 = time.perf_counter()
                eng.user_action()
                last = mon.last_loud_between(t0, t0 + 0.4)
                if not u.done.wait(2):
                    raise RuntimeError("speech not stopped within 2 s")
                stop.append(_ms(last - t0) if last is not None else 0.0)
                stop_engine.append(_ms_since(u.t_stopped, t0))
    finally:
        mon.close()
    out = "PortAudio -> ALSA pulse plugin -> PulseAudio null sink, read at its monitor"
    yield p95_metric("speech_first_audio_ms", first, target=150, output=out,
                     engine_side_p95=round(percentile(first_engine, 95), 2),
                     note="request to the first audible sample recorded at the sink")
    yield p95_metric("speech_output_path_ref_ms", path, output=out,
                     note="a tone written straight to PortAudioSink until recorded at the sink")
    yield p95_metric("speech_interrupt_ms", stop, target=50, output=out,
                     engine_side_p95=round(percentile(stop_engine, 95), 2),
                     note="user action to the last audible sample recorded at the sink")
    yield p95_metric("speech_output_stop_ref_ms", path_stop, output=out,
                     note="PortAudioSink.abort() of a playing tone until the sink is silent")


def _output_path_reference(sink, mon, rate: int, n: int) -> tuple[list[float], list[float]]:
    """The output path alone, no synthesis or queue: a 300 ms tone written in 10 ms
    blocks; time to its first sample at the monitor, and from abort() to silence."""
    block = array.array("h", [6000 if (i // 20) % 2 else -6000
                              for i in range(rate // 100)]).tobytes()
    never = threading.Event()
    path, stop = [], []
    sink.open(rate)
    try:
        for _ in range(n):
            mon.wait_quiet(0.1, 2)
            t0 = time.perf_counter()
            sink.write(block, never)
            heard = mon.first_loud_after(t0, 2)
            if heard is None:
                raise RuntimeError("a tone written to PortAudio never reached the sink")
            path.append(_ms(heard - t0))
            for _ in range(29):
                sink.write(block, never)
            t1 = time.perf_counter()
            sink.abort()
            last = mon.last_loud_between(t1, t1 + 0.3)
            stop.append(_ms(last - t1) if last is not None else 0.0)
    finally:
        sink.close()
    return path, stop


if __name__ == "__main__" and sys.argv[1:] == ["--real-output"]:
    for row in _measure_real_output():
        print(json.dumps(row, ensure_ascii=False), flush=True)
