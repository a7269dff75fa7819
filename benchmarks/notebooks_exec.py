"""Time to execute every notebook headlessly (nbclient). Target: all ≤ 90 s."""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
TARGET_TOTAL_S = 90.0


def main() -> bool:
    print("\nNotebook execution (nbclient, one kernel each)")
    total = 0.0
    for path in sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]*_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS_DIR)}}).execute()
        elapsed = time.perf_counter() - start
        total += elapsed
        print(f"  {path.stem:<40} {elapsed:6.1f} s")
    ok = total <= TARGET_TOTAL_S
    print(f"  {'all notebooks':<40} {total:6.1f} s  {'ok' if ok else f'MISSED (≤ {TARGET_TOTAL_S:g} s)'}")
    return ok


if __name__ == "__main__":
    main()
