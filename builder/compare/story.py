"""Which sources tell the same story: a small view on the similarity that keeps the sources of
another story (an unrelated file in the folder) out of occasion groups and out of loose fact
links.

The similarity record keeps every pair only up to DENSE_SIMILARITY_LIMIT sources; above, only
each source's nearest neighbours, and a pair in neither list would read 0.0. A mean over many
"others" would then fall with the size of the dossier (most pairs of one story are nobody's
top twenty among thousands of its reports), and sources of one story would stop counting as
such. So above that size the pairs are computed when asked, with the very values the matrix
would hold (`between`), and the answer does not depend on how many sources there are.
"""
from __future__ import annotations

from typing import Callable, Iterable, Sequence

from ..model import Similarity

# Sources less alike than this (mean similarity) are not of the same story: reports of one
# story share a tenth or more of their weighted vocabulary, different stories a few hundredths.
_SAME_STORY = 0.1


class Story:
    def __init__(self, similarity: Similarity,
                 between: Callable[[str, Sequence[str]], list[float]] | None = None) -> None:
        self._similarity = similarity
        self._known = frozenset(similarity.sources)
        self._between = between
        # asked pair -> value: links ask about the same pairs of sources many times
        self._cache: dict[tuple[str, str], float] = {}

    def mean(self, source: str, others: Iterable[str]) -> float:
        """Mean similarity of a source to other sources (0.0 when unknown)."""
        if source not in self._known:
            return 0.0
        # sorted: the same order of additions whatever order (a set's) the others came in
        cells = self._scores(source, sorted(o for o in others if o in self._known))
        return sum(cells) / len(cells) if cells else 0.0

    def shared(self, source: str, others: Iterable[str]) -> bool:
        """Whether a source tells the same story as the others (on average)."""
        return self.mean(source, others) >= _SAME_STORY

    def _scores(self, source: str, others: list[str]) -> list[float]:
        if self._similarity.matrix or self._between is None:
            return [self._similarity.score(source, other) for other in others]
        missing = sorted({o for o in others if (source, o) not in self._cache})
        for other, value in zip(missing, self._between(source, missing)):
            self._cache[(source, other)] = self._cache[(other, source)] = value
        return [self._cache[(source, other)] for other in others]
