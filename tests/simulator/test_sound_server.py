"""Speech through a real output: PortAudio -> ALSA -> a private PulseAudio server's null
sink, recorded at the sink's monitor. Skips, saying why, where PulseAudio is missing."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from untact.simulator.sound_server import NullSoundServer, SoundServerUnavailable

CHILD = textwrap.dedent("""
    import os, time
    from untact.accessibility.audio_sink import PortAudioSink
    from untact.accessibility.speech import Priority, SpeechEngine
    from untact.simulator.sound_server import ALSA_DEVICE, Monitor

    mon = Monitor(dict(os.environ), 22050, threshold=200, chunk_ms=2)
    assert mon.started.wait(5), "the monitor records nothing"
    before = mon.first_loud_after(0, 0)
    with SpeechEngine(sink=PortAudioSink(ALSA_DEVICE)) as eng:
        u = eng.speak("소리 출력 시험", "ko")
        heard = mon.first_loud_after(u.t_request, 10)
        assert u.done.wait(10) and u.outcome == "played", u.outcome
        long_ = eng.speak("메뉴 화면입니다. 커피, 차, 음료, 베이커리 중에서 고르세요.", "ko")
        assert mon.first_loud_after(long_.t_request, 10) is not None
        t0 = time.perf_counter()
        eng.user_action()
        assert long_.done.wait(2) and long_.outcome == "interrupted"
        after = mon.last_loud_between(t0 + 0.1, t0 + 0.5)
    mon.close()
    print(before, heard - u.t_request, after)
""")


def test_speech_is_heard_at_a_real_output_and_stops_on_user_action():
    try:
        server = NullSoundServer()
        server.start()
    except SoundServerUnavailable as exc:
        pytest.skip(str(exc))
    try:
        out = subprocess.run([sys.executable, "-c", CHILD], env=dict(os.environ, **server.env),
                             capture_output=True, text=True, timeout=60)
    finally:
        server.stop()
    assert out.returncode == 0, out.stderr[-2000:]
    before, first_s, after = out.stdout.split()
    assert before == "None"  # silence until we speak: the monitor is not fooled by noise
    assert 0 < float(first_s) < 2  # heard at the sink (the bench measures how fast)
    assert after == "None"  # nothing audible from 100 ms after the user action on


def test_server_stops_and_cleans_up():
    try:
        server = NullSoundServer()
        server.start()
    except SoundServerUnavailable as exc:
        pytest.skip(str(exc))
    folder = server.env["HOME"]
    pid = server._proc.pid
    server.stop()
    assert not os.path.exists(folder)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
