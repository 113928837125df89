"""The same protocol, gesture and board-loop vectors on CPython and on a real MicroPython."""

from __future__ import annotations

import pytest
import shared_checks
from micropython_runner import run_micropython
from untact.firmware import board, gestures, protocol

ALL = [name for name, _ in shared_checks.CHECKS + shared_checks.BOARD_CHECKS]


@pytest.mark.parametrize("name", ALL)
def test_on_cpython(name):
    fn = dict(shared_checks.CHECKS + shared_checks.BOARD_CHECKS)[name]
    fn(protocol, board if name.startswith("board") else gestures)


@pytest.fixture(scope="module")
def micropython_results():
    out = run_micropython(
        "import protocol, gestures, board, shared_checks\n"
        "print('IMPL', sys.implementation.name, sys.version)\n"
        "shared_checks.run_all(protocol, gestures, board)\n"
    )
    assert "GUEST ERROR" not in out, out
    lines = out.splitlines()
    assert lines and lines[0].startswith("IMPL micropython"), out
    assert protocol.crc16 is not protocol.crc16_table  # CPython took the C CRC: two codes
    return {line.split()[1].rstrip(":"): line for line in lines[1:] if line[:4] in ("PASS", "FAIL")}


@pytest.mark.parametrize("name", ALL)
def test_on_micropython(micropython_results, name):
    line = micropython_results.get(name)
    assert line is not None, f"{name} did not run under MicroPython"
    assert line.startswith("PASS"), line
