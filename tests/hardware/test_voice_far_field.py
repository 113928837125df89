"""Soft voices and customers a step away: the VAD hears them (issue #16, far field).

Real recordings only (``$UNTACT_TESTDATA/speech``); the far condition is made from them as
make bench makes it (simulator/bench/voice_far_field.py: the level drop of distance and a
soft voice, a room's pink noise, seeded).
"""

import dataclasses
import random

import numpy as np
import pytest
from untact.hardware.voice.audio import FRAME_SAMPLES, frames_of
from untact.hardware.voice.config import VoiceConfig
from untact.hardware.voice.vad import Segmenter, Utterance


def utterances(samples: np.ndarray, settings=None) -> list[Utterance]:
    seg = Segmenter(settings or VoiceConfig().vad_settings())
    events = [e for frame in frames_of(samples) for e in seg.feed(frame)] + seg.flush()
    return [e for e in events if isinstance(e, Utterance)]


def test_a_soft_real_recording_is_heard_and_understood(testdata, vosk_ko):
    """"알겠어." from KsponSpeech, as recorded (-31 dBFS while voiced, a tenth of the
    corpus's level): webrtcvad, fed only frames above the level gate, never learnt the
    room and took its syllables for noise, so no utterance began."""
    from untact.hardware.voice.grammar import phrase_grammar
    from untact.hardware.voice.input import VoicePipeline
    from untact.simulator.audio_sources import WavFileSource
    from untact.simulator.bench_voice import one_word_variants, read_manifest

    folder = testdata / "speech" / "ko"
    labels = dict(read_manifest(folder))
    label = labels["ko_kspon_029.wav"]
    others = [lb for lb in labels.values() if lb != label]
    grammar = phrase_grammar([label, *one_word_variants(label, others, 5, random.Random(1))], "ko")
    pipeline = VoicePipeline({"ko": vosk_ko}, None, VoiceConfig(), lang="ko", grammar=grammar)

    pipeline.run(WavFileSource(folder / "ko_kspon_029.wav"))

    assert pipeline.heard_total == 1, "the soft recording was not heard as one utterance"
    heard = pipeline.history[-1]
    assert heard.intent is not None and heard.intent.name == "phrase"
    assert heard.intent.slots["text"] == "알겠어"


def far(testdata, name: str) -> np.ndarray:
    """Real recording ``name`` as a soft voice at 1 m in a quiet room."""
    from untact.simulator.audio_sources import WavFileSource
    from untact.simulator.bench.voice_far_field import QUIET_ROOM_DB, far_field

    folder = testdata / "speech" / ("ko" if "_kw_" in name else "ko_read")
    return far_field(WavFileSource(folder / name).samples, 1.0, seed=3, room_db=QUIET_ROOM_DB)


@pytest.mark.parametrize("name", ["ko_eto_pml00028.wav", "ko_kw_harabeoji-1.wav"])
def test_a_soft_voice_at_one_metre_is_detected(testdata, name):
    """At 1 m a soft voice arrives ~18 dB down: webrtcvad, fed only the frames above the
    level gate, judged its syllables noise and no utterance began."""
    assert len(utterances(far(testdata, name))) >= 1


def test_the_level_gate_that_follows_the_room_hears_what_a_fixed_gate_misses(testdata):
    settings = VoiceConfig().vad_settings()
    fixed = dataclasses.replace(settings, min_rms_floor=settings.min_rms)
    samples = far(testdata, "ko_kw_rikodeo-1.wav")

    assert utterances(samples, fixed) == []
    assert len(utterances(samples, settings)) >= 1


def test_the_level_gate_follows_the_room_but_never_rises_above_the_configured_one():
    rng = np.random.default_rng(0)
    quiet = np.clip(rng.normal(0, 10, FRAME_SAMPLES * 100), -32768, 32767).astype(np.int16)
    loud = np.clip(rng.normal(0, 900, FRAME_SAMPLES * 400), -32768, 32767).astype(np.int16)
    settings = VoiceConfig().vad_settings()

    seg = Segmenter(settings)
    assert seg.level_gate == settings.min_rms  # a room not heard yet: the configured gate
    for frame in frames_of(quiet):
        seg.feed(frame)
    assert seg.level_gate == settings.min_rms_floor  # a quiet room: down to the floor
    for frame in frames_of(loud):
        seg.feed(frame)
    # a room grown noisy is followed within seconds (12 s here), never above the configured
    assert seg.level_gate == settings.min_rms
    assert utterances(loud) == []  # steady loud noise is still no utterance
