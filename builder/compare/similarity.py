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

from ..cache import Memo, keeps_last_build, no_memo, paragraphs_digest
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
    matrix, named, near = _similarities(cosines, keep_matrix)
    similarity = Similarity(ids, matrix if keep_matrix else (), named)
    return similarity, _near_copies(articles, read, near, keep=keeps_last_build(memo)), cosines


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
        self._no_empty_row = bool((norms > 0).all())
        self._rare, self._common = _term_matrices(matrix)
        # the rows' transpose as the product takes it (scipy turns its right side into rows
        # first): turned once, not for every block
        self._rare_columns = self._rare.T.tocsr()

    def block(self, rows: slice | list[int], columns: slice | list[int] = slice(None)) -> np.ndarray:
        """Thousandths of rows x columns (a source with itself: 1000)."""
        every_column = isinstance(columns, slice) and columns == slice(None)
        right = self._rare_columns if every_column else self._rare[columns].T
        dots = (self._rare[rows] @ right).toarray()
        if self._common is not None:
            dots += self._common[rows] @ self._common[columns].T
        scale = np.outer(self._norms[rows], self._norms[columns])
        if self._no_empty_row:
            cosine = np.divide(dots, scale, out=dots)    # what the guarded division gives when no scale is 0
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                cosine = np.where(scale > 0, dots / np.where(scale > 0, scale, 1.0), 0.0)
        out = _thousandths(np.minimum(cosine, 1.0, out=cosine))
        row_ids = np.arange(len(self.ids))[rows]
        if every_column:
            out[np.arange(len(row_ids)), row_ids] = _SCALE
        else:
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
    """The rounded cosine matrix (when kept, as tuples of rows); per source, its nearest
    neighbours as (id, value), most alike first, ties by id, zeros and itself left out; and
    the pairs of neighbours (`_neighbour_pairs`)."""
    ids = cosines.ids
    size = len(ids)
    id_rank = np.empty(size, dtype=np.int64)
    id_rank[sorted(range(size), key=ids.__getitem__)] = np.arange(size)
    names = np.array(ids, dtype=object)
    rows: list[tuple[float, ...]] = []
    named: list[tuple[tuple[str, float], ...]] = []
    chosen: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    for start in range(0, size, _BLOCK_ROWS):
        stop = min(start + _BLOCK_ROWS, size)
        thousandths = cosines.block(slice(start, stop))
        if keep_matrix:
            rows.extend(tuple((thousandths[r] / _SCALE).tolist()) for r in range(stop - start))
        block_named, block_chosen, block_counts = _nearest(thousandths, start, id_rank, names)
        named.extend(block_named)
        chosen.append(block_chosen)
        counts.append(block_counts)
    empty = np.zeros(0, dtype=np.int64)
    return tuple(rows), tuple(named), _neighbour_pairs(np.concatenate([empty, *chosen]), np.concatenate([empty, *counts]))


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
    # |scaled - floor(scaled) - 0.5|, worked out in one array
    fraction = np.floor(scaled)
    np.subtract(scaled, fraction, out=fraction)
    fraction -= 0.5
    doubtful = np.abs(fraction, out=fraction) < 1e-6
    for r, c in zip(*np.nonzero(doubtful)):
        out[r, c] = round(round(float(values[r, c]), _DIGITS) * _SCALE)
    return out


def _nearest(thousandths: np.ndarray, start: int, id_rank: np.ndarray, names: np.ndarray):
    """Per row, up to SIMILARITY_NEIGHBOURS (id, value): most alike first, then by id; and the
    same neighbours as numbers, all rows' one after another, with how many each row has."""
    size = thousandths.shape[1]
    # one integer orders by value, then by id: higher is nearer
    keys = thousandths * size + (size - 1 - id_rank)[None, :]
    keys[np.arange(len(keys)), np.arange(start, start + len(keys))] = -1   # not itself
    keep = min(SIMILARITY_NEIGHBOURS, size - 1)
    if keep <= 0:
        return [() for _ in keys], np.zeros(0, dtype=np.int64), np.zeros(len(keys), dtype=np.int64)
    chosen = np.argpartition(keys, size - keep, axis=1)[:, size - keep :]
    chosen_keys = np.take_along_axis(keys, chosen, axis=1)
    order = np.argsort(-chosen_keys, axis=1)
    chosen = np.take_along_axis(chosen, order, axis=1)
    # nearest first, so those of a value above 0 are each row's first ones
    above_zero = (np.take_along_axis(chosen_keys, order, axis=1) >= size).sum(axis=1)
    values = (np.take_along_axis(thousandths, chosen, axis=1) / _SCALE).tolist()
    named = [tuple(zip(row[:n], value[:n]))
             for row, value, n in zip(names[chosen].tolist(), values, above_zero.tolist())]
    return named, chosen[np.arange(keep)[None, :] < above_zero[:, None]], above_zero


# --- near-copies ------------------------------------------------------------------------

def _near_copies(articles: Sequence[Article], read: Sequence[_Words], near: np.ndarray,
                 keep: bool = False) -> tuple[SourceGroup, ...]:
    """The near-copy groups (`near`: the pairs of nearest neighbours, `_neighbour_pairs`). keep:
    the process builds with a memo (again and again, when it
    serves): the result is kept with what it was found from, and the next build works out again
    only what the sources whose runs changed can change (`_KeptCopies.rebuilt`)."""
    global _kept
    ids = tuple(article.id for article in articles)
    if not keep:
        return _found_near_copies(articles, read, near)[1]
    kept, _kept = _kept, None
    found = kept.rebuilt(ids, read, near) if kept is not None else None
    links, groups = found if found is not None else _found_near_copies(articles, read, near)
    if len(ids) <= _KEEP_NEAR_COPIES_UP_TO:
        _kept = _KeptCopies(ids, tuple(read), near, links, groups)
    return groups


def _neighbour_pairs(theirs: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Each source with each of its nearest neighbours (`theirs`: every source's, one source
    after another, `lengths` of them each), (smaller index, larger), as the sorted distinct
    numbers smaller * sources + larger."""
    size = len(lengths)
    mine = np.repeat(np.arange(size, dtype=np.int64), lengths)
    return distinct(np.minimum(mine, theirs) * size + np.maximum(mine, theirs))


def _found_near_copies(articles: Sequence[Article], read: Sequence[_Words], near: np.ndarray):
    """The links between near-copies (pairs of indices, sorted) and their groups, found afresh."""
    runs = _Shingles(read)
    first, second = runs.rare_pairs()
    if len(near):
        first = np.concatenate([first, near // len(articles)])
        second = np.concatenate([second, near % len(articles)])
    # each candidate pair once (as numbers: a big dossier proposes millions of rare pairs)
    keys = distinct(first * len(articles) + second)
    first, second = keys // len(articles), keys % len(articles)
    copies = runs.copies(first, second)
    links = tuple(zip(first[copies].tolist(), second[copies].tolist()))
    return links, _groups(tuple(article.id for article in articles), links, runs.shares, {})


def _groups(ids: tuple[str, ...], links, shares, known: dict) -> tuple[SourceGroup, ...]:
    """The near-copy groups the links make; `known`: groups (by their members' indices) that are
    the same as before. `shares(pairs)`: the share of runs of each pair."""
    # the groups do not depend on the order of the links (each is named by its smallest member)
    groups = []
    for indices in connected_components(len(ids), links):
        if len(indices) < 2:
            continue
        if tuple(indices) in known:
            groups.append(known[tuple(indices)])
            continue
        # every pair of the group is a copy or not, whether or not it was a candidate
        pairs = list(combinations(indices, 2))
        evidence = {pair: share for pair, share in zip(pairs, shares(pairs)) if share >= _NEAR_COPY}
        lines = tuple(
            f"{ids[a]} and {ids[b]} share {share:.0%} of their {_SHINGLE_WORDS}-word runs"
            for (a, b), share in sorted(evidence.items())
        )
        members = tuple(ids[i] for i in indices)
        groups.append(SourceGroup("near-copy", f"Near-copies of one text ({len(members)} sources)", members, lines))
    return tuple(groups)


# A process that builds with a memo keeps its last near-copies and the sources' words they were
# found from, for dossiers up to this many sources: one build of a larger dossier (10,000 sources)
# has no memory to spare to hold them past the comparison.
_KEEP_NEAR_COPIES_UP_TO = 3000
# An edit of more sources than this finds the near-copies afresh: each changed source is matched
# against every run of the dossier.
_MOST_CHANGED_FOR_REUSE = 16
_kept: "_KeptCopies | None" = None


@dataclass(frozen=True, eq=False)
class _KeptCopies:
    """The last build's near-copies and what they were found from.

    Which pairs are linked is exact integer work on runs: a pair is linked when the share of
    the smaller source's runs the other holds too reaches _NEAR_COPY, and the two share a run
    held by at most _MAX_SHINGLE_SOURCES sources (`rare_pairs`; its bound on the share only
    leaves out pairs that could not reach it) or are nearest neighbours. For two sources whose
    runs did not change, the share is the same; the rare run they share stays rare unless an
    edited source's runs take its holders across _MAX_SHINGLE_SOURCES (then all is found
    afresh); only their being neighbours can change, and those pairs are worked out again. The
    pairs of an edited source are worked out in full, against every run of the dossier."""

    ids: tuple[str, ...]
    read: tuple[_Words, ...]
    near: np.ndarray             # `_neighbour_pairs`
    links: tuple[tuple[int, int], ...]
    groups: tuple[SourceGroup, ...]

    def rebuilt(self, ids: tuple[str, ...], read: Sequence[_Words], near: np.ndarray):
        """(links, groups) for the new words and neighbours, or None: find them afresh."""
        if ids != self.ids:
            return None
        changed = [i for i, (new, old) in enumerate(zip(read, self.read))
                   if new is not old and not np.array_equal(new.runs, old.runs)]
        if len(changed) > _MOST_CHANGED_FOR_REUSE:
            return None
        edited = set(changed)
        size = len(ids)
        moved = [pair for pair in zip(*divmod(np.setxor1d(near, self.near, assume_unique=True), size))
                 if pair[0] not in edited and pair[1] not in edited]
        moved = [(int(a), int(b)) for a, b in moved]
        if not changed and not moved:
            return self.links, self.groups
        shared_of_moved = [_shared(read[a].runs, read[b].runs) for a, b in moved]
        asked = [read[i].runs for i in changed] + [self.read[i].runs for i in changed] + shared_of_moved
        runs = _RunIndex(read, np.concatenate(asked) if asked else np.zeros((0, 2), dtype=np.uint64))
        if not runs.found:
            return None
        holders = runs.holders
        if self._rareness_moved(changed, read, holders):
            return None
        links = {pair for pair in self.links if pair[0] not in edited and pair[1] not in edited}
        for (a, b), common in zip(moved, shared_of_moved):
            rare = bool(len(common)) and bool((holders.of(common) <= _MAX_SHINGLE_SOURCES).any())
            links.discard((a, b))
            if _is_copy(len(common), read[a].runs, read[b].runs) and (rare or _holds_pair(near, a * size + b)):
                links.add((a, b))
        for i in changed:
            links.update(runs.copies_of(i, near))
        links = tuple(sorted(links))
        # a group of unchanged sources that is whole again: the same shares, the same record
        index = {source: i for i, source in enumerate(ids)}
        known = {members: group for members, group in
                 ((tuple(index[source] for source in group.sources), group) for group in self.groups)
                 if edited.isdisjoint(members)}

        def shares(pairs: list[tuple[int, int]]) -> list[float]:
            return [_share(len(_shared(read[a].runs, read[b].runs)), read[a].runs, read[b].runs) for a, b in pairs]

        return links, _groups(ids, links, shares, known)

    def _rareness_moved(self, changed: list[int], read: Sequence[_Words], holders: "_Holders") -> bool:
        """Whether a run an edit gave or took crosses _MAX_SHINGLE_SOURCES holders (the pairs of
        unchanged sources holding it may then be candidates where they were not, or not where
        they were)."""
        for i in changed:
            for gone_or_new in (_difference(self.read[i].runs, read[i].runs), _difference(read[i].runs, self.read[i].runs)):
                if not len(gone_or_new):
                    continue
                now = holders.of(gone_or_new)
                before = now - sum(_holds(read[k].runs, gone_or_new) for k in changed) \
                    + sum(_holds(self.read[k].runs, gone_or_new) for k in changed)
                if ((now <= _MAX_SHINGLE_SOURCES) != (before <= _MAX_SHINGLE_SOURCES)).any():
                    return True
        return False


def _as_rows(runs: np.ndarray) -> np.ndarray:
    """Runs (rows of two uint64 lanes) as one 16-byte value each, to compare and sort whole."""
    return np.ascontiguousarray(runs).view(np.dtype((np.void, 16))).ravel()


def _shared(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The runs two sources both hold (each source's runs are distinct)."""
    common = np.intersect1d(_as_rows(first), _as_rows(second), assume_unique=True)
    return np.frombuffer(common.tobytes(), dtype=np.uint64).reshape(-1, 2)


def _difference(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The runs of `first` not in `second`."""
    rest = np.setdiff1d(_as_rows(first), _as_rows(second), assume_unique=True)
    return np.frombuffer(rest.tobytes(), dtype=np.uint64).reshape(-1, 2)


def _holds(runs: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """1 for each of `wanted` that `runs` holds, else 0."""
    return np.isin(_as_rows(wanted), _as_rows(runs), assume_unique=True).astype(np.int64)


def _share(shared: int, first: np.ndarray, second: np.ndarray) -> float:
    """`_Shingles.shares` for one pair: the same division."""
    smaller = min(len(first), len(second))
    return shared / smaller if smaller else 0.0


def _is_copy(shared: int, first: np.ndarray, second: np.ndarray) -> bool:
    return _share(shared, first, second) >= _NEAR_COPY


class _Holders:
    """How many sources hold each of some runs."""

    def __init__(self, runs: np.ndarray, counts: np.ndarray) -> None:
        self.runs, self.counts = runs, counts       # runs as sorted 16-byte values

    def of(self, runs: np.ndarray) -> np.ndarray:
        """The holders of each of `runs` (all among those asked about)."""
        return self.counts[np.searchsorted(self.runs, _as_rows(runs))]


def _holds_pair(near: np.ndarray, key: int) -> bool:
    at = int(np.searchsorted(near, key))
    return at < len(near) and int(near[at]) == key


class _RunIndex:
    """Some runs (`wanted`) matched against every run of the dossier: how many sources hold each,
    and which sources hold those of one source."""

    def __init__(self, read: Sequence[_Words], wanted: np.ndarray) -> None:
        self.read = read
        self.found = False
        values = np.unique(_as_rows(wanted))
        lanes = np.frombuffer(values.tobytes(), dtype=np.uint64).reshape(-1, 2)
        first = lanes[:, 0]
        by_first = np.argsort(first, kind="stable")
        # two wanted runs sharing a first lane (never seen): the caller works afresh
        if not len(first) or (np.diff(first[by_first]) == 0).any():
            return
        lengths = np.fromiter((len(words_.runs) for words_ in read), dtype=np.int64, count=len(read))
        dossier = np.concatenate([words_.runs[:, 0] for words_ in read])
        at = np.minimum(np.searchsorted(first[by_first], dossier), len(first) - 1)
        which = by_first[at]
        entries = np.flatnonzero(lanes[which, 0] == dossier)
        if len(entries):
            runs = np.concatenate([words_.runs for words_ in read])
            entries = entries[lanes[which[entries], 1] == runs[entries, 1]]
        # per match: the source holding it, which of `values` it is
        self.source = np.searchsorted(np.cumsum(lengths), entries, side="right")
        self.which = which[entries]
        self.values = values
        self.holders = _Holders(values, np.bincount(self.which, minlength=len(values)))
        self.found = True

    def copies_of(self, i: int, near: np.ndarray) -> list[tuple[int, int]]:
        """The links of source i: every source holding enough of its runs, sharing a rare one
        with it or being a neighbour."""
        own = self.read[i].runs
        size = len(self.read)
        mine = np.isin(self.values, _as_rows(own), assume_unique=True)[self.which]
        others, which = self.source[mine], self.which[mine]
        shared = np.bincount(others, minlength=size)
        rare = np.bincount(others[self.holders.counts[which] <= _MAX_SHINGLE_SOURCES], minlength=size)
        links = []
        for j in np.flatnonzero(shared).tolist():
            pair = (min(i, j), max(i, j))
            if j != i and _is_copy(int(shared[j]), own, self.read[j].runs) and (
                    rare[j] > 0 or _holds_pair(near, pair[0] * size + pair[1])):
                links.append(pair)
        return links


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
