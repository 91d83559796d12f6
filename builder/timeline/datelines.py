"""Datelines: the date a report was filed ("BISHKEK, October 20, 2025 -", a paragraph that is
a date and little else). They date the report, never an event; an opening one can serve as
the report's "now"."""
from __future__ import annotations

import datetime as dt
import re

from ..dates import MONTHS, WEEKDAYS, Reference, find_dates, resolve
from ..model import Article

# A paragraph with a date and at most this many other words is a dateline ("Published:",
# "Updated on"), not an event.
_DATELINE_WORDS = 3

# An opening dateline sits in the first paragraphs, within the first characters.
_DATELINE_PARAGRAPHS = 3

_DATELINE_CHARS = 80

# "BISHKEK, October 20, 2025 - " / "NEW YORK/AMSTERDAM, June 9 (Agency) -"
_DATELINE_PLACE = re.compile(r"[A-Z][A-Z .'’/-]*,\s*")

_DATELINE_END = re.compile(r"\s*(?:\([^)]{1,40}\))?\s*[-–—]")

_WORD = re.compile(r"[A-Za-z]+")

# Every run of letters a date mention can hold (see `builder.dates`), lower-cased: names of
# months (and their abbreviations) and weekdays, day suffixes, the words of ranges, decades,
# relative dates and "ago". Mentions start and end at word boundaries, so any other run of
# letters is outside every mention and counts against a dateline.
_DATE_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS) | frozenset(
    """st nd rd th s of from between to and until last this next previous past yesterday today
    tomorrow year years month months day days ago one two three four five six seven eight nine
    ten""".split()
)


def dateline_day(article: Article, reference: Reference | None) -> dt.date | None:
    """The day an opening dateline gives ("NEW YORK, June 9 (Wire) -"), its year from the
    reference when the dateline has none: the day the report was filed."""
    for paragraph in article.paragraphs[:_DATELINE_PARAGRAPHS]:
        for mention in find_dates(paragraph[:_DATELINE_CHARS]):
            if not opens_dateline(paragraph, mention.start, mention.end):
                continue
            if mention.kind == "date":
                return dt.date(mention.year, mention.month, mention.day)
            if mention.kind == "month-day" and reference is not None and reference.known_year:
                resolved = resolve(mention, Reference(year=reference.known_year))
                return dt.date.fromisoformat(resolved.date) if resolved else None
    return None


def opens_dateline(paragraph: str, start: int, end: int) -> bool:
    """ "BISHKEK, October 20, 2025 - The death toll..." : the date of the report, not of an event."""
    # Matched in place (pos/endpos), not on slices: a slice copies the paragraph per date.
    return bool(_DATELINE_PLACE.fullmatch(paragraph, 0, start) and _DATELINE_END.match(paragraph, end))


def _too_many_plain_words(paragraph: str) -> bool:
    """Whether an ASCII paragraph has more than `_DATELINE_WORDS` runs of letters no date
    mention can hold: then it is no dateline whatever its dates. (Only for ASCII: under the
    date patterns' case rules "ſ" is an "s", which `_WORD` would cut a word at.)"""
    plain = 0
    for word in _WORD.findall(paragraph):
        if word.lower() not in _DATE_WORDS:
            plain += 1
            if plain > _DATELINE_WORDS:
                return True
    return False


def is_dateline(paragraph: str) -> bool:
    """A paragraph that is a date and little else ("December 28, 2024", "Updated: 3 May 2020")
    dates the page, not an event."""
    if paragraph.isascii() and _too_many_plain_words(paragraph):
        return False        # most paragraphs: no need to find their dates
    mentions = find_dates(paragraph)
    if not mentions:
        return False
    # The words between the dates, read once (replacing each date's text in the paragraph
    # cost a pass over it per date: quadratic in a long paragraph).
    bounds = [0] + [b for m in mentions for b in (m.start, m.end)] + [len(paragraph)]
    words = 0
    for left, right in zip(bounds[::2], bounds[1::2]):
        words += len(_WORD.findall(paragraph, left, right))
        if words > _DATELINE_WORDS:
            return False
    return True
