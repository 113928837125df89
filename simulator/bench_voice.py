"""``untact-bench-voice DIR --lang ko|en [--distractors K] [--snr DB]``: voice input on
real recordings.

DIR holds WAV files and a MANIFEST.tsv (tab-separated, with a header; columns
``filename`` and ``label`` = the exact transcript; a ``notes`` column naming "speaker X"
groups the results by speaker, else the file name's stem without its number does).
Each recording goes through the real pipeline (VAD, recognizer, understanding) and
counts as right when the phrase chosen is its own transcript.

Without ``--distractors`` all the folder's transcripts are the phrases of one screen.
With ``--distractors K`` each recording is heard on a screen of its own transcript and K
variants of it that differ in exactly one word (a word of another transcript in the
folder, seeded), as a menu screen holds "아메리카노 두 잔" beside "카페라테 두 잔": the
confusable case; there a recording counts as right only when the kiosk acts on its own
transcript (asking back is counted apart, as ``asked_back``). ``--snr DB`` mixes babble
into each recording at that signal-to-noise ratio: three other speakers' recordings from
the folder, summed (seeded apart from the distractors: the same screens as without it). Everything
stays in memory. One JSON object per line on stdout: one per file, then the summary
metrics (accuracy overall and per speaker, how often the kiosk would have asked back,
latency median and p95).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import time
from pathlib import Path

import numpy as np
from untact.hardware.voice.audio import AudioSourceError
from untact.hardware.voice.config import VoiceConfig
from untact.hardware.voice.grammar import phrase_grammar
from untact.hardware.voice.input import VoicePipeline
from untact.hardware.voice.recognizers import RecognizerUnavailable, load_recognizer
from untact.hardware.voice.text import normalize

from .audio_sources import WavFileSource
from .bench import median, metric, percentile

MAX_MANIFEST_ROWS = 10_000


class ManifestError(ValueError):
    pass


def read_manifest(folder: Path) -> list[tuple[str, str]]:
    """[(filename, label)] from DIR/MANIFEST.tsv; ManifestError names what is wrong."""
    path = folder / "MANIFEST.tsv"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ManifestError(f"{path}: not found") from None
    except UnicodeDecodeError:
        raise ManifestError(f"{path}: not UTF-8 text") from None
    rows = list(csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or "filename" not in rows[0] or "label" not in rows[0]:
        raise ManifestError(f"{path}: needs a header with 'filename' and 'label' columns")
    out = []
    for i, row in enumerate(rows[:MAX_MANIFEST_ROWS], start=2):
        name, label = (row.get("filename") or "").strip(), (row.get("label") or "").strip()
        if not name or not label:
            raise ManifestError(f"{path}:{i}: empty filename or label")
        if "/" in name or name.startswith("."):
            raise ManifestError(f"{path}:{i}: filename must be a plain file name, not {name!r}")
        out.append((name, label))
    return out


def speakers(folder: Path) -> dict[str, str]:
    """filename -> speaker, from a "speaker X" in the manifest's notes, else the name's
    stem without its trailing number ("en_cards_001" -> "en_cards")."""
    text = (folder / "MANIFEST.tsv").read_text(encoding="utf-8")
    out = {}
    for row in csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE):
        name = (row.get("filename") or "").strip()
        m = re.search(r"speaker (\w+)", row.get("notes") or "")
        out[name] = m.group(1) if m else re.sub(r"[-_]?\d+$", "", Path(name).stem)
    return out


def one_word_variants(label: str, others: list[str], k: int, rng: random.Random) -> list[str]:
    """Up to ``k`` distinct phrases that differ from ``label`` in exactly one word, the
    new word taken from ``others`` (the folder's other transcripts)."""
    words = normalize(label).split()
    pool = sorted({w for o in others for w in normalize(o).split()} - set(words))
    out: set[str] = set()
    for _ in range(50 * k):
        if len(out) >= k or not words or not pool:
            break
        i = rng.randrange(len(words))
        out.add(" ".join(words[:i] + [rng.choice(pool)] + words[i + 1:]))
    return sorted(out)


def babble(target: np.ndarray, talkers: list[np.ndarray], snr_db: float) -> np.ndarray:
    """``target`` with the sum of ``talkers`` (each looped to its length) at ``snr_db``."""
    noise = np.zeros(len(target))
    for t in talkers:
        if len(t):
            noise += np.resize(t.astype(np.float64), len(target))
    signal = target.astype(np.float64)
    p_signal, p_noise = np.mean(signal ** 2), np.mean(noise ** 2)
    if p_noise > 0:
        noise *= np.sqrt(p_signal / (p_noise * 10 ** (snr_db / 10)))
    return np.clip(signal + noise, -32768, 32767).astype(np.int16)


def bench_confusable(folder: Path, lang: str, recognizer=None, distractors: int = 5,
                     snr_db: float | None = None, seed: int = 1,
                     config: VoiceConfig | None = None) -> tuple[list[dict], list[dict]]:
    """(per-file rows, summary metrics): each recording against K one-word variants."""
    entries = read_manifest(folder)
    who = speakers(folder)
    recognizer = recognizer or load_recognizer(lang)
    config = config or VoiceConfig()
    # One generator per draw: the screens (distractors) are the same with and without
    # babble, so the clean and the noisy figure differ by the noise alone.
    rng, noise_rng = random.Random(seed), random.Random(seed + 1)
    audio: dict[str, np.ndarray] = {}
    rows: list[dict] = []
    for name, _ in entries:
        try:
            audio[name] = WavFileSource(folder / name).samples
        except AudioSourceError as exc:
            rows.append({"file": name, "error": str(exc), "ok": False})
    pipeline: VoicePipeline | None = None
    latencies: list[float] = []
    by_speaker: dict[str, list[bool]] = {}
    asked = acted_wrong = 0
    for name, label in entries:
        if name not in audio:
            continue
        others = [lb for n, lb in entries if n != name]
        phrases = [label] + one_word_variants(label, others, distractors, rng)
        grammar = phrase_grammar(phrases, lang)
        if pipeline is None:
            pipeline = VoicePipeline({lang: recognizer}, None, config, lang=lang, grammar=grammar)
        else:
            pipeline.use_grammar(grammar)
        samples = audio[name]
        if snr_db is not None:
            pool = sorted(n for n in audio if who.get(n) != who.get(name)) or \
                sorted(n for n in audio if n != name)
            talkers = [audio[n] for n in noise_rng.sample(pool, min(3, len(pool)))]
            samples = babble(samples, talkers, snr_db)
        heard = pipeline.decide(samples.tobytes())
        u = heard.understanding
        chosen = str(u.slots.get("text", "")) if u.name else ""
        acted = heard.intent is not None and heard.intent.name != "unclear"
        asked += heard.intent is not None and heard.intent.name == "unclear"
        acted_wrong += acted and chosen != normalize(label)
        ok = acted and chosen == normalize(label)  # a right action; asking back is not one
        latencies.append(heard.decide_ms)
        by_speaker.setdefault(who.get(name, "?"), []).append(ok)
        rows.append({"file": name, "speaker": who.get(name, "?"), "label": label,
                     "chosen": chosen, "ok": ok, "acted": acted,
                     "confidence": u.confidence, "phrases": len(phrases),
                     "decide_ms": round(heard.decide_ms, 1)})
    n = sum(len(v) for v in by_speaker.values())
    right = sum(sum(v) for v in by_speaker.values())
    suffix = "" if snr_db is None else f"_snr{snr_db:g}"
    summary = [metric(f"voice_real_confusable_accuracy_{lang}{suffix}", right / n if n else 0.0,
                      "fraction", target=">= 0.95" if snr_db is None else ">= 0.90",
                      files=n, distractors=distractors, snr_db=snr_db, folder=str(folder),
                      reference_chance=round(1 / (distractors + 1), 4),
                      per_speaker={k: round(sum(v) / len(v), 3) for k, v in sorted(by_speaker.items())},
                      asked_back=round(asked / n, 4) if n else 0.0,
                      acted_wrong=round(acted_wrong / n, 4) if n else 0.0)]
    if latencies:
        summary.append(metric(f"voice_real_decide_p95_ms_{lang}{suffix}",
                              percentile(latencies, 95), "ms", median_ms=round(median(latencies), 1)))
    return rows, summary


def bench_folder(folder: Path, lang: str, recognizer=None) -> tuple[list[dict], list[dict]]:
    """(per-file rows, summary metrics) for one folder of labelled recordings."""
    entries = read_manifest(folder)
    recognizer = recognizer or load_recognizer(lang)
    grammar = phrase_grammar([label for _, label in entries], lang)
    pipeline = VoicePipeline({lang: recognizer}, None, VoiceConfig(), lang=lang,
                             grammar=grammar)
    rows, latencies, right = [], [], 0
    for name, label in entries:
        try:
            source = WavFileSource(folder / name)
        except AudioSourceError as exc:
            rows.append({"file": name, "error": str(exc), "ok": False})
            continue
        # Real recordings may have pauses inside; decide on the whole file, as a
        # push-to-talk key would, and time the decision alone.
        heard = pipeline.decide(source.samples.tobytes())
        chosen = str(heard.understanding.slots.get("text", "")) if heard.understanding.name else ""
        ok = chosen == normalize(label)
        right += ok
        latencies.append(heard.decide_ms)
        rows.append({"file": name, "label": label, "heard": heard.hypotheses[0][0]
                     if heard.hypotheses else "", "chosen": chosen, "ok": ok,
                     "confidence": heard.understanding.confidence,
                     "decide_ms": round(heard.decide_ms, 1), "audio_s": round(heard.seconds, 2)})
    n = len(entries)
    summary = [metric(f"phrase_accuracy_{lang}", right / n if n else 0.0, "fraction",
                      target=">= 0.9", files=n, phrases=len(grammar.extra_phrases),
                      folder=str(folder))]
    if latencies:
        summary.append(metric(f"decide_median_ms_{lang}", median(latencies), "ms"))
        summary.append(metric(f"decide_p95_ms_{lang}", percentile(latencies, 95), "ms"))
    return rows, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="untact-bench-voice", description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--lang", choices=("ko", "en"), required=True)
    parser.add_argument("--model", default=None, help="another Vosk/pocketsphinx model folder")
    parser.add_argument("--distractors", type=int, default=None, metavar="K",
                        help="hear each recording against K one-word variants of its transcript")
    parser.add_argument("--snr", type=float, default=None, metavar="DB",
                        help="mix in babble of other speakers' recordings at this SNR")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.distractors is not None and not 1 <= args.distractors <= 50:
        print("untact-bench-voice: --distractors must be between 1 and 50", file=sys.stderr)
        return 2
    if args.snr is not None and not -20 <= args.snr <= 60:
        print("untact-bench-voice: --snr must be between -20 and 60 dB", file=sys.stderr)
        return 2
    try:
        recognizer = load_recognizer(args.lang, args.model)
        t = time.perf_counter()
        if args.distractors is not None or args.snr is not None:
            rows, summary = bench_confusable(args.folder, args.lang, recognizer,
                                             args.distractors or 5, args.snr, args.seed)
        else:
            rows, summary = bench_folder(args.folder, args.lang, recognizer)
    except (ManifestError, RecognizerUnavailable) as exc:
        print(f"untact-bench-voice: {exc}", file=sys.stderr)
        return 2
    for row in rows + summary:
        print(json.dumps(row, ensure_ascii=False), flush=True)
    print(json.dumps(metric("wall_s", time.perf_counter() - t, "s")), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
