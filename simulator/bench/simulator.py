"""sim_customers_per_minute: the full-day scenario, headless, customers per wall-clock
minute; beside it the same customers with every frame rasterised (a shorter run)."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

from . import metric

FULL_DAY = Path(__file__).resolve().parents[1] / "scenarios" / "full_day_cafe.toml"
CUSTOMERS_PER_REPEAT = 2


def _customers_per_minute(scenario) -> tuple[float, int]:
    from ..runner import Runner

    t0 = time.perf_counter()
    result = Runner(scenario).run()
    wall = time.perf_counter() - t0
    customers = scenario.repeat * CUSTOMERS_PER_REPEAT
    assert len(result.orders) == customers, "every customer's order must be in the database"
    return customers / (wall / 60), customers


def run():
    os.environ.pop("DISPLAY", None)
    from ..scenario import load_scenario

    day = load_scenario(FULL_DAY)
    rate, n = _customers_per_minute(day)
    rendered = dataclasses.replace(day, repeat=10, render=True, max_memory_growth=None)
    ref, m = _customers_per_minute(rendered)
    yield metric("sim_customers_per_minute", rate, "customers/min", customers=n, headless=True)
    yield metric("sim_customers_per_minute_rendered", ref, "customers/min", customers=m,
                 note="reference: same customers, every frame rasterised (llvmpipe)")
