"""Which sources tell the same story: a small view on the similarity matrix that keeps the
sources of another story (an unrelated file in the folder) out of occasion groups and out of
loose fact links."""
from __future__ import annotations

from typing import Iterable

from ..model import Similarity

# Sources less alike than this (mean similarity) are not of the same story: reports of one
# story share a tenth or more of their weighted vocabulary, different stories a few hundredths.
_SAME_STORY = 0.1


class Story:
    def __init__(self, similarity: Similarity) -> None:
        self._index = {source: i for i, source in enumerate(similarity.sources)}
        self._matrix = similarity.matrix

    def mean(self, source: str, others: Iterable[str]) -> float:
        """Mean similarity of a source to other sources (0.0 when unknown)."""
        row = self._index.get(source)
        if row is None:
            return 0.0
        cells = [self._matrix[row][self._index[o]] for o in others if o in self._index]
        return sum(cells) / len(cells) if cells else 0.0

    def shared(self, source: str, others: Iterable[str]) -> bool:
        """Whether a source tells the same story as the others (on average)."""
        return self.mean(source, others) >= _SAME_STORY
