"""Audio sources and utterance cutting: real espeak-ng, real webrtcvad, real WAV files."""

import io
import wave

import numpy as np
import pytest
from untact.hardware.voice.audio import FRAME_BYTES, AudioSourceError, MicrophoneSource, frames_of
from untact.hardware.voice.vad import Segmenter, SpeechAudio, SpeechStarted, Utterance
from untact.simulator.audio_sources import TextToSpeechSource, WavFileSource, decode_wav


def wav_bytes(samples: np.ndarray, rate: int, channels: int = 1) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())
    return buf.getvalue()


def events(frames):
    seg = Segmenter()
    out = []
    for f in frames:
        out += seg.feed(f)
    return out + seg.flush()


def test_text_to_speech_gives_16k_frames_and_one_utterance(espeak):
    src = TextToSpeechSource("아이스 아메리카노 두 잔 주세요", "ko")
    frames = list(src)
    assert frames and all(len(f) == FRAME_BYTES for f in frames)
    ev = events(frames)
    assert [type(e) for e in ev if not isinstance(e, SpeechAudio)] == [SpeechStarted, Utterance]
    streamed = b"".join(e.pcm for e in ev if isinstance(e, SpeechAudio))
    assert streamed == ev[-1].pcm  # what was streamed is the utterance, frame for frame
    assert 1.0 < ev[-1].seconds < 4.0


def test_wav_files_of_any_rate_and_channels_are_resampled(tmp_path):
    t = np.arange(44100) / 44100
    tone = (8000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16)
    stereo = np.stack([tone, tone], axis=1).reshape(-1)
    pcm = decode_wav(wav_bytes(stereo, 44100, channels=2))
    assert abs(len(pcm) - 16000) <= 2 and pcm.dtype == np.int16
    path = tmp_path / "tone.wav"
    path.write_bytes(wav_bytes(tone, 44100))
    assert all(len(f) == FRAME_BYTES for f in WavFileSource(path))


@pytest.mark.parametrize("data, message", [
    (b"", "not a PCM WAV"), (b"RIFF\x00\x00\x00\x00WAVEjunk", "not a PCM WAV"),
    (b"\x00" * 100, "not a PCM WAV"),
])
def test_broken_audio_is_a_one_line_error(data, message):
    with pytest.raises(AudioSourceError, match=message):
        decode_wav(data, "upload.wav")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(AudioSourceError, match="cannot be read"):
        WavFileSource(tmp_path / "nope.wav")


def test_silence_and_noise_are_not_utterances():
    rng = np.random.default_rng(1)
    quiet = rng.normal(0, 20, 16000 * 3)
    hiss = rng.normal(0, 400, 16000 * 3)  # a fan or street noise, well above the floor
    loud = rng.normal(0, 3000, 16000 * 3)  # a coffee grinder next to the kiosk
    hum = 3000 * np.sin(2 * np.pi * 100 * np.arange(16000 * 3) / 16000)  # a fridge
    clicks = np.zeros(16000 * 3)
    clicks[::4000] = 20000  # a door, a cup on the counter
    for noise in (np.zeros(16000 * 3), quiet, hiss, loud, hum, clicks):
        # steady sounds start and stop too: their first and last frames must not count
        audio = np.concatenate([np.zeros(8000), noise, np.zeros(8000)]).astype(np.int16)
        assert [e for e in events(frames_of(audio)) if not isinstance(e, SpeechAudio)] == []


def test_no_microphone_is_reported_not_raised():
    # this machine has no sound card: the error says so in one line
    try:
        MicrophoneSource("no such microphone")
    except AudioSourceError as exc:
        assert "\n" not in str(exc) and str(exc)
    else:
        pytest.skip("a microphone named like that exists here")


def test_a_48k_microphone_is_resampled_to_16k_frames():
    # No sound card here: drive the PortAudio callback by hand (stand-in for the device).
    import queue
    import threading

    import soxr

    mic = object.__new__(MicrophoneSource)
    mic._queue = queue.Queue(maxsize=100)
    mic._resampler = soxr.ResampleStream(48000, 16000, 1, dtype="float32")
    mic._carry = b""
    mic._closed = threading.Event()
    mic.overflows = 0
    t = np.arange(48000) / 48000
    tone = (8000 * np.sin(2 * np.pi * 300 * t)).astype(np.int16)
    for block in np.split(tone, 50):  # 20 ms blocks at 48 kHz
        mic._callback(block.tobytes(), len(block), None, None)
    frames = []
    while not mic._queue.empty():
        frames.append(mic._queue.get())
    assert all(len(f) == FRAME_BYTES for f in frames)
    assert 30 <= len(frames) <= 34  # ~1 s of 30 ms frames, minus the resampler's delay


def test_a_speaker_who_pauses_mid_sentence_gets_a_longer_end(espeak):
    """"아메리카노 ... 두 잔 주세요" with a 450 ms pause: the first time the default end
    (300 ms) cuts it in two; the customer went on within 750 ms, so from then on their
    pauses are waited out and the same sentence is one utterance."""
    from untact.simulator.audio_sources import synthesize, with_room

    pause = np.zeros(int(16000 * 0.45), dtype=np.int16)
    said = np.concatenate([synthesize("아메리카노", "ko"), pause, synthesize("두 잔 주세요", "ko")])
    audio = with_room(said, 300, 900)
    seg = Segmenter()
    first = [e for f in frames_of(audio) for e in seg.feed(f) if isinstance(e, Utterance)]
    again = [e for f in frames_of(audio) for e in seg.feed(f) if isinstance(e, Utterance)]
    assert len(first) == 2 and len(again) == 1, (len(first), len(again), seg.end_window)
    assert seg.end_window > seg.settings.end_window
    seg.restart()  # the next customer starts with the default again
    assert seg.end_window == seg.settings.end_window
