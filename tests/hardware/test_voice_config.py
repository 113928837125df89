"""[devices.voice] parsing: defaults, and errors that name the file, line and field."""

import pytest
from untact.accessibility.config import ConfigError, Source
from untact.hardware.voice.config import VoiceConfig, from_table


def table(tmp_path, text):
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return Source.load(path).root().table("devices").table("voice")


def test_defaults_when_the_section_is_absent(tmp_path):
    assert from_table(table(tmp_path, "[shop]\nname = 1\n")) == VoiceConfig()


def test_values_are_read(tmp_path):
    cfg = from_table(table(tmp_path, '[devices.voice]\nlanguages = ["en"]\ndevice = 2\n'
                                     'ko_model = "/opt/vosk-model-small-ko-0.22"\n'
                                     'end_silence_ms = 450\n'))
    assert cfg.languages == ("en",) and cfg.device == 2
    assert cfg.model_for("ko") == "/opt/vosk-model-small-ko-0.22" and cfg.model_for("en") is None
    assert cfg.vad_settings().end_window == 15
    relative = from_table(table(tmp_path, '[devices.voice]\nen_model = "models/en"\n'))
    assert relative.en_model == str(tmp_path / "models" / "en")


@pytest.mark.parametrize("body, field", [
    ('languages = ["ko", "fr"]', "devices.voice.languages[1]"),
    ("vad_aggresiveness = 2", "devices.voice.vad_aggresiveness"),
    ("accept_confidence = 0.3", "devices.voice.reject_confidence"),
    ("vad_aggressiveness = 5", "devices.voice.vad_aggressiveness"),
])
def test_mistakes_name_the_field_and_line(tmp_path, body, field):
    with pytest.raises(ConfigError) as err:
        from_table(table(tmp_path, f"[devices.voice]\n{body}\n"))
    assert err.value.field == field
    assert err.value.line == 2 or field.endswith("reject_confidence")
