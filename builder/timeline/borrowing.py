"""The reference an undated article shares with others, as the comparison tells: a near-copy
the day of its dated copy, a report of an occasion the "now" of a dated report of it (else the
occasion's year), any other article the reference of the most alike dated article."""
from __future__ import annotations

import logging
from typing import Sequence

from ..dates import Reference
from ..model import Article, Comparison, SourceGroup

log = logging.getLogger(__name__)

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


def borrowed_references(articles: Sequence[Article], own: dict[str, Reference],
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
    """The comparison's similarity of two sources: its matrix while the dossier has one, else
    (above DENSE_SIMILARITY_LIMIT sources) its neighbour lists, as `Similarity.score` reads them."""

    def __init__(self, comparison: Comparison) -> None:
        self._score = comparison.similarity.score

    def __call__(self, a: str, b: str) -> float:
        return self._score(a, b)

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
