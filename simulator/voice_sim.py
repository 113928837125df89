"""The simulator's voice: typed text spoken by espeak-ng, or WAV files, into voice input.

    mic = SimulatedMicrophone()
    voice = VoiceInput(bus, config, menu, source_factory=mic.open)
    voice.start(); voice.start_listening()
    mic.say("아이스 아메리카노 두 잔 주세요", "ko")   # -> STOP_SPEECH, VOICE order on the bus
    mic.play("recording.wav")

The speech goes through the real VAD and the real recognizer, exactly as a microphone's
would. For a real microphone instead, leave ``source_factory`` out (MicrophoneSource).
"""

from __future__ import annotations

from pathlib import Path

from untact.hardware.voice_audio import PushSource, TextToSpeechSource, WavFileSource


class SimulatedMicrophone(PushSource):
    def say(self, text: str, lang: str = "ko", voice: str = "", rate: int = 150,
            pitch: int = 50) -> None:
        """Speak ``text`` (synthesized in memory) into the microphone."""
        self.push(TextToSpeechSource(text, lang, voice=voice, rate=rate, pitch=pitch,
                                     lead_ms=0, tail_ms=0))

    def play(self, path: str | Path) -> None:
        """Play a WAV file into the microphone (any rate; mixed to mono)."""
        self.push(WavFileSource(path, lead_ms=0, tail_ms=0))
