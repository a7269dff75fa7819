"""`python -m benchmarks [kernel|browser|notebooks|pk|memory|throttled ...]` (default: all)."""

from __future__ import annotations

import importlib
import sys

PARTS = {
    "kernel": "benchmarks.explorers_kernel",
    "browser": "benchmarks.explorers_browser",
    "notebooks": "benchmarks.notebooks_exec",
    "pk": "benchmarks.pk_engine",
    "memory": "benchmarks.kernel_memory",
    "throttled": "benchmarks.throttled",
}


def main(argv: list[str]) -> int:
    chosen = argv or list(PARTS)
    results = {}
    for part in chosen:
        try:
            module = importlib.import_module(PARTS[part])
        except ModuleNotFoundError as exc:
            print(f"\n{part}: not available ({exc})")
            continue
        results[part] = module.main()
    verdicts = {True: "targets met", False: "targets MISSED", None: "no target"}
    print("\nSummary: " + ", ".join(f"{part}: {verdicts[bool(v) if v is not None else None]}" for part, v in results.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
