import pytest
from untact.accessibility.config import ConfigError
from untact.accessibility.settings import AccessibilityConfig


def test_cafe_file_loads_with_its_accessibility_settings():
    cfg = AccessibilityConfig.load("examples/cafe.toml")
    assert cfg.display.viewing_distance_mm == 500
    assert cfg.session.warning_s == 30 and cfg.session.max_extensions == 20
    assert cfg.speech.voices == {"ko": "ko", "en": "en"}
    assert cfg.speech.volume_levels_db == (-24, -18, -12, -6, 0)


@pytest.mark.parametrize("text, field", [
    ("[accessibility.speech]\nvolume_levels_db = [-12, -6, 0]\n", "volume_levels_db"),
    ("[accessibility.speech]\nsink = \"alsa\"\n", "sink"),
    ("[accessibility.session]\nmax_extensions = 3\n", "max_extensions"),
    ("[accessibility.profiles]\ndefault = \"tall\"\n", "default"),
    ("[accessibility]\nspeach = 1\n", "speach"),
])
def test_mistakes_name_file_line_and_field(tmp_path, text, field):
    p = tmp_path / "kiosk.toml"
    p.write_text("[shop]\nname = 'x'\n" + text)
    with pytest.raises(ConfigError) as err:
        AccessibilityConfig.load(str(p))
    assert "kiosk.toml:" in str(err.value) and field in str(err.value)
