"""untact-bench-voice on the shared real recordings, and its handling of bad folders."""

import json

import pytest
from untact.simulator.bench_voice import ManifestError, bench_folder, main, read_manifest


@pytest.mark.models
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_real_speech_picks_the_right_phrase(testdata, recognizers, lang):
    folder = testdata / "speech" / lang
    rows, summary = bench_folder(folder, lang, recognizers[lang])
    accuracy = next(m for m in summary if m["metric"] == f"phrase_accuracy_{lang}")
    assert accuracy["files"] == len(read_manifest(folder)) >= 10
    wrong = [(r["label"], r.get("heard")) for r in rows if not r["ok"]]
    assert accuracy["value"] >= 0.9, wrong


@pytest.mark.models
def test_console_script_prints_json_lines(testdata, capsys):
    assert main([str(testdata / "speech" / "en"), "--lang", "en"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {"phrase_accuracy_en", "decide_p95_ms_en"} <= {m.get("metric") for m in lines}


@pytest.mark.parametrize("manifest, message", [
    (None, "not found"),
    ("name\tlabel\nx.wav\thi\n", "needs a header"),
    ("filename\tlabel\n../etc/passwd\thi\n", "plain file name"),
    ("filename\tlabel\nx.wav\t\n", "empty filename or label"),
])
def test_bad_manifests_are_one_line_errors(tmp_path, manifest, message):
    if manifest is not None:
        (tmp_path / "MANIFEST.tsv").write_text(manifest, encoding="utf-8")
    with pytest.raises(ManifestError, match=message):
        read_manifest(tmp_path)


@pytest.mark.models
def test_a_missing_wav_is_reported_per_file(tmp_path, sphinx_en):
    (tmp_path / "MANIFEST.tsv").write_text("filename\tlabel\ngone.wav\tgo forward\n",
                                           encoding="utf-8")
    rows, summary = bench_folder(tmp_path, "en", sphinx_en)
    assert rows[0]["ok"] is False and "cannot be read" in rows[0]["error"]
    assert summary[0]["value"] == 0.0


def test_one_word_variants_differ_in_exactly_one_word():
    import random

    from untact.simulator.bench_voice import one_word_variants
    label = "아메리카노 두 잔 주세요"
    variants = one_word_variants(label, ["카페라테 세 잔", "녹차 한 개 주세요"], 5, random.Random(1))
    assert len(variants) == 5 and label not in variants
    for v in variants:
        assert len(v.split()) == 4
        assert sum(a != b for a, b in zip(v.split(), label.split(), strict=True)) == 1


def test_babble_is_mixed_at_the_asked_snr():
    import numpy as np
    from untact.simulator.bench_voice import babble
    rng = np.random.default_rng(1)
    speech = (rng.standard_normal(16000) * 3000).astype(np.int16)
    talker = (rng.standard_normal(8000) * 500).astype(np.int16)
    mixed = babble(speech, [talker, talker], 10.0)
    noise = mixed.astype(float) - speech
    snr = 10 * np.log10(np.mean(speech.astype(float) ** 2) / np.mean(noise ** 2))
    assert abs(snr - 10.0) < 0.2


@pytest.mark.parametrize("args, message", [
    (["--distractors", "0"], "--distractors must be between 1 and 50"),
    (["--snr", "99"], "--snr must be between -20 and 60 dB"),
])
def test_bad_bench_options_are_one_line_errors(tmp_path, capsys, args, message):
    assert main([str(tmp_path), "--lang", "en", *args]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.models
def test_confusable_real_english_with_babble(testdata, sphinx_en):
    from untact.simulator.bench_voice import bench_confusable
    folder = testdata / "speech" / "en"
    rows, summary = bench_confusable(folder, "en", sphinx_en, distractors=5, snr_db=10.0)
    accuracy = summary[0]
    assert accuracy["metric"] == "voice_real_confusable_accuracy_en_snr10"
    assert accuracy["files"] == len(read_manifest(folder)) and accuracy["per_speaker"]
    assert all(r["phrases"] >= 2 for r in rows)


@pytest.mark.models
def test_confusable_real_korean_in_babble_is_acted_on_right(testdata, vosk_ko):
    """Issue #16's hard case on the 60 real read sentences (6 speakers): each against 5
    one-word variants, with three other speakers talking 10 dB below. Before sentences
    were matched whole (extra words heard cheaper than missing ones) it acted right on
    40 (0.667), asked back 13 and acted wrongly on 6; since, 46 (0.767), 8 and 6."""
    from untact.simulator.bench_voice import bench_confusable
    folder = testdata / "speech" / "ko_read"
    if not (folder / "MANIFEST.tsv").is_file():
        pytest.skip(f"no real Korean recordings: {folder}/MANIFEST.tsv is missing")
    rows, summary = bench_confusable(folder, "ko", vosk_ko, distractors=5, snr_db=10.0)
    accuracy = summary[0]
    assert accuracy["files"] == 60
    assert all(r["acted"] for r in rows if r["ok"]), "asking back is not a right action"
    wrong = [(r["label"], r["chosen"], r["acted"]) for r in rows if not r["ok"]]
    assert accuracy["value"] >= 0.72, wrong
    assert accuracy["acted_wrong"] <= 0.12, wrong
