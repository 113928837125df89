"""Speech latency: user action to stale speech stopped, and request to first audio.

Real synthesis (pyttsx3 on espeak-ng in the supervised worker) into the real-time null
sink (no sound card here; on a kiosk PortAudio adds its output latency, ~10-30 ms).
References measured in the same run:
- first audio: the raw synthesis time of the same first clause with pyttsx3/espeak-ng
  in-process (no queue, no process hop): the floor the engine adds to;
- interrupt: how long one thread takes to see an Event another thread sets (the wake-up
  floor of any cross-thread stop on this machine under the same load).
Targets: speech_interrupt_ms p95 <= 50, speech_first_audio_ms p95 <= 150.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from collections.abc import Iterable

from untact.accessibility.audio_sink import NullSink
from untact.accessibility.speech import Priority, SpeechConfig, SpeechEngine
from untact.accessibility.speech_worker import Synthesizer, split_clauses
from untact.simulator.bench import median, metric, percentile

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


def _thread_wake_ms(n: int) -> list[float]:
    out = []
    for _ in range(n):
        ev, seen = threading.Event(), []

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
            first.append(_ms(u.t_first_audio - u.t_request))
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
            interrupt.append(_ms(u.t_stopped - t0))
        first_long = []
        for _ in range(N // 3):
            u = eng.speak(*LONG, Priority.FOCUS, interrupt=True)
            if not u.started.wait(5):
                raise RuntimeError("no audio within 5 s")
            first_long.append(_ms(u.t_first_audio - u.t_request))
            eng.user_action()
            u.done.wait(5)
        recovery = []
        for _ in range(2):
            os.kill(eng.worker_pid, signal.SIGSTOP)
            u = eng.speak("다시 시작했습니다", "ko", Priority.FOCUS, interrupt=True)
            if not u.started.wait(30):
                raise RuntimeError(f"no recovery: {u.outcome} after {u.attempts} attempts")
            recovery.append(_ms(u.t_first_audio - u.t_request))
            u.done.wait(10)
    wake = _thread_wake_ms(N)

    sink = "null (real-time, 50 ms buffer)"
    yield metric("speech_first_audio_ms", percentile(first, 95), "ms", stat="p95",
                 median=round(median(first), 2), n=N, target=150, sink=sink)
    yield metric("speech_first_audio_long_ms", percentile(first_long, 95), "ms", stat="p95",
                 median=round(median(first_long), 2), n=len(first_long), target=150,
                 chars=len(LONG[0]), note="screen-entry announcement: clauses stream")
    yield metric("speech_first_audio_ref_raw_synth_ms", percentile(raw, 95), "ms", stat="p95",
                 median=round(median(raw), 2), n=N,
                 note="pyttsx3/espeak-ng synthesis of the same first clause, in-process")
    yield metric("speech_interrupt_ms", percentile(interrupt, 95), "ms", stat="p95",
                 median=round(median(interrupt), 2), n=N, target=50, sink=sink)
    yield metric("speech_interrupt_ref_thread_wake_ms", percentile(wake, 95), "ms", stat="p95",
                 median=round(median(wake), 2), n=N,
                 note="Event.set() in one thread to another thread running")
    yield metric("speech_hang_recovery_ms", max(recovery), "ms", stat="max", n=len(recovery),
                 synth_timeout_ms=_ms(cfg.synth_timeout_s),
                 note="worker SIGSTOPped; request to first audio via a restarted worker")
