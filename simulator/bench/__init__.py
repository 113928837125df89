"""`make bench`: each module here measures one part and yields JSON-ready metrics.

A module defines ``run() -> Iterable[dict]`` yielding ``{"metric", "value", "unit"}``
objects, each with its side-by-side reference measured in the same run. The runner
prints one JSON object per line and keeps going when one module fails, reporting it.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable


def metric(name: str, value: float, unit: str, **extra: object) -> dict:
    out: dict = {"metric": name, "value": round(float(value), 4), "unit": unit}
    out.update(extra)
    return out


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def percentile(values: Iterable[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100): honest for small samples."""
    data = sorted(values)
    if not data:
        raise ValueError("no samples")
    rank = max(1, min(len(data), round(q / 100 * len(data) + 0.5)))
    return data[rank - 1]


def p95_metric(name: str, values: list[float], unit: str = "ms", **extra: object) -> dict:
    """A latency figure as every bench reports it: the 95th percentile, with its median
    and sample count beside it (quote medians on a noisy machine)."""
    return metric(name, percentile(values, 95), unit, stat="p95",
                  median=round(median(values), 2), n=len(values), **extra)


def times_ms(fn: Callable[[], object], runs: int, warmup: int = 1) -> list[float]:
    """Wall milliseconds of ``runs`` calls of ``fn``, after ``warmup`` unmeasured ones."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out
