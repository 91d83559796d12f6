"""Recognise calendar dates written out in a line ("December 28, 2024", "2024-12-28")."""
from __future__ import annotations

import datetime as _dt
import re

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
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
        month = _MONTHS.get(parts["month"].lower()[:3])
    try:
        return _dt.date(int(parts["year"]), month, int(parts["day"])).isoformat()
    except (TypeError, ValueError):
        return None
