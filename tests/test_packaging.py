"""The wheel holds every module and data file of the six folders, under untact/<folder>/.

setup.py finds subpackages itself and pyproject lists the package data; this builds the
real wheel (as pip installs it on the Pi) and compares it with the source tree, so a
new subpackage, KV file or audit fixture cannot silently go missing from installs.
"""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FOLDERS = ("accessibility", "firmware", "hardware", "shop", "simulator", "ui", "web")
# Beyond every .py and .kv: data files read at run time through importlib.resources.
DATA = ("accessibility/audit/rules.toml", "accessibility/audit/fixtures/*.json",
        "web/templates/*.html", "web/static/*.css", "web/static/*.js")


def expected_files(root: Path) -> set[str]:
    """Paths the wheel must hold, as untact/<folder>/..., from the source tree."""
    found: set[Path] = set()
    for folder in FOLDERS:
        for pattern in ("*.py", "*.kv"):
            found.update((root / folder).rglob(pattern))
    for pattern in DATA:
        matches = set(root.glob(pattern))
        assert matches, f"{pattern} matches nothing in {root}: fix DATA"
        found.update(matches)
    return {"untact/" + p.relative_to(root).as_posix() for p in found if "__pycache__" not in p.parts}


def missing_from(listing: list[str], root: Path) -> list[str]:
    return sorted(expected_files(root) - set(listing))


def build_wheel(source: Path, out: Path) -> Path:
    """Build from a copy: setuptools writes build/ and *.egg-info into the source tree."""
    copy = out / "src"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "test-output", "build", "dist", "*.egg-info", "__pycache__", ".*cache"))
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out / "dist"), str(copy)],
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"pip wheel failed:\n{done.stdout}\n{done.stderr}"
    (wheel,) = (out / "dist").glob("untact-*.whl")
    return wheel


@pytest.mark.slow
def test_wheel_holds_every_module_and_data_file(tmp_path):
    with zipfile.ZipFile(build_wheel(REPO, tmp_path)) as wheel:
        listing = wheel.namelist()
    assert missing_from(listing, REPO) == []
    assert not [n for n in listing if n.split("/")[0] in FOLDERS], "a folder installed outside untact/"


def test_checker_reports_a_missing_module():
    listing = sorted(expected_files(REPO))
    dropped = "untact/hardware/voice/grammar.py"
    assert dropped in listing
    listing.remove(dropped)
    assert missing_from(listing, REPO) == [dropped]


def test_checker_expects_a_new_subpackage_and_its_kv(tmp_path):
    for folder in FOLDERS:
        (tmp_path / folder).mkdir()
    for pattern in DATA:
        (tmp_path / pattern.replace("*", "x")).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / pattern.replace("*", "x")).write_text("")
    (tmp_path / "ui/screens/kitchen").mkdir(parents=True)
    (tmp_path / "ui/screens/kitchen/__init__.py").write_text("")
    (tmp_path / "ui/screens/kitchen/queue.kv").write_text("")
    listing = ["untact/" + pattern.replace("*", "x") for pattern in DATA]
    assert missing_from(listing, tmp_path) == [
        "untact/ui/screens/kitchen/__init__.py", "untact/ui/screens/kitchen/queue.kv"]
