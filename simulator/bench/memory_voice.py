"""The kiosk's memory with voice and camera on, as a Raspberry Pi 4 with 2 GB must hold it.

- ``kiosk_rss_mb_voice_camera``: the whole kiosk (its own process, the camera's tracking
  worker and the speech worker: what the Pi holds) with both recognizers loaded (Korean
  Vosk with the menu's strict grammar, English pocketsphinx), the camera's worker
  tracking a real hand photo (``$UNTACT_TESTDATA/hands``, the simulator's demo clip), once
  the screens of a whole order have been drawn. Target <= 900 MB. Reference, same run: a
  bare Kivy app (a window and a label, drawn) in a process of its own.
- ``kiosk_rss_mb_after_1000_utterances``: the same kiosk after real recordings
  (``$UNTACT_TESTDATA/speech``: ko_read, ko, en, cycling) were played into its microphone
  and decided by the real VAD, recognizers and dialogue, the customer going home every
  few utterances so the attract screen (every language listened to) and the menu screens
  both hear them (frames run, not drawn: drawing's own growth is measured by
  memory_rendered_day). Beside it, ``kiosk_rss_growth_mb_first_100_utterances``.

Each stage's RSS is printed beside the figures (``stages_mb``), so where the memory goes
is measured, not guessed. The kiosk runs in a child process (``python -m`` this module
``--child``), so one run's memory never counts in another's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import metric

REPO = Path(__file__).resolve().parents[2]
CAFE = REPO / "examples" / "cafe.toml"
UTTERANCES = int(os.environ.get("UNTACT_BENCH_UTTERANCES", "1000"))
DECIDE_S = 3.0  # after a recording: its end silence, the decision, and room to spare
HOME_EVERY = 4  # utterances between a customer going home (the attract screen again)
SPEECH_SETS = ("ko_read", "ko", "en")
# A real fist drifting slowly over a real room: tracked on every frame (palm detection and
# landmarks), yet neither pointing nor swiping, so the camera does not operate the screens
# that the bench walks through with the keypad.
HAND_PHOTO = "fist_hagrid.jpg"

BARE_KIVY = r"""
import os
os.environ["KIVY_NO_ARGS"] = "1"
from kivy.config import Config
Config.set("graphics", "width", "540"); Config.set("graphics", "height", "960")
from kivy.base import EventLoop
from kivy.core.window import Window
from kivy.uix.label import Label

EventLoop.ensure_window()
Window.add_widget(Label(text="untact", font_size=48))
for _ in range(30):
    EventLoop.idle()
with open("/proc/self/status") as f:
    print(next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024)
"""


def _hand_path():
    from ..camera_clips import Key

    return [Key(0, 0.35, 0.55), Key(6, 0.6, 0.5), Key(12, 0.35, 0.55)]


def rss_mb(pid: int | str = "self", field: str = "VmRSS") -> float:
    """VmRSS (or another /proc status field, VmHWM: the peak) of ``pid`` in MB; 0 when
    it has gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith(field + ":")) / 1024
    except (OSError, StopIteration):
        return 0.0


def children_of(pid: int) -> list[int]:
    """Every descendant of ``pid`` (Linux /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def pss_mb(pid: int) -> float:
    """Proportional set size of ``pid`` in MB (shared pages divided among their users)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("Pss:")) / 1024
    except (OSError, StopIteration):
        return 0.0


WORKERS = (("speech_worker", "speech_worker"), ("resource_tracker", "resource_tracker"),
           ("multiprocessing.spawn", "camera_worker"))


def tree_rss_mb(pid: int) -> dict[str, float]:
    """RSS of ``pid`` and of each descendant by what it is, their total, and the total
    PSS (each shared library counted once: what the processes hold together)."""
    out = {"kiosk": rss_mb(pid)}
    pss = pss_mb(pid)
    for child in children_of(pid):
        try:
            with open(f"/proc/{child}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        name = next((n for key, n in WORKERS if key in cmd), f"other_{child}")
        out[name] = out.get(name, 0.0) + rss_mb(child)
        pss += pss_mb(child)
    out["total"] = sum(out.values())
    out["total_pss"] = pss
    return {k: round(v, 1) for k, v in out.items()}


def recordings(speech: Path) -> list[Path]:
    """The real recordings of every set, interleaved (Korean read, Korean spoken, English)."""
    from ..bench_voice import read_manifest

    sets = [[speech / name / f for f, _ in read_manifest(speech / name)]
            for name in SPEECH_SETS if (speech / name / "MANIFEST.tsv").is_file()]
    out = []
    for i in range(max((len(s) for s in sets), default=0)):
        out += [s[i] for s in sets if i < len(s)]
    return out


def _child(utterances: int) -> None:
    """The kiosk in this process; JSON lines on stdout: stages, then utterance marks."""
    from untact.accessibility.intents import Kind, simple
    from untact.hardware.voice.recognizers import load_recognizer

    from ..camera_clips import HandClip, SimulatedCamera
    from ..camera_switch import DEMO_BACKGROUND, hand_photos
    from ..driver import KioskDriver
    from .voice import real_speech

    def say(stage: str, **extra) -> None:
        print(json.dumps({"stage": stage, "rss": tree_rss_mb(os.getpid()),
                          "kiosk_peak": round(rss_mb("self", "VmHWM"), 1), **extra}), flush=True)

    say("python")
    recognizers = {lang: load_recognizer(lang) for lang in ("ko", "en")}
    say("recognizers_loaded")
    with tempfile.TemporaryDirectory() as data:
        kiosk = KioskDriver(CAFE, data_dir=data, sim_time=True, voice_recognizers=recognizers,
                            camera_source=SimulatedCamera(HandClip(
                                hand_photos() / HAND_PHOTO, _hand_path(),
                                background=hand_photos() / DEMO_BACKGROUND, pace=True,
                                loop=True))).start()
        try:
            say("kiosk_started")
            kiosk.wait_until(lambda: kiosk.camera.frames >= 60, timeout=120,
                             what="the camera worker tracking 60 frames")
            kiosk.order("커피", "아메리카노")
            kiosk.send(Kind.HOME)
            kiosk.advance(10)
            say("screens_drawn", camera_state=kiosk.camera.status.state,
                camera_frames=kiosk.camera.frames)
            speech = real_speech()
            files = recordings(speech) if speech is not None else []
            if not files or not utterances:
                return
            # Frames are run but no longer rasterised (llvmpipe here would spend the CPU
            # the recognizers need; what drawing keeps is memory_rendered_day's figure).
            kiosk.render = False
            decided = 0
            for n in range(1, utterances + 1):
                if n % HOME_EVERY == 1:
                    kiosk.send(Kind.HOME)
                    kiosk.send(simple(Kind.PRESENCE, value=True))
                decided += _hear(kiosk, files[(n - 1) % len(files)])
                if n in (1, 10, 100, utterances) or n % 100 == 0:
                    say("utterances", n=n, decided=decided, screen=kiosk.screen)
        finally:
            kiosk.stop()


def _hear(kiosk, wav: Path) -> int:
    """Play ``wav`` into the kiosk's microphone; 1 when voice input decided on it (not all
    are: a murmur the VAD drops), once the VAD has heard the room after it (its end)."""
    decided = kiosk.voice.utterances_decided
    kiosk.microphone.play(wav)
    kiosk.wait_until(kiosk.microphone.idle.is_set, timeout=60, what=f"{wav.name} played")
    end = time.monotonic() + DECIDE_S
    kiosk.wait_until(lambda: kiosk.voice.utterances_decided > decided or time.monotonic() > end,
                     timeout=60)
    return int(kiosk.voice.utterances_decided > decided)


def _bare_kivy_mb() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bare_kivy.py"
        script.write_text(BARE_KIVY)
        out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                             timeout=300, env=_env())
    if out.returncode != 0:
        raise RuntimeError(f"bare Kivy app failed: {out.stderr.strip()[-300:]}")
    return float(out.stdout.split()[-1])


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(KIVY_NO_CONSOLELOG="1", KIVY_NO_ARGS="1")
    return env


def kiosk_stages(utterances: int) -> list[dict]:
    """Run the kiosk child; its stage lines."""
    proc = subprocess.run([sys.executable, "-m", __name__, "--child", str(utterances)],
                          capture_output=True, text=True, env=_env(),
                          timeout=600 + 20 * utterances)
    stages = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0:
        raise RuntimeError(f"kiosk child failed ({proc.returncode}): {proc.stderr.strip()[-400:]}")
    return stages


def run():
    t0 = time.monotonic()
    bare = _bare_kivy_mb()
    stages = kiosk_stages(UTTERANCES)
    by = {s["stage"]: s for s in stages if s["stage"] != "utterances"}
    drawn = by["screens_drawn"]
    yield metric("kiosk_rss_mb_voice_camera", drawn["rss"]["total"], "MB", target="<= 900",
                 reference_bare_kivy_app_mb=round(bare, 1), processes_mb=drawn["rss"],
                 stages_mb={k: v["rss"] for k, v in by.items()},
                 kiosk_process_peak_mb=drawn["kiosk_peak"],
                 camera_state=drawn.get("camera_state"))
    marks = {s["n"]: s["rss"]["total"] for s in stages if s["stage"] == "utterances"}
    if not marks:
        yield metric("kiosk_rss_mb_after_1000_utterances", float("nan"), "MB",
                     skipped="no real recordings: set UNTACT_TESTDATA")
        return
    last = max(marks)
    decided = max((s.get("decided", 0) for s in stages), default=0)
    yield metric("kiosk_rss_mb_after_1000_utterances", marks[last], "MB", utterances=last,
                 decided=decided,
                 target="<= 900", reference_before_utterances_mb=drawn["rss"]["total"],
                 by_utterances_mb=marks, minutes=round((time.monotonic() - t0) / 60, 1))
    if 1 in marks and 100 in marks:
        yield metric("kiosk_rss_growth_mb_first_100_utterances", marks[100] - marks[1], "MB",
                     reference_growth_100_to_last_mb=round(marks[last] - marks[100], 1))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(int(sys.argv[2]))
