"""Compare the sources of one dossier: shared quotations, discrepancies, unique claims,
corroboration, similarity, near-copies and different occasions.

The one public function is `compare_sources`; each module of the package does one job.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from typing import Sequence

from ..model import Article, Comparison, Discrepancy, Glossary
from .align import align_statements
from .claims import corroborate
from .discrepancies import find_discrepancies
from .names import name_discrepancies
from .occasions import find_occasions
from .quotes import group_quotations
from .similarity import compare_whole_sources

__all__ = ["compare_sources"]

log = logging.getLogger(__name__)


def compare_sources(articles: Sequence[Article], glossary: Glossary) -> Comparison:
    """Compare every source with the others (see builder/model.py: Comparison)."""
    articles = tuple(articles)
    alignment = align_statements(articles, glossary)
    similarity, near_copies = compare_whole_sources(articles)
    quotes = group_quotations(articles, glossary, alignment)
    corroboration, unique_claims = corroborate(articles, alignment, near_copies)
    names = {entity.id: entity.name for entity in glossary.entities}
    found = _ranked(find_discrepancies(alignment, names) + name_discrepancies(glossary))
    weekdays = tuple(d for d in found if d.kind == "weekday")
    occasions, explained = find_occasions(articles, alignment, similarity, weekdays)
    discrepancies = _ranked(found + explained)
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


def _ranked(found: Sequence[Discrepancy]) -> tuple[Discrepancy, ...]:
    """Clearest conflict first; identifiers made unique in that order."""
    ordered = sorted(found, key=lambda d: (-d.score, d.id, d.about))
    used: set[str] = set()
    out = []
    for discrepancy in ordered:
        identifier, n = discrepancy.id, 2
        while identifier in used:
            identifier, n = f"{discrepancy.id}-{n}", n + 1
        used.add(identifier)
        out.append(replace(discrepancy, id=identifier))
    return tuple(out)
