"""Hypothesis strategies for the Kombo unified API contract."""

from strategies.dates import (
    AmbiguousDate,
    DateVerdict,
    ambiguous_dates,
    classify_date,
    invalid_dates,
    pattern_dates,
)
from strategies.tagged import Tagged

__all__ = [
    "AmbiguousDate",
    "DateVerdict",
    "Tagged",
    "ambiguous_dates",
    "classify_date",
    "invalid_dates",
    "pattern_dates",
]
