"""Known misses: findings on the real kiosk that are recorded, not hidden.

``known_misses.toml`` lists each miss by rule, screen, profile and display (shell
patterns) with why it is not fixed yet. The audit reports them apart from the failures
and still counts them in the conformance report; an entry that matches nothing any more
is itself a failure, so a fixed miss must leave the list (a strict xfail).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from fnmatch import fnmatchcase
from importlib import resources
from pathlib import Path

from .checks import Finding


@dataclass(frozen=True)
class Miss:
    rule: str
    why: str
    screen: str = "*"
    profile: str = "*"
    display: str = "*"

    def matches(self, f: Finding) -> bool:
        """Each of screen, profile, display is a shell pattern or several joined by '|'."""
        name, profile, display = (f.screen.split("@") + ["", ""])[:3]
        return f.rule == self.rule and all(
            any(fnmatchcase(value, p) for p in pattern.split("|"))
            for value, pattern in ((name, self.screen), (profile, self.profile),
                                   (display, self.display)))


def load_misses(path: str | Path | None = None) -> list[Miss]:
    text = (Path(path).read_text("utf-8") if path is not None else
            resources.files(__package__).joinpath("known_misses.toml").read_text("utf-8"))
    try:
        return [Miss(**d) for d in tomllib.loads(text).get("miss", [])]
    except TypeError as exc:
        raise ValueError(f"known_misses.toml: {exc}") from None


def split(findings: list[Finding], misses: list[Miss]) -> tuple[list[Finding], list[Finding],
                                                                list[Miss]]:
    """(failures, known misses, stale entries that matched nothing)."""
    failures, known, used = [], [], set()
    for f in findings:
        hit = next((i for i, m in enumerate(misses) if m.matches(f)), None)
        if hit is None:
            failures.append(f)
        else:
            known.append(f)
            used.add(hit)
    return failures, known, [m for i, m in enumerate(misses) if i not in used]
