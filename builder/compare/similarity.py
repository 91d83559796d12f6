"""How alike whole sources are: tf-idf cosine of every pair, kept whole for a small dossier and
as each source's nearest neighbours for every size; and the near-copies (one wire story run by
several outlets), found through shared word shingles.

The cosines come from sparse tf-idf rows multiplied in blocks of rows (never a Python loop over
pairs); words used by many sources go through a dense product, where a sparse one would pay
for every pair of sources sharing them one by one. Near-copies are looked for only among
candidate pairs (each source's nearest neighbours, and sources sharing a rare shingle), then
checked on their exact shingle share.
"""
from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, combinations
from typing import Sequence

import numpy as np
from scipy import sparse

from ..cache import Memo, no_memo, paragraphs_digest
from ..model import DENSE_SIMILARITY_LIMIT, SIMILARITY_NEIGHBOURS, Article, Similarity, SourceGroup
from ..text import words
from .components import connected_components
from .index import distinct
from .text import content_stems

# Runs of this many words: long enough that two outlets writing independently rarely share
# one, short enough that light copy-editing of a wire story leaves most of them intact.
_SHINGLE_WORDS = 5
# Share of the shorter source's shingles found in the other above which the two are copies of
# one text; rewritten reports of one event share well under a fifth.
_NEAR_COPY = 0.5
# Matrix values are rounded so that the exported JSON is byte-stable across platforms.
_DIGITS = 3
_SCALE = 10**_DIGITS
# Rows of the similarity computed at once: 256 rows of 10,000 sources are ~20 MB per array,
# small enough to keep the peak low and large enough that numpy, not Python, does the work.
_BLOCK_ROWS = 256
# A term used by more than this share of the sources goes through the dense product: a sparse
# product pays for every pair of sources sharing a term one multiplication at a time, the
# dense (BLAS) one some tens of times faster per pair; past ~1/8 of the sources the dense
# column is cheaper.
_DENSE_TERM_SHARE = 1 / 8
# Pairs of sources whose common runs are compared at once: bounded so the rows gathered for
# them stay some tens of megabytes at 10,000 sources.
_PAIRS_AT_ONCE = 8192
# An odd 64-bit constant (from the golden ratio) mixing the word numbers of a run into one hash.
_HASH_MULTIPLIER = 0x9E3779B97F4A7C15
# What pads a text shorter than a run (a number no word's hash is expected to be).
_PAD_HASH = 0xFFFFFFFFFFFFFFFF
# A shingle in more sources than this proposes no candidate pair of near-copies (a stock phrase
# of the genre, "said in a statement on Monday"): a pair of copies shares rarer runs too, and
# copies of one text in more outlets than this are each other's nearest neighbours anyway.
_MAX_SHINGLE_SOURCES = 50


def compare_whole_sources(articles: Sequence[Article], memo: Memo = no_memo,
                          ) -> tuple[Similarity, tuple[SourceGroup, ...], "Cosines"]:
    """The similarity record, the near-copy groups, and the similarity of any pair on demand
    (the same rounded values as the matrix, at any size: above DENSE_SIMILARITY_LIMIT the record
    keeps only each source's nearest neighbours). memo: keeps each source's words between builds."""
    ids = tuple(article.id for article in articles)
    # a pure function of the source's text and language: kept by exactly those
    lanes = _WordLanes()      # shared by the sources read afresh in this build
    # (the paragraphs digested length-prefixed: cheaper than their repr, which escapes)
    read = memo("source vocabulary", [paragraphs_digest(a.paragraphs, repr(a.is_english)) for a in articles],
                lambda i: _source_words(articles[i], lanes))
    cosines = Cosines(ids, *_tfidf_rows(read))
    keep_matrix = len(ids) <= DENSE_SIMILARITY_LIMIT
    matrix, neighbours = _similarities(cosines, keep_matrix)
    named = tuple(tuple((ids[j], value) for j, value in row) for row in neighbours)
    similarity = Similarity(ids, matrix if keep_matrix else (), named)
    return similarity, _near_copies(articles, read, neighbours), cosines


@dataclass(frozen=True, eq=False)
class _Words:
    """What the comparison of whole sources reads of one source, ready for arrays."""

    terms: tuple[str, ...]          # its distinct content stems, sorted
    counts: np.ndarray              # how often it uses each of `terms`
    first_used: np.ndarray          # positions in `terms` in the order the source first uses them
    runs: np.ndarray                # its distinct word runs, as 128-bit hashes: rows of two uint64 lanes


def _source_words(article: Article, lanes: "_WordLanes") -> _Words:
    text = " ".join(article.paragraphs)
    counted = Counter(content_stems(text, article.is_english))
    terms = tuple(sorted(counted))
    position = {term: i for i, term in enumerate(terms)}
    return _Words(terms, np.array([counted[t] for t in terms], dtype=np.int64),
                  np.array([position[t] for t in counted], dtype=np.int64), _run_hashes(lanes.of(words(text))))


class _WordLanes:
    """Two independent 64-bit numbers of each word (from its blake2b digest: the same in every
    process, unlike hash()), worked out once per word per build."""

    def __init__(self) -> None:
        self._digests = bytearray()                        # 16 bytes per word, in order met
        self._row: dict[str, int] = _OnDemand(self._add)   # word -> its row in _digests

    def _add(self, word: str) -> int:
        self._digests += hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        return len(self._row)

    def of(self, tokens: Sequence[str]) -> np.ndarray:
        """The tokens' lanes, one row of two uint64 per token."""
        rows = np.fromiter(map(self._row.__getitem__, tokens), dtype=np.int64)
        return np.frombuffer(self._digests, dtype="<u8").reshape(-1, 2)[rows]


def _run_hashes(lanes: np.ndarray) -> np.ndarray:
    """The source's distinct runs of _SHINGLE_WORDS words (a text shorter than a run being one
    run, padded), each as a 128-bit hash of its words' lanes: a run is named by its own words,
    not by numbers given across the dossier, so a source's runs are kept between builds with
    it. Two runs are taken as equal when both lanes are (a chance of 2^-128 per pair of
    different runs, as for the memo's own keys). Sorted by lanes, each once."""
    if not len(lanes):
        return np.zeros((0, 2), dtype=np.uint64)
    if len(lanes) > _SHINGLE_WORDS:
        windows = np.lib.stride_tricks.sliding_window_view(lanes, _SHINGLE_WORDS, axis=0)  # runs x lanes x words
    else:
        padding = np.full((_SHINGLE_WORDS - len(lanes), 2), _PAD_HASH, dtype=np.uint64)
        windows = np.concatenate([lanes, padding]).T[None, :, :]
    hashed = np.zeros(windows.shape[:2], dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in range(_SHINGLE_WORDS):
            hashed = hashed * np.uint64(_HASH_MULTIPLIER) + windows[:, :, column]
        hashed ^= hashed >> np.uint64(29)
    hashed = hashed[np.lexsort((hashed[:, 1], hashed[:, 0]))]
    new = np.ones(len(hashed), dtype=bool)
    new[1:] = (hashed[1:] != hashed[:-1]).any(axis=1)
    return np.ascontiguousarray(hashed[new])


def _tfidf_rows(read: Sequence[_Words]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The tf-idf rows (tf 1 + log n, idf log(1 + sources / sources using the term)) as a sparse
    matrix, columns in sorted term order; and each row's norm, its squares summed one by one in
    the order the source first uses its terms (as a loop over the source's words would: values
    at a rounding boundary then round the same way)."""
    vocabulary = sorted(set().union(*(words_.terms for words_ in read)))
    column = {term: i for i, term in enumerate(vocabulary)}
    lengths = np.array([len(words_.terms) for words_ in read], dtype=np.int64)
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    indices = np.fromiter(map(column.__getitem__, chain.from_iterable(words_.terms for words_ in read)),
                          dtype=np.int64, count=int(indptr[-1]))
    counts = np.concatenate([words_.counts for words_ in read]) if read else np.zeros(0, dtype=np.int64)
    sources_using = np.bincount(indices, minlength=len(vocabulary))
    total = len(read)
    # the same logarithms as for each term, each worked out once per value
    idf = np.array([0.0] + [math.log(1 + total / n) for n in range(1, total + 1)])
    tf = np.array([0.0] + [1 + math.log(n) for n in range(1, int(counts.max(initial=0)) + 1)])
    data = tf[counts] * idf[sources_using[indices]]
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(total, len(vocabulary)))
    return matrix, _row_norms(data * data, indptr, read)


def _row_norms(squares: np.ndarray, indptr: np.ndarray, read: Sequence[_Words]) -> np.ndarray:
    """sqrt of each row's squares summed left to right in first-use order: the rows padded with
    zeros (adding 0.0 changes no sum) and added up column by column."""
    lengths = np.diff(indptr)
    width = int(lengths.max(initial=0))
    padded = np.zeros((len(read), width))
    if len(squares):
        order = np.concatenate([words_.first_used + start for words_, start in zip(read, indptr[:-1].tolist())])
        rows = np.repeat(np.arange(len(read)), lengths)
        padded[rows, np.arange(len(squares)) - indptr[:-1][rows]] = squares[order]
    total = np.zeros(len(read))
    for column in range(width):
        total += padded[:, column]
    return np.sqrt(total)


class _OnDemand(dict):
    """A dict that fills a missing key with `make(key)`."""

    def __init__(self, make) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key):
        value = self[key] = self._make(key)
        return value


class Cosines:
    """The tf-idf cosine of sources, rounded as the matrix is: for blocks of rows (as
    thousandths, round(value, 3) * 1000 as integers) or for a batch of named pairs."""

    def __init__(self, ids: tuple[str, ...], matrix: sparse.csr_matrix, norms: np.ndarray) -> None:
        self.ids = ids
        self._index = {source: i for i, source in enumerate(ids)}
        self._norms = norms
        self._rare, self._common = _term_matrices(matrix)

    def block(self, rows: slice | list[int], columns: slice | list[int] = slice(None)) -> np.ndarray:
        """Thousandths of rows x columns (a source with itself: 1000)."""
        dots = (self._rare[rows] @ self._rare[columns].T).toarray()
        if self._common is not None:
            dots += self._common[rows] @ self._common[columns].T
        scale = np.outer(self._norms[rows], self._norms[columns])
        with np.errstate(divide="ignore", invalid="ignore"):
            cosine = np.where(scale > 0, dots / np.where(scale > 0, scale, 1.0), 0.0)
        out = _thousandths(np.minimum(cosine, 1.0))
        row_ids = np.arange(len(self.ids))[rows]
        column_ids = np.arange(len(self.ids))[columns]
        out[row_ids[:, None] == column_ids[None, :]] = _SCALE
        return out

    def pairs(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """The similarity of each pair of compared sources, all at once."""
        if not pairs:
            return []
        first = np.array([self._index[a] for a, _ in pairs], dtype=np.int64)
        second = np.array([self._index[b] for _, b in pairs], dtype=np.int64)
        dots = np.asarray(self._rare[first].multiply(self._rare[second]).sum(axis=1), dtype=np.float64).ravel()
        if self._common is not None:
            dots += np.einsum("ij,ij->i", self._common[first], self._common[second])
        scale = self._norms[first] * self._norms[second]
        with np.errstate(divide="ignore", invalid="ignore"):
            cosine = np.where(scale > 0, dots / np.where(scale > 0, scale, 1.0), 0.0)
        out = _thousandths(np.minimum(cosine, 1.0)[None, :])[0]
        out[first == second] = _SCALE
        return (out / _SCALE).tolist()


def _similarities(cosines: Cosines, keep_matrix: bool):
    """The rounded cosine matrix (when kept, as tuples of rows) and, per source, its nearest
    neighbours as (index, value), most alike first, ties by id, zeros and itself left out."""
    ids = cosines.ids
    size = len(ids)
    id_rank = np.empty(size, dtype=np.int64)
    id_rank[sorted(range(size), key=ids.__getitem__)] = np.arange(size)
    rows: list[tuple[float, ...]] = []
    neighbours: list[tuple[tuple[int, float], ...]] = []
    for start in range(0, size, _BLOCK_ROWS):
        stop = min(start + _BLOCK_ROWS, size)
        thousandths = cosines.block(slice(start, stop))
        if keep_matrix:
            rows.extend(tuple((thousandths[r] / _SCALE).tolist()) for r in range(stop - start))
        neighbours.extend(_nearest(thousandths, start, id_rank))
    return tuple(rows), neighbours


def _term_matrices(matrix: sparse.csr_matrix):
    """The tf-idf rows as a sparse matrix of the rarer terms and a dense one of the terms many
    sources use (None when there are none)."""
    rows, columns = matrix.shape
    frequency = np.bincount(matrix.indices, minlength=columns)
    dense_columns = np.flatnonzero(frequency > rows * _DENSE_TERM_SHARE)
    # a small dossier is summed in one sparse product: the same order of additions for every pair
    if rows <= DENSE_SIMILARITY_LIMIT or not len(dense_columns):
        return matrix, None
    sparse_columns = np.flatnonzero(frequency <= rows * _DENSE_TERM_SHARE)
    return matrix[:, sparse_columns].tocsr(), np.ascontiguousarray(matrix[:, dense_columns].toarray())


def _thousandths(values: np.ndarray) -> np.ndarray:
    """round(value, 3) * 1000 as integers, exactly as Python's round: numpy's rounding scales
    first, which can land a value just under a half on the half; those few are redone."""
    scaled = values * _SCALE
    out = np.rint(scaled).astype(np.int64)
    fraction = scaled - np.floor(scaled)
    doubtful = np.abs(fraction - 0.5) < 1e-6
    for r, c in zip(*np.nonzero(doubtful)):
        out[r, c] = round(round(float(values[r, c]), _DIGITS) * _SCALE)
    return out


def _nearest(thousandths: np.ndarray, start: int, id_rank: np.ndarray) -> list[tuple[tuple[int, float], ...]]:
    """Per row, up to SIMILARITY_NEIGHBOURS (index, value): most alike first, then by id."""
    size = thousandths.shape[1]
    # one integer orders by value, then by id: higher is nearer
    keys = thousandths * size + (size - 1 - id_rank)[None, :]
    keys[np.arange(len(keys)), np.arange(start, start + len(keys))] = -1   # not itself
    keep = min(SIMILARITY_NEIGHBOURS, size - 1)
    if keep <= 0:
        return [() for _ in keys]
    chosen = np.argpartition(keys, size - keep, axis=1)[:, size - keep :]
    chosen_keys = np.take_along_axis(keys, chosen, axis=1)
    order = np.argsort(-chosen_keys, axis=1)
    chosen = np.take_along_axis(chosen, order, axis=1)
    # nearest first, so those of a value above 0 are each row's first ones
    above_zero = (np.take_along_axis(chosen_keys, order, axis=1) >= size).sum(axis=1).tolist()
    values = (np.take_along_axis(thousandths, chosen, axis=1) / _SCALE).tolist()
    return [tuple(zip(row[:n], value[:n])) for row, value, n in zip(chosen.tolist(), values, above_zero)]


# --- near-copies ------------------------------------------------------------------------

def _near_copies(articles: Sequence[Article], read: Sequence[_Words], neighbours) -> tuple[SourceGroup, ...]:
    runs = _Shingles(read)
    first, second = runs.rare_pairs()
    near = [(min(i, j), max(i, j)) for i, row in enumerate(neighbours) for j, _ in row]
    if near:
        first = np.concatenate([first, np.array([a for a, _ in near], dtype=np.int64)])
        second = np.concatenate([second, np.array([b for _, b in near], dtype=np.int64)])
    # each candidate pair once (as numbers: a big dossier proposes millions of rare pairs)
    keys = distinct(first * len(articles) + second)
    first, second = keys // len(articles), keys % len(articles)
    copies = runs.copies(first, second)
    # the groups do not depend on the order of the links (each is named by its smallest member)
    links = list(zip(first[copies].tolist(), second[copies].tolist()))
    groups = []
    for indices in connected_components(len(articles), links):
        if len(indices) < 2:
            continue
        # every pair of the group is a copy or not, whether or not it was a candidate
        pairs = list(combinations(indices, 2))
        evidence = {pair: share for pair, share in zip(pairs, runs.shares(pairs)) if share >= _NEAR_COPY}
        lines = tuple(
            f"{articles[a].id} and {articles[b].id} share {share:.0%} of their {_SHINGLE_WORDS}-word runs"
            for (a, b), share in sorted(evidence.items())
        )
        ids = tuple(articles[i].id for i in indices)
        groups.append(SourceGroup("near-copy", f"Near-copies of one text ({len(ids)} sources)", ids, lines))
    return tuple(groups)


class _Shingles:
    """The word runs of every source (text.shingles' runs, a text shorter than a run being one
    run), numbered so that numpy and scipy, not Python sets of tuples, count what two share."""

    def __init__(self, read: Sequence[_Words]) -> None:
        lengths = np.array([len(words_.runs) for words_ in read], dtype=np.int64)
        self.size = len(read)
        self._counts = np.zeros(self.size, dtype=np.int64)                 # runs per source
        self._common_of = np.zeros(self.size, dtype=np.int64)              # common runs per source
        self._common_bits = np.zeros((self.size, 1), dtype=np.uint8)        # which common runs, as bits
        self._rare = sparse.csr_matrix((self.size, 1), dtype=np.int64)
        if not lengths.sum():
            return
        # each source's runs are distinct already: (source, run) is held once
        source = np.repeat(np.arange(self.size), lengths)
        run = _run_numbers(np.concatenate([words_.runs for words_ in read]))
        distinct = int(run.max()) + 1
        self._counts = np.bincount(source, minlength=self.size)
        holders = np.bincount(run, minlength=distinct)[run]                   # sources per run, per item
        rare = (holders > 1) & (holders <= _MAX_SHINGLE_SOURCES)
        self._rare = _incidence(source[rare], run[rare], self.size, distinct)
        common = holders > _MAX_SHINGLE_SOURCES
        self._common_of = np.bincount(source[common], minlength=self.size)
        columns = np.unique(run[common], return_inverse=True)[1].ravel()
        present = np.zeros((self.size, max(int(columns.max()) + 1 if len(columns) else 1, 1)), dtype=bool)
        present[source[common], columns] = True
        self._common_bits = np.packbits(present, axis=1)

    @cached_property
    def _rare_shared(self) -> sparse.coo_matrix:
        """(first, second) -> how many rare runs two sources share, first < second."""
        return sparse.triu(self._rare @ self._rare.T, k=1).tocoo()

    @cached_property
    def _rare_lookup(self) -> tuple[np.ndarray, np.ndarray]:
        keys = self._rare_shared.row.astype(np.int64) * self.size + self._rare_shared.col
        order = np.argsort(keys, kind="stable")
        return keys[order], self._rare_shared.data[order]

    def rare_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Pairs of sources (first < second) sharing a run few sources have, and enough runs that
        they could be copies: the rare runs they share plus all the common runs of the one with
        fewer must reach the share. As two arrays (first, second)."""
        shared = self._rare_shared
        smaller = np.minimum(self._counts[shared.row], self._counts[shared.col])
        most = shared.data + np.minimum(self._common_of[shared.row], self._common_of[shared.col])
        reach = most >= _NEAR_COPY * smaller
        return shared.row[reach].astype(np.int64), shared.col[reach].astype(np.int64)

    def copies(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """Which pairs (first < second, as arrays) are near-copies: `shares` >= _NEAR_COPY,
        worked out on the arrays (the same divisions, so the same answers)."""
        if not len(first):
            return np.zeros(0, dtype=bool)
        shared, smaller = self._shared_runs(first, second)
        share = np.divide(shared, smaller, out=np.zeros(len(first), dtype=np.float64), where=smaller > 0)
        return share >= _NEAR_COPY

    def shares(self, pairs: list[tuple[int, int]]) -> list[float]:
        """Per pair (first < second), the share of the smaller source's runs the other has too
        (0.0 for none): the rare runs they share, plus the common ones, counted on bits."""
        if not pairs:
            return []
        first, second = (np.array(side, dtype=np.int64) for side in zip(*pairs))
        shared, smaller = self._shared_runs(first, second)
        return [count / size if size else 0.0 for count, size in zip(shared.tolist(), smaller.tolist())]

    def _shared_runs(self, first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per pair, the runs the two share and the runs of the one with fewer."""
        keys, counts = self._rare_lookup
        wanted = first * self.size + second
        at = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
        shared = np.where(keys[at] == wanted, counts[at], 0) if len(keys) else np.zeros(len(first), dtype=np.int64)
        for start in range(0, len(first), _PAIRS_AT_ONCE):
            part = slice(start, start + _PAIRS_AT_ONCE)
            both = self._common_bits[first[part]] & self._common_bits[second[part]]
            shared[part] += np.bitwise_count(both).sum(axis=1, dtype=np.int64)
        return shared, np.minimum(self._counts[first], self._counts[second])


def _run_numbers(runs: np.ndarray) -> np.ndarray:
    """One number per distinct run (a row of two hash lanes), the same for equal runs: numbered
    by the first lane, checked against the second; should two runs share a first lane only
    (never seen), numbered by both lanes."""
    first, key = np.unique(runs[:, 0], return_index=True, return_inverse=True)[1:]
    key = key.ravel()
    if np.array_equal(runs[:, 1], runs[first[key], 1]):
        return key
    order = np.lexsort((runs[:, 1], runs[:, 0]))
    new = np.ones(len(runs), dtype=bool)
    new[1:] = (runs[order][1:] != runs[order][:-1]).any(axis=1)
    key = np.empty(len(runs), dtype=np.int64)
    key[order] = np.cumsum(new) - 1
    return key


def _incidence(rows: np.ndarray, columns: np.ndarray, size: int, width: int) -> sparse.csr_matrix:
    return sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, columns)), shape=(size, width))
