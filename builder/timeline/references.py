"""Each article's "now", against which "on Monday" or "last July" is read: its publication
date, else what the text implies (an anniversary), else what the comparison says it shares
(`borrowing`), or the latest full date it states when that is later."""
from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from typing import Sequence

from ..dates import Reference, find_dates, resolve
from ..model import Article, Comparison
from ..text import ORDINAL_WORDS
from .borrowing import borrowed_references
from .datelines import dateline_day

log = logging.getLogger(__name__)

# A stated publication date this many years after what the text's anniversary implies is
# taken for a republication date (one year apart is still "last year's 60th anniversary").
_REPUBLISHED_GAP_YEARS = 2

# An anniversary's number: an ordinal word, or a word that means the hundredth.
_ANNIVERSARY_NUMBERS = {**ORDINAL_WORDS, "centenary": 100, "centennial": 100}

_ANNIVERSARY = re.compile(
    r"\b(?:(?P<n>\d{1,3})(?:st|nd|rd|th)|(?P<word>[a-z]+(?:-[a-z]+)?))\s+anniversary\s+of\s+(?P<what>[^.;!?]{3,160})",
    re.IGNORECASE,
)


# The anniversary of an end ("armistice", "liberation") counts from a range's last year.
_END_WORDS = re.compile(
    r"\b(?:end|ending|armistice|ceasefire|liberation|surrender|victory|defeat|fall|collapse|independence|"
    r"treaty|peace|withdrawal|reunification|dissolution)\b",
    re.IGNORECASE,
)


# "World War II (1939-1945)": a name given its years in brackets, reusable elsewhere.
_NAMED_YEARS = re.compile(
    r"(?P<name>(?:[A-Z][\w'’-]*\s+){0,4}[A-Z][\w'’-]*)\s*\((?P<y>1\d{3}|20\d{2})(?:\s*[-\u2010-\u2015]\s*(?P<y2>1\d{3}|20\d{2}))?\)"
)


def references(articles: Sequence[Article], comparison: Comparison) -> dict[str, Reference]:
    """Each article's "now": its own when it has one, else its closest neighbour's, unless the
    text dates events later than that (a report is never written before what it reports)."""
    named_years = _named_years(articles)
    own: dict[str, Reference] = {}
    for article in articles:
        reference = _own_reference(article, named_years)
        if reference is not None:
            own[article.id] = reference
    references = {**borrowed_references(articles, own, comparison), **own}
    for article in articles:
        if article.id in own:
            continue
        dateline = dateline_day(article, references.get(article.id))
        if dateline:
            references[article.id] = Reference(day=dateline)
        latest = _latest_full_date(article)
        current = references.get(article.id)
        if latest and (current is None or current.day is None or latest > current.day):
            references[article.id] = Reference(day=latest)
    return references


def _named_years(articles: Sequence[Article]) -> dict[str, tuple[int, int]]:
    """Names the dossier gives years in brackets, lower-cased: "world war ii" -> (1939, 1945)."""
    found: dict[str, tuple[int, int]] = {}
    for article in articles:
        for paragraph in article.paragraphs:
            if "(" not in paragraph:
                continue        # the pattern needs a bracket: most paragraphs are spared its scan
            for match in _NAMED_YEARS.finditer(paragraph):
                y = int(match["y"])
                y2 = int(match["y2"]) if match["y2"] else y
                name = re.sub(r"^(?:The|In|On|During|After|Before|Since)\s+", "", match["name"]).lower()
                if y <= y2 and name not in found:
                    found[name] = (y, y2)
    return found


def _own_reference(article: Article, named_years: dict[str, tuple[int, int]]) -> Reference | None:
    stated = _parse_day(article.date)
    anniversary_year = _anniversary_year(article, named_years)
    if stated is not None:
        if anniversary_year is not None and stated.year - anniversary_year >= _REPUBLISHED_GAP_YEARS:
            log.info(
                "%s: timeline: the text marks an anniversary in %d; its date %s looks like a republication date",
                article.path, anniversary_year, article.date,
            )
            return _reference_in_year(article, anniversary_year)
        return Reference(day=stated)
    if anniversary_year is not None:
        return _reference_in_year(article, anniversary_year)
    return None


def _reference_in_year(article: Article, year: int) -> Reference:
    """The reference within `year`: the latest "month day" the text names, placed in that year,
    since a report is written just after the last day it mentions; else the year alone."""
    days = []
    for paragraph in article.paragraphs:
        for mention in find_dates(paragraph):
            if mention.kind == "month-day":
                resolved = resolve(mention, Reference(year=year))
                if resolved:
                    days.append(dt.date.fromisoformat(resolved.date))
            elif mention.kind == "date" and mention.year == year:
                days.append(dt.date(mention.year, mention.month, mention.day))
    return Reference(day=max(days)) if days else Reference(year=year)


def _latest_full_date(article: Article) -> dt.date | None:
    days = [
        dt.date(m.year, m.month, m.day)
        for paragraph in article.paragraphs
        for m in find_dates(paragraph)
        if m.kind == "date"
    ]
    return max(days) if days else None


def _anniversary_year(article: Article, named_years: dict[str, tuple[int, int]]) -> int | None:
    """The year an "Nth anniversary of ..." falls in, when the text or the dossier dates its subject."""
    years = []
    for paragraph in article.paragraphs:
        if not _mentions_anniversary(paragraph):
            continue
        for match in _ANNIVERSARY.finditer(paragraph):
            n = int(match["n"]) if match["n"] else _ANNIVERSARY_NUMBERS.get((match["word"] or "").lower())
            base = _anniversary_base(match["what"], named_years)
            if n and base:
                years.append(base + n)
    return Counter(years).most_common(1)[0][0] if years else None


_ANNIVERSARY_WORD = re.compile("anniversary", re.IGNORECASE)


def _mentions_anniversary(paragraph: str) -> bool:
    """Whether the word `_ANNIVERSARY` needs is there: a substring test on ASCII text; other
    text keeps the regex's own case rules ("ſ" is an "s")."""
    if paragraph.isascii():
        return "anniversary" in paragraph.lower()
    return _ANNIVERSARY_WORD.search(paragraph) is not None


def _anniversary_base(what: str, named_years: dict[str, tuple[int, int]]) -> int | None:
    use_end = bool(_END_WORDS.search(what))
    for mention in find_dates(what):
        if mention.kind == "year-range":
            return mention.end_year if use_end else mention.year
        if mention.kind in ("year", "date", "month-year"):
            return mention.year
    lowered = what.lower()
    for name in sorted(named_years, key=lambda n: (-len(n), n)):
        if re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", lowered):
            start, end = named_years[name]
            return end if use_end else start
    return None


def _parse_day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
