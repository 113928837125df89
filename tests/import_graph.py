"""Reads every untact module's imports from its source (never importing it) and checks
them against layering rules and for cycles; tests/test_architecture.py holds the rules.

An import counts wherever it is written: at module level, inside a function (deferred
imports are still dependencies), and under ``if TYPE_CHECKING:`` for the layering rules
(a type from a forbidden layer is still a forbidden dependency). TYPE_CHECKING imports
never run, so they are left out of the cycle check: that is their usual, legitimate use.
"""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

NAMESPACE = "untact"
# A rule's value: anywhere in the folder, or only in these files (relative to the root).
ANYWHERE = "anywhere"


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. untact.ui.app
    file: str  # its path relative to the root, e.g. ui/app.py
    line: int
    target: str  # the imported module, absolute: untact.hardware.keyboard, kivy.uix.label
    type_checking: bool

    def where(self) -> str:
        return f"{self.file}:{self.line}"


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([NAMESPACE, *parts])


def modules_of(root: Path, folders: Iterable[str]) -> dict[str, Path]:
    """Every module of the folders by its installed name (the folder is untact.<folder>)."""
    found: dict[str, Path] = {}
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            found[module_name(root, path)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


class _Collector(ast.NodeVisitor):
    """Every import statement in a module, at any depth, resolved to absolute names."""

    def __init__(self, module: str, is_package: bool, file: str, known: Mapping[str, Path]):
        self.module, self.file, self.known = module, file, known
        self.package = module if is_package else module.rpartition(".")[0]
        self.imports: list[Import] = []
        self._type_checking = 0

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            self._type_checking += 1
            for child in node.body:
                self.visit(child)
            self._type_checking -= 1
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def _add(self, node: ast.stmt, target: str) -> None:
        self.imports.append(Import(self.module, self.file, node.lineno, target,
                                   self._type_checking > 0))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(node, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.package.split(".")
            base = base[:len(base) - (node.level - 1)]
            source = ".".join(base + ([node.module] if node.module else []))
        else:
            source = node.module or ""
        for alias in node.names:
            # "from pkg import mod" depends on the module pkg.mod when there is one.
            sub = f"{source}.{alias.name}"
            self._add(node, sub if sub in self.known else source)


def imports_of(root: Path, folders: Iterable[str]) -> list[Import]:
    known = modules_of(root, folders)
    found: list[Import] = []
    for module, path in known.items():
        collector = _Collector(module, path.name == "__init__.py",
                               path.relative_to(root).as_posix(), known)
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        found.extend(collector.imports)
    return found


def _guarded(target: str, guarded: Iterable[str]) -> str | None:
    """The guarded name (an untact folder or a third-party top-level package) hit, if any."""
    parts = target.split(".")
    for name in guarded:
        if parts[0] == NAMESPACE and len(parts) > 1 and parts[1] == name:
            return name
        if parts[0] == name:
            return name
    return None


def rule_violations(imports: Iterable[Import], rules: Mapping[str, Mapping[str, object]],
                    guarded: Iterable[str]) -> list[str]:
    """One line per forbidden import: file, line, what was imported and the rule broken.

    ``rules[folder][name]`` is ANYWHERE or the files of the folder allowed to import
    ``name``; a folder may always import itself; guarded names not listed are forbidden.
    """
    guarded = tuple(guarded)
    out = []
    for imp in imports:
        folder = imp.module.split(".")[1]
        hit = _guarded(imp.target, guarded)
        if hit is None or hit == folder:
            continue
        allowed = rules[folder].get(hit)
        if allowed == ANYWHERE or (allowed and imp.file in allowed):
            continue
        why = (f"{folder}/ may import {hit} only in {', '.join(allowed)}" if allowed
               else f"{folder}/ may not import {hit}")
        kind = " (under TYPE_CHECKING)" if imp.type_checking else ""
        out.append(f"{imp.where()}: imports {imp.target}{kind}: {why}")
    return out


def cycles(imports: Iterable[Import]) -> list[str]:
    """An import cycle among untact modules, as a path with file:line per step ([] when
    there is none). The standard library's graphlib finds it; one is reported at a time
    (fix it, and the next shows), starting from its first module in sorted order.
    """
    edges: dict[str, dict[str, Import]] = {}
    for imp in imports:
        if imp.type_checking or not imp.target.startswith(NAMESPACE + "."):
            continue
        if imp.target != imp.module:
            edges.setdefault(imp.module, {}).setdefault(imp.target, imp)
    try:  # graphlib reads the imported modules as each module's predecessors
        graphlib.TopologicalSorter({m: sorted(t) for m, t in sorted(edges.items())}).prepare()
    except graphlib.CycleError as exc:
        ring = list(reversed(exc.args[1]))[:-1]  # importer first; the first node ends it too
        first = ring.index(min(ring))
        path = ring[first:] + ring[:first] + [min(ring)]
        steps = [f"{a} ({edges[a][b].where()})" for a, b in zip(path, path[1:], strict=False)]
        return [" -> ".join([*steps, path[-1]])]
    return []
