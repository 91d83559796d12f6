"""Timeline stage: every dated event the sources mention, merged across sources.

Dates are found by `builder.dates` (regexes over the cleaned paragraphs; no second NLP pass).
Absolute dates ("15 August 2023", "1950-1953", "2019") stand on their own. Partial and
relative ones ("July 27", "last July", "on Monday", "last year") are resolved against the
article's reference point and marked `inferred`:

1. the publication date, when the article has one;
2. otherwise what the text itself implies: an anniversary ("the 70th anniversary of the
   1953 armistice" puts the story in 2023);
3. otherwise what the comparison says: a near-copy of a dated article shares its day; a report
   of an occasion (`comparison.groups`) shares the "now" of a dated report of the same occasion,
   else the occasion's year; any other article takes the reference of the most alike dated
   article (`comparison.similarity`) when it is clearly the closest;
4. or the latest full date the text states when that is later.

A stated publication date also yields to an anniversary that puts the story years earlier:
scraped pages often carry the date they were republished, not written.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Sequence

from .dates import MONTH_NAMES, WEEKDAY_NAMES, DateMention, Reference, ResolvedDate, find_dates, resolve
from .model import Article, Comparison, Evidence, Glossary, SourceGroup, TimelineEntry
from .text import ORDINAL_WORDS, STOP_WORDS, sentence_spans, words

log = logging.getLogger(__name__)

# Longest entry text; longer sentences are cut to the clause around the date.
_MAX_TEXT = 300

# A paragraph with a date and at most this many other words is a dateline ("Published:",
# "Updated on"), not an event.
_DATELINE_WORDS = 3

# An opening dateline sits in the first paragraphs, within the first characters.
_DATELINE_PARAGRAPHS = 3
_DATELINE_CHARS = 80

# The clause around a date tells its event; fewer content words than this and the clause
# ("On Tuesday,") is widened to its neighbours.
_MIN_EVENT_WORDS = 3

# Two mentions of one date are one event when their event clauses share this many content
# words: a story has few events per day, so little agreement is needed.
_SAME_EVENT_SHARED = 2

# ... or when their whole sentences share this much of their content words (Jaccard): reports
# of one event reuse its nouns and names; unrelated sentences rarely share a fifth of theirs.
_SAME_EVENT_JACCARD = 0.18

# Two entries with different dates tell one event (a conflict) only when their event clauses
# share at least this many words and this share of all their words (Jaccard): "the earthquake
# struck Varna Bay" against "the earthquake struck ... Varna Bay", not "the death toll rose".
_CONFLICT_SHARED = 3
_CONFLICT_JACCARD = 0.3

# An undated article outside any occasion borrows the year of another only when they tell
# the same story (comparison similarity, tf-idf cosine: reports of one story measured 0.1-0.35
# on the evaluation dossiers, a different story a few hundredths):
_BORROW_SIMILARITY = 0.08
# ... and when it stands this much above the closest article that would give another year
# (two years' reports of one yearly event can be equally alike: then nothing is borrowed).
_BORROW_MARGIN = 1.2
# ... and its day too only when much closer: reports of one day sharing quotes and figures
# measured 0.35-0.6, reports of one story written days apart 0.15-0.25.
_BORROW_DAY_SIMILARITY = 0.3

# A stated publication date this many years after what the text's anniversary implies is
# taken for a republication date (one year apart is still "last year's 60th anniversary").
_REPUBLISHED_GAP_YEARS = 2

# Words that tell no event apart: function words, and the calendar words every date brings.
_STOP = STOP_WORDS | frozenset(MONTH_NAMES + WEEKDAY_NAMES) | frozenset(
    """ago all day days last month months new next no not one only three today two week weeks
    year years""".split()
)

_CLAUSE_BREAK = re.compile(r"[;:—–]\s+|,\s+(?=(?:and|but|while|which|who|after|before|when|as|since)\b)")
# Words that make a clause look ahead ("will vote in September", "plans to notify").
_LOOKS_AHEAD = re.compile(
    r"(?i)\b(?:will|shall|plans?\s+to|planned\s+to|expects?\s+to|expected\s+to|due\s+to|scheduled|set\s+to|"
    r"going\s+to|upcoming|intends?\s+to|aims?\s+to)\b"
)
# Verbs that report speech: what someone said on a day, not what happened on it.
_REPORTING = re.compile(
    r"(?i)\b(?:said|says|told|tells|stated|announced|added|warned|according\s+to|wrote|tweeted|briefing)\b"
)
# "BISHKEK, October 20, 2025 - " / "NEW YORK/AMSTERDAM, June 9 (Agency) -"
_DATELINE_PLACE = re.compile(r"[A-Z][A-Z .'’/-]*,\s*")
_DATELINE_END = re.compile(r"\s*(?:\([^)]{1,40}\))?\s*[-–—]")
_CLAUSE_SPLIT = re.compile(r"[,;:()\[\]—–]\s*|\s+-\s+")

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


@dataclass(frozen=True)
class _Found:
    """One date mention resolved, with the sentence that states it."""

    date: str
    end: str | None
    inferred: bool
    source: str
    paragraph: int
    text: str
    words: frozenset[str]      # content words of the clause that tells the event
    sentence_words: frozenset[str] = frozenset()
    weekday: bool = False      # resolved from a bare weekday: a week either way is possible
    reported: bool = False     # the clause reports speech ("said on Monday"): statements recur


# --- public ----------------------------------------------------------------------------

def build_timeline(articles: Sequence[Article], glossary: Glossary, comparison: Comparison) -> tuple[TimelineEntry, ...]:
    """Every dated event in the articles, one entry per event and date, sorted chronologically.
    `comparison` says which articles are alike, copies, or reports of one occasion.

    Chronological order (oldest first, a coarse date before the finer dates inside it, so
    "2022" precedes "2022-02-24") because a reader who does not know the story needs the
    background before the latest turn; the newest events are one jump away at the end.
    """
    ordered = sorted(articles, key=lambda a: a.id)
    references = _references(ordered, comparison)
    found = [item for article in ordered for item in _found_in(article, references.get(article.id))]
    entries = _mark_conflicts(_merge(_reconcile_weekdays(found)))
    log.debug("timeline: %d entries from %d date mentions", len(entries), len(found))
    return tuple(sorted(entries, key=_order))


def _order(entry: TimelineEntry) -> tuple:
    return (entry.date, entry.end or "", entry.text, entry.sources)


# --- sentences and words ---------------------------------------------------------------

def _words(text: str) -> frozenset[str]:
    """Content words, lower-cased, possessives dropped ("Veridian's" is "veridian")."""
    return frozenset(w for w in words(text) if w[0].isalpha() and w not in _STOP and len(w) > 2)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _clause(sentence: str, start: int, end: int) -> str:
    """The sentence; when it is too long, the clause that holds the date widened leftwards as
    far as it fits (the subject stays readable), else a window around the date."""
    text = sentence.strip()
    if len(text) <= _MAX_TEXT:
        return text
    bounds = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(sentence)] + [len(sentence)]
    for left, right in zip(bounds, bounds[1:]):
        if left <= start < right:
            right = max(right, end)
            # Widen leftwards clause by clause while it fits: the subject usually comes first.
            # A lone short clause ("which was released on Tuesday") reads worse than a window.
            for wider in [b for b in bounds if b <= left]:
                piece = sentence[wider:right].strip(" ,;:—–")
                if _MAX_TEXT // 2 <= len(piece) <= _MAX_TEXT:
                    return ("…" if wider else "") + piece + ("…" if right < len(sentence.rstrip()) else "")
            break
    half = _MAX_TEXT // 2
    left, right = max(0, start - half), min(len(sentence), end + half)
    return ("…" if left else "") + sentence[left:right].strip() + ("…" if right < len(sentence) else "")


# --- references ------------------------------------------------------------------------

def _references(articles: Sequence[Article], comparison: Comparison) -> dict[str, Reference]:
    """Each article's "now": its own when it has one, else its closest neighbour's, unless the
    text dates events later than that (a report is never written before what it reports)."""
    named_years = _named_years(articles)
    own: dict[str, Reference] = {}
    for article in articles:
        reference = _own_reference(article, named_years)
        if reference is not None:
            own[article.id] = reference
    references = {**_borrowed_references(articles, own, comparison), **own}
    for article in articles:
        if article.id in own:
            continue
        dateline = _dateline_day(article, references.get(article.id))
        if dateline:
            references[article.id] = Reference(day=dateline)
        latest = _latest_full_date(article)
        current = references.get(article.id)
        if latest and (current is None or current.day is None or latest > current.day):
            references[article.id] = Reference(day=latest)
    return references


def _dateline_day(article: Article, reference: Reference | None) -> dt.date | None:
    """The day an opening dateline gives ("NEW YORK, June 9 (Wire) -"), its year from the
    reference when the dateline has none: the day the report was filed."""
    for paragraph in article.paragraphs[:_DATELINE_PARAGRAPHS]:
        for mention in find_dates(paragraph[:_DATELINE_CHARS]):
            if not _opens_dateline(paragraph, mention.start, mention.end):
                continue
            if mention.kind == "date":
                return dt.date(mention.year, mention.month, mention.day)
            if mention.kind == "month-day" and reference is not None and reference.known_year:
                resolved = resolve(mention, Reference(year=reference.known_year))
                return dt.date.fromisoformat(resolved.date) if resolved else None
    return None


def _named_years(articles: Sequence[Article]) -> dict[str, tuple[int, int]]:
    """Names the dossier gives years in brackets, lower-cased: "world war ii" -> (1939, 1945)."""
    found: dict[str, tuple[int, int]] = {}
    for article in articles:
        for paragraph in article.paragraphs:
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
        for match in _ANNIVERSARY.finditer(paragraph):
            n = int(match["n"]) if match["n"] else _ANNIVERSARY_NUMBERS.get((match["word"] or "").lower())
            base = _anniversary_base(match["what"], named_years)
            if n and base:
                years.append(base + n)
    return Counter(years).most_common(1)[0][0] if years else None


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


def _borrowed_references(articles: Sequence[Article], own: dict[str, Reference],
                         comparison: Comparison) -> dict[str, Reference]:
    """For each article without a reference, the reference the comparison says it shares."""
    alike = _Likeness(comparison)
    borrowed = {}
    for article in articles:
        if article.id in own:
            continue
        reference = (_from_copy(article.id, own, comparison, alike)
                     or _from_occasion(article.id, own, comparison, alike)
                     or _from_closest(article.id, own, comparison, alike))
        if reference is not None:
            borrowed[article.id] = reference
    return borrowed


class _Likeness:
    """The comparison's similarity matrix, read by source id."""

    def __init__(self, comparison: Comparison) -> None:
        self._index = {source: i for i, source in enumerate(comparison.similarity.sources)}
        self._matrix = comparison.similarity.matrix

    def __call__(self, a: str, b: str) -> float:
        if a not in self._index or b not in self._index:
            return 0.0
        return self._matrix[self._index[a]][self._index[b]]

    def closest(self, source: str, candidates) -> list[tuple[float, str]]:
        return sorted(((self(source, other), other) for other in candidates), key=lambda pair: (-pair[0], pair[1]))


def _groups_of(source: str, comparison: Comparison, kind: str) -> list[SourceGroup]:
    return [g for g in comparison.groups if g.kind == kind and source in g.sources]


def _from_copy(source: str, own: dict[str, Reference], comparison: Comparison, alike: _Likeness) -> Reference | None:
    """A near-copy of a dated article was written the same day (one wire text, run twice)."""
    for group in _groups_of(source, comparison, "near-copy"):
        dated = alike.closest(source, [s for s in group.sources if s in own])
        if dated:
            return own[dated[0][1]]
    return None


def _from_occasion(source: str, own: dict[str, Reference], comparison: Comparison, alike: _Likeness) -> Reference | None:
    """A report of an occasion shares the "now" of the most alike dated report of the same
    occasion (reports of one occasion give its days alike), else the occasion's year."""
    for group in _groups_of(source, comparison, "occasion"):
        dated = alike.closest(source, [s for s in group.sources if s in own])
        if dated:
            log.debug("%s: timeline: dates read against %s (same occasion)", source, dated[0][1])
            return own[dated[0][1]]
        if group.year is not None:
            return Reference(year=group.year)
    return None


def _from_closest(source: str, own: dict[str, Reference], comparison: Comparison, alike: _Likeness) -> Reference | None:
    """The reference of the closest dated article: its day when the two read as reports of one
    day, else only its year (a follow-up written days later would put "on Tuesday" in the wrong
    week). Reports of a known occasion are left out: this article is not one of them."""
    placed = {s for g in comparison.groups if g.kind == "occasion" for s in g.sources}
    scored = alike.closest(source, [s for s in own if s not in placed])
    if not scored or scored[0][0] < _BORROW_SIMILARITY or not _clear_winner(scored, own):
        return None
    similarity, donor = scored[0]
    log.debug("%s: timeline: dates read against %s (similarity %.2f)", source, donor, similarity)
    reference = own[donor]
    return reference if similarity >= _BORROW_DAY_SIMILARITY else Reference(year=reference.known_year)


def _clear_winner(scored: list[tuple[float, str]], own: dict[str, Reference]) -> bool:
    """Whether the closest donor stands clear of the closest one that would give another year;
    near-equal neighbours from two occasions leave the article's dates unresolved."""
    best, donor = scored[0]
    year = own[donor].known_year
    rivals = [score for score, other in scored[1:] if own[other].known_year != year]
    return not rivals or best >= _BORROW_MARGIN * rivals[0]


# --- finding ---------------------------------------------------------------------------

def _found_in(article: Article, reference: Reference | None) -> list[_Found]:
    found = []
    stated = reference is not None and reference.day is not None and article.date == reference.day.isoformat()
    for index, paragraph in enumerate(article.paragraphs):
        if _is_dateline(paragraph):
            continue
        for s_start, s_end in sentence_spans(paragraph):
            sentence = paragraph[s_start:s_end]
            for mention in find_dates(sentence):
                if _opens_dateline(paragraph, s_start + mention.start, s_start + mention.end):
                    continue
                clause = _event_clause(sentence, mention)
                future = bool(_LOOKS_AHEAD.search(clause))
                for resolved in _resolutions(mention, reference, stated, future):
                    found.append(_Found(
                        date=resolved.date, end=resolved.end, inferred=resolved.inferred,
                        source=article.id, paragraph=index,
                        text=_clause(sentence, mention.start, mention.end),
                        words=_words(clause),
                        sentence_words=_words(sentence),
                        weekday=mention.kind == "weekday" and resolved.inferred,
                        reported=bool(_REPORTING.search(clause)),
                    ))
    return found


def _opens_dateline(paragraph: str, start: int, end: int) -> bool:
    """ "BISHKEK, October 20, 2025 - The death toll..." : the date of the report, not of an event."""
    return bool(_DATELINE_PLACE.fullmatch(paragraph[:start]) and _DATELINE_END.match(paragraph[end:]))


def _is_dateline(paragraph: str) -> bool:
    """A paragraph that is a date and little else ("December 28, 2024", "Updated: 3 May 2020")
    dates the page, not an event."""
    mentions = find_dates(paragraph)
    if not mentions:
        return False
    rest = paragraph
    for mention in mentions:
        rest = rest.replace(mention.text, " ")
    return len(re.findall(r"[A-Za-z]+", rest)) <= _DATELINE_WORDS


def _event_clause(sentence: str, mention: DateMention) -> str:
    """The clause that holds the date, widened to its neighbours until it has a few content
    words: "the earthquake struck Varna Bay on March 11" tells the event, the rest of the
    sentence ("the death toll stands at 471") often another one."""
    bounds = [0] + [m.end() for m in _CLAUSE_SPLIT.finditer(sentence)] + [len(sentence)]
    clauses = list(zip(bounds, bounds[1:]))
    here = next((i for i, (s, e) in enumerate(clauses) if s <= mention.start < e), 0)
    left = right = here
    while len(_words(sentence[clauses[left][0]:clauses[right][1]])) < _MIN_EVENT_WORDS and (
        left > 0 or right < len(clauses) - 1
    ):
        if right < len(clauses) - 1:
            right += 1
        else:
            left -= 1
    return sentence[clauses[left][0]:clauses[right][1]]


def _resolutions(mention: DateMention, reference: Reference | None, stated: bool, future: bool) -> list[ResolvedDate]:
    """The dates one mention yields: a range also yields its last year (an event of its own:
    "the Korean War (1950-1953)" ended in 1953)."""
    if mention.kind == "relative-day" and mention.shift == 0 and not stated:
        return []   # "today" without a real publication date usually means "nowadays"
    resolved = resolve(mention, reference, future=future)
    if resolved is None:
        return []
    if reference is not None and not stated and not mention.is_absolute:
        resolved = replace(resolved, inferred=True)
    results = [resolved]
    if resolved.end and mention.kind == "year-range":
        results.append(ResolvedDate(resolved.end, inferred=resolved.inferred))
    return results


def _reconcile_weekdays(found: list[_Found]) -> list[_Found]:
    """A bare weekday ("declared Monday a day of mourning") may mean the last or the next one;
    when another source dates the same event to that weekday a week away, it meant that one."""
    settled = []
    for item in found:
        if item.weekday:
            day = dt.date.fromisoformat(item.date)
            for other in found:
                if other.source == item.source or other.weekday or len(other.date) != 10:
                    continue
                if abs((dt.date.fromisoformat(other.date) - day).days) == 7 and _same_event(item, other):
                    item = replace(item, date=other.date)
                    break
        settled.append(item)
    return settled


# --- merging ---------------------------------------------------------------------------

def _merge(found: list[_Found]) -> list[tuple[TimelineEntry, list[_Found]]]:
    """One entry per event and date (same date, overlapping wording), across sources; each
    with the mentions it merges."""
    by_date: dict[tuple[str, str | None], list[_Found]] = defaultdict(list)
    for item in found:
        by_date[(item.date, item.end)].append(item)
    entries = []
    for (date, end), items in sorted(by_date.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        for group in _events(sorted(items, key=_item_order)):
            entry = TimelineEntry(
                date=date,
                end=end,
                text=group[0].text,
                sources=tuple(sorted({f.source for f in group})),
                evidence=tuple(sorted({Evidence(f.source, f.paragraph) for f in group}, key=lambda e: (e.source, e.paragraph))),
                inferred=all(f.inferred for f in group),
            )
            entries.append((entry, group))
    return entries


def _item_order(item: _Found) -> tuple:
    return (item.source, item.paragraph, item.text)


def _events(items: list[_Found]) -> list[list[_Found]]:
    """Single-link groups of the mentions of one date that tell the same event."""
    groups: list[list[_Found]] = []
    for item in items:
        joined = [g for g in groups if any(_same_event(item, other) for other in g)]
        merged = sorted([item] + [f for g in joined for f in g], key=_item_order)
        groups = [g for g in groups if all(g is not j for j in joined)] + [merged]
    return sorted(groups, key=lambda g: _item_order(g[0]))


def _same_event(a: _Found, b: _Found) -> bool:
    """Same date and the same sentence, event clauses sharing enough words, or sentences
    overlapping as a retelling does (with at least a word of the event clause in common, so
    a sentence telling two events is not merged for the other one)."""
    if a.source == b.source and a.paragraph == b.paragraph and (a.text in b.text or b.text in a.text):
        return True
    shared = len(a.words & b.words)
    return shared >= _SAME_EVENT_SHARED or (shared >= 1 and _jaccard(a.sentence_words, b.sentence_words) >= _SAME_EVENT_JACCARD)


def _mark_conflicts(merged: list[tuple[TimelineEntry, list[_Found]]]) -> list[TimelineEntry]:
    """Entries from different sources that tell one event with incompatible dates share a
    conflict id, so a reader sees the dates side by side."""
    entries = [entry for entry, _ in merged]
    parent = list(range(len(entries)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (a, a_items) in enumerate(merged):
        for j in range(i + 1, len(merged)):
            b, b_items = merged[j]
            if _compatible(a.date, b.date) or set(a.sources) & set(b.sources):
                continue
            if any(_same_event_told_differently(x, y) for x in a_items for y in b_items):
                parent[root(j)] = root(i)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(entries)):
        members[root(i)].append(i)
    conflicted = {}
    groups = sorted((sorted(m) for m in members.values() if len(m) > 1), key=lambda m: _order(entries[m[0]]))
    for number, group in enumerate(groups, start=1):
        for i in group:
            conflicted[i] = f"conflict-{number}"
    return [replace(e, conflict=conflicted.get(i)) for i, e in enumerate(entries)]


def _same_event_told_differently(a: _Found, b: _Found) -> bool:
    if a.reported or b.reported:
        return False    # a minister speaking on Saturday and again on Sunday is no conflict
    shared = a.words & b.words
    return len(shared) >= _CONFLICT_SHARED and _jaccard(a.words, b.words) >= _CONFLICT_JACCARD


def _compatible(a: str, b: str) -> bool:
    """ "2022" and "2022-08-15" can both be right; "2022-08-15" and "2023-08-15" cannot."""
    return a.startswith(b) or b.startswith(a)
