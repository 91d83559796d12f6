"""Compare the sources of one dossier: shared quotations, discrepancies, unique claims,
corroboration, similarity, near-copies and different occasions.

The one public function is `compare_sources`; each module of the package does one job.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from typing import Sequence

from ..cache import Memo, no_memo
from ..model import Article, Comparison, Discrepancy, Glossary, SourceGroup
from ..text import UniqueIds
from .align import Alignment, align_statements
from .claims import corroborate
from .discrepancies import find_discrepancies
from .names import name_discrepancies
from .occasions import find_occasions
from .quotes import group_quotations
from .similarity import compare_whole_sources
from .story import Story

__all__ = ["compare_sources"]

log = logging.getLogger(__name__)


def compare_sources(articles: Sequence[Article], glossary: Glossary, memo: Memo = no_memo) -> Comparison:
    """Compare every source with the others (see builder/model.py: Comparison).

    memo: keeps each source's reading (its sentences' stems and facts, its statements, its
    words) and what the facts of each source offer the later sources it aligns with (links.py)
    between builds (`builder.cache`)."""
    articles = tuple(articles)
    alignment = align_statements(articles, glossary, memo)
    similarity, near_copies, cosines = compare_whole_sources(articles, memo)
    quotes = group_quotations(articles, glossary, alignment, memo)
    corroboration, unique_claims = corroborate(articles, alignment, near_copies, quotes, memo)
    story = Story(similarity, cosines)
    discrepancies, occasions = _differences(articles, glossary, alignment, story, memo)
    log.debug("compared %d sources: %d statements, %d aligned pairs, %d quotations",
              len(articles), len(alignment.statements), len(alignment.pairs), len(quotes))
    return Comparison(
        quotes=quotes,
        discrepancies=discrepancies,
        unique_claims=unique_claims,
        similarity=similarity,
        corroboration=corroboration,
        groups=near_copies + occasions,
    )


def _differences(articles: tuple[Article, ...], glossary: Glossary, alignment: Alignment, story: Story,
                 memo: Memo) -> tuple[tuple[Discrepancy, ...], tuple[SourceGroup, ...]]:
    """The discrepancies (of facts, of names, of occasions) and the occasion groups.

    Kept whole between builds (early cutoff: an edit that changes no text the comparison reads,
    a fixed scrape whose lines cleaning drops anyway, leaves them as they were), keyed by all
    they read: the alignment (its digest covers every source's id, date, language, paragraphs
    and entity spans, hence every mention's text); the story, a function of the sources' ids,
    languages and paragraphs (compare_whole_sources), which that digest covers too; of the
    glossary the names, types and variant spellings besides the spans; of the articles their
    titles (occasions read weekdays in headlines)."""
    def compute(_: int) -> tuple[tuple[Discrepancy, ...], tuple[SourceGroup, ...]]:
        return _find_differences(articles, glossary, alignment, story, memo)

    if memo is no_memo or not alignment.digest:
        return compute(0)
    entities = repr(tuple((e.id, e.name, e.type, e.variant_spellings) for e in glossary.entities))
    titles = repr(tuple((a.id, a.title) for a in articles))
    key = hashlib.sha256(f"{alignment.digest}\0{entities}\0{titles}".encode("utf-8", "surrogatepass")).hexdigest()
    return memo("discrepancies and occasions", [key], compute, fills=True)[0]


def _find_differences(articles: tuple[Article, ...], glossary: Glossary, alignment: Alignment, story: Story,
                      memo: Memo) -> tuple[tuple[Discrepancy, ...], tuple[SourceGroup, ...]]:
    names = {entity.id: entity.name for entity in glossary.entities}
    found = _ranked(find_discrepancies(alignment, names, story, memo) + name_discrepancies(glossary, alignment))
    weekdays = tuple(d for d in found if d.kind == "weekday")
    occasions, explained = find_occasions(articles, alignment, story, weekdays)
    return _ranked(_note_occasions(found, occasions) + explained), occasions


def _ranked(found: Sequence[Discrepancy]) -> tuple[Discrepancy, ...]:
    """Clearest conflict first; identifiers made unique in that order."""
    ordered = sorted(found, key=lambda d: (-d.score, d.id, d.about))
    unique = UniqueIds()
    return tuple(replace(discrepancy, id=unique(discrepancy.id)) for discrepancy in ordered)


def _note_occasions(found: Sequence[Discrepancy], occasions: Sequence[SourceGroup]) -> tuple[Discrepancy, ...]:
    """Say so where a difference lines up with different occasions: then it is no error."""
    occasion_of = {source: group.label for group in occasions for source in group.sources}
    year_of = {source: group.year for group in occasions for source in group.sources}
    out = []
    for discrepancy in found:
        labels = [{occasion_of.get(s) for s in v.sources} for v in discrepancy.variants]
        if all(len(ls) == 1 and None not in ls for ls in labels) and len(set().union(*labels)) == len(labels) > 1:
            years = ", ".join(str(year) for year in sorted({year_of[s] for v in discrepancy.variants for s in v.sources},
                                                           reverse=True))
            discrepancy = replace(discrepancy, about=f"{discrepancy.about}; the sources report different occasions ({years})")
        out.append(discrepancy)
    return tuple(out)
