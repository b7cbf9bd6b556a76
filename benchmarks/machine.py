"""How fast the machine is at the moment of a measurement, printed beside benchmarks' figures."""

from __future__ import annotations

import time


def machine_ms() -> float:
    """The best of ten runs of a fixed loop of plain Python, in ms: how fast the machine is at
    the moment of a measurement (on a shared virtual machine, the same loop has taken from
    15 to 59 ms on one day), printed beside the figures so that runs can be compared."""
    best = float("inf")
    for _run in range(10):
        started = time.perf_counter()
        total = 0
        for number in range(300_000):
            total += number * number % 7
        best = min(best, time.perf_counter() - started)
    return best * 1000
