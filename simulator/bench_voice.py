"""``untact-bench-voice DIR --lang ko|en``: voice input on real recordings.

DIR holds WAV files and a MANIFEST.tsv (tab-separated, with a header; columns
``filename`` and ``label`` = the exact transcript). All the folder's transcripts become
the phrases of one screen, through untact's own grammar builder; each recording goes
through the real pipeline (VAD, recognizer, understanding) and counts as right when the
phrase chosen is its own transcript. One JSON object per line on stdout: one per file,
then the summary metrics (phrase_accuracy, latency median and p95).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

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
    args = parser.parse_args(argv)
    try:
        recognizer = load_recognizer(args.lang, args.model)
        t = time.perf_counter()
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
