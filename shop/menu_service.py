"""The live menu: one holder owns the running Kiosk, applies merchant edits, tells screens.

Screens never keep a Kiosk of their own for long: they ``subscribe`` and redraw when the
menu changes (an item sold out at lunchtime disappears at once from every screen).

Every edit, however small, takes the same road as start-up, so the kiosk can never run a
menu it would refuse to start with:

1. read the kiosk file with tomlkit (keeps the merchant's comments and layout);
2. apply the edit, write the result to a temporary file *next to* the real one;
3. validate the temporary file with :func:`~untact.shop.menu.load_kiosk` (plus the
   ``[admin]`` and ``[payment]`` parsers);
4. only if that passes: fsync, atomically rename over the kiosk file, swap the live
   Kiosk and notify subscribers. A refused edit raises :class:`MenuEditRefused` with the
   one-line reason; the file on disk and the running menu stay exactly as they were.

An exclusive ``flock`` on ``<file>.lock`` serialises writers (the admin screen and
``untact-admin set-pin`` may run at once). The file keeps its mode and, when root
edits it, its owner.
"""

from __future__ import annotations

import copy
import fcntl
import logging
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from untact.accessibility.config import ConfigError, locate
from untact.accessibility.listeners import Listeners

from . import payment, staff_access
from .menu import MAX_PRICE, Kiosk, load_kiosk
from .sync import config as sync_config

if TYPE_CHECKING:  # tomlkit is imported on the first edit: it is not on the start-up path
    import tomlkit
    from tomlkit.items import AbstractTable

log = logging.getLogger(__name__)


class MenuEditRefused(ValueError):
    """An edit the kiosk would not start with; ``reason`` is one line for the merchant."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class MenuChange:
    what: str  # e.g. "sold_out", "price", "reload", "pin"
    item_id: str | None = None


Listener = Callable[[Kiosk, MenuChange], None]


def validate_kiosk(path: str | Path) -> Kiosk:
    """Everything start-up checks: the menu, and the sections parsed outside menu.py."""
    kiosk = load_kiosk(path)
    staff_access.admin_config(kiosk)
    payment.from_table(kiosk.section("payment"))
    sync_config.from_kiosk(kiosk)
    return kiosk


class MenuService:
    """Owns the live :class:`Kiosk`; thread-safe; listeners run in the editing thread."""

    def __init__(self, path: str | Path, kiosk: Kiosk | None = None) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._listeners: Listeners[[Kiosk, MenuChange]] = Listeners(log, "menu")
        self._kiosk = kiosk if kiosk is not None else validate_kiosk(self.path)
        self._stamp = self._file_stamp()

    @property
    def kiosk(self) -> Kiosk:
        return self._kiosk

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(kiosk, change)`` after every change; returns an unsubscribe."""
        return self._listeners.subscribe(listener)

    # --- edits -------------------------------------------------------------------------

    def set_sold_out(self, item_id: str, sold_out: bool = True) -> Kiosk:
        """Mark an item sold out (or back on sale); saved, so it survives a restart."""
        change = MenuChange("sold_out", item_id)
        fast = self._fast_set(item_id, "sold_out", sold_out, change)
        if fast is not None:
            return fast

        def edit(doc: tomlkit.TOMLDocument) -> None:
            table = _item_table(doc, item_id)
            if sold_out or "sold_out" in table:
                table["sold_out"] = sold_out
        return self.edit(edit, change)

    def set_price(self, item_id: str, price: int) -> Kiosk:
        if isinstance(price, bool) or not isinstance(price, int):
            raise MenuEditRefused(f"the price of {item_id} must be a whole number of won")
        if not 0 <= price <= MAX_PRICE:
            raise MenuEditRefused(f"the price of {item_id} must be 0 to {MAX_PRICE:,} won")
        change = MenuChange("price", item_id)
        fast = self._fast_set(item_id, "price", price, change)
        if fast is not None:
            return fast
        return self._set(item_id, "price", price, "price")

    def _fast_set(self, item_id: str, key: str, value: bool | int,
                  change: MenuChange) -> Kiosk | None:
        """The lunchtime path: change one ``key = value`` line of one ``[[items]]`` table
        in the text, without tomlkit (which takes seconds on a 1000-item menu).

        Safe by checking, not by trusting the text edit: the result must validate *and*
        parse to exactly the old data with that one value changed; otherwise (or when the
        file was edited by hand since it was loaded, or the item is written in a form
        this does not handle) it returns None and the tomlkit path does the edit.
        """
        with self._lock, self._file_lock():
            old = self._kiosk
            if self._file_stamp() != self._stamp:
                return None
            index = next((i for i, it in enumerate(old.items) if it.id == item_id), None)
            items = old.source.data.get("items")
            if index is None or not isinstance(items, list) or index >= len(items):
                return None
            if value is False and key not in items[index]:
                return old  # not sold out, and not written in the file: nothing to do
            text = _edit_item_line(old.source.text, index, key, value,
                                   present=key in items[index])
            if text is None:
                return None
            expected = copy.deepcopy(old.source.data)
            expected["items"][index][key] = value
            try:
                return self._commit(text, change, expect=expected)
            except _Unexpected:
                return None

    def set_name(self, item_id: str, language: str, text: str) -> Kiosk:
        if language not in self._kiosk.languages:
            raise MenuEditRefused(f"the kiosk does not use language {language!r} "
                                  f"(it uses {', '.join(self._kiosk.languages)})")
        def edit(doc: tomlkit.TOMLDocument) -> None:
            table = _item_table(doc, item_id)
            names = table.get("name")
            if names is None or not hasattr(names, "__setitem__"):
                raise MenuEditRefused(f"item {item_id} has no name table to edit")
            names[language] = text
        return self.edit(edit, MenuChange("name", item_id))

    def _set(self, item_id: str, key: str, value: object, what: str) -> Kiosk:
        def edit(doc: tomlkit.TOMLDocument) -> None:
            _item_table(doc, item_id)[key] = value
        return self.edit(edit, MenuChange(what, item_id))

    def set_pin_hash(self, pin_hash: str) -> Kiosk:
        """Store a hash made by :func:`staff_access.hash_pin` in ``[admin] pin_hash``."""
        def edit(doc: tomlkit.TOMLDocument) -> None:
            if "admin" not in doc:
                import tomlkit

                doc["admin"] = tomlkit.table()
            doc["admin"]["pin_hash"] = pin_hash
        return self.edit(edit, MenuChange("pin"))

    def edit(self, mutate: Callable[[tomlkit.TOMLDocument], None],
             change: MenuChange = MenuChange("edit")) -> Kiosk:
        """Apply ``mutate`` to the file's tomlkit document, validate, save, swap, notify."""
        import tomlkit
        from tomlkit.exceptions import TOMLKitError

        with self._lock, self._file_lock():
            try:
                doc = tomlkit.parse(self.path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, TOMLKitError) as exc:
                raise MenuEditRefused(f"{self.path}: cannot be read for editing: {exc}") from None
            mutate(doc)
            return self._commit(tomlkit.dumps(doc), change)

    def replace_text(self, text: str, change: MenuChange = MenuChange("replace")) -> Kiosk:
        """Replace the whole file (e.g. a menu brought on a USB stick), same checks."""
        with self._lock, self._file_lock():
            return self._commit(text, change)

    def reload(self) -> Kiosk:
        """Re-read the file (after a hand edit or ``untact-admin set-pin``). A broken file
        is refused with its reason and the running menu kept."""
        with self._lock:
            try:
                kiosk = validate_kiosk(self.path)
            except ConfigError as exc:
                raise MenuEditRefused(str(exc)) from None
            self._swap(kiosk, MenuChange("reload"))
            return kiosk

    def reload_if_changed(self) -> bool:
        """Reload when the file changed on disk since the last load or edit."""
        if self._file_stamp() == self._stamp:
            return False
        self.reload()
        return True

    # --- internals ----------------------------------------------------------------------

    def _commit(self, text: str, change: MenuChange, expect: dict[str, Any] | None = None) -> Kiosk:
        folder = self.path.parent
        fd, tmp_name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".edit",
                                        dir=folder)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            try:
                kiosk = validate_kiosk(tmp)
            except ConfigError as exc:
                # Blame the merchant's file, not our temporary one.
                if expect is not None:
                    raise _Unexpected() from None  # the fast text edit went wrong
                raise MenuEditRefused(str(ConfigError(str(self.path), exc.line, exc.field,
                                                      exc.message))) from None
            if expect is not None and kiosk.source.data != expect:
                raise _Unexpected()
            self._keep_mode_and_owner(tmp)
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(folder)
        kiosk.path = self.path
        kiosk.source.path = self.path
        self._swap(kiosk, change)
        return kiosk

    def _swap(self, kiosk: Kiosk, change: MenuChange) -> None:
        self._kiosk = kiosk
        self._stamp = self._file_stamp()
        self._listeners.notify(kiosk, change)  # a broken screen must not stop the others

    def _keep_mode_and_owner(self, tmp: Path) -> None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return
        os.chmod(tmp, st.st_mode & 0o7777)
        if os.geteuid() == 0:
            os.chown(tmp, st.st_uid, st.st_gid)

    def _file_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size, st.st_ino

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        lock_path = self.path.with_name(f".{self.path.name}.lock")
        # Read-only is enough for flock, so a lock file first made by root (sudo
        # untact-admin) still opens for the kiosk's own user.
        fd = os.open(lock_path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o640)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock


class _Unexpected(Exception):
    """A fast text edit did not produce exactly the intended data."""


_VALUE_LINE = {
    "price": re.compile(r"^(?P<head>[ \t]*price[ \t]*=[ \t]*)[0-9_]+(?P<tail>[ \t]*(#.*)?)$"),
    "sold_out": re.compile(
        r"^(?P<head>[ \t]*sold_out[ \t]*=[ \t]*)(true|false)(?P<tail>[ \t]*(#.*)?)$"),
}
_ITEMS_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*items[ \t]*\]\][ \t]*(#.*)?$")


def _edit_item_line(text: str, index: int, key: str, value: bool | int,
                    present: bool) -> str | None:
    """``text`` with ``items[index].key`` set to ``value`` on its own line, or None."""
    toml_value = ("true" if value else "false") if isinstance(value, bool) else str(value)
    lines = text.splitlines(keepends=True)
    if present:
        lineno = locate(text, ("items", index, key))
        if lineno is None or lineno > len(lines):
            return None
        line = lines[lineno - 1]
        body = line.rstrip("\r\n")
        m = _VALUE_LINE[key].match(body)
        if m is None:
            return None
        lines[lineno - 1] = m.group("head") + toml_value + m.group("tail") + line[len(body):]
    else:
        lineno = locate(text, ("items", index))
        if lineno is None or lineno > len(lines):
            return None
        header = lines[lineno - 1]
        if not _ITEMS_HEADER.match(header.rstrip("\r\n")):
            return None
        newline = header[len(header.rstrip("\r\n")):] or "\n"
        lines.insert(lineno, f"{key} = {toml_value}{newline}")
    return "".join(lines)


def _item_table(doc: tomlkit.TOMLDocument, item_id: str) -> AbstractTable:
    for table in doc.get("items", []):
        if hasattr(table, "get") and table.get("id") == item_id:
            return cast("AbstractTable", table)  # a [[items]] table or an inline one
    raise MenuEditRefused(f"no item with id {item_id!r} in the menu")


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


__all__ = ["MenuChange", "MenuEditRefused", "MenuService", "validate_kiosk"]
