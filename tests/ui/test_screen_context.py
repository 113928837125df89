"""Screens reach the kiosk only through ScreenContext, and the parts serve all of it.

The protocols in ui/screens/context.py are what screens are written against; if a part
drops or reshapes a member, a screen breaks only when that button is pressed. These
checks say so at once, without a window.
"""

import inspect
from pathlib import Path

import pytest
from untact.ui.app_context import AppScreenContext
from untact.ui.checkout_flow import CheckoutFlow
from untact.ui.screens import context
from untact.ui.staff_mode import StaffMode

UI = Path(context.__file__).parents[1]


def members(protocol: type) -> dict[str, object]:
    return {name: value for name, value in vars(protocol).items() if not name.startswith("_")}


@pytest.mark.parametrize("protocol, part", [
    (context.ScreenContext, AppScreenContext),
    (context.CheckoutActions, CheckoutFlow),
    (context.StaffActions, StaffMode),
])
def test_each_part_serves_every_member_of_its_interface(protocol, part):
    assert members(protocol), protocol  # an empty protocol would pass anything
    for name, wanted in members(protocol).items():
        got = getattr(part, name, None)
        assert got is not None, f"{part.__name__} has no {name}"
        if isinstance(wanted, property):
            assert isinstance(got, property), f"{part.__name__}.{name} is not a property"
        else:
            assert list(inspect.signature(got).parameters) \
                == list(inspect.signature(wanted).parameters), f"{part.__name__}.{name}"


def test_screens_and_the_overlay_do_not_reach_for_the_running_app():
    sources = [*sorted((UI / "screens").rglob("*.py")), UI / "overlays.py"]
    reaching = [str(path.relative_to(UI)) for path in sources
                if "get_running_app" in path.read_text() or "kivy.app" in path.read_text()]
    assert len(sources) > 10 and reaching == []
