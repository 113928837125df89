"""The strict sentence grammar for Vosk (hardware/vosk_graph): written, loaded, decoded.

Real parts throughout: the packaged Korean model, its own word list, espeak-ng speech.
"""

import gc
import os
import struct
import time

import pytest
from untact.hardware.voice import vosk_graph
from untact.hardware.voice.recognizers import VoskRecognizer, default_vosk_model
from untact.simulator.audio_sources import TextToSpeechSource
from untact.simulator.voice_commands import VARIANTS

SENTENCES = ["따뜻한 카페모카 한 잔", "아이스 아메리카노 두 잔 주세요", "다음", "결제"]


@pytest.fixture(scope="module")
def model_dir():
    return default_vosk_model()


@pytest.mark.models
def test_acceptor_round_trip(model_dir, vosk_ko):
    """The written file carries the model's word list unchanged and one arc per word of
    the prefix tree (shared prefixes once)."""
    symbols = vosk_graph.read_symbol_table(model_dir / "graph" / "Gr.fst")
    data = vosk_graph.acceptor_bytes(SENTENCES + ["아이스 아메리카노 한 잔"],
                                     vosk_ko.word_id, symbols)
    assert struct.unpack_from("<i", data)[0] == vosk_graph.FST_MAGIC
    header_end = 4 + (4 + 6) + (4 + 8) + 4 + 4 + 8 + 8
    states, arcs = struct.unpack_from("<qq", data, header_end)
    words = sum(len(s.split()) for s in SENTENCES) + 2  # "한 잔" after the shared prefix
    assert (states, arcs) == (words + 1, words)
    assert data[header_end + 16: header_end + 16 + len(symbols)] == symbols


@pytest.mark.models
def test_unknown_words_leave_their_sentence_out(vosk_ko, model_dir):
    symbols = vosk_graph.read_symbol_table(model_dir / "graph" / "Gr.fst")
    with pytest.raises(ValueError, match="no sentence"):
        vosk_graph.acceptor_bytes(["쀍쀍 뷁"], vosk_ko.word_id, symbols)


def test_not_an_fst_is_one_clear_error(tmp_path):
    bad = tmp_path / "Gr.fst"
    bad.write_bytes(b"not an fst at all")
    with pytest.raises(vosk_graph.GraphUnavailable, match=f"{bad}: not an OpenFst file"):
        vosk_graph.read_symbol_table(bad)


@pytest.mark.parametrize("size", [0, 1 << 20])
def test_a_cut_short_word_list_is_one_clear_error(tmp_path, model_dir, size):
    """An empty Gr.fst, or one whose word list ends mid-way (a copy cut short)."""
    with open(model_dir / "graph" / "Gr.fst", "rb") as f:
        head = f.read(size)
    cut = tmp_path / "Gr.fst"
    cut.write_bytes(head)
    with pytest.raises(vosk_graph.GraphUnavailable, match=f"{cut}: .*cut short"):
        vosk_graph.read_symbol_table(cut)


def test_a_static_graph_model_cannot_take_one(tmp_path):
    (tmp_path / "graph").mkdir()
    (tmp_path / "graph" / "HCLG.fst").write_bytes(b"")
    with pytest.raises(vosk_graph.GraphUnavailable, match="no runtime graph"):
        vosk_graph.strict_model_dir(tmp_path, SENTENCES, lambda w: 1, root=tmp_path / "c")


@pytest.mark.models
def test_folder_made_once_and_old_ones_pruned(tmp_path, model_dir, vosk_ko):
    root = tmp_path / "cache"
    first = vosk_graph.strict_model_dir(model_dir, SENTENCES, vosk_ko.word_id, root=root)
    made = (first / "graph" / "Gr.fst").stat().st_mtime_ns
    assert vosk_graph.strict_model_dir(model_dir, SENTENCES, vosk_ko.word_id, root=root) == first
    assert (first / "graph" / "Gr.fst").stat().st_mtime_ns == made
    for n in range(vosk_graph.KEEP_FOLDERS + 1):
        latest = vosk_graph.strict_model_dir(model_dir, SENTENCES[n:n + 2], vosk_ko.word_id,
                                             root=root)
    made_now = [p for p in root.iterdir() if not p.name.startswith(".")]
    # Folders used a moment ago may be loading in another kiosk process: none is pruned.
    assert len(made_now) == vosk_graph.KEEP_FOLDERS + 2
    idle = time.time() - vosk_graph.PRUNE_IDLE_S - 1
    for p in made_now:
        if p != latest:
            os.utime(p, (idle, idle))
    again = vosk_graph.strict_model_dir(model_dir, SENTENCES[:1], vosk_ko.word_id, root=root)
    kept = [p for p in root.iterdir() if not p.name.startswith(".")]
    assert latest in kept and again in kept and len(kept) == vosk_graph.KEEP_FOLDERS
    assert not any(p.name.startswith(".") for p in root.iterdir()), "temporary folder left"


@pytest.mark.models
def test_strict_grammar_hears_only_whole_sentences(espeak, tmp_path, model_dir, vosk_ko):
    """Vosk's grammar list joined words of these sentences ("다음 카페모카 다음 잔"); a model
    decoding with the acceptor returns whole sentences only, and the one said first."""
    import json

    import vosk
    folder = vosk_graph.strict_model_dir(model_dir, SENTENCES, vosk_ko.word_id,
                                         root=tmp_path / "cache")
    model = vosk.Model(str(folder))
    right = 0
    try:
        for said in ("따뜻한 카페모카 한 잔", "아이스 아메리카노 두 잔 주세요"):
            for i, (voice, rate, pitch) in enumerate(VARIANTS):
                rec = vosk.KaldiRecognizer(model, 16000)
                rec.SetMaxAlternatives(5)
                pcm = b"".join(TextToSpeechSource(said, "ko", voice, rate, pitch, seed=i))
                rec.AcceptWaveform(pcm)
                heard = [a["text"].strip() for a in json.loads(rec.FinalResult())["alternatives"]]
                assert heard and all(h in SENTENCES for h in heard if h), heard
                right += heard[0] == said
    finally:
        del model
        gc.collect()
    assert right >= 8, f"{right} of 10 heard as said"


@pytest.mark.models
def test_recognizer_falls_back_to_the_grammar_list(espeak, tmp_path, monkeypatch, cafe_menu):
    """No cache folder can be written (XDG_CACHE_HOME is a file): voice input still works,
    with the grammar list, and says why it is not strict."""
    from untact.accessibility.intents import Kind
    from untact.hardware.voice.config import VoiceConfig
    from untact.hardware.voice.grammar import NAVIGATION, Screen
    from untact.hardware.voice.input import VoicePipeline
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    rec = VoskRecognizer()
    try:
        pipeline = VoicePipeline({"ko": rec}, cafe_menu, VoiceConfig(), lang="ko")
        pipeline.set_screen(Screen(NAVIGATION, ()), "ko")
        assert not rec.strict and "not-a-folder" in rec.strict_off_reason
        intents = pipeline.run(TextToSpeechSource("다음", "ko"))
        assert [i.kind for i in intents if i.kind is not Kind.STOP_SPEECH] == [Kind.NEXT]
    finally:
        del rec
        gc.collect()


@pytest.mark.models
def test_yes_is_heard_on_an_ordering_screen(espeak, vosk_ko, cafe_menu):
    """The kiosk hears 네/아니요 on every screen, menu screens included (confirm=True):
    the strict grammar must hold them, not only the orders."""
    from untact.hardware.voice.config import VoiceConfig
    from untact.hardware.voice.grammar import NAVIGATION, Screen
    from untact.hardware.voice.input import VoicePipeline
    pipeline = VoicePipeline({"ko": vosk_ko}, cafe_menu, VoiceConfig(), lang="ko")
    pipeline.set_screen(Screen(NAVIGATION, ("americano", "cafe_latte"), confirm=True), "ko")
    assert vosk_ko.strict and not vosk_ko.strict_off_reason
    names = []
    for i, (voice, rate, pitch) in enumerate(VARIANTS[:3]):
        pipeline.reset()
        for intent in pipeline.run(TextToSpeechSource("아니요", "ko", voice, rate, pitch, seed=i)):
            names.append(intent.name)
    assert names.count("no") >= 2, names


@pytest.mark.models
def test_the_strict_grammar_decodes_the_same_audio_the_same_way(vosk_ko, cafe_menu, testdata):
    """Kaldi dithers every frame by default: a real recording decoded twice got different
    n-best scores (and a reading near a threshold flipped). The strict model has no dither.
    Decoded whole, with the recording's 0.7 s of trailing room noise, Vosk's own endpoint
    fires inside it: the n-best is kept (it came back as its top reading alone, at 1.0)."""
    from untact.hardware.voice.grammar import GREETING, Screen, build_grammar
    from untact.simulator.audio_sources import WavFileSource

    path = testdata / "speech" / "ko_read" / "ko_eto_pfa00011.wav"
    if not path.is_file():
        pytest.skip(f"real recording not found: {path}")
    vosk_ko.set_grammar(build_grammar(cafe_menu, Screen(GREETING, None, True), "ko"))
    assert vosk_ko.strict and not vosk_ko.strict_off_reason
    pcm = b"".join(WavFileSource(path))
    first = vosk_ko.recognize(pcm)
    vosk_ko.new_speaker()  # a fresh Kaldi recognizer, as for the next customer
    again = vosk_ko.recognize(pcm)
    assert len(first) > 1 and first == again
