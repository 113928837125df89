"""Reading a merchant's TOML file with errors a merchant can act on.

Every part of the kiosk that takes settings from the one kiosk file (menu, display,
devices, profiles) reads them through :class:`Table`, so every mistake is reported the
same way: one line naming the file, the line and the field, e.g.::

    cafe.toml:42: items[3].price: must be a whole number of won of 0 or more, not -500

Stdlib only: the host devices and the UI both use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

# tomli is the library the standard tomllib was made from; its wheels are compiled
# (mypyc), parsing a large menu about 4x faster. Same API and errors as tomllib.
import tomli as tomllib

MAX_CONFIG_BYTES = 1_000_000  # a menu is a few KB; a 10 MB file is a mistake, not a menu

FieldPath = tuple[str | int, ...]


class ConfigError(Exception):
    """A problem in a config file, reported as ``file:line: field: message``."""

    def __init__(self, file: str, line: int | None, field: str, message: str) -> None:
        self.file, self.line, self.field, self.message = file, line, field, message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


def format_path(path: FieldPath) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_NAME = r"""("[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)"""
_KEY = re.compile(rf"^\s*{_NAME}(\s*\.\s*{_NAME})*\s*=")


def _split_dotted(text: str) -> list[str]:
    return [p.strip().strip("\"'") for p in text.split(".")]


def locate(text: str, path: FieldPath) -> int | None:
    """The 1-based line where ``path`` is set in TOML ``text``, or of its nearest parent.

    tomllib gives values, not positions; this scans table headers and keys, which is
    enough for hand-written menu files (multi-line strings are skipped as best effort).
    """
    best_len, best_line = -1, None
    for lineno, candidate in _positions(text):
        n = _common_prefix(candidate, path)
        if n == len(candidate) and n > best_len:
            best_len, best_line = n, lineno
    return best_line


def array_table_lines(text: str, name: str) -> list[int]:
    """The line of each top-level ``[[name]]`` header in TOML ``text``, in order: entry
    ``i`` starts at ``[i]``. One pass over the text, where :func:`locate` for every entry
    would be one pass per entry (a scenario of 4,000 steps took minutes)."""
    return [lineno for lineno, candidate in _positions(text)
            if len(candidate) == 2 and candidate[0] == name and isinstance(candidate[1], int)]


def _positions(text: str) -> Iterator[tuple[int, list[str | int]]]:
    """Each table header and key of TOML ``text`` as (line, field path); an array of
    tables' header as (line, [*name, its index])."""
    table: list[str | int] = []
    counters: dict[tuple[str | int, ...], int] = {}
    in_multiline = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
            in_multiline = not in_multiline
            if not in_multiline:
                continue
        elif in_multiline:
            continue
        m = _HEADER.match(line)
        if m and not _KEY.match(line):
            names = _split_dotted(m.group(2))
            if m.group(1) == "[[":
                key = tuple(names)
                counters[key] = counters.get(key, -1) + 1
                table = [*names, counters[key]]
            else:
                table = list(names)
            yield lineno, table
        else:
            k = _KEY.match(line)
            if k:
                yield lineno, [*table, *_split_dotted(k.group(0).rstrip("=").strip())]


def _common_prefix(a: Sequence[object], b: Sequence[object]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class Source:
    """A loaded TOML file: its parsed data, and how to blame a line in it."""

    def __init__(self, path: Path, text: str, data: dict[str, Any]) -> None:
        self.path, self.text, self.data = path, text, data

    @classmethod
    def load(cls, path: str | Path) -> Source:
        path = Path(path)
        name = str(path)
        try:
            size = path.stat().st_size
            if size > MAX_CONFIG_BYTES:
                raise ConfigError(name, None, "",
                                  f"file is {size:,} bytes; a kiosk file must be under {MAX_CONFIG_BYTES:,}")
            raw = path.read_bytes()
        except FileNotFoundError:
            raise ConfigError(name, None, "", "file not found") from None
        except IsADirectoryError:
            raise ConfigError(name, None, "", "is a folder, not a file") from None
        except PermissionError:
            raise ConfigError(name, None, "", "cannot be read (permission denied)") from None
        if not raw.strip():
            raise ConfigError(name, 1, "", "file is empty")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise ConfigError(name, line, "", "is not UTF-8 text (is this a binary file?)") from None
        if "\x00" in text:
            raise ConfigError(name, text[: text.index("\x00")].count("\n") + 1, "",
                              "contains NUL bytes (is this a binary file?)")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            msg = str(exc)
            m = re.search(r"\(at line (\d+), column \d+\)", msg)
            at_line = int(m.group(1)) if m else None
            msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg) or "invalid TOML"
            raise ConfigError(name, at_line, "", f"TOML syntax error: {msg}") from None
        return cls(path, text, data)

    def error(self, path: FieldPath, message: str) -> ConfigError:
        return ConfigError(str(self.path), locate(self.text, path) or 1, format_path(path), message)

    def root(self) -> Table:
        return Table(self, (), self.data)


_TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
               list: "a list", dict: "a table"}


class Table:
    """Typed, located access to one TOML table; every error names file, line and field."""

    def __init__(self, source: Source, path: FieldPath, data: dict[str, Any]) -> None:
        self.source, self.path, self.data = source, path, data

    def error(self, key: str | int | None, message: str) -> ConfigError:
        return self.source.error(self.path if key is None else (*self.path, key), message)

    def has(self, key: str) -> bool:
        return key in self.data

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ..., *,
            choices: Iterable[Any] | None = None, min: float | None = None,
            max: float | None = None, max_len: int | None = None) -> Any:
        if key not in self.data:
            if default is ...:
                # Blame the table that lacks the field: the field itself has no line.
                line = locate(self.source.text, self.path) if self.path else None
                field = format_path((*self.path, key))
                raise ConfigError(str(self.source.path), line or 1, field, "is missing")
            return default
        value = self.data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
        if float in kinds and isinstance(value, int) and not isinstance(value, bool):
            ok, value = True, float(value)
        if not ok:
            want = " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)
            raise self.error(key, f"must be {want}, not {_describe(value)}")
        if choices is not None:
            choices = list(choices)
            if value not in choices:
                raise self.error(key, f"must be one of {', '.join(map(str, choices))}; got {value!r}")
        if min is not None and value < min:
            raise self.error(key, f"must be at least {min:g}, not {value}")
        if max is not None and value > max:
            raise self.error(key, f"must be at most {max:g}, not {value}")
        if max_len is not None and len(value) > max_len:
            raise self.error(key, f"is too long ({len(value)} > {max_len})")
        return value

    def table(self, key: str, required: bool = False) -> Table:
        value = self.get(key, dict, ... if required else {})
        return Table(self.source, (*self.path, key), value)

    def tables(self, key: str, required: bool = False) -> list[Table]:
        """An array of tables (``[[items]]``)."""
        value = self.get(key, list, ... if required else [])
        out = []
        for i, entry in enumerate(value):
            if not isinstance(entry, dict):
                raise self.source.error((*self.path, key, i), f"must be a table, not {_describe(entry)}")
            out.append(Table(self.source, (*self.path, key, i), entry))
        return out

    def text_by_language(self, key: str, languages: Sequence[str], max_len: int = 200) -> dict[str, str]:
        """A string given in every language: ``name = { ko = "...", en = "..." }``."""
        value = self.get(key, dict)
        out = {}
        for lang in languages:
            if lang not in value:
                raise self.error(key, f"has no '{lang}' text (every language needs one)")
            text = value[lang]
            if not isinstance(text, str) or not text.strip():
                raise self.source.error((*self.path, key, lang), "must be non-empty text")
            if len(text) > max_len:
                raise self.source.error((*self.path, key, lang), f"is too long ({len(text)} > {max_len})")
            out[lang] = text.strip()
        return out

    def unknown_keys(self, allowed: Iterable[str]) -> None:
        """Refuse misspelt fields: a typo silently ignored is a menu that looks wrong."""
        allowed = set(allowed)
        for key in self.data:
            if key not in allowed:
                raise self.error(key, f"unknown field (expected one of: {', '.join(sorted(allowed))})")


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value[:30]!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__
