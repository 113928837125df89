"""Merchant admin entry: a hidden intent sequence, then a PIN checked against a slow hash.

How a merchant gets in (documented in deploy/README.md, "Merchant admin"):

1. Press HELP five times within three seconds (any modality: the keypad's help key, the
   sensor gesture or simulator key mapped to HELP). The sequence and
   window are configurable in ``[admin]`` (``entry_sequence``, ``entry_window_s``).
   The first HELP also calls staff (that is what HELP is for); entering admin
   acknowledges that call, since the person at the kiosk *is* the staff.
2. Enter the PIN. It is stored only as a salted scrypt hash (``[admin] pin_hash`` in the
   kiosk file, set with ``untact-admin set-pin``); the PIN itself is never on disk.
3. After 5 wrong PINs admin entry is locked for 5 minutes. The lock lives in SQLite next
   to the orders, so pulling the power does not reset it.

A 4-6 digit PIN has few possibilities: the hash keeps it from being read off the file
by someone glancing at it, the lockout keeps it from being guessed at the kiosk. Neither
stops someone who copies the file and spends hours on it; keep the file 0640 (the
installer does) and prefer 6+ digits.

Pure logic over intents and an injected clock: no Kivy here.
"""

from __future__ import annotations

import base64
import collections
import hashlib
import hmac
import math
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from untact.accessibility.config import ConfigError, Table
from untact.accessibility.intents import Intent, Kind

if TYPE_CHECKING:
    from .menu import Kiosk

# scrypt cost: ~16 MiB and ~50 ms on a laptop, ~0.2 s on a Raspberry Pi 4.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_MAX_N = 2**20  # a hash from the file is untrusted: cap the memory it can make us use
PIN_MIN, PIN_MAX = 4, 12

#: Intents that say nothing about a person's intention (cursor motion, presence):
#: they neither advance nor break the entry sequence.
_IGNORED = {Kind.POINT, Kind.PRESENCE}
_SEQUENCE_KINDS = {k.value: k for k in Kind if k not in _IGNORED | {Kind.VOICE, Kind.DWELL}}


class PinError(ValueError):
    """A PIN or PIN hash that cannot be used; the message is for the merchant."""


def check_pin_format(pin: str) -> str:
    pin = pin.strip()
    if not pin.isascii() or not pin.isdigit():
        raise PinError("the PIN must be digits only (0-9)")
    if not PIN_MIN <= len(pin) <= PIN_MAX:
        raise PinError(f"the PIN must have {PIN_MIN} to {PIN_MAX} digits")
    return pin


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P,
             salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$hash`` (base64), the only form in which a PIN is stored."""
    pin = check_pin_format(pin)
    salt = os.urandom(16) if salt is None else salt
    digest = _scrypt(pin, salt, n, r, p)
    b64 = base64.b64encode
    return f"scrypt${n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def parse_pin_hash(text: str) -> tuple[int, int, int, bytes, bytes]:
    """Check a stored hash's shape and bounds; PinError with the reason if it is wrong."""
    parts = text.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        raise PinError("is not a PIN hash made by 'untact-admin set-pin' (scrypt$N$r$p$salt$hash)")
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except ValueError:
        raise PinError("is damaged (bad number or base64); set the PIN again") from None
    if n < 2**10 or n > _MAX_N or n & (n - 1) or not 1 <= r <= 32 or not 1 <= p <= 16:
        raise PinError(f"has unsupported scrypt costs N={n} r={r} p={p}")
    if len(salt) < 16 or not 16 <= len(digest) <= 64:
        raise PinError("is damaged (salt or hash too short); set the PIN again")
    return n, r, p, salt, digest


def verify_pin(pin: str, stored: str) -> bool:
    n, r, p, salt, digest = parse_pin_hash(stored)
    try:
        pin = check_pin_format(pin)
    except PinError:
        return False
    return hmac.compare_digest(_scrypt(pin, salt, n, r, p, len(digest)), digest)


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, dklen: int = 32) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=dklen,
                          maxmem=256 * n * r * p + 2**22)


@dataclass(frozen=True)
class AdminConfig:
    """``[admin]`` in the kiosk file; every field has a default."""

    pin_hash: str | None = None
    max_attempts: int = 5
    lockout_s: float = 300.0
    entry_sequence: tuple[Kind, ...] = (Kind.HELP,) * 5
    entry_window_s: float = 3.0
    idle_exit_s: float = 120.0  # the admin screen closes itself: no open door for customers
    export_folder: str | None = None  # CSV export (e.g. a USB stick); None: data/exports


ADMIN_KEYS = {"pin_hash", "max_attempts", "lockout_minutes", "entry_sequence",
              "entry_window_s", "idle_exit_s", "export_folder"}


def from_table(table: Table) -> AdminConfig:
    table.unknown_keys(ADMIN_KEYS)
    d = AdminConfig()
    pin_hash = table.get("pin_hash", str, None, max_len=400)
    if pin_hash is not None:
        try:
            parse_pin_hash(pin_hash)
        except PinError as exc:
            raise table.error("pin_hash", str(exc)) from None
    names = table.get("entry_sequence", list, [k.value for k in d.entry_sequence])
    if not 2 <= len(names) <= 12:
        raise table.error("entry_sequence", "must list 2 to 12 intents")
    seq = []
    for i, name in enumerate(names):
        if name not in _SEQUENCE_KINDS:
            raise table.error("entry_sequence",
                              f"item {i + 1}: {name!r} is not one of "
                              f"{', '.join(sorted(_SEQUENCE_KINDS))}")
        seq.append(_SEQUENCE_KINDS[name])
    return AdminConfig(
        pin_hash=pin_hash,
        max_attempts=table.get("max_attempts", int, d.max_attempts, min=1, max=20),
        lockout_s=60.0 * table.get("lockout_minutes", float, d.lockout_s / 60, min=0.5, max=1440),
        entry_sequence=tuple(seq),
        entry_window_s=table.get("entry_window_s", float, d.entry_window_s, min=0.5, max=30),
        idle_exit_s=table.get("idle_exit_s", float, d.idle_exit_s, min=10, max=3600),
        export_folder=table.get("export_folder", str, None, max_len=500),
    )


def admin_config(kiosk: Kiosk) -> AdminConfig:
    """The ``[admin]`` settings of a loaded :class:`~untact.shop.menu.Kiosk`."""
    return from_table(kiosk.section("admin"))


def pin_hash_exposure(path: str | Path) -> str | None:
    """Why the kiosk file holding the PIN hash is readable (or writable) by users other
    than its owner and group, or None. The hash can be guessed offline from a copy of the
    file; the installer makes it 0640."""
    try:
        mode = os.stat(path).st_mode & 0o777
    except OSError:
        return None
    if not mode & 0o006:
        return None
    return (f"{path} holds the admin PIN hash and other users can "
            f"{'read and change' if mode & 0o002 else 'read'} it (mode {mode:04o}); "
            f"make it private: chmod o-rwx {path}")


class EntryDetector:
    """Spots the hidden admin sequence in the stream of intents the UI receives.

    Feed it every intent (``feed`` returns True once, when the sequence completes within
    the window). Cursor motion and presence are ignored; any other intent that does not
    fit breaks the sequence.
    """

    def __init__(self, sequence: Sequence[Kind] = AdminConfig.entry_sequence,
                 window_s: float = AdminConfig.entry_window_s,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if len(sequence) < 2:
            raise ValueError("an entry sequence needs at least two intents")
        self.sequence = tuple(sequence)
        self.window_s = window_s
        self._clock = clock
        self._recent: collections.deque[tuple[Kind, float]] = collections.deque(
            maxlen=len(self.sequence))

    @classmethod
    def from_config(cls, config: AdminConfig, clock: Callable[[], float] = time.monotonic
                    ) -> EntryDetector:
        return cls(config.entry_sequence, config.entry_window_s, clock)

    def feed(self, intent: Intent) -> bool:
        if intent.kind in _IGNORED:
            return False
        self._recent.append((intent.kind, self._clock()))
        if (len(self._recent) == len(self.sequence)
                and tuple(k for k, _ in self._recent) == self.sequence
                and self._recent[-1][1] - self._recent[0][1] <= self.window_s):
            self._recent.clear()
            return True
        return False

    def reset(self) -> None:
        self._recent.clear()


@dataclass(frozen=True)
class PinCheck:
    """The outcome of one PIN attempt, with what to tell the merchant."""

    ok: bool
    locked_for_s: float = 0.0  # > 0: admin entry is locked (this attempt was not checked)
    attempts_left: int = 0
    no_pin: bool = False  # no PIN has been set: admin cannot be entered at all

    def message(self, lang: str = "ko") -> str:
        if self.ok:
            return "관리자 모드입니다." if lang == "ko" else "Admin mode."
        if self.no_pin:
            return ("관리자 PIN이 설정되지 않았습니다. 'untact-admin set-pin'으로 설정하세요."
                    if lang == "ko" else
                    "No admin PIN is set. Set one with 'untact-admin set-pin'.")
        if self.locked_for_s > 0:
            minutes = max(1, math.ceil(self.locked_for_s / 60))
            return (f"PIN을 여러 번 잘못 입력했습니다. {minutes}분 후에 다시 시도하세요."
                    if lang == "ko" else
                    f"Too many wrong PINs. Try again in {minutes} min.")
        return (f"PIN이 맞지 않습니다. {self.attempts_left}번 더 시도할 수 있습니다."
                if lang == "ko" else
                f"Wrong PIN. {self.attempts_left} tries left.")


LOCK_SCHEMA = """
CREATE TABLE IF NOT EXISTS admin_lockout (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    failures     INTEGER NOT NULL,
    locked_until REAL    NOT NULL               -- wall-clock seconds (time.time())
);
INSERT OR IGNORE INTO admin_lockout (id, failures, locked_until) VALUES (1, 0, 0);
"""


class PinGate:
    """Checks PINs and keeps the lockout in SQLite (survives restarts and power cuts).

    ``config`` is called at each attempt, so a PIN set with ``untact-admin set-pin``
    while the kiosk runs counts once the menu is reloaded. ``clock`` is wall-clock
    seconds: a lockout must outlive a reboot, which a monotonic clock does not. If the
    clock jumps backwards (a Pi without a real-time clock before NTP), the remaining
    lock is capped at the configured lockout, never stretched.

    ``check`` hashes with scrypt (~0.2 s on a Pi 4): call it off the UI thread.
    """

    def __init__(self, db_path: str | Path, config: Callable[[], AdminConfig],
                 clock: Callable[[], float] = time.time) -> None:
        self._config = config
        self._clock = clock
        self._lock = threading.Lock()
        self._db = sqlite3.connect(db_path, isolation_level=None, timeout=10,
                                   check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(LOCK_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def locked_for(self) -> float:
        """Seconds until a PIN may be tried again (0 when not locked)."""
        with self._lock:
            return self._remaining(self._config())

    def check(self, pin: str) -> PinCheck:
        config = self._config()
        if not config.pin_hash:
            return PinCheck(False, no_pin=True)
        with self._lock:
            remaining = self._remaining(config)
            failures, _ = self._state()
            if remaining > 0:
                return PinCheck(False, locked_for_s=remaining)
            if verify_pin(pin, config.pin_hash):
                self._save(0, 0.0)
                return PinCheck(True)
            failures += 1
            if failures >= config.max_attempts:
                self._save(0, self._clock() + config.lockout_s)
                return PinCheck(False, locked_for_s=config.lockout_s)
            self._save(failures, 0.0)
            return PinCheck(False, attempts_left=config.max_attempts - failures)

    def _remaining(self, config: AdminConfig) -> float:
        failures, until = self._state()
        now = self._clock()
        if until - now > config.lockout_s:  # the clock went back: restart the lock from now
            until = now + config.lockout_s
            self._save(failures, until)
        return max(0.0, until - now)

    def _state(self) -> tuple[int, float]:
        row: tuple[int, float] = self._db.execute(
            "SELECT failures, locked_until FROM admin_lockout WHERE id = 1").fetchone()
        return row

    def _save(self, failures: int, until: float) -> None:
        self._db.execute("UPDATE admin_lockout SET failures = ?, locked_until = ? WHERE id = 1",
                         (failures, until))


__all__ = ["AdminConfig", "ConfigError", "EntryDetector", "PinCheck", "PinError", "PinGate",
           "admin_config", "check_pin_format", "from_table", "hash_pin", "parse_pin_hash",
           "pin_hash_exposure", "verify_pin"]
