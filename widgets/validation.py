"""Parameter validation shared by models and explorers.

Models raise :class:`CourseInputError` with a message that names the parameter,
the value given and what is allowed (scikit-learn style); explorers catch it
and show the message in the explorer instead of a traceback.
"""

from __future__ import annotations

import math
from typing import Any, Iterable


class CourseInputError(ValueError):
    """An input outside what a model or explorer accepts."""


def _fmt(value: Any) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else repr(value)


def check_number(name: str, value: Any, unit: str = "") -> float:
    """``value`` as a finite float, or CourseInputError naming ``name``."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise CourseInputError(f"{name} must be a number{f' in {unit}' if unit else ''}, got {value!r}") from None
    if not math.isfinite(number):
        raise CourseInputError(f"{name} must be a finite number, got {value!r}")
    return number


def check_range(
    name: str,
    value: Any,
    low: float | None = None,
    high: float | None = None,
    unit: str = "",
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> float:
    """Check ``low <= value <= high`` (bounds optional); return the value as float."""
    number = check_number(name, value, unit)
    unit_text = f" {unit}" if unit else ""
    too_low = low is not None and (number < low if low_inclusive else number <= low)
    too_high = high is not None and (number > high if high_inclusive else number >= high)
    if too_low or too_high:
        if low is not None and high is not None:
            allowed = f"between {_fmt(low)} and {_fmt(high)}{unit_text}"
        elif low is not None:
            allowed = f"{'≥' if low_inclusive else '>'} {_fmt(low)}{unit_text}"
        else:
            allowed = f"{'≤' if high_inclusive else '<'} {_fmt(high)}{unit_text}"
        raise CourseInputError(f"{name} must be {allowed}, got {_fmt(number)}{unit_text}")
    return number


def check_positive(name: str, value: Any, unit: str = "") -> float:
    """Check ``value > 0``."""
    return check_range(name, value, 0, None, unit, low_inclusive=False)


def check_choice(name: str, value: Any, allowed: Iterable[Any]) -> Any:
    """Check ``value`` is one of ``allowed``."""
    options = list(allowed)
    if value not in options:
        raise CourseInputError(f"{name} must be one of {', '.join(map(str, options))}; got {value!r}")
    return value
