"""Different occasions: sources that look like one story but report different events (this
year's ceremony and last year's), told apart by weekdays, anniversaries and publication dates.

Reasoning, in the order a reader would check it:
1. an "Nth anniversary" of something dated in the dossier ("(1950-1953)") gives a year;
2. a weekday the sources disagree on, with the event's calendar date, gives the years in
   which that date fell on that weekday;
3. sources with no such clue join the occasion whose sources they are most alike;
4. a publication date well after the occasion is worth a reader's attention too.
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from ..model import Article, Discrepancy, Evidence, SourceGroup, Variant
from .align import Alignment, Statement
from .facts import Fact, extract_facts
from .prose import SourceIds
from .story import Story
from ..dates import MONTH_NAMES, WEEKDAY_NAMES
from ..text import STOP_WORDS, stem, words

# Words saying an anniversary counts from the end of a dated span ("the armistice" of a war
# dated 1950-1953) or from its start ("the outbreak"); otherwise both ends stay possible.
_END_WORDS = frozenset(stem(w) for w in (
    "end ended armistice ceasefire liberation liberated surrender victory independence peace "
    "fall defeat reunification withdrawal signing treaty".split()
))
_START_WORDS = frozenset(stem(w) for w in (
    "start started beginning began outbreak founding founded launch launched birth invasion "
    "creation established establishment opening".split()
))
# Weight of each clue for a year: an anniversary with a dated subject is near proof; a year
# that fits a weekday is one of several (the calendar repeats every 5, 6 or 11 years).
_ANNIVERSARY_WEIGHT = 1.0
_EITHER_END_WEIGHT = 0.5
_WEEKDAY_WEIGHT = 0.5
# A weekday is matched against the calendar dates this many years back from the latest year
# the dossier knows (publication dates, years written): wide enough for a story's history,
# narrow enough that the weekday still decides between few years.
_WEEKDAY_YEARS_BACK = 12
# Words of the anniversary's subject that a sentence elsewhere must share to date it.
_MIN_SUBJECT_OVERLAP = 2
# A source without clues joins the most similar occasion only when it is clearly more similar
# to it than to the next one (the matrix values of unrelated reports differ by a few hundredths).
_MIN_SIMILARITY_MARGIN = 0.02
# A publication this many years after the occasion is a republished or misdated page.
_LATE_PUBLICATION_YEARS = 1
_PUBLICATION_SCORE = 0.45
_YEAR_SCORE = 0.6


@dataclass(frozen=True)
class _Clue:
    source: str
    year: int
    weight: float
    evidence: str
    paragraph: int | None = None


def find_occasions(
    articles: Sequence[Article],
    alignment: Alignment,
    story: Story,
    weekday_conflicts: Sequence[Discrepancy],
) -> tuple[tuple[SourceGroup, ...], tuple[Discrepancy, ...]]:
    """Occasion groups (only when the sources report two or more) and the discrepancies they explain."""
    latest = _latest_year(articles, alignment)
    if latest is None:
        return (), ()
    clues = _anniversary_clues(alignment, SourceIds(a.id for a in articles))
    anchored = {clue.source for clue in clues}
    sides: list[_Side] = []
    title_days = _title_weekdays(articles) if weekday_conflicts else {}
    days_written = _days_by_paragraph(alignment) if weekday_conflicts else {}
    for conflict in weekday_conflicts:
        # the clearest weekday conflict that some dated source takes part in: others may be
        # about another event of the story (or another story) and date nothing
        if not _may_involve(conflict, anchored, title_days):
            continue
        candidate = _weekday_sides(articles, days_written, conflict, latest, story, title_days)
        if any(side.sources & anchored for side in candidate):
            sides = candidate
            break
    occasions = _occasions(clues, sides)
    if len({year for year, _, _ in occasions}) < 2:
        return (), ()
    occasions = _add_unclued(articles, story, occasions)
    groups = tuple(
        SourceGroup("occasion", f"Reports of the {year} occasion", tuple(sorted(sources)), tuple(evidence), year)
        for year, sources, evidence in sorted(occasions, key=lambda o: (-o[0], sorted(o[1])))
    )
    return groups, _year_discrepancies(articles, occasions, clues, sides)


# --- clues ------------------------------------------------------------------------------

def _latest_year(articles: Sequence[Article], alignment: Alignment) -> int | None:
    years = [int(a.date[:4]) for a in articles if a.date]
    years += [f.value[1] for _, f in alignment.facts_of_kind("year")]
    return max(years) if years else None


def _anniversary_clues(alignment: Alignment, ids: SourceIds) -> list[_Clue]:
    # the statements stating a year, each once, in order (a statement's facts come together)
    dated = [s for s, _ in itertools.groupby(s for s, _ in alignment.facts_of_kind("year"))]
    clues = []
    for statement, fact in alignment.facts_of_kind("ordinal"):
        if fact.surface.casefold().endswith("anniversary"):
            clues.extend(_date_anniversary(statement, fact, dated, ids))
    return clues


def _date_anniversary(statement: Statement, fact: Fact, dated: list[Statement], ids: SourceIds) -> list[_Clue]:
    text = statement.sentence.text
    subject = _subject(text[fact.end :])
    spans = [f for f in statement.facts if f.kind == "year" and f.start > fact.end]
    where = "in the same sentence"
    if not spans:
        best = _best_dated(statement, subject, dated)
        if best is None:
            return []
        spans = [f for f in best.facts if f.kind == "year"]
        excerpt = _excerpt(best, spans[0])
        quoted = "" if ids.inside(excerpt) else f": “{excerpt}”"     # see prose.py
        where = f"as {best.source} dates it (paragraph {best.paragraph + 1}{quoted})"
    first, last = spans[0].value
    subject_stems = {stem(w) for w in words(text[fact.end :])[:12]}
    if first == last:
        ends = [(first, _ANNIVERSARY_WEIGHT)]
    elif subject_stems & _END_WORDS:
        ends = [(last, _ANNIVERSARY_WEIGHT)]
    elif subject_stems & _START_WORDS:
        ends = [(first, _ANNIVERSARY_WEIGHT)]
    else:
        ends = [(first, _EITHER_END_WEIGHT), (last, _EITHER_END_WEIGHT)]
    phrase = " ".join(text[fact.start :].split()[:8]).rstrip(",.;")
    if ids.inside(phrase):
        phrase = fact.surface
    return [
        _Clue(statement.source, base + fact.value, weight,
              f"{statement.source}: “{phrase}…”, counted from {base} {where}, gives {base + fact.value}",
              statement.paragraph)
        for base, weight in ends
    ]


def _subject(after: str) -> set[str]:
    """The content stems naming what an anniversary is of ("of Korea's liberation from ...")."""
    tokens = [w for w in words(after)[:12] if w not in STOP_WORDS and not w.isdigit()]
    return {stem(w) for w in tokens}


def _best_dated(statement: Statement, subject: set[str], dated: list[Statement]) -> Statement | None:
    best, best_overlap = None, _MIN_SUBJECT_OVERLAP - 1
    for other in dated:
        if other.index == statement.index:
            continue
        overlap = len(subject & other.terms)
        if overlap > best_overlap:
            best, best_overlap = other, overlap
    return best


def _excerpt(statement: Statement, fact: Fact, width: int = 60) -> str:
    """The words before a fact, cut at a word boundary."""
    text = statement.sentence.text
    start = max(0, fact.start - width)
    if start:
        start = text.find(" ", start) + 1
    return ("…" if start else "") + text[start : fact.end].strip() + "…"


@dataclass(frozen=True)
class _Side:
    weekday: str
    sources: frozenset[str]
    clues: tuple[_Clue, ...]
    paragraphs: tuple[Evidence, ...]


def _weekday_sides(
    articles: Sequence[Article], days_written: dict[tuple[str, int], list[tuple[int, int]]], conflict: Discrepancy,
    latest: int, story: Story,
    title_days: dict[str, frozenset[str]],
) -> list[_Side]:
    """One side per weekday of a weekday conflict, with the years in which the event's
    calendar date fell on that weekday."""
    evidence = [e for v in conflict.variants for e in v.evidence]
    month_day = _event_date(days_written, evidence)
    sides = []
    for variant in conflict.variants:
        weekday = variant.value.casefold()
        sources = set(variant.sources) | _titles_saying(articles, weekday, conflict, story, title_days)
        clues = []
        if month_day:
            month, day = month_day
            for year in range(latest - _WEEKDAY_YEARS_BACK, latest + 1):
                if _weekday_of(year, month, day) == weekday:
                    clues.append(_Clue("", year, _WEEKDAY_WEIGHT,
                                       f"{MONTH_NAMES[month - 1].capitalize()} {day} fell on a {variant.value} in {year}"))
        sides.append(_Side(variant.value, frozenset(sources), tuple(clues), variant.evidence))
    return sides


def _may_involve(conflict: Discrepancy, anchored: set[str], title_days: dict[str, frozenset[str]]) -> bool:
    """Whether a dated source could take part in a weekday conflict: it gives one of the
    weekdays, in its text or in its headline (a side's sources are no more than these)."""
    if any(set(v.sources) & anchored for v in conflict.variants):
        return True
    weekdays = {v.value.casefold() for v in conflict.variants}
    return any(weekdays & title_days.get(source, frozenset()) for source in anchored)


def _titles_saying(articles: Sequence[Article], weekday: str, conflict: Discrepancy, story: Story,
                   title_days: dict[str, frozenset[str]]) -> set[str]:
    """Sources of the same story whose headline, not their body, gives the weekday (a lead
    moved into the title)."""
    named = {s for v in conflict.variants for s in v.sources}
    candidates = [a.id for a in articles if a.id not in named and weekday in title_days.get(a.id, ())]
    story.prefetch((source, other) for source in candidates for other in named)
    return {source for source in candidates if story.shared(source, named)}


def _title_weekdays(articles: Sequence[Article]) -> dict[str, frozenset[str]]:
    """The weekdays each English headline gives, read once for all conflicts."""
    return {a.id: _headline_weekdays(a.title) for a in articles if a.is_english}


# Headlines whose weekdays are remembered: every rebuild asks about every headline, and few change.
_HEADLINES_REMEMBERED = 16384


@lru_cache(maxsize=_HEADLINES_REMEMBERED)
def _headline_weekdays(title: str) -> frozenset[str]:
    return frozenset(f.value for f in extract_facts(title) if f.kind == "weekday")


def _days_by_paragraph(alignment: Alignment) -> dict[tuple[str, int], list[tuple[int, int]]]:
    """(source, paragraph) -> the calendar days (month, day) its sentences write, read once for
    all weekday conflicts."""
    days: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for statement, fact in alignment.facts_of_kind("date"):
        days[(statement.source, statement.paragraph)].append(tuple(fact.value[-2:]))
    return days


def _event_date(days_written: dict[tuple[str, int], list[tuple[int, int]]],
                evidence: Sequence[Evidence]) -> tuple[int, int] | None:
    """The calendar day (month, day) written next to the weekday: same or neighbouring paragraph."""
    near = {(e.source, e.paragraph + shift) for e in evidence for shift in (-1, 0, 1)}
    days: Counter[tuple[int, int]] = Counter()
    for paragraph in near:
        days.update(days_written.get(paragraph, ()))
    if not days:
        return None
    return min(days, key=lambda d: (-days[d], d))


def _weekday_of(year: int, month: int, day: int) -> str | None:
    try:
        return WEEKDAY_NAMES[dt.date(year, month, day).weekday()]
    except ValueError:
        return None


# --- occasions --------------------------------------------------------------------------

def _occasions(clues: list[_Clue], sides: list[_Side]) -> list[tuple[int, set[str], list[str]]]:
    """(year, sources, evidence) per occasion; none unless some source dates its occasion by
    more than a weekday (a weekday alone fits a year in every five or six)."""
    by_source: dict[str, list[_Clue]] = defaultdict(list)
    for clue in clues:
        by_source[clue.source].append(clue)
    occasions = []
    unanchored = []
    for side in sides:
        anchored = [c for s in sorted(side.sources) for c in by_source.get(s, [])]
        if not anchored:
            unanchored.append(side)
            continue
        tally = _tally(side.clues + tuple(anchored))
        year = max({c.year for c in anchored}, key=lambda y: (tally[y], y))
        reasons = [c.evidence for c in side.clues + tuple(anchored) if c.year == year]
        occasions.append((year, set(side.sources), [_weekday_evidence(side)] + reasons))
    placed = {s for side in sides for s in side.sources}
    for source in sorted(set(by_source) - placed):
        tally = _tally(by_source[source])
        year = max(tally, key=lambda y: (tally[y], y))
        occasions.append((year, {source}, [c.evidence for c in by_source[source] if c.year == year]))
    if not occasions:
        return []
    anchors = [year for year, _, _ in occasions]
    for side in unanchored:
        fitting = [c for c in side.clues if c.year not in anchors]
        if fitting:
            # the year fitting the weekday nearest the dated occasions: reports of one story
            # cover occasions close together
            best = min(fitting, key=lambda c: (min(abs(c.year - a) for a in anchors), -c.year))
            occasions.append((best.year, set(side.sources), [_weekday_evidence(side), best.evidence]))
    return _merge_same_year(occasions)


def _tally(clues) -> Counter[int]:
    tally: Counter[int] = Counter()
    for clue in clues:
        tally[clue.year] += clue.weight
    return tally


def _weekday_evidence(side: _Side) -> str:
    in_text = sorted({e.source for e in side.paragraphs})
    in_title = sorted(side.sources - set(in_text))
    said = f"{', '.join(in_text)} {'gives' if len(in_text) == 1 else 'give'} the weekday as {side.weekday}"
    if in_title:
        said += f" ({', '.join(in_title)} in {'its headline' if len(in_title) == 1 else 'their headlines'})"
    return said


def _merge_same_year(occasions):
    merged: dict[int, tuple[int, set[str], list[str]]] = {}
    for year, sources, evidence in occasions:
        if year in merged:
            merged[year][1].update(sources)
            merged[year][2].extend(e for e in evidence if e not in merged[year][2])
        else:
            merged[year] = (year, set(sources), list(dict.fromkeys(evidence)))
    return list(merged.values())


def _add_unclued(articles, story: Story, occasions):
    """A source of the story with no clue of its own joins the occasion whose dated sources
    its wording is most alike, when clearly more alike than to the others."""
    dated = [(year, frozenset(sources)) for year, sources, _ in occasions]
    sources_of = dict(dated)
    placed = {s for _, sources in dated for s in sources}
    for article in articles:
        if article.id in placed:
            continue
        means = sorted(((story.mean(article.id, sources), year) for year, sources in dated), reverse=True)
        (best, best_year), (second, _) = means[0], means[1]
        if story.shared(article.id, sources_of[best_year]) and best - second >= _MIN_SIMILARITY_MARGIN:
            for year, sources, evidence in occasions:
                if year == best_year:
                    members = ", ".join(sorted(next(m for y, m in dated if y == year)))
                    evidence.append(
                        f"{article.id} gives no date of its own; its wording is closest to "
                        f"{members} (mean similarity {best:.2f} against {second:.2f})"
                    )
                    sources.add(article.id)
    return occasions


# --- discrepancies ----------------------------------------------------------------------

def _year_discrepancies(articles, occasions, clues: list[_Clue], sides: list[_Side]) -> tuple[Discrepancy, ...]:
    evidence_of = _clue_paragraphs(clues, sides)
    variants = tuple(
        Variant(
            f"{year} (inferred)",
            tuple(sorted(sources)),
            tuple(sorted({e for s in sources for e in evidence_of.get((s, year), ())}, key=lambda e: (e.source, e.paragraph))),
        )
        for year, sources, _ in sorted(occasions, key=lambda o: (-len(o[1]), -o[0]))
    )
    found = [Discrepancy("occasion-year", "Year of the occasion reported (inferred: the sources cover different occasions)",
                         variants, "occasion", _YEAR_SCORE)]
    year_of = {s: year for year, sources, _ in occasions for s in sources}
    for article in articles:
        year = year_of.get(article.id)
        if article.date and year and int(article.date[:4]) - year >= _LATE_PUBLICATION_YEARS + 1:
            found.append(Discrepancy(
                f"publication-date-{article.id}",
                f"Publication date of {article.id} against the year of the events it reports",
                (
                    Variant(f"{article.date} (publication date)", (article.id,), (Evidence(article.id, 0),)),
                    Variant(f"{year} (year of the events reported, inferred)", (article.id,),
                            tuple(sorted(evidence_of.get((article.id, year), ()), key=lambda e: e.paragraph))),
                ),
                "date",
                _PUBLICATION_SCORE,
            ))
    return tuple(found)


def _clue_paragraphs(clues: list[_Clue], sides: list[_Side]) -> dict[tuple[str, int], set[Evidence]]:
    out: dict[tuple[str, int], set[Evidence]] = defaultdict(set)
    for clue in clues:
        if clue.paragraph is not None:
            out[(clue.source, clue.year)].add(Evidence(clue.source, clue.paragraph))
    for side in sides:
        for clue in side.clues:
            for evidence in side.paragraphs:
                out[(evidence.source, clue.year)].add(evidence)
    return out
