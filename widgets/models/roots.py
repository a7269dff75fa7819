"""One scalar root finder for the models' closed forms (bisection on a bracket).

The benzodiazepine and SSRI models each solve one monotone equation per update (ka from a
published tmax, the time a curve falls to half its peak, the days to a fraction of steady
state). ``scipy.optimize.brentq`` did this, but importing ``scipy.optimize`` costs a kernel
about 36 MB, a third of what the course's lightest kernels hold, for an equation that
bisection solves to 1e-12 in a few dozen evaluations of a cheap function
(``benchmarks/kernel_memory.py``). ``tests/test_roots.py`` checks it against closed forms.
"""

from __future__ import annotations

import math
from typing import Callable

from widgets.validation import CourseInputError

MAX_STEPS = 400


def bracketed_root(func: Callable[[float], float], low: float, high: float, *, xtol: float = 1e-12,
                   rtol: float = 1e-12) -> float:
    """x in [low, high] with func(x) = 0, to within ``xtol + rtol·|x|``; func(low) and
    func(high) must differ in sign (or one of them be 0)."""
    f_low, f_high = func(low), func(high)
    if not (math.isfinite(f_low) and math.isfinite(f_high)):
        raise CourseInputError(f"the equation has no finite value at the ends of [{low:g}, {high:g}]")
    if f_low == 0:
        return low
    if f_high == 0:
        return high
    if (f_low > 0) == (f_high > 0):
        raise CourseInputError(f"the equation has no solution between {low:g} and {high:g}")
    for _ in range(MAX_STEPS):
        middle = 0.5 * (low + high)
        if high - low <= xtol + rtol * abs(middle):
            return middle
        f_middle = func(middle)
        if f_middle == 0:
            return middle
        if (f_middle > 0) == (f_low > 0):
            low, f_low = middle, f_middle
        else:
            high = middle
    return 0.5 * (low + high)
