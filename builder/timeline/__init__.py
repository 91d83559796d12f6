"""Timeline stage: every dated event the sources mention, merged across sources.

Dates are found by `builder.dates` (regexes over the cleaned paragraphs; no second NLP pass).
Absolute dates ("15 August 2023", "1950-1953", "2019") stand on their own. Partial and
relative ones ("July 27", "last July", "on Monday", "last year") are resolved against the
article's reference point (`references`) and marked `inferred`:

1. the publication date, when the article has one;
2. otherwise what the text itself implies: an anniversary ("the 70th anniversary of the
   1953 armistice" puts the story in 2023);
3. otherwise what the comparison says (`borrowing`): a near-copy of a dated article shares its
   day; a report of an occasion (`comparison.groups`) shares the "now" of a dated report of the
   same occasion, else the occasion's year; any other article takes the reference of the most
   alike dated article (`comparison.similarity`) when it is clearly the closest;
4. or the latest full date the text states when that is later.

A stated publication date also yields to an anniversary that puts the story years earlier:
scraped pages often carry the date they were republished, not written. Datelines date the
report, not an event (`datelines`). Each date is kept with the clause that tells its event
(`statements`); mentions of one event and date across sources become one entry, and entries
telling one event with incompatible dates share a conflict id (`merging`).

Each article's dated statements depend only on its own text, date and reference, so a rebuild
keeps them between builds (`memo`, keyed by a digest of exactly those): only the edited source
is read again. The work across sources is cut into pieces that each read a few mentions
(the weekdays of one day, the mentions of one date, the clauses listed under one word for
conflicts), and `memo` keeps each piece's answer while what it reads stays as it was.

The one public function is `build_timeline`.
"""
from __future__ import annotations

import logging
from typing import Sequence

from ..cache import Memo, no_memo, paragraphs_digest
from ..dates import Reference
from ..model import Article, Comparison, Glossary, TimelineEntry
from .conflicts import chronological, date_told, mark_conflicts
from .merging import merge_events_with, reconcile_weekdays
from .references import references
from .statements import dated_statements

__all__ = ["build_timeline"]

log = logging.getLogger(__name__)


def build_timeline(articles: Sequence[Article], glossary: Glossary, comparison: Comparison,
                   memo: Memo = no_memo) -> tuple[TimelineEntry, ...]:
    """Every dated event in the articles, one entry per event and date, sorted chronologically.
    `comparison` says which articles are alike, copies, or reports of one occasion; `memo`
    keeps each article's dated statements between builds.

    Chronological order (oldest first, a coarse date before the finer dates inside it, so
    "2022" precedes "2022-02-24") because a reader who does not know the story needs the
    background before the latest turn; the newest events are one jump away at the end.
    """
    ordered = sorted(articles, key=lambda a: a.id)
    now = references(ordered, comparison)
    keys = [_statements_key(article, now.get(article.id)) for article in ordered]
    per_article = memo("timeline statements", keys, lambda i: dated_statements(ordered[i], now.get(ordered[i].id)))
    found = [item for statements in per_article for item in statements]
    # Each mention's tag: its article's key and its place among the article's statements,
    # which is all the mention holds (the key covers everything `dated_statements` reads).
    tags = [f"{key}:{place}" for key, statements in zip(keys, per_article) for place in range(len(statements))]
    settled = reconcile_weekdays(found, memo, tags)
    merged, told_by_date = merge_events_with(settled, date_told, memo, tags)
    entries = mark_conflicts(merged, told_by_date, memo)
    log.debug("timeline: %d entries from %d date mentions", len(entries), len(found))
    return tuple(sorted(entries, key=chronological))


def _statements_key(article: Article, reference: Reference | None) -> str:
    """Everything `dated_statements` reads: the article's id (each statement names its
    source), its stated date, its paragraphs and the reference its dates are resolved against."""
    return paragraphs_digest(article.paragraphs, head=repr((article.id, article.date, reference)))
