"""How fast this machine is right now, printed beside timings.

The shared 2-core box runs the same work 30-40 % faster or slower from one hour to the next, so
a figure means little without this reference (and a best-of-N beside the median).
"""

from __future__ import annotations

import statistics
import time


def python_speed() -> str:
    """One line: CPU seconds of ten million Python additions on this machine, now."""
    started = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    return f"machine speed: 10M Python additions take {time.process_time() - started:.2f}s cpu"


def spread(seconds: list[float]) -> str:
    """ "median 4.80s (best 4.51s, worst 5.02s, 3 runs)" """
    return (f"median {statistics.median(seconds):.2f}s (best {min(seconds):.2f}s, "
            f"worst {max(seconds):.2f}s, {len(seconds)} runs)")
