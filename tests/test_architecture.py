"""The folders' import rules (DESIGN.md, Layout) and no import cycle, read from the source.

The checker is tests/import_graph.py; the throw-away trees below prove it reports what
it must, so a green run on the real tree means something.
"""

import textwrap
from pathlib import Path

import pytest
from import_graph import ANYWHERE, cycles, imports_of, rule_violations

REPO = Path(__file__).resolve().parents[1]
FOLDERS = ("accessibility", "firmware", "hardware", "shop", "simulator", "ui", "web")
# What the rules speak of: the untact folders, and Kivy (the UI toolkit is a layer too).
GUARDED = (*FOLDERS, "kivy")

# folder -> {what it may import: ANYWHERE, or only from these files}. A folder may
# always import itself; any guarded name not listed is forbidden to it.
RULES = {
    # The host side of the shared serial protocol; on the board it runs alone.
    "firmware": {},
    # The standard frame: everything else builds on it; Kivy behind one adapter.
    "accessibility": {"kivy": ("accessibility/kivy_adapter.py",)},
    # The merchant's domain: no toolkit, no devices.
    "shop": {"accessibility": ANYWHERE},
    # Devices speak intents; voice reads the shop's menu.
    "hardware": {"accessibility": ANYWHERE, "firmware": ANYWHERE, "shop": ANYWHERE},
    # Screens never know which device spoke: devices are built by the composition root.
    "ui": {"accessibility": ANYWHERE, "shop": ANYWHERE, "kivy": ANYWHERE,
           "hardware": ("ui/cli.py", "ui/composition.py"),
           "web": ("ui/cli.py", "ui/composition.py")},
    # The staff web app and ready board: the shop's data, never the kiosk's UI or devices.
    "web": {"accessibility": ANYWHERE, "shop": ANYWHERE},
    # The simulator swaps simulated devices in: it may use everything.
    "simulator": dict.fromkeys(GUARDED, ANYWHERE),
}


def test_rules_cover_every_folder():
    assert set(RULES) == set(FOLDERS)
    assert {p.name for p in REPO.iterdir() if (p / "__init__.py").is_file()} == set(FOLDERS)


def test_every_import_follows_the_folder_rules():
    broken = rule_violations(imports_of(REPO, FOLDERS), RULES, GUARDED)
    assert not broken, "imports that break the layering rules:\n" + "\n".join(broken)


def test_no_import_cycle():
    found = cycles(imports_of(REPO, FOLDERS))
    assert not found, "import cycles (TYPE_CHECKING imports left out):\n" + "\n".join(found)


# --- the checker on throw-away trees: every rule and the cycle check can fail ---------

def tree(root: Path, files: dict[str, str]) -> Path:
    """A small untact-shaped source tree: every folder a package, the given modules in it."""
    for folder in FOLDERS:
        (root / folder).mkdir()
        (root / folder / "__init__.py").write_text("")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text))
    return root


def violations(root: Path) -> list[str]:
    return rule_violations(imports_of(root, FOLDERS), RULES, GUARDED)


@pytest.mark.parametrize(("file", "text", "expected"), [
    ("firmware/protocol.py", "from untact.accessibility import intents\n",
     "firmware/protocol.py:1: imports untact.accessibility: firmware/ may not import accessibility"),
    ("accessibility/focus.py", "import kivy.clock\n",
     "accessibility/focus.py:1: imports kivy.clock: accessibility/ may import kivy only in accessibility/kivy_adapter.py"),
    ("accessibility/focus.py", "from untact.shop import cart\n",
     "accessibility/focus.py:1: imports untact.shop: accessibility/ may not import shop"),
    ("shop/cart.py", "\n\ndef total():\n    from untact.hardware import devices\n",
     "shop/cart.py:4: imports untact.hardware: shop/ may not import hardware"),
    ("shop/cart.py", "from kivy.uix.label import Label\n",
     "shop/cart.py:1: imports kivy.uix.label: shop/ may not import kivy"),
    ("hardware/link.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from untact.ui.app import KioskApp\n",
     "hardware/link.py:3: imports untact.ui.app (under TYPE_CHECKING): hardware/ may not import ui"),
    ("hardware/voice/input.py", "from ...simulator import voice_sim\n",
     "hardware/voice/input.py:1: imports untact.simulator: hardware/ may not import simulator"),
    ("ui/app.py", "from untact.hardware.keyboard import KeyMap\n",
     "ui/app.py:1: imports untact.hardware.keyboard: ui/ may import hardware only in ui/cli.py, ui/composition.py"),
])
def test_checker_reports_a_forbidden_import(tmp_path, file, text, expected):
    assert violations(tree(tmp_path, {file: text})) == [expected]


def test_checker_allows_what_the_rules_allow(tmp_path):
    root = tree(tmp_path, {
        "firmware/board.py": "from untact.firmware import protocol\nimport machine\n",
        "firmware/protocol.py": "",
        "accessibility/kivy_adapter.py": "from kivy.clock import Clock\n",
        "accessibility/bus.py": "from .intents import Intent\n",
        "accessibility/intents.py": "",
        "shop/menu.py": "from untact.accessibility import intents\n",
        "hardware/voice/grammar.py": "from untact.shop.menu import Menu\nfrom ...firmware import protocol\n",
        "ui/cli.py": "from untact.hardware import devices\n",
        "ui/composition.py": "def build():\n    import untact.hardware.voice\n",
        "ui/app.py": "from kivy.app import App\nfrom untact.shop import menu\n",
        "simulator/cli.py": "from untact.ui import app\nfrom untact.hardware import devices\nimport kivy\n",
    })
    assert violations(root) == []


def test_checker_reports_a_cycle_with_its_path(tmp_path):
    root = tree(tmp_path, {
        "simulator/driver.py": "from untact.simulator import panel\n",
        "simulator/panel.py": "import os\nfrom .runner import run\n",
        "simulator/runner.py": "from untact.simulator.driver import Driver\n",
    })
    assert cycles(imports_of(root, FOLDERS)) == [
        "untact.simulator.driver (simulator/driver.py:1) -> untact.simulator.panel (simulator/panel.py:2)"
        " -> untact.simulator.runner (simulator/runner.py:1) -> untact.simulator.driver"]


def test_checker_reports_a_cycle_through_a_function_level_import(tmp_path):
    root = tree(tmp_path, {
        "ui/app.py": "from untact.ui import overlays\n",
        "ui/overlays.py": "\n\ndef show():\n    from .app import KioskApp\n",
    })
    assert cycles(imports_of(root, FOLDERS)) == [
        "untact.ui.app (ui/app.py:1) -> untact.ui.overlays (ui/overlays.py:4) -> untact.ui.app"]


def test_checker_leaves_type_checking_imports_out_of_cycles(tmp_path):
    root = tree(tmp_path, {
        "shop/cart.py": "from untact.shop import menu\n",
        "shop/menu.py": "import typing\nif typing.TYPE_CHECKING:\n    from .cart import Cart\n",
    })
    assert cycles(imports_of(root, FOLDERS)) == []
    assert violations(root) == []
