"""Which sources tell the same story: a small view on the similarity that keeps the sources of
another story (an unrelated file in the folder) out of occasion groups and out of loose fact
links.

The similarity record keeps every pair only up to DENSE_SIMILARITY_LIMIT sources; above, only
each source's nearest neighbours, and a pair in neither list would read 0.0. A mean over many
"others" would then fall with the size of the dossier (most pairs of one story are nobody's
top twenty among thousands of its reports), and sources of one story would stop counting as
such. So above that size the pairs asked about are computed from the tf-idf rows, with the
very values the matrix would hold, and the answer does not depend on how many sources there
are. A caller asking about many pairs says so first (`prefetch`): they are computed in one batch.
"""
from __future__ import annotations

from typing import Iterable, Protocol, Sequence

from ..model import Similarity

# Sources less alike than this (mean similarity) are not of the same story: reports of one
# story share a tenth or more of their weighted vocabulary, different stories a few hundredths.
_SAME_STORY = 0.1


class PairSimilarity(Protocol):
    def pairs(self, pairs: Sequence[tuple[str, str]]) -> list[float]: ...


class Story:
    def __init__(self, similarity: Similarity, cosines: PairSimilarity | None = None) -> None:
        self._similarity = similarity
        self._known = frozenset(similarity.sources)
        self._cosines = cosines if not similarity.matrix else None
        # asked pair -> value: links ask about the same pairs of sources many times
        self._cache: dict[tuple[str, str], float] = {}

    def mean(self, source: str, others: Iterable[str]) -> float:
        """Mean similarity of a source to other sources (0.0 when unknown)."""
        if source not in self._known:
            return 0.0
        # sorted: the same order of additions whatever order (a set's) the others came in
        others = sorted(o for o in others if o in self._known)
        self.prefetch((source, other) for other in others)
        cells = [self._score(source, other) for other in others]
        return sum(cells) / len(cells) if cells else 0.0

    def shared(self, source: str, others: Iterable[str]) -> bool:
        """Whether a source tells the same story as the others (on average)."""
        return self.mean(source, others) >= _SAME_STORY

    def shared_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[bool]:
        """shared(a, [b]) of each pair (a, b), asked at once: a source and one other tell the
        same story when their similarity reaches the mean shared() asks of many."""
        self.prefetch(pairs)
        known = self._known
        return [a in known and b in known and self._score(a, b) >= _SAME_STORY for a, b in pairs]

    def prefetch(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Work out the similarity of these pairs at once (one batch instead of one by one)."""
        if self._cosines is None:
            return
        missing = sorted({(a, b) for a, b in pairs if (a, b) not in self._cache and a in self._known and b in self._known})
        for (a, b), value in zip(missing, self._cosines.pairs(missing)):
            self._cache[(a, b)] = self._cache[(b, a)] = value

    def _score(self, source: str, other: str) -> float:
        if self._cosines is None:
            return self._similarity.score(source, other)
        return self._cache[(source, other)]
