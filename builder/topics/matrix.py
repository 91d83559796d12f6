"""The paragraph-term matrix, stored sparse: a dossier of 100,000 paragraphs uses hundreds of
thousands of terms, but each paragraph only a hundred or so of them, so a dense matrix would
need tens of gigabytes where the non-zero weights need tens of megabytes.

Compressed rows (CSR) in plain numpy: row `r`'s weights are `data[indptr[r]:indptr[r + 1]]` in
the columns `indices[...]`, columns ascending. Sums over rows add them in row order, as numpy's
column sums of the dense matrix do, so small dossiers get the figures they always got.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import scipy.sparse


# `column_groups` marks the (group, column) pairs in a table of booleans while it has at most
# this many cells (16 MB): a few milliseconds, where finding the distinct pairs by hashing took
# several per topic. Beyond it (many groups over a large vocabulary) the pairs are hashed.
_MARKED_PAIRS = 1 << 24


class TermMatrix:
    """Row-normalised paragraph-term weights; rows are units, columns `vocabulary`."""

    __slots__ = ("indptr", "indices", "data", "vocabulary")

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, vocabulary: list[str]) -> None:
        self.indptr, self.indices, self.data, self.vocabulary = indptr, indices, data, vocabulary

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.indptr) - 1, len(self.vocabulary)

    def has_terms(self, row: int) -> bool:
        return bool(self.indptr[row + 1] > self.indptr[row])

    def dense(self, rows: Sequence[int], columns: np.ndarray | None = None) -> np.ndarray:
        """The rows as a dense array, over all columns or only `columns` (ascending indexes)."""
        positions, row_of, cols, width = self._selected(rows, columns)
        out = np.zeros((len(rows), width))
        out[row_of, cols] = self.data[positions]
        return out

    def sparse(self, rows: Sequence[int], columns: np.ndarray | None = None) -> scipy.sparse.csr_matrix:
        """The rows as a scipy CSR matrix, over all columns or only `columns` (ascending
        indexes): what `dense` gives, without the zeros."""
        positions, row_of, cols, width = self._selected(rows, columns)
        pointers = np.concatenate(([0], np.cumsum(np.bincount(row_of, minlength=len(rows)))))
        return scipy.sparse.csr_matrix((self.data[positions], cols, pointers), shape=(len(rows), width))

    def _selected(self, rows: Sequence[int], columns: np.ndarray | None):
        """(positions in data, row of each, its column renumbered within `columns`, width) of the
        rows' entries, those outside `columns` left out."""
        positions, row_of = self._entries(rows)
        cols = self.indices[positions]
        if columns is None:
            return positions, row_of, cols, self.shape[1]
        remap = np.full(self.shape[1], -1, dtype=np.int64)
        remap[columns] = np.arange(len(columns))
        cols = remap[cols]
        keep = cols >= 0
        return positions[keep], row_of[keep], cols[keep], len(columns)

    def column_sums(self, rows: Sequence[int]) -> np.ndarray:
        """Sum of the rows' weights per column, added in row order."""
        positions = self._positions(rows)
        return np.bincount(self.indices[positions], weights=self.data[positions], minlength=self.shape[1])

    def split_column_sums(self, rows: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """`column_sums` of the rows (ascending) and of every other row, in one pass over the
        entries: each sum still adds its rows' weights in row order (`np.bincount` adds in the
        order it is given), so both are the very floats the two separate sums give."""
        width = self.shape[1]
        inside = np.zeros(len(self.indptr) - 1, dtype=np.int64)
        inside[np.asarray(rows, dtype=np.int64)] = width
        sums = np.bincount(np.repeat(inside, np.diff(self.indptr)) + self.indices, weights=self.data, minlength=2 * width)
        return sums[width:], sums[:width]

    def column_counts(self, rows: Sequence[int]) -> np.ndarray:
        """How many of the rows use each column."""
        positions = self._positions(rows)
        return np.bincount(self.indices[positions], minlength=self.shape[1])

    def column_groups(self, rows: Sequence[int], groups: Sequence[int]) -> np.ndarray:
        """How many distinct groups (row `rows[i]` is in group `groups[i]`) use each column."""
        positions, row_of = self._entries(rows)
        group_of = np.asarray(groups, dtype=np.int64)[row_of]
        width = self.shape[1]
        pairs = group_of * width + self.indices[positions]
        if not len(pairs):
            return np.zeros(width, dtype=np.int64)
        size = (int(group_of.max()) + 1) * width
        if size <= _MARKED_PAIRS:     # each (group, column) marked once: cheaper than finding the distinct pairs
            marked = np.zeros(size, dtype=bool)
            marked[pairs] = True
            return marked.reshape(-1, width).sum(axis=0, dtype=np.int64)
        pairs = np.unique(pairs)
        return np.bincount(pairs % width, minlength=width)

    def dots(self, row: int, vectors: np.ndarray) -> np.ndarray:
        """Row `row` times each row of `vectors` (dense, one per column of the matrix)."""
        start, end = self.indptr[row], self.indptr[row + 1]
        return vectors[:, self.indices[start:end]] @ self.data[start:end]

    def _positions(self, rows: Sequence[int]) -> np.ndarray:
        """Positions in `data` of the rows' entries, row by row in the order given (`_entries`'s
        first half; for rows in ascending order, found by a mask over the entries instead)."""
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) < 2 or not (rows[1:] > rows[:-1]).all():
            return self._entries(rows)[0]
        chosen = np.zeros(len(self.indptr) - 1, dtype=bool)
        chosen[rows] = True
        return np.flatnonzero(np.repeat(chosen, np.diff(self.indptr)))

    def _entries(self, rows: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """Positions in `data` of the rows' entries (row by row, in the order given) and, for
        each, the index in `rows` it came from."""
        rows = np.asarray(rows, dtype=np.int64)
        starts = self.indptr[rows]
        lengths = self.indptr[rows + 1] - starts
        total = int(lengths.sum())
        row_of = np.repeat(np.arange(len(rows)), lengths)
        offsets = np.cumsum(lengths) - lengths
        positions = np.arange(total) - np.repeat(offsets, lengths) + np.repeat(starts, lengths)
        return positions, row_of
