"""One Korean model in memory at a time (issue #16: a Raspberry Pi 4 with 2 GB must hold
the kiosk with camera and voice).

Each check runs in a fresh process (its memory is its own) with its own graph cache
(``XDG_CACHE_HOME``), with the real Vosk model and the sample cafe's menu.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.models

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"

CHILD = r"""
import json, sys
from untact.hardware.voice.grammar import GREETING, Screen, build_grammar
from untact.hardware.voice.recognizers import VoskRecognizer
from untact.shop.menu import load_kiosk

def status(field):
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith(field + ":")) / 1024

rec = VoskRecognizer()
loaded = status("VmRSS")
rec.set_grammar(build_grammar(load_kiosk(sys.argv[1]), Screen(GREETING, items=None, confirm=True), "ko"))
print(json.dumps({"loaded": loaded, "after": status("VmRSS"), "peak": status("VmHWM"),
                  "strict": rec.strict, "why": rec.strict_off_reason,
                  "knows": rec.knows("아메리카노")}))
"""


def child(cache: Path) -> dict:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    out = subprocess.run([sys.executable, "-c", CHILD, str(CAFE)], capture_output=True,
                         text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_strict_grammar_replaces_the_model_rather_than_joining_it(tmp_path):
    """The menu's strict-grammar model (~400 MB) used to load beside the base model
    (~500 MB) and the base one's pages stayed resident after it was freed."""
    got = child(tmp_path)
    assert got["strict"], got["why"]
    assert got["after"] < got["loaded"], "the replaced model's memory was not given back"
    assert got["peak"] < got["loaded"] + 150, "two Korean models were in memory at once"


def test_a_broken_cached_graph_falls_back_to_the_grammar_list_with_the_model_back(tmp_path):
    """The model is let go before the strict one loads; when that load fails (a cache
    file cut short), the base model is loaded again and voice goes on with grammar lists."""
    assert child(tmp_path)["strict"]
    (graph,) = (tmp_path / "untact" / "vosk-graphs").glob("*/graph/Gr.fst")
    graph.write_bytes(graph.read_bytes()[:4096])

    got = child(tmp_path)
    assert not got["strict"] and got["why"]
    assert got["knows"], "the model was not loaded again: no word is known"


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024


def test_english_grammars_seen_again_are_reused_not_added_again(sphinx_en, cafe_menu):
    """Every screen change added the screen's grammar to pocketsphinx as a new search
    (1-2 MB each for the menu's) and none was removed: +725 MB after 400 changes."""
    from untact.hardware.voice.grammar import GREETING, Screen, build_grammar

    door = build_grammar(cafe_menu, Screen(GREETING, items=None, confirm=True), "en")
    menu = build_grammar(cafe_menu, Screen(), "en")
    sphinx_en.set_grammar(door)
    sphinx_en.set_grammar(menu)
    before = rss_mb()
    for _ in range(100):
        sphinx_en.set_grammar(door)
        sphinx_en.set_grammar(menu)
    assert rss_mb() - before < 40


def test_english_grammars_beyond_the_bound_are_dropped_and_made_again(sphinx_en, testdata):
    """More grammars than are kept: the oldest are removed from the decoder, and one that
    comes back is added again and hears as before."""
    from untact.hardware.voice.grammar import phrase_grammar
    from untact.simulator.audio_sources import WavFileSource
    from untact.simulator.bench_voice import read_manifest

    folder = testdata / "speech" / "en"
    labels = dict(read_manifest(folder))
    said = labels["en_goforward.wav"]
    others = sorted(set(labels.values()) - {said})
    pcm = WavFileSource(folder / "en_goforward.wav").samples.tobytes()
    first = phrase_grammar([said, *others[:3]], "en")
    sphinx_en.set_grammar(first)
    heard = sphinx_en.recognize(pcm)
    for i in range(2 * sphinx_en.SEARCHES):  # distinct grammars: pairs of other labels
        sphinx_en.set_grammar(phrase_grammar([others[i % len(others)],
                                              others[(i + 1 + i // len(others)) % len(others)],
                                              f"{said} {i}"], "en"))
    sphinx_en.set_grammar(first)
    again = sphinx_en.recognize(pcm)
    assert heard and heard[0][0] == "go forward ten meters"
    assert [t for t, _ in again] == [t for t, _ in heard]
    assert again[0][1] == pytest.approx(heard[0][1], abs=0.01)  # the decoder adapts a little
