"""The Raspberry Pi deployment, checked as far as a container can: shellcheck, a dry run
and a real run of install-pi.sh into a temporary root, systemd-analyze verify of the
installed unit, the Kivy settings against the pinned Kivy, and the udev rule's syntax.

Not checkable here (no Pi, no KMS screen, no systemd as PID 1): booting, the watchdog
restart itself, SDL's KMS/DRM window and touch input. deploy/README.md lists them."""

from __future__ import annotations

import configparser
import importlib.util
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from untact.shop.menu_service import validate_kiosk

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
SCRIPT = DEPLOY / "install-pi.sh"
CMDLINE = "console=serial0,115200 console=tty1 root=PARTUUID=1 rootfstype=ext4 rootwait\n"


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} not installed (make setup installs it from Debian)")
    return path


def install(root: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPT), "--root", str(root), *extra],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def pi_root(tmp_path):
    root = tmp_path / "pi"
    (root / "boot" / "firmware").mkdir(parents=True)
    (root / "boot" / "firmware" / "cmdline.txt").write_text(CMDLINE)
    return root


def test_shellcheck_clean():
    r = subprocess.run([tool("shellcheck"), "--severity=style", str(SCRIPT)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


def test_dry_run_changes_nothing(pi_root):
    before = sorted(p.relative_to(pi_root) for p in pi_root.rglob("*"))
    r = install(pi_root, "--dry-run")
    assert r.returncode == 0, r.stderr
    assert sorted(p.relative_to(pi_root) for p in pi_root.rglob("*")) == before
    assert (pi_root / "boot/firmware/cmdline.txt").read_text() == CMDLINE
    for planned in ("etc/systemd/system/untact.service", "99-untact-boards.rules",
                    "var/lib/untact/kivy/config.ini", "append consoleblank=0",
                    f"systemctl --root={pi_root} enable untact.service",
                    "skipped (not the live system): apt-get install"):
        assert planned in r.stdout, planned


def test_install_into_a_root_and_again(pi_root):
    r = install(pi_root)
    assert r.returncode == 0, r.stderr
    unit = pi_root / "etc/systemd/system/untact.service"
    assert unit.read_text() == (DEPLOY / "untact.service").read_text()
    assert (pi_root / "etc/systemd/system/multi-user.target.wants/untact.service").is_symlink()
    assert (pi_root / "etc/udev/rules.d/99-untact-boards.rules").is_file()
    assert (pi_root / "etc/systemd/journald.conf.d/untact.conf").is_file()
    assert (pi_root / "opt/untact/shop/orders.py").is_file()
    assert not (pi_root / "opt/untact/.git").exists()
    kiosk_file = pi_root / "var/lib/untact/kiosk.toml"
    assert stat.S_IMODE(kiosk_file.stat().st_mode) == 0o640
    kiosk = validate_kiosk(kiosk_file)  # the installed file passes start-up checks
    assert kiosk.data_folder == Path("/var/lib/untact/data")
    # again: idempotent, and the merchant's edited kiosk file is kept
    kiosk_file.write_text(kiosk_file.read_text().replace("price = 4500", "price = 4700", 1))
    r = install(pi_root)
    assert r.returncode == 0, r.stderr
    assert "keeping the existing kiosk file" in r.stdout
    assert "price = 4700" in kiosk_file.read_text()
    cmdline = (pi_root / "boot/firmware/cmdline.txt").read_text()
    assert cmdline == CMDLINE.rstrip("\n") + " consoleblank=0 vt.global_cursor_default=0\n"


def test_bad_arguments(tmp_path):
    r = subprocess.run(["bash", str(SCRIPT), "--frobnicate"], capture_output=True, text=True)
    assert r.returncode == 2 and "unknown option" in r.stderr
    r = install(tmp_path / "missing")
    assert r.returncode == 1 and "does not exist" in r.stderr


def test_live_dry_run_plans_without_systemd_running():
    """The live plan as run in a chroot (make pi-image-check, found there): no running
    systemd means no daemon-reload or udevadm (both fail in a chroot), and the unit is
    still enabled for the next boot. The dry run runs no program of the plan: it used to
    run the not yet created venv's Python (an error on stderr, an empty --no-deps list)."""
    r = subprocess.run(["bash", str(SCRIPT), "--dry-run"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "No such file" not in r.stderr, r.stderr
    assert "pip install -q --no-deps <[tool.untact] install-without-deps>" in r.stdout
    assert "+ systemctl enable untact.service" in r.stdout
    if Path("/run/systemd/system").is_dir():  # a host booted with systemd
        assert "+ systemctl daemon-reload" in r.stdout and "+ udevadm control" in r.stdout
    else:
        assert "systemd is not running here" in r.stdout
        assert "daemon-reload" not in r.stdout and "udevadm" not in r.stdout


def _verify(root: Path, unit: str) -> subprocess.CompletedProcess:
    return subprocess.run([tool("systemd-analyze"), "verify", f"--root={root}", "--man=no",
                           unit], capture_output=True, text=True, timeout=120)


def test_systemd_analyze_verify(pi_root):
    assert install(pi_root).returncode == 0
    # What verify needs besides our unit: the stock units (copied from this machine's
    # systemd) and an executable where pip puts the kiosk on a Pi (a stand-in script).
    shutil.copytree("/usr/lib/systemd/system", pi_root / "usr/lib/systemd/system",
                    symlinks=True)
    kiosk_bin = pi_root / "opt/untact/.venv/bin/untact-kiosk"
    kiosk_bin.parent.mkdir(parents=True)
    kiosk_bin.write_text("#!/bin/sh\n# stand-in for the pip-installed console script\n")
    kiosk_bin.chmod(0o755)
    r = _verify(pi_root, "untact.service")
    assert r.returncode == 0 and r.stdout + r.stderr == "", r.stdout + r.stderr
    # the check can fail: a misspelt key and a missing program are both reported
    bad = pi_root / "etc/systemd/system/untact-bad.service"
    bad.write_text((DEPLOY / "untact.service").read_text()
                   .replace("Restart=always", "Restrat=always"))
    assert "Unknown key 'Restrat'" in _verify(pi_root, "untact-bad.service").stderr
    kiosk_bin.unlink()
    r = _verify(pi_root, "untact.service")
    assert r.returncode != 0 and "untact-kiosk is not executable" in r.stderr


def _unit_settings(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            out.setdefault(key.strip(), []).append(value.strip())
    return out


def test_unit_promises():
    s = _unit_settings((DEPLOY / "untact.service").read_text())
    assert s["Type"] == ["notify"] and s["Restart"] == ["always"]
    assert int(s["WatchdogSec"][0]) >= 10 and s["StartLimitIntervalSec"] == ["0"]
    assert s["StandardOutput"] == ["journal"] and s["StandardError"] == ["journal"]
    assert s["StateDirectory"] == ["untact"] and s["User"] == ["untact"]
    env = dict(e.split("=", 1) for e in s["Environment"])
    assert env["UNTACT_CONFIG"].startswith("/var/lib/untact/")
    assert env["KIVY_HOME"] == "/var/lib/untact/kivy" and env["SDL_VIDEODRIVER"] == "kmsdrm"
    assert "dialout" in s["SupplementaryGroups"][0].split()


def test_kivy_settings_match_the_pinned_kivy():
    cfg = configparser.RawConfigParser()
    cfg.read(DEPLOY / "kivy-config.ini")
    kivy_dir = Path(importlib.util.find_spec("kivy").origin).parent  # no Kivy start-up
    version = re.search(r"^KIVY_CONFIG_VERSION = (\d+)$",
                        (kivy_dir / "config.py").read_text(), re.M).group(1)
    assert cfg["kivy"]["config_version"] == version  # else Kivy re-adds probesysfs
    assert dict(cfg["input"]) == {"mouse": "mouse,multitouch_on_demand"}  # no duplicates
    assert cfg["graphics"]["show_cursor"] == "0" and cfg["kivy"]["exit_on_escape"] == "0"


def _kivy(home: Path, code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KIVY_HOME": str(home), "KIVY_NO_ARGS": "1", "KIVY_NO_CONSOLELOG": "1"}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=120)


def test_kivy_settings_are_complete_and_kept(tmp_path):
    """Kivy fills in missing options only when it upgrades an older config_version, so
    ours must have every option of the pinned Kivy's own file (make pi-image-check found
    kivy_clock missing: the kiosk stopped at its first import of kivy.clock). Kivy then
    reads every option of it and leaves the file as it is."""
    (tmp_path / "fresh").mkdir()
    assert _kivy(tmp_path / "fresh", "import kivy.config").returncode == 0
    theirs, ours = configparser.RawConfigParser(), configparser.RawConfigParser()
    theirs.read(tmp_path / "fresh" / "config.ini")
    ours.read(DEPLOY / "kivy-config.ini")
    missing = [f"[{section}] {option}" for section in theirs.sections() if section != "input"
               for option in theirs.options(section) if not ours.has_option(section, option)]
    assert not missing, f"kivy-config.ini lacks {missing}"
    home = tmp_path / "kiosk"
    home.mkdir()
    shutil.copy(DEPLOY / "kivy-config.ini", home / "config.ini")
    r = _kivy(home, "from kivy.clock import Clock\nfrom kivy.config import Config\n"
                    "[Config.get(s, o) for s in Config.sections() for o in Config.options(s)]")
    assert r.returncode == 0, r.stderr[-2000:]
    assert (home / "config.ini").read_text() == (DEPLOY / "kivy-config.ini").read_text()


_UDEV_TOKEN = re.compile(r'\s*([A-Za-z_]+(?:\{[^}]*\})?)\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*(,|$)')
_UDEV_KEYS = {"ACTION", "SUBSYSTEM", "SUBSYSTEMS", "ATTRS", "ENV", "GOTO", "LABEL", "GROUP",
              "MODE", "SYMLINK", "IMPORT"}


def test_udev_rule_syntax():
    gotos, labels = set(), set()
    text = (DEPLOY / "99-untact-boards.rules").read_text()
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        pos = 0
        while pos < len(line):
            m = _UDEV_TOKEN.match(line, pos)
            assert m, f"line {n}: cannot parse at {line[pos:]!r}"
            key = m.group(1).split("{")[0]
            assert key in _UDEV_KEYS, f"line {n}: unexpected key {key}"
            if key == "GOTO":
                gotos.add(m.group(3))
            if key == "LABEL":
                labels.add(m.group(3))
            pos = m.end()
    assert gotos and gotos <= labels
    assert 'GROUP="dialout"' in text and 'MODE="0660"' in text
    assert 'ENV{ID_MM_DEVICE_IGNORE}="1"' in text
