"""Reading and judging a learner's answers: pure functions shared by quizzes and predictions.

* :func:`parse_number` reads what people type: "1,000", "1 000", "0,5", "−3" (Unicode
  minus), "5 mg", "126.6 µg·h/L", "12 %". Anything else (words, "nan", "inf", a
  different unit) gives None, so the caller can ask for a number without using an attempt.
* :func:`within_tolerance` compares inclusively at the edge, robust to float rounding.
* :func:`option_order` shuffles a question's options per learner, reproducibly.
"""

from __future__ import annotations

import math
import random
import re
from typing import Iterable

MINUS_SIGNS = "\u2212\u2012\u2013\uFE63\uFF0D"  # minus, figure dash, en dash, small and full-width hyphen-minus
GROUP_SPACES = " \u00A0\u202F\u2009\u2007"  # space, no-break, narrow no-break, thin, figure space
_NUMBER = re.compile(r"^[+-]?(\d[\d.,]*|[.,]\d+)([eE][+-]?\d+)?")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")
_GROUPED_DOTS = re.compile(r"^\d{1,3}(\.\d{3}){2,}(,\d*)?$")

#: Other ways of writing a unit, by the unit's normalised spelling.
UNIT_SYNONYMS = {
    "%": {"percent", "percentage", "percent.", "pct"},
    "min": {"minute", "minutes", "mins"},
    "h": {"hour", "hours", "hr", "hrs"},
    "days": {"day", "d"},
    "year": {"years", "yr"},
    "fold": {"x", "×", "times", "-fold"},
    "times": {"x", "×", "fold", "-fold"},
    "pp": {"percentagepoints", "percentagepoint", "points"},
    "percentagepoints": {"pp", "points"},
    "points(0–100)": {"points", "point"},
    "1/min": {"/min", "permin", "min⁻¹", "min-1"},
}


def normalise_unit(text: str) -> str:
    """A unit's spelling with case, spaces, multiplication dots and micro signs evened out."""
    unit = text.strip().casefold().replace("\u03bc", "µ")  # Greek mu → micro sign
    unit = re.sub(r"[\s·⋅*]", "", unit)
    unit = re.sub(r"^(mc|u)(?=[gml])", "µ", unit)  # mcg, ug, uM → µg, µM
    return unit


def unit_spellings(unit: str) -> set[str]:
    """Every accepted (normalised) spelling of ``unit``: itself, singular/plural, synonyms, without a note in brackets."""
    base = normalise_unit(unit)
    if base in ("", "(nounit)"):
        return {""}
    spellings = {base, re.sub(r"\(.*\)$", "", base)}
    for s in list(spellings):
        spellings.add(s[:-1] if s.endswith("s") and len(s) > 2 else s + "s")
    for s in list(spellings):
        spellings |= {normalise_unit(v) for v in UNIT_SYNONYMS.get(s, ())}
    return spellings - {""}


def _decimal_text(number: str) -> str | None:
    """'1,000.5' → '1000.5'; '0,5' → '0.5'; '1.234.567' → '1234567'; ambiguous mixes → None."""
    if "," in number and "." in number:
        if number.rfind(",") > number.rfind("."):  # 1.234,5: dots group, comma is decimal
            number = number.replace(".", "").replace(",", ".")
        elif _GROUPED.match(number):
            number = number.replace(",", "")
        else:
            return None
    elif "," in number:
        if _GROUPED.match(number):  # 1,000 or 12,345,678: thousands
            number = number.replace(",", "")
        elif number.count(",") == 1:  # 0,5 or 71,0: a decimal comma
            number = number.replace(",", ".")
        else:
            return None
    elif number.count(".") > 1:
        if not _GROUPED_DOTS.match(number):
            return None
        number = number.replace(".", "")
    return number


def parse_number(text: str | None, unit: str = "") -> float | None:
    """The finite number in ``text``, optionally followed by ``unit`` (or a close variant); else None."""
    if text is None:
        return None
    raw = str(text).strip().lstrip("≈~").strip()
    if raw and raw[0] in MINUS_SIGNS:  # only a leading sign: a dash inside a unit ("points (0–100)") stays
        raw = "-" + raw[1:]
    # Digit groups separated by spaces: "1 000", "12 345,5" (but not "5 mg").
    raw = re.sub(rf"(?<=\d)[{GROUP_SPACES}](?=\d{{3}}(?!\d))", "", raw)
    match = _NUMBER.match(raw)
    if not match:
        return None
    rest = raw[match.end():].strip()
    if rest and normalise_unit(rest) not in unit_spellings(unit):
        return None
    digits = _decimal_text(match.group(1))
    if digits is None:
        return None
    sign = "-" if raw.startswith("-") else ""
    try:
        value = float(sign + digits + (match.group(2) or ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def within_tolerance(given: float, answer: float, tolerance: float) -> bool:
    """|given − answer| ≤ tolerance, inclusive at the edge despite binary rounding (e.g. 72.3 − 71.3)."""
    return abs(given - answer) <= tolerance + 1e-9 * max(1.0, abs(answer))


def matching_common_error(given: float, errors: Iterable[dict]) -> dict | None:
    """The first recognised wrong answer that ``given`` matches, if any."""
    for error in errors:
        if within_tolerance(given, error["value"], error["tolerance"]):
            return error
    return None


def option_order(learner_id: str, question_id: str, n_options: int) -> list[int]:
    """Display order of a question's options (authored indices), fixed for one learner and question."""
    order = list(range(n_options))
    random.Random(f"{learner_id}|{question_id}").shuffle(order)  # str seeds are hashed with SHA-512: stable across runs
    return order


def format_number(value: float) -> str:
    """3 significant figures, with thousands separated ('16,000', '240', '1.28', '0.25')."""
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{float(f'{value:.3g}'):g}"
