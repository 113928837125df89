"""Every firmware file compiles with mpy-cross (the compiler of the MicroPython on the board)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

FIRMWARE = Path(__file__).resolve().parents[2] / "firmware"
FILES = sorted(p.name for p in FIRMWARE.glob("*.py") if p.name != "__init__.py")


def test_firmware_files_are_found():
    assert {"main.py", "boot.py", "protocol.py", "board.py", "gestures.py"} <= set(FILES)


@pytest.mark.parametrize("name", FILES)
def test_compiles_with_mpy_cross(name, tmp_path):
    mpy_cross = Path(sys.executable).with_name("mpy-cross")
    out = tmp_path / (name[:-3] + ".mpy")
    proc = subprocess.run([str(mpy_cross), "-o", str(out), str(FIRMWARE / name)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes()[:1] == b"M"  # an .mpy file's magic


def test_no_double_underscore_names_or_module_devices():
    """Names like __x break on CPython's name mangling in classes; and no module-level
    device objects: drivers take their bus or pins as arguments."""
    import ast

    for name in FILES:
        tree = ast.parse((FIRMWARE / name).read_text())
        for node in ast.walk(tree):
            ident = getattr(node, "id", None) or getattr(node, "attr", None) or ""
            if ident.startswith("__") and not ident.endswith("__"):
                raise AssertionError(f"{name}: private double-underscore name {ident}")
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                func = ast.unparse(node.value.func)
                assert not any(k in func for k in ("Pin", "I2C", "PWM", "UART")), (
                    f"{name}: module-level device {ast.unparse(node)}")
