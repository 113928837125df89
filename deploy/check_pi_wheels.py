"""Check that every pinned Python package has a ready-made wheel for the Raspberry Pi
(aarch64, CPython 3.11 as on Raspberry Pi OS Bookworm), so ``make install-pi`` never has
to compile on the Pi. Needs the package index; run with ``make check-pi-wheels``.

Exit status 0 when every package has a wheel, 1 when one does not (named on stderr).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

PLATFORMS = ("manylinux2014_aarch64", "manylinux_2_17_aarch64", "manylinux_2_28_aarch64",
             "linux_aarch64")
PYTHON = "3.11"


def pins(pyproject: Path) -> list[str]:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return data["project"]["dependencies"] + data["tool"]["untact"]["install-without-deps"]


def has_wheel(pin: str, dest: str) -> bool:
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
           "--python-version", PYTHON, "--dest", dest, pin]
    for platform in PLATFORMS:
        cmd[4:4] = ["--platform", platform]
    return subprocess.run(cmd, capture_output=True, text=True).returncode == 0


def main() -> int:
    missing = []
    with tempfile.TemporaryDirectory() as dest:
        for pin in pins(Path(__file__).resolve().parents[1] / "pyproject.toml"):
            ok = has_wheel(pin, dest)
            print(f"{'ok  ' if ok else 'NONE'} {pin}", flush=True)
            if not ok:
                missing.append(pin)
    if missing:
        print(f"check-pi-wheels: no aarch64 wheel for Python {PYTHON}: {', '.join(missing)}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
