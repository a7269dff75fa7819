"""In-kernel explorer update time: control change → model → figure data updated.

Each explorer's demo changes are applied in turn, alternating with the default
value, so every sample is a real update. Target: p95 ≤ 30 ms.
"""

from __future__ import annotations

import time

from benchmarks.stats import report
from widgets.explorers import all_explorers

TARGET_P95_MS = 30.0


def measure(cls, repeats: int = 30) -> list[float]:
    explorer = cls()
    defaults = explorer.values()
    samples = []
    for i in range(repeats):
        for control, value in cls.demo_changes:
            new = value if i % 2 == 0 else defaults[control]
            if explorer.controls[control].value == new:
                continue
            start = time.perf_counter()
            explorer.controls[control].value = new  # observe() runs the update synchronously
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def main(repeats: int = 30) -> bool:
    rows = [(name, measure(cls, repeats)) for name, cls in all_explorers().items()]
    return report("In-kernel explorer update (control change → figure data updated)", rows, TARGET_P95_MS)


if __name__ == "__main__":
    main()
