"""``hand`` steps: a scenario drives the real camera tracker with real hand photos (the
library's camera_hand_order.toml orders by camera alone and runs in test_scenarios.py);
mistakes in a hand step are refused with the file, line and step."""

from __future__ import annotations

from pathlib import Path

import pytest
from untact.accessibility.config import ConfigError
from untact.simulator.scenario import load_scenario

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"


@pytest.fixture
def write(tmp_path, testdata, monkeypatch):
    if not (testdata / "hands" / "pointing_index_hagrid.jpg").is_file():
        pytest.skip("the hand photos are needed")
    monkeypatch.setenv("UNTACT_TESTDATA", str(testdata))

    def make(body: str) -> Path:
        path = tmp_path / "s.toml"
        path.write_text(f'[scenario]\nconfig = "{CAFE}"\n\n[[step]]\ndo = "wait"\nseconds = 1\n'
                        f"\n[[step]]\n{body}", encoding="utf-8")
        return path
    return make


def test_a_hand_step_is_read(write, testdata):
    scenario = load_scenario(write('do = "hand"\nat = "0.25, 0.7"\nhold_s = 2\n'))
    step = scenario.steps[1]
    assert scenario.camera and step.action == "hand"
    assert step.args == {"gesture": "hold", "at": (0.25, 0.7), "hold_s": 2.0,
                         "photo": str(testdata / "hands" / "pointing_index_hagrid.jpg")}
    swipe = load_scenario(write('do = "hand"\ngesture = "swipe_left"\n')).steps[1]
    assert swipe.args["photo"].endswith("open_palm_hagrid.jpg") and "at" not in swipe.args
    assert not load_scenario(write('do = "wait"\nseconds = 2\n')).camera


@pytest.mark.parametrize("body, message", [
    ('do = "hand"\ngesture = "wave"\nat = "x"\n', "step[1].gesture: unknown gesture 'wave'"),
    ('do = "hand"\n', "step[1].at: is missing: where to hold"),
    ('do = "hand"\ngesture = "push"\n', "step[1].at: is missing: where to push"),
    ('do = "hand"\nat = "1.5, 0.2"\n', "step[1].at: '1.5, 0.2': x and y must be within 0..1"),
    ('do = "hand"\nat = "Americano"\nhold_s = 0.5\n', "step[1].hold_s: must be between 1.5"),
    ('do = "hand"\ngesture = "push"\nat = "Tea"\nhold_s = 2\n',
     "step[1].hold_s: only for gesture = \"hold\""),
    ('do = "hand"\nat = "Tea"\nscale = 2\n', "step[1].scale: must be between 0.15 and 0.6"),
    ('do = "hand"\nat = "Tea"\nphoto = "no_such_hand.jpg"\n',
     "step[1].photo: no hand photo 'no_such_hand.jpg'"),
    ('do = "hand"\nat = "Tea"\nhand = "left"\n', "step[1].hand: unknown field"),
])
def test_bad_hand_steps_name_file_line_and_step(write, body, message):
    path = write(body)
    with pytest.raises(ConfigError) as err:
        load_scenario(path)
    assert message in str(err.value), str(err.value)
    # The line of the field at fault, or of the [[step]] when the field is missing.
    field = message.split(":")[0].split(".")[1]
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next((n for n, text in enumerate(lines, 1) if n > 8 and text.startswith(field + " ")), 8)
    assert str(err.value).startswith(f"{path}:{line}: ")
