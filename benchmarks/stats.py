"""Small timing helpers: medians and 95th percentiles, printed as a table."""

from __future__ import annotations

import numpy as np


def summarise(samples_ms: list[float]) -> tuple[float, float]:
    """(median, p95) in ms."""
    values = np.asarray(samples_ms, dtype=float)
    return float(np.median(values)), float(np.percentile(values, 95))


def report(title: str, rows: list[tuple[str, list[float]]], target_p95_ms: float | None = None) -> bool:
    """Print one line per row; return True when every p95 meets the target."""
    print(f"\n{title}")
    print(f"  {'case':<48} {'n':>4} {'median ms':>10} {'p95 ms':>9}  target")
    all_ok = True
    for name, samples in rows:
        median, p95 = summarise(samples)
        ok = target_p95_ms is None or p95 <= target_p95_ms
        all_ok &= ok
        verdict = "" if target_p95_ms is None else ("ok" if ok else f"MISSED (≤ {target_p95_ms:g})")
        print(f"  {name:<48} {len(samples):>4} {median:>10.1f} {p95:>9.1f}  {verdict}")
    return all_ok
