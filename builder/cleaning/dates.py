"""Recognise calendar dates written out in a line ("December 28, 2024", "2024-12-28").

The month names are `builder.dates.MONTHS`. Its `find_dates` is not used here: page furniture
writes dates that prose does not ("OCT 19, 2025", "Sun October 19", "19.10.2025", "2025/10/19",
"19/10/2025"),
and this module only needs whole dates, never partial or relative ones.
"""
from __future__ import annotations

import datetime as _dt
import re

from builder.dates import MONTHS

# Longest names first, so "September" is not read as "Sep" followed by "tember".
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=lambda name: (-len(name), name))) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
# Each pattern names its parts; all are bounded so a huge line cannot make them slow.
_PATTERNS = (
    re.compile(rf"\b{_YEAR}-(?P<month_num>\d{{1,2}})-(?P<day>\d{{1,2}})(?!\d)"),
    re.compile(rf"\b{_YEAR}/(?P<month_num>\d{{1,2}})/(?P<day>\d{{1,2}})(?!\d)"),
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b(?P<day>\d{{1,2}})\.(?P<month_num>\d{{1,2}})\.{_YEAR}\b"),
    # "14/03/2025", "14-03-2025": most of the world writes the day first, so an ambiguous
    # "04/03/2025" is the 4th of March; "03/14/2025" (no month 14) is read the US way below.
    re.compile(rf"(?<![\d/-])(?P<day>\d{{1,2}})(?P<sep>[/-])(?P<month_num>\d{{1,2}})(?P=sep){_YEAR}\b"),
    re.compile(rf"(?<![\d/-])(?P<month_num>\d{{1,2}})(?P<sep>[/-])(?P<day>\d{{1,2}})(?P=sep){_YEAR}\b"),
)


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first full date in `text` as (YYYY-MM-DD, start, end), or None."""
    best: tuple[str, int, int] | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            iso = _iso(match)
            if iso is not None:
                if best is None or match.start() < best[1]:
                    best = (iso, match.start(), match.end())
                break
    return best


def parse_date(text: str) -> str | None:
    """YYYY-MM-DD of the first full date in `text`, or None."""
    found = find_date(text)
    return found[0] if found else None


def _iso(match: re.Match) -> str | None:
    parts = match.groupdict()
    if parts.get("month_num"):
        month = int(parts["month_num"])
    else:
        month = MONTHS.get(parts["month"].lower())
    try:
        return _dt.date(int(parts["year"]), month, int(parts["day"])).isoformat()
    except (TypeError, ValueError):
        return None
