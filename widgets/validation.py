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


def describe(value: Any) -> str:
    """A value as a learner-facing message names it: no 'nan' or 'None'."""
    if value is None:
        return "nothing"
    if isinstance(value, float) and math.isnan(value):
        return "a value that is not a number"
    if isinstance(value, float) and math.isinf(value):
        return "an infinite value"
    return _fmt(value + 0.0 if isinstance(value, float) else value)  # -0.0 reads as 0


def check_number(name: str, value: Any, unit: str = "", bounds: str = "") -> float:
    """``value`` as a finite float, or CourseInputError naming ``name`` (and the ``bounds`` allowed, if given)."""
    wanted = f"a number {bounds}" if bounds else f"a number{f' in {unit}' if unit else ''}"
    if isinstance(value, bool):
        raise CourseInputError(f"{name} must be {wanted}, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise CourseInputError(f"{name} must be {wanted}, got {describe(value)}") from None
    if not math.isfinite(number):
        raise CourseInputError(f"{name} must be a finite {wanted.removeprefix('a ')}, got {describe(number)}")
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
    """Check ``low <= value <= high`` (bounds optional); return the value as float (-0.0 as 0.0)."""
    unit_text = f" {unit}" if unit else ""
    if low is not None and high is not None:
        allowed = f"between {_fmt(low)} and {_fmt(high)}{unit_text}"
    elif low is not None:
        allowed = f"{'≥' if low_inclusive else '>'} {_fmt(low)}{unit_text}"
    elif high is not None:
        allowed = f"{'≤' if high_inclusive else '<'} {_fmt(high)}{unit_text}"
    else:
        allowed = ""
    number = check_number(name, value, unit, bounds=allowed) + 0.0  # -0.0 → 0.0, so no message or readout shows "-0"
    too_low = low is not None and (number < low if low_inclusive else number <= low)
    too_high = high is not None and (number > high if high_inclusive else number >= high)
    if too_low or too_high:
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


def _option_pairs(options: Any) -> list[tuple[str, Any]]:
    """(label, value) pairs of a selection control's ``options`` (strings, pairs or a dict)."""
    items = options.items() if isinstance(options, dict) else options
    return [(str(o[0]), o[1]) if isinstance(o, (tuple, list)) and len(o) == 2 else (str(o), o) for o in items]


def check_control_value(name: str, control: Any, value: Any, *, clamp: bool = False) -> Any:
    """``value`` checked against what ``control`` (an ipywidgets control) can show.

    The check a model cannot make: values that only code can set (NaN or ±inf on a
    slider, ``None`` or a value outside the options on a dropdown, a non-boolean on a
    checkbox, a fraction on a whole-number slider). Returns the value to use (-0.0 as
    0.0); raises CourseInputError naming the control (``name``, normally its
    description) and what it allows. With ``clamp``, a finite number outside a slider's
    range is brought to its nearest end, as the slider itself does, instead of refused.
    """
    if hasattr(control, "options"):
        pairs = _option_pairs(control.options)
        labels = ", ".join(label for label, _ in pairs)
        if value is None:
            raise CourseInputError(f"{name}: choose one of {labels} (nothing is chosen)")
        if not any(value is option or (value == option and isinstance(value, bool) == isinstance(option, bool)) for _, option in pairs):
            raise CourseInputError(f"{name} must be one of {labels}; got {describe(value)}")
        return value
    if isinstance(getattr(control, "value", None), bool):
        if not isinstance(value, bool):
            raise CourseInputError(f"{name} must be ticked or not ticked, got {describe(value)}")
        return value
    if isinstance(getattr(control, "value", None), (int, float)):
        low, high = getattr(control, "min", None), getattr(control, "max", None)
        base = getattr(control, "base", None)
        if base is not None:  # a log slider's min and max are exponents
            low, high = base ** low, base ** high
        if clamp and low is not None and high is not None:
            number = min(max(check_number(name, value, bounds=f"between {_fmt(low)} and {_fmt(high)}"), low), high) + 0.0
        else:
            number = check_range(name, value, low, high)
        if isinstance(control.value, int):
            if not number.is_integer():
                raise CourseInputError(f"{name} must be a whole number, got {describe(value)}")
            return int(number)
        return number
    return value
