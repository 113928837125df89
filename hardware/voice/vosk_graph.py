"""A strict sentence grammar for Vosk: the menu's orders as a finite-state acceptor.

Vosk's grammar list is not a list to choose from: Vosk estimates a bigram model from it,
so words of different sentences join ("따뜻한 카페모카 한 잔" was heard as "다음 카페모카
다음 잔" once "다음" was in the list). A model with a runtime graph (``graph/HCLr.fst``
and ``graph/Gr.fst``, as the small Vosk models have) decodes with whatever acceptor is in
``Gr.fst``. So for ordering screens untact writes its own: a prefix tree of every
sentence of the menu's grammar, which can only be heard whole.

The acceptor is written in OpenFst's binary VectorFst format (a header, the model's own
word symbol table copied byte for byte, then states and arcs). A library could write it
(kaldifst on PyPI binds OpenFst); for one unweighted prefix tree in a format that has not
changed in years, sixty lines here cost less than a native dependency on the Pi.

It lives in a folder beside the packaged model's files (linked, not copied: the acoustic
model and HCLr.fst are hundreds of MB), under the user's cache directory, one folder per
model and sentence set.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import struct
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

FST_MAGIC = 2125659606
SYMBOLS_MAGIC = 2125658996
HAS_ISYMBOLS, HAS_OSYMBOLS = 1, 2
# OpenFst property bits that hold for a prefix tree of words with zero weights.
PROPERTIES = (0x1 | 0x2  # expanded, mutable
              | 0x10000 | 0x40000 | 0x100000  # acceptor, input/output deterministic
              | 0x800000 | 0x2000000 | 0x8000000  # no epsilons
              | 0x10000000 | 0x40000000  # input/output label sorted
              | 0x200000000 | 0x800000000 | 0x2000000000  # unweighted, acyclic, initial acyclic
              | 0x4000000000  # top sorted: arcs only lead to later states
              | 0x10000000000 | 0x40000000000)  # accessible, coaccessible
KEEP_FOLDERS = 3  # older grammars (an edited menu's) are removed when a new one is made
#: ...but only once unused this long: another kiosk process (two kiosks on one Pi, or a
#: restart overlapping the old process) may be loading an older folder right now
PRUNE_IDLE_S = 600.0


class GraphUnavailable(RuntimeError):
    """This model cannot take a strict grammar (no runtime graph); the reason in one line."""


def _string(data, pos: int) -> tuple[bytes, int]:
    (n,) = struct.unpack_from("<i", data, pos)
    return data[pos + 4: pos + 4 + n], pos + 4 + n


def read_symbol_table(gr_fst: Path) -> bytes:
    """The binary word symbol table stored in a Vosk model's ``Gr.fst`` header.

    The file is mapped, not read: the table (11 MB for the Korean model) is at its start,
    and the language model after it (48 MB) is never touched.
    """
    try:
        with open(gr_fst, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return _symbol_table(data, gr_fst)
    except (struct.error, ValueError):  # a length that runs past the end; an empty file
        raise GraphUnavailable(f"{gr_fst}: cut short or not an OpenFst file") from None


def _symbol_table(data, name: Path) -> bytes:
    if struct.unpack_from("<i", data)[0] != FST_MAGIC:
        raise GraphUnavailable(f"{name}: not an OpenFst file")
    pos = 4
    for _ in range(2):  # fst type, arc type
        _, pos = _string(data, pos)
    _version, flags = struct.unpack_from("<ii", data, pos)
    pos += 8 + 8 + 3 * 8  # properties, start, states, arcs
    if not flags & HAS_OSYMBOLS:
        raise GraphUnavailable(f"{name}: has no word symbol table")
    if flags & HAS_ISYMBOLS:
        pos = _skip_symbols(data, pos, name)
    return data[pos:_skip_symbols(data, pos, name)]


def _skip_symbols(data, pos: int, name: Path) -> int:
    if struct.unpack_from("<i", data, pos)[0] != SYMBOLS_MAGIC:
        raise GraphUnavailable(f"{name}: symbol table not found")
    _, pos = _string(data, pos + 4)  # table name
    _available, size = struct.unpack_from("<qq", data, pos)
    pos += 16
    for _ in range(size):
        (n,) = struct.unpack_from("<i", data, pos)
        pos += 4 + n + 8
    if pos > len(data):
        raise GraphUnavailable(f"{name}: symbol table cut short")
    return pos


def acceptor_bytes(sentences: Iterable[str], word_id: Callable[[str], int],
                   symbols: bytes) -> bytes:
    """A prefix-tree acceptor of ``sentences`` (space-separated words) as a VectorFst file.

    Arcs leave each state sorted by word id, as the decoder's lookahead composition needs.
    Words without an id (``word_id`` < 0) cannot be heard: sentences with them are left out.
    """
    children: list[dict[int, int]] = [{}]
    final: set[int] = set()
    for sentence in sentences:
        ids = [word_id(w) for w in sentence.split()]
        if not ids or min(ids) < 0:
            continue
        state = 0
        for i in ids:
            nxt = children[state].get(i)
            if nxt is None:
                nxt = len(children)
                children[state][i] = nxt
                children.append({})
            state = nxt
        final.add(state)
    if not final:
        raise ValueError("no sentence of the grammar can be said with this model's words")
    n_arcs = sum(len(c) for c in children)
    out = [struct.pack("<i", FST_MAGIC)]
    for text in (b"vector", b"standard"):
        out.append(struct.pack("<i", len(text)) + text)
    # Only output symbols: Vosk reads its word list from them (11 MB for the Korean model).
    out.append(struct.pack("<iiQqqq", 2, HAS_OSYMBOLS, PROPERTIES, 0, len(children), n_arcs))
    out.append(symbols)
    inf = float("inf")
    for state, arcs in enumerate(children):
        out.append(struct.pack("<fq", 0.0 if state in final else inf, len(arcs)))
        out += [struct.pack("<iifi", w, w, 0.0, nxt) for w, nxt in sorted(arcs.items())]
    return b"".join(out)


NO_DITHER = "--dither=0"


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "untact" / "vosk-graphs"


def strict_model_dir(model: Path, sentences: list[str], word_id: Callable[[str], int],
                     root: Path | None = None) -> Path:
    """A model folder that decodes exactly ``sentences``; made once, then reused.

    Its files are links to ``model``'s, except ``graph/Gr.fst`` (the acceptor). Written
    to a temporary folder and renamed into place, so an interrupted write never leaves a
    half-made model behind; only the :data:`KEEP_FOLDERS` newest folders are kept.
    """
    graph = model / "graph"
    if (graph / "HCLG.fst").exists() or not (graph / "HCLr.fst").exists():
        raise GraphUnavailable(f"{model}: no runtime graph (HCLr.fst), so no strict grammar")
    if not (graph / "Gr.fst").exists():
        raise GraphUnavailable(f"{model}: no graph/Gr.fst to take the word list from")
    words = (graph / "Gr.fst").stat()  # a model replaced in place gets new folders
    source = f"{model.resolve()} {words.st_size} {words.st_mtime_ns} {NO_DITHER}"
    key = hashlib.sha256("\n".join([source, *sentences]).encode()).hexdigest()[:16]
    root = root or cache_root()
    target = root / key
    if (target / "graph" / "Gr.fst").exists():
        os.utime(target)  # recently used: kept by _prune
        return target
    root.mkdir(parents=True, exist_ok=True)
    data = acceptor_bytes(sentences, word_id, read_symbol_table(graph / "Gr.fst"))
    tmp = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=root))
    try:
        for name in ("am", "ivector"):  # no rescore/: a general LM would undo it
            if (model / name).exists():
                os.symlink((model / name).resolve(), tmp / name)
        _undithered_conf(model / "conf", tmp / "conf")
        (tmp / "graph").mkdir()
        for f in graph.iterdir():
            if f.name not in ("Gr.fst", "words.txt"):
                os.symlink(f.resolve(), tmp / "graph" / f.name)
        (tmp / "graph" / "Gr.fst").write_bytes(data)
        os.rename(tmp, target)
    except OSError:
        _remove(tmp)
        if not (target / "graph" / "Gr.fst").exists():
            raise
        # else another process made the same folder first
    _prune(root, keep=target)
    return target


def _undithered_conf(conf: Path, to: Path) -> None:
    """The model's conf/, linked, but its MFCC settings without dither: Kaldi adds random
    noise to every frame by default (dither 1.0), so the same audio got different n-best
    scores on every decode (174.3-177.1 for one recording; shares by up to 0.07), and a
    reading near the kiosk's thresholds was acted on one time and asked back the next."""
    to.mkdir()
    for f in conf.iterdir() if conf.is_dir() else ():
        if f.name != "mfcc.conf":
            os.symlink(f.resolve(), to / f.name)
    mfcc = conf / "mfcc.conf"
    settings = mfcc.read_text(encoding="utf-8") if mfcc.is_file() else ""
    (to / "mfcc.conf").write_text(settings.rstrip("\n") + f"\n{NO_DITHER}\n", encoding="utf-8")


def _prune(root: Path, keep: Path, now: float | None = None) -> None:
    """Remove folders beyond the :data:`KEEP_FOLDERS` newest that have been unused for
    :data:`PRUNE_IDLE_S`. Each is first renamed to a hidden name (atomic), so a process
    looking for it finds it whole or not at all (then makes it again), never half-deleted."""
    now = time.time() if now is None else now
    folders = sorted((p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [p for p in folders if p != keep][KEEP_FOLDERS - 1:]:
        try:
            if now - old.stat().st_mtime < PRUNE_IDLE_S:
                continue
            doomed = root / f".pruned-{old.name}-{os.getpid()}"
            os.rename(old, doomed)
            _remove(doomed)
        except OSError:  # in use by another kiosk process, or already gone: next time
            pass


def _remove(path: Path) -> None:
    for p in sorted(path.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if p.is_dir() and not p.is_symlink():
            p.rmdir()
        else:
            p.unlink()
    path.rmdir()
