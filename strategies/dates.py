"""Kombo timestamps: ``type: string, format: date-time`` plus Kombo's own ``pattern``.

Kombo documents timestamps as ``YYYY-MM-DDTHH:mm:ss.sssZ`` (``Date.toISOString``) and ships::

    type: string
    format: date-time
    pattern: ^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?)?Z?$

The pattern and the format disagree: the pattern admits bare dates, a missing ``Z``, month 13,
hour 24 and Feb 29 of any year; the format admits ``+02:00`` offsets and lower-case ``t``/``z``.
``pattern_dates`` draws from the intersection, ``ambiguous_dates`` from the symmetric
difference and ``invalid_dates`` from neither. ``classify_date`` is the single judgement.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from strategies.tagged import Tagged

KOMBO_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?)?Z?$"
#: The documented shape, ``Date.prototype.toISOString`` output: exactly three fraction digits.
ISO_STRING_PATTERN = r"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\Z"

_LEAP_YEARS = [year for year in range(1, 10000) if calendar.isleap(year)]
_NON_LEAP_YEARS = st.integers(1, 9999).filter(lambda year: not calendar.isleap(year))

# Strict RFC 3339 ``date-time`` (section 5.6), used only when jsonschema has no checker for it.
_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt]([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(\.\d+)?"
    r"([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)",
    re.ASCII,
)


@dataclass(frozen=True, slots=True)
class DateVerdict:
    """How the two halves of the Kombo date schema judge one string."""

    pattern_ok: bool
    format_ok: bool

    @property
    def valid(self) -> bool:
        """Accepted by the whole schema (pattern and format)."""
        return self.pattern_ok and self.format_ok

    @property
    def ambiguous(self) -> bool:
        """Exactly one of pattern and format accepts it."""
        return self.pattern_ok != self.format_ok


@dataclass(frozen=True, slots=True)
class AmbiguousDate:
    """A value on the pattern/format border, with the verdict ``classify_date`` must return."""

    value: str
    reason: str
    expected: DateVerdict


def _strict_rfc3339(value: str) -> bool:
    match = _RFC3339.fullmatch(value)
    if match is None:
        return False
    year, month, day = (int(part) for part in match.group(1, 2, 3))
    return year >= 1 and 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def format_checks_date_time(value: str) -> bool:
    """``format: date-time`` as jsonschema's Draft 2020-12 checker judges it.

    That checker is ``rfc3339-validator`` (no leap seconds, no year 0); without it jsonschema
    would not check the format at all, so we fall back to a strict RFC 3339 implementation.
    """
    checker = Draft202012Validator.FORMAT_CHECKER
    if "date-time" in checker.checkers:
        return checker.conforms(value, "date-time")
    return _strict_rfc3339(value)


def classify_date(value: str) -> DateVerdict:
    """Judge ``value`` against the Kombo pattern (``re.search``, like jsonschema) and the format."""
    return DateVerdict(
        pattern_ok=re.search(KOMBO_DATE_PATTERN, value) is not None,
        format_ok=format_checks_date_time(value),
    )


def matches_iso_string(value: str) -> bool:
    """True if ``value`` has the documented ``YYYY-MM-DDTHH:mm:ss.sssZ`` shape."""
    return re.match(ISO_STRING_PATTERN, value, re.ASCII) is not None


# --- building blocks -------------------------------------------------------------------------

years = st.one_of(st.integers(1970, 2100), st.integers(1, 9999))
hours, minutes, seconds = st.integers(0, 23), st.integers(0, 59), st.integers(0, 59)


@st.composite
def _fraction(draw: st.DrawFn, min_digits: int = 0, max_digits: int = 9) -> str:
    digits = draw(st.integers(min_digits, max_digits))
    if digits == 0:
        return ""
    return "." + str(draw(st.integers(0, 10**digits - 1))).zfill(digits)


@st.composite
def calendar_dates(draw: st.DrawFn) -> str:
    """``YYYY-MM-DD`` that exists in the Gregorian calendar (Feb 29 only in leap years)."""
    if draw(st.integers(0, 9)) == 0:
        return f"{draw(st.sampled_from(_LEAP_YEARS)):04d}-02-29"
    year, month = draw(years), draw(st.integers(1, 12))
    day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    return f"{year:04d}-{month:02d}-{day:02d}"


@st.composite
def _clock(draw: st.DrawFn) -> str:
    return f"{draw(hours):02d}:{draw(minutes):02d}:{draw(seconds):02d}"


def pattern_dates() -> st.SearchStrategy[str]:
    """Valid RFC 3339 date-times that also match the Kombo pattern.

    ``YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z``: always ``T`` and ``Z``, 0-9 fraction digits, real calendar
    days (leap days only in leap years), seconds 00-59.
    """
    return st.builds(
        lambda day, clock, fraction: f"{day}T{clock}{fraction}Z",
        calendar_dates(),
        _clock(),
        _fraction(),
    )


# --- the border between pattern and format ---------------------------------------------------

_PATTERN_ONLY = DateVerdict(pattern_ok=True, format_ok=False)
_FORMAT_ONLY = DateVerdict(pattern_ok=False, format_ok=True)
_BOTH = DateVerdict(pattern_ok=True, format_ok=True)


def _border(
    reason: str, expected: DateVerdict, values: st.SearchStrategy[str]
) -> st.SearchStrategy[AmbiguousDate]:
    return values.map(lambda value: AmbiguousDate(value, reason, expected))


def _stamp(
    day: st.SearchStrategy[str], clock: st.SearchStrategy[str] | None = None, suffix: str = "Z"
) -> st.SearchStrategy[str]:
    """``{day}T{clock}{fraction}{suffix}`` with a valid clock unless one is given."""
    return st.builds(
        lambda d, c, f: f"{d}T{c}{f}{suffix}",
        day,
        clock if clock is not None else _clock(),
        _fraction(),
    )


def _two_digits(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda n: f"{n:02d}")


def ambiguous_dates() -> st.SearchStrategy[AmbiguousDate]:
    """Values that exactly one of pattern / format accepts, each tagged with the reason.

    One reason, ``many-fractional-digits``, is accepted by both halves but is not the documented
    ``.sss`` (three digit) shape, so servers parsing with a fixed width may disagree.
    """
    day = calendar_dates()
    some_year = years.map(lambda y: f"{y:04d}")
    return st.one_of(
        _border("date-only", _PATTERN_ONLY, day),
        _border("no-z", _PATTERN_ONLY, _stamp(day, suffix="")),
        _border(
            "many-fractional-digits",
            _BOTH,
            st.builds(lambda d, c, f: f"{d}T{c}{f}Z", day, _clock(), _fraction(10, 20)),
        ),
        _border(
            "feb-29-non-leap-year",
            _PATTERN_ONLY,
            _stamp(_NON_LEAP_YEARS.map(lambda y: f"{y:04d}-02-29")),
        ),
        _border(
            "day-past-month-end",
            _PATTERN_ONLY,
            _stamp(
                st.builds(
                    lambda y, md: f"{y}-{md}",
                    some_year,
                    st.sampled_from(["04-31", "06-31", "09-31", "11-31", "01-32", "05-00"]),
                )
            ),
        ),
        _border(
            "month-13",
            _PATTERN_ONLY,
            _stamp(st.builds(lambda y, m: f"{y}-{m}-01", some_year, _two_digits(13, 99))),
        ),
        _border("month-00", _PATTERN_ONLY, _stamp(some_year.map(lambda y: f"{y}-00-10"))),
        _border(
            "hour-24",
            _PATTERN_ONLY,
            _stamp(day, st.builds(lambda h, m: f"{h}:{m:02d}:00", _two_digits(24, 99), minutes)),
        ),
        _border(
            "minute-or-second-60",
            _PATTERN_ONLY,
            _stamp(day, st.sampled_from(["12:60:00", "12:00:61", "23:99:99"])),
        ),
        _border("leap-second", _PATTERN_ONLY, _stamp(day, st.just("23:59:60"))),
        _border("year-0000", _PATTERN_ONLY, _stamp(st.just("0000-01-01"))),
        _border(
            "offset",
            _FORMAT_ONLY,
            st.builds(
                lambda d, c, sign, h, m: f"{d}T{c}{sign}{h:02d}:{m:02d}",
                day,
                _clock(),
                st.sampled_from("+-"),
                st.integers(0, 23),
                st.integers(0, 59),
            ),
        ),
        _border("lowercase-t-z", _FORMAT_ONLY, st.builds(lambda d, c: f"{d}t{c}z", day, _clock())),
        _border(
            "unicode-digits",
            _PATTERN_ONLY,
            day.map(
                lambda d: d.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")) + "T10:00:00Z"
            ),
        ),
    )


# --- rejected by both -------------------------------------------------------------------------


def invalid_dates() -> st.SearchStrategy[Tagged[str]]:
    """Strings that both the pattern and the format reject, tagged with why."""
    day = calendar_dates()
    stamp = pattern_dates()
    cases: list[tuple[str, st.SearchStrategy[str]]] = [
        ("empty", st.just("")),
        ("slashes", day.map(lambda d: d.replace("-", "/"))),
        ("two-digit-year", day.map(lambda d: d[2:])),
        ("space-separator", stamp.map(lambda s: s.replace("T", " "))),
        ("missing-seconds", st.builds(lambda d, h: f"{d}T{h:02d}:30Z", day, hours)),
        ("empty-fraction", st.builds(lambda d, c: f"{d}T{c}.Z", day, _clock())),
        ("offset-without-colon", stamp.map(lambda s: s[:-1] + "+0200")),
        ("trailing-garbage", stamp.map(lambda s: s + "junk")),
        ("epoch-seconds", st.integers(0, 2**33).map(str)),
        ("free-text", st.text(max_size=30)),
    ]
    return st.one_of(
        [
            values.filter(lambda v: not (c := classify_date(v)).pattern_ok and not c.format_ok).map(
                lambda v, reason=reason: Tagged(v, reason)
            )
            for reason, values in cases
        ]
    )
