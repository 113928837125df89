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
