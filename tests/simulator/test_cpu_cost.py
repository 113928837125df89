"""The Pi estimates of `make bench`'s CPU costs: scaled by the sysbench ratio, as a range
over both publications (simulator/bench/cpu_cost.py)."""

from __future__ import annotations

import pytest
from untact.simulator.bench import cpu_cost


def test_estimates_scale_by_each_published_rate():
    here = 4000.0
    est = cpu_cost._estimates(0.01, here)
    for pi in cpu_cost.PIS:
        rates = sorted(source[pi] for source in cpu_cost.PUBLISHED.values())
        assert est[pi] == [round(0.01 * here / rates[-1], 4), round(0.01 * here / rates[0], 4)]
    # a Pi 5 is faster than a Pi 4 in every publication
    assert est["pi5"][1] < est["pi4"][1] and est["pi5"][0] < est["pi4"][0]


def test_sysbench_missing_is_said(monkeypatch):
    monkeypatch.setattr(cpu_cost.shutil, "which", lambda _name: None)
    with pytest.raises(RuntimeError, match="sysbench not installed"):
        cpu_cost.sysbench_events_per_cpu_s()
