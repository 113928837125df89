"""The speech queue with real synthesis: pyttsx3 on espeak-ng in the supervised worker,
played into a real-time null sink (this machine has no sound card)."""

from __future__ import annotations

import array
import math
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from untact.accessibility.audio_sink import NullSink
from untact.accessibility.speech import KEEP, Priority, SpeechConfig, SpeechEngine, apply_gain, volume_problem
from untact.accessibility.speech_worker import Synthesizer

LONG_KO = "메뉴 화면입니다. 커피, 차, 음료, 베이커리 중에서 고르세요. 다음과 이전으로 움직입니다."
SHORT_KO = "아이스 아메리카노, 4,500원, 버튼"


@pytest.fixture(scope="module")
def engine():
    sink = NullSink(capture=True)
    # Generous: on a loaded 2-core machine a slow-rate clause can take over a second to
    # synthesise, and a timeout there restarts the worker mid-test (the hang test waits it out).
    eng = SpeechEngine(SpeechConfig(synth_timeout_s=4.0), sink=sink)
    eng.start()
    yield eng
    eng.close()


@pytest.fixture(autouse=True)
def _quiet(engine):
    engine.stop()
    assert engine.wait_idle(5)
    engine.reset_session()
    yield


def rms_db(pcm: bytes) -> float:
    a = array.array("h")
    a.frombytes(pcm)
    return 20 * math.log10(math.sqrt(sum(s * s for s in a) / len(a)))


def test_speaks_korean_and_english_into_the_transcript(engine):
    ko = engine.speak(SHORT_KO, "ko")
    en = engine.speak("Iced Americano, 4,500 won, button", "en")
    assert en.done.wait(15) and ko.done.is_set()
    assert (ko.outcome, en.outcome) == ("played", "played")
    texts = [(t.text, t.lang) for t in engine.transcript[-2:]]
    assert texts == [(SHORT_KO, "ko"), ("Iced Americano, 4,500 won, button", "en")]
    assert engine.transcript[-2].time <= engine.transcript[-1].time


def test_higher_priority_preempts_and_queue_orders_by_priority(engine):
    a = engine.speak(LONG_KO, "ko", Priority.NORMAL)
    assert a.started.wait(5)
    b = engine.speak("힌트", "ko", Priority.HINT)
    c = engine.speak("담았습니다", "ko", Priority.NORMAL)
    d = engine.speak("곧 처음 화면으로 돌아갑니다", "ko", Priority.URGENT)
    assert b.done.wait(20)
    assert a.outcome == "interrupted"
    assert [x.outcome for x in (b, c, d)] == ["played"] * 3
    order = [t.text for t in engine.transcript[-4:]]
    assert order == [LONG_KO, d.text, c.text, b.text]


def test_user_action_silences_stale_speech_and_drops_the_queue(engine):
    sink = engine.sink
    a = engine.speak(LONG_KO, "ko")
    queued = engine.speak("아직 말하지 않은 안내", "ko")
    assert a.started.wait(5)
    engine.user_action()
    assert a.done.wait(2) and queued.done.wait(2)
    assert (a.outcome, queued.outcome) == ("interrupted", "dropped")
    assert a.t_stopped is not None and a.t_stopped >= a.t_cancel
    played = sink.frames_played
    time.sleep(0.1)  # a window of real time: nothing may keep playing after the interrupt
    assert sink.frames_played == played
    assert queued.text not in [t.text for t in engine.transcript]


def test_repeat_says_the_last_thing_again_and_stop_silences(engine):
    u = engine.speak("아메리카노, 버튼", "ko")
    assert u.done.wait(10) and u.outcome == "played"
    r = engine.repeat()
    assert r is not None and r.done.wait(10) and r.outcome == "played"
    assert [t.text for t in engine.transcript[-2:]] == ["아메리카노, 버튼"] * 2
    long_ = engine.speak(LONG_KO, "ko")
    assert long_.started.wait(5)
    engine.stop()
    assert long_.done.wait(2) and long_.outcome == "interrupted"


def test_volume_levels_measured_in_db(engine):
    cfg = engine.config
    assert cfg.volume_levels_db[-1] - cfg.volume_levels_db[0] >= 18
    levels = {}
    for index in (0, 2, len(cfg.volume_levels_db) - 1):
        engine.set_volume_index(index)
        engine.sink.captured.clear()
        u = engine.speak("아 아 아", "ko")
        assert u.done.wait(10) and u.outcome == "played"
        levels[index] = rms_db(b"".join(p for _, p in engine.sink.captured))
    lowest = cfg.volume_levels_db[0]
    assert cfg.volume_levels_db[2] - lowest == 12
    assert levels[2] - levels[0] == pytest.approx(12, abs=0.5)
    top = len(cfg.volume_levels_db) - 1
    assert levels[top] - levels[0] == pytest.approx(cfg.volume_levels_db[top] - lowest, abs=0.5)


def test_rate_changes_duration_and_session_end_restores_defaults(engine):
    durations = {}
    for wpm in (engine.config.rates_wpm[0], engine.config.rates_wpm[-1]):
        engine.set_rate_wpm(wpm)
        before = engine.sink.frames_played
        u = engine.speak("하나, 둘, 셋, 넷", "ko")
        assert u.done.wait(15) and u.outcome == "played"
        durations[wpm] = engine.sink.frames_played - before
    slow, fast = durations.values()
    assert slow > 1.5 * fast
    engine.volume_up()
    engine.rate_down()
    engine.reset_session()
    assert engine.volume_index == engine.config.default_volume_index
    assert engine.rate_wpm == engine.config.default_rate_wpm
    assert engine.repeat() is None  # the next customer does not hear the last one's order


def test_every_clause_is_synthesized_at_the_rate_and_voice_asked_for():
    """Regression: rate changes were lost when pyttsx3's runAndWait() cancelled espeak-ng's
    queue while the change was still in it (and the rate was then remembered as set).
    Back-to-back clauses, alternating rate and language, as a worker serves them when a
    customer presses "slower" while speech plays."""
    synth = Synthesizer()
    texts = {"ko": "하나 둘 셋 넷", "en": "one two three four"}
    seconds: dict[tuple[str, int], list[float]] = {}
    voices = {}
    for lang, wpm in [("en", 110), ("ko", 250), ("en", 250), ("ko", 110), ("ko", 250),
                      ("en", 110), ("en", 250), ("ko", 110), ("en", 175), ("ko", 175)]:
        pcm = synth.synth(texts[lang], lang, wpm)
        seconds.setdefault((lang, wpm), []).append(len(pcm) / 2 / synth.sample_rate)
        assert synth.current_rate() == wpm
        voices.setdefault(lang, set()).add(synth.current_voice())
    assert len(voices["ko"]) == len(voices["en"]) == 1 and voices["ko"] != voices["en"]
    for lang in texts:
        slowest, fastest = min(seconds[lang, 110]), max(seconds[lang, 250])
        assert slowest > 1.8 * fastest, seconds  # espeak-ng: about 2.5x
        assert max(seconds[lang, 110]) - slowest < 0.05 and \
            max(seconds[lang, 250]) - min(seconds[lang, 250]) < 0.05, seconds
        assert min(seconds[lang, 250]) < seconds[lang, 175][0] < slowest
    with pytest.raises(ValueError, match="no voice"):  # never silently the previous voice
        synth.synth("hello", "no-such-voice", 175)
    assert len(synth.synth("hello", "en", 175)) > 0


def test_rate_asked_for_while_speech_plays_applies_to_the_answer(engine):
    """The customer presses "slower" (or "faster") during an announcement: the answer that
    interrupts it comes at the new rate, right away (the worker is busy when it arrives)."""
    frames = {}
    for wpm in (engine.config.rates_wpm[0], engine.config.rates_wpm[-1]) * 2:
        engine.set_rate_wpm(engine.config.default_rate_wpm)
        long_ = engine.speak(LONG_KO * 2, "ko")
        assert long_.started.wait(5)
        engine.set_rate_wpm(wpm)
        u = engine.speak("하나, 둘", "ko", Priority.FOCUS, interrupt=True)
        assert u.started.wait(5)
        before = engine.sink.frames_played
        assert u.done.wait(15) and u.outcome == "played"
        frames.setdefault(wpm, []).append(engine.sink.frames_played - before)
    slow, fast = frames.values()
    assert min(slow) > 1.8 * max(fast), frames


def test_hung_worker_is_killed_and_restarted(engine):
    """...and the restarted worker speaks at the customer's rate and volume."""
    engine.set_rate_wpm(engine.config.rates_wpm[0])
    engine.sink.captured.clear()
    ref = engine.speak("다시 시작했습니다", "ko")
    assert ref.done.wait(15) and ref.outcome == "played"
    ref_pcm = b"".join(p for _, p in engine.sink.captured)
    engine.set_volume_index(0)
    engine.sink.captured.clear()
    old = engine.worker_pid
    restarts = engine.restarts
    os.kill(old, signal.SIGSTOP)  # an honest hang: the process exists but never answers
    try:
        u = engine.speak("다시 시작했습니다", "ko")
        assert u.done.wait(engine.config.synth_timeout_s + engine.config.startup_timeout_s)
    finally:
        try:
            os.kill(old, signal.SIGCONT)
        except ProcessLookupError:
            pass
    assert u.outcome == "played" and u.attempts == 2
    assert engine.restarts == restarts + 1
    pcm = b"".join(p for _, p in engine.sink.captured)
    assert len(pcm) == pytest.approx(len(ref_pcm), rel=0.05)  # still the slowest rate
    levels = engine.config.volume_levels_db
    assert rms_db(pcm) - rms_db(ref_pcm) == pytest.approx(
        levels[0] - levels[engine.config.default_volume_index], abs=0.5)  # and the volume
    assert engine.worker_pid != old
    with pytest.raises(ProcessLookupError):
        os.kill(old, 0)


def test_volume_rules_and_gain():
    assert volume_problem((-24, -18, -12, -6, 0)) is None
    assert "18 dB" in volume_problem((-12, -6, 0))
    assert "12 dB above" in volume_problem((-20, -10, 0))
    # the numbers come from the rules file, with the clauses they come from
    from untact.accessibility.audit.checks import load_rules
    rule = load_rules()["speech_volume"]
    assert (rule["min_range_db"], rule["step_above_lowest_db"]) == (18, 12)
    assert any("8.2.1.2" in c for c in rule["clauses"])
    stricter = {"speech_volume": {"min_range_db": 30, "step_above_lowest_db": 12}}
    assert "at least 30 dB" in volume_problem((-24, -18, -12, -6, 0), stricter)
    with pytest.raises(ValueError):
        SpeechConfig(volume_levels_db=(-6, 0))
    pcm = array.array("h", [10000, -10000] * 100).tobytes()
    assert rms_db(pcm) - rms_db(apply_gain(pcm, -12)) == pytest.approx(12, abs=0.05)


ALSA_NULL = """
</usr/share/alsa/alsa.conf>
pcm.untact_null {
    type null
    hint { show on description "untact null sink" }
}
"""


def test_portaudio_sink_through_a_real_stream(tmp_path):
    """PortAudio plays through ALSA's null device: the real output code path without a
    sound card (a separate process: PortAudio reads the ALSA config once, at import)."""
    try:
        import sounddevice  # noqa: F401
    except OSError as exc:
        pytest.skip(f"PortAudio not installed: {exc}")
    conf = tmp_path / "alsa.conf"
    conf.write_text(ALSA_NULL)
    code = textwrap.dedent("""
        from untact.accessibility.audio_sink import PortAudioSink
        from untact.accessibility.speech import SpeechEngine
        with SpeechEngine(sink=PortAudioSink("untact_null")) as eng:
            u = eng.speak("소리 출력 시험", "ko")
            assert u.done.wait(10), "timed out"
            print(u.outcome, eng.sink.frames_played)
    """)
    env = dict(os.environ, ALSA_CONFIG_PATH=str(conf))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    outcome, frames = out.stdout.split()
    assert outcome == "played" and int(frames) > 22050 // 2


def test_worker_hung_mid_utterance_does_not_hang_the_queue(engine):
    """Stopped while it streams a long announcement (possibly halfway through a message):
    the next request still gets a voice, from a restarted worker."""
    long_ = engine.speak(LONG_KO * 3, "ko")
    assert long_.started.wait(5)
    old = engine.worker_pid
    os.kill(old, signal.SIGSTOP)
    try:
        u = engine.speak("취소, 버튼", "ko", Priority.FOCUS, interrupt=True)
        assert u.done.wait(engine.config.synth_timeout_s + engine.config.startup_timeout_s)
    finally:
        try:
            os.kill(old, signal.SIGCONT)
        except ProcessLookupError:
            pass
    assert long_.outcome == "interrupted" and u.outcome == "played"
    assert engine.worker_pid != old


def test_long_serving_worker_is_recycled_while_idle():
    with SpeechEngine(SpeechConfig(recycle_after=2), sink=NullSink()) as eng:
        first = eng.worker_pid
        for text in ("하나", "둘", "셋"):
            u = eng.speak(text, "ko")
            assert u.done.wait(10) and u.outcome == "played"
        assert eng.wait_idle(10)
        assert eng.recycles == 1 and eng.restarts == 0
        assert eng.worker_pid != first
        assert [t.text for t in eng.transcript] == ["하나", "둘", "셋"]


def test_transcript_and_history_keep_the_newest_utterances():
    """A kiosk runs for months: fed more than ``keep`` utterances, both keep the newest."""
    texts = ["하나", "둘", "셋", "넷", "다섯"]
    with SpeechEngine(sink=NullSink(), keep=3) as eng:
        said = [eng.speak(text, "ko") for text in texts]
        assert eng.wait_idle(20)
        assert [u.outcome for u in said] == ["played"] * 5
        assert [t.text for t in eng.transcript] == texts[-3:]
        assert [u.text for u in eng.history] == texts[-3:]
        assert [u.id for u in eng.history[-2:]] == [said[-2].id, said[-1].id]
    assert SpeechEngine().history.maxlen == SpeechEngine().transcript.maxlen == KEEP


EARPHONE_CHILD = """
import time
from untact.accessibility.audio_sink import PortAudioSink
from untact.accessibility.intents import Intent, Kind
from untact.accessibility.speech import SpeechEngine
from untact.simulator.sound_server import Monitor

mons = {name: Monitor(dict(os.environ), 22050, threshold=200, chunk_ms=2, sink=name)
        for name in ("untact_null", "untact_earphone")}
assert all(m.started.wait(5) for m in mons.values()), "a monitor records nothing"
def heard(say):
    # (loud chunks at the speaker, at the earphone) while ``say`` is spoken to the end
    before = {n: m.loud_chunks() for n, m in mons.items()}
    u = eng.speak(say, "ko")
    assert u.done.wait(15) and u.outcome == "played", u.outcome
    time.sleep(0.3)
    return tuple(mons[n].loud_chunks() - before[n] for n in ("untact_null", "untact_earphone"))
with SpeechEngine(sink=PortAudioSink("untact_pulse"),
                  earphone_sink=PortAudioSink("untact_earphone")) as eng:
    speaker_only = heard("스피커로 듣습니다")
    eng.volume_down(); eng.volume_down()
    speaker_volume = eng.volume_index
    assert eng.set_earphone(True) and eng.output == "earphone"
    earphone_volume = eng.volume_index
    earphone_only = heard("이어폰으로 듣습니다")
    eng.volume_up()
    eng.set_earphone(False)
    back = heard("다시 스피커입니다")
    print(speaker_only, earphone_only, back, speaker_volume, earphone_volume, eng.volume_index)
for m in mons.values():
    m.close()
"""


def test_earphone_takes_speech_and_mutes_the_speaker():
    """검증기준 3-2 / 3-3: with the earphone in, speech is heard on the earphone's output
    only (the speaker's sink stays silent), at the earphone's own volume; out, it is back
    on the speaker at the speaker's volume. Two PulseAudio null sinks, each read at its
    monitor."""

    from untact.simulator.sound_server import NullSoundServer, SoundServerUnavailable

    try:
        server = NullSoundServer(extra_sinks=("untact_earphone",))
        server.start()
    except SoundServerUnavailable as exc:
        pytest.skip(str(exc))
    try:
        out = subprocess.run([sys.executable, "-c", "import os\n" + EARPHONE_CHILD],
                             env=dict(os.environ, **server.env), capture_output=True,
                             text=True, timeout=120)
    finally:
        server.stop()
    assert out.returncode == 0, out.stderr[-2000:]
    got = out.stdout.strip().replace("(", "").replace(")", "").replace(",", " ").split()
    s_spk, s_ear, e_spk, e_ear, b_spk, b_ear, spk_vol, ear_vol, back_vol = map(int, got)
    assert s_spk > 20 and s_ear == 0  # speaker alone before the earphone
    assert e_ear > 20 and e_spk == 0  # earphone alone: the speaker is silent
    assert b_spk > 20 and b_ear == 0  # unplugged: the speaker again
    assert ear_vol != spk_vol and back_vol == spk_vol  # each keeps its own volume
