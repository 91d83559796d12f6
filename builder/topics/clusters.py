"""Paragraphs into topics: a tf-idf matrix of paragraphs and terms, factorised (NMF) into
the target number of topics."""
from __future__ import annotations

import math
import zlib
from collections import Counter
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter

import numpy as np
import scipy.linalg
import scipy.sparse
from threadpoolctl import threadpool_limits

from .matrix import TermMatrix
from .terms import Terms, Unit

# Bounds of the brief: a reader scans 4-12 topics; fewer only when there is too little text.
MIN_TOPICS, _MAX_TOPICS = 4, 12

# Paragraphs shorter than this (words) are captions or transitions: they join topics but do
# not shape them.
_MIN_WORDS = 8

# A paragraph discusses a second topic when that topic's NMF weight reaches this share of its
# strongest: half keeps the paragraph that mixes two subjects and drops faint overlaps.
_SECONDARY_SHARE = 0.5

# A paragraph belongs to a topic only when it resembles the topic's terms (cosine) at least this
# much: a paragraph that fits no topic (an aside, a stray quote) is better left out than forced
# in. Measured on sample dossiers: clear members sit at 0.3-0.9, asides at 0.1-0.2.
_CORE_FIT = 0.15
_SECONDARY_FIT = 0.25

# NMF converges on dossier-sized matrices in well under this many rounds; the tolerance is the
# relative gain per round below which further rounds change no topic.
_NMF_ITERATIONS = 300
_NMF_TOLERANCE = 1e-4

# Glossary names weigh more than plain words: they are what a topic is "about".
_ENTITY_WEIGHT = 1.5

# The factorisation is fitted on at most this many paragraphs (a fixed sample, chosen by a hash
# of each paragraph's place, the same on every run) and over at most this many terms (those
# with the most tf-idf weight in the sample); the other paragraphs are then placed against the
# fitted topics. A dossier of about a hundred articles is fitted whole. Why these values: the fit
# holds a dense sample x terms matrix (1,000 x 6,000 doubles = 48 MB) and its NNDSVD start
# decomposes a sample x sample Gram matrix in full (1,000^2: under a second on one core, 8 times
# less than 2,000^2, and far slower when other processes share the cores); 1,000 paragraphs are
# plenty for a dozen topics to show (each gets about 80, a subject of 2% of the text 20).
_FIT_ROWS = 1000
_FIT_TERMS = 6000

# Paragraphs outside the fitted sample get their topic weights from this many multiplicative
# updates with the topics' terms held fixed (the NMF weight step alone): the weights only decide
# which topic dominates and which come near it, which settles within a few dozen rounds.
_PLACING_ROUNDS = 60

# Paragraphs placed at a time (outside the fitted sample): bounds the dense block in memory
# (2,000 x 6,000 doubles = 96 MB).
_BLOCK_ROWS = 2000


@dataclass(frozen=True)
class Cluster:
    core: tuple[int, ...]     # unit indexes of the paragraphs this topic dominates
    members: tuple[int, ...]  # the core and the paragraphs that discuss it besides another topic


def term_matrix(units: list[Unit], terms: Terms) -> TermMatrix:
    """Row-normalised tf-idf over terms used by at least two paragraphs (a term of one
    paragraph cannot tie paragraphs together). The idf makes the story's own subject, named in
    nearly every paragraph, weigh almost nothing (it separates no topic from another) while
    staying above zero, so a two-paragraph dossier still has a vector."""
    df = terms.frequencies if terms.frequencies is not None else Counter(terms.keys)   # each paragraph lists a term once
    vocabulary = sorted(t for t, n in df.items() if n >= 2)
    column = {t: i for i, t in enumerate(vocabulary)}
    n = len(units)
    # Each term's idf and weight, and each count's tf, computed once (by `math.log`, as they
    # always were), then multiplied per entry in the same order: the same weights to the last bit.
    idf = np.array([math.log((n + 1) / df[t]) for t in vocabulary], dtype=float)
    weight = np.array([_ENTITY_WEIGHT if t.startswith("@") else 1.0 for t in vocabulary], dtype=float)
    if terms.numbered is None:
        columns = np.fromiter(map(column.get, terms.keys, repeat(-1)), dtype=np.int64, count=len(terms.keys))
        counts = np.array(terms.counts, dtype=np.int64)
    else:   # numbers sorted by term within each paragraph, so its columns ascend already
        numbers, counts, number_of = terms.numbered
        to_column = np.full(len(number_of), -1, dtype=np.int64)
        to_column[np.fromiter(map(number_of.__getitem__, vocabulary), dtype=np.int64, count=len(vocabulary))] = np.arange(len(vocabulary))
        columns = to_column[numbers]
    tf = np.zeros(int(counts.max(initial=0)) + 1)
    for count in np.unique(counts):
        tf[count] = 1 + math.log(count) if count else 0.0
    pointers = np.array(terms.bounds, dtype=np.int64)
    row_of = np.repeat(np.arange(n), np.diff(pointers))
    kept = columns >= 0
    row_of, columns, counts = row_of[kept], columns[kept], counts[kept]
    if terms.numbered is None:
        order = np.lexsort((columns, row_of))       # row by row, columns ascending
        row_of, columns, counts = row_of[order], columns[order], counts[order]
    weights = tf[counts] * idf[columns] * weight[columns]
    pointers = np.concatenate(([0], np.cumsum(np.bincount(row_of, minlength=n)))).astype(np.int64)
    norms = np.sqrt(np.bincount(row_of, weights=weights * weights, minlength=n))
    weights = weights / np.where(norms == 0, 1, norms)[row_of]
    return TermMatrix(pointers, columns, weights, vocabulary)


def _target_count(units: list[Unit]) -> int:
    """About one topic per sqrt(paragraphs): 40 paragraphs give 7, 150 give 12."""
    shaping = sum(1 for u in units if u.words >= _MIN_WORDS)
    return max(MIN_TOPICS, min(_MAX_TOPICS, round(math.sqrt(shaping)) + 1, shaping))


def _cluster(matrix: TermMatrix, units: list[Unit]) -> list[Cluster]:
    """Non-negative matrix factorisation of the paragraph-term matrix into the target number
    of topics. NMF rather than hard clustering because a paragraph often discusses two
    subjects at once; each topic's core is the paragraphs it dominates, and a paragraph also
    joins any topic weighing at least `_SECONDARY_SHARE` of its strongest."""
    english = np.fromiter(map(attrgetter("english"), units), dtype=bool, count=len(units))
    long_enough = np.fromiter(map(attrgetter("words"), units), dtype=np.int64, count=len(units)) >= _MIN_WORDS
    rows = np.flatnonzero(english & long_enough & (np.diff(matrix.indptr) > 0)).tolist()
    if len(rows) < 2:
        return [Cluster(tuple(rows), tuple(rows))] if rows else []
    k = min(_target_count(units), len(rows))
    sample = _fit_sample(rows, units)
    columns = _fit_columns(matrix, sample)
    fitted = matrix.dense(sample, columns)
    weights, terms = _nmf(fitted, k, matrix.sparse(sample, columns))
    norms = np.linalg.norm(terms, axis=1, keepdims=True)
    directions = terms / np.where(norms == 0, 1, norms)
    if len(sample) == len(rows):
        fit = fitted @ directions.T    # cosine paragraph-topic
    else:
        weights, fit = _place(matrix, rows, columns, terms, directions)
    del fitted
    strongest = weights.max(axis=1)
    dominant = weights.argmax(axis=1)
    placed = np.array(rows)
    clusters = []
    for topic in range(weights.shape[1]):
        core = placed[(strongest > 0) & (dominant == topic) & (fit[:, topic] >= _CORE_FIT)]
        extra = placed[(weights[:, topic] >= _SECONDARY_SHARE * strongest) & (fit[:, topic] >= _SECONDARY_FIT)]
        # A topic needs two paragraphs to be a subject of the dossier, unless the dossier is tiny.
        if len(core) >= 2 or (len(core) == 1 and len(rows) < 2 * MIN_TOPICS):
            clusters.append(Cluster(tuple(core.tolist()), tuple(np.union1d(core, extra).tolist())))
    return clusters


def _fit_sample(rows: list[int], units: list[Unit]) -> list[int]:
    """The paragraphs the factorisation is fitted on: all of them, or `_FIT_ROWS` picked by a
    hash of (source, paragraph), so the pick is spread over the whole dossier, does not depend
    on the order of the sources, and is the same on every run (no random seed)."""
    if len(rows) <= _FIT_ROWS:
        return rows
    crc32 = zlib.crc32
    places = np.fromiter((crc32(f"{units[row].source}\x00{units[row].paragraph}".encode("utf-8")) for row in rows),
                         dtype=np.int64, count=len(rows))
    chosen = np.lexsort((rows, places))[:_FIT_ROWS]     # by place, then row: ties (the same hash) stay in row order
    return sorted(np.asarray(rows)[chosen].tolist())


def _fit_columns(matrix: TermMatrix, sample: list[int]) -> np.ndarray | None:
    """The terms the factorisation is fitted over: all of them (None), or the `_FIT_TERMS` with
    the most tf-idf weight in the sample (a term no sampled paragraph uses cannot shape a topic;
    a rare one barely does)."""
    if matrix.shape[1] <= _FIT_TERMS:
        return None
    mass = matrix.column_sums(sample)
    strongest = np.argsort(-mass, kind="stable")[:_FIT_TERMS]
    return np.sort(strongest[mass[strongest] > 0])


def _place(matrix: TermMatrix, rows: list[int], columns: np.ndarray | None, terms: np.ndarray,
           directions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Topic weights and cosines of every paragraph against topics fitted on a sample, block by
    block: the weights by the NMF weight step with the topics' terms held fixed."""
    gram = terms @ terms.T
    weights, fit = [], []
    for first in range(0, len(rows), _BLOCK_ROWS):
        block = matrix.sparse(rows[first:first + _BLOCK_ROWS], columns)    # 1-2% non-zero: see `_nmf`
        projected = block @ terms.T
        w = np.maximum(projected, 0) / np.maximum(gram.diagonal(), 1e-10) + 1e-10
        for _round in range(_PLACING_ROUNDS):
            w *= projected / (w @ gram + 1e-10)
        weights.append(w)
        fit.append(block @ directions.T)
    return np.vstack(weights), np.vstack(fit)


def _one_cluster(matrix: TermMatrix) -> list[Cluster]:
    """Too little text to tell subjects apart: one topic holding every paragraph with a term."""
    rows = tuple(i for i in range(matrix.shape[0]) if matrix.has_terms(i))
    return [Cluster(rows, rows)] if rows else []


def _nmf(matrix: np.ndarray, k: int, sparse: scipy.sparse.csr_matrix | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Paragraph weights W and topic terms H of X ~ W H, by multiplicative updates from an
    NNDSVDa start (deterministic: no random seed, the same input gives the same topics).

    The products with the matrix are taken sparse: paragraphs use a few dozen of the fit's
    thousands of terms (1-2% of the entries are not zero), so a dense product is mostly
    multiplying zeros (at 1,000 paragraphs: 0.6 s of rounds against a few hundredths).
    `sparse`: the matrix without its zeros, when the caller has it (the same entries in the same
    order as scipy finds them in the dense matrix, which costs a pass over all of it)."""
    if sparse is None:
        sparse = scipy.sparse.csr_matrix(matrix)
    transposed = sparse.T.tocsr()
    u, sigma, vt = _top_singular(sparse, k)
    k = len(sigma)
    w = np.zeros((matrix.shape[0], k))
    h = np.zeros((k, matrix.shape[1]))
    for j in range(k):
        x, y = u[:, j], vt[j]
        if j == 0:
            xs, ys, size = np.abs(x), np.abs(y), 1.0
        else:
            xp, xn, yp, yn = np.maximum(x, 0), np.maximum(-x, 0), np.maximum(y, 0), np.maximum(-y, 0)
            positive = np.linalg.norm(xp) * np.linalg.norm(yp)
            negative = np.linalg.norm(xn) * np.linalg.norm(yn)
            xs, ys, size = (xp, yp, positive) if positive >= negative else (xn, yn, negative)
            xs, ys = xs / (np.linalg.norm(xs) or 1), ys / (np.linalg.norm(ys) or 1)
        w[:, j] = math.sqrt(sigma[j] * size) * xs
        h[j] = math.sqrt(sigma[j] * size) * ys
    fill = matrix.mean() / 100      # NNDSVDa: zeros would stay zeros under multiplicative updates
    w[w == 0], h[h == 0] = fill, fill
    previous = math.inf
    residual = np.empty_like(matrix)    # one buffer for every check: a fresh one each time cost more than the product
    for round_ in range(_NMF_ITERATIONS):
        h *= (transposed @ w).T / (w.T @ w @ h + 1e-10)
        w *= (sparse @ h.T) / (w @ (h @ h.T) + 1e-10)
        if round_ % 10 == 9:        # the error costs a full product: check now and then
            error = _frobenius_distance(matrix, w, h, residual)
            if previous - error < _NMF_TOLERANCE * previous:
                break
            previous = error
    return w, h


def _frobenius_distance(matrix: np.ndarray, w: np.ndarray, h: np.ndarray, residual: np.ndarray) -> float:
    """`np.linalg.norm(matrix - w @ h)` to the last bit (the same product, difference and dot
    product of the flattened difference with itself), computed in `residual`."""
    np.matmul(w, h, out=residual)
    np.subtract(matrix, residual, out=residual)
    flat = residual.ravel()
    return float(np.sqrt(flat.dot(flat)))


def _top_singular(matrix: scipy.sparse.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The k leading singular triplets, from the eigenvectors of the smaller Gram matrix
    (paragraphs x paragraphs, or terms x terms when the fit has fewer terms than paragraphs):
    far cheaper than a full SVD, and bounded by the fit's size. Only the k largest eigenpairs
    are computed (LAPACK's subset driver): all 1,000 of a full sample cost ten times more."""
    if matrix.shape[0] > matrix.shape[1]:
        v, sigma, ut = _top_singular(matrix.T.tocsr(), k)
        return ut.T, sigma, v.T
    gram = (matrix @ matrix.T).toarray()
    n = gram.shape[0]
    values, vectors = scipy.linalg.eigh(gram, subset_by_index=[max(0, n - k), n - 1])
    order = np.argsort(-values, kind="stable")[:k]
    order = [i for i in order if values[i] > 1e-12]
    sigma = np.sqrt(values[order])
    u = vectors[:, order]
    vt = np.asarray(matrix.T @ u).T / sigma[:, None]
    return u, sigma, vt


def find_clusters(matrix: TermMatrix, units: list[Unit]) -> list[Cluster]:
    """The topics' paragraphs; one cluster of all when there is too little text to split.

    On one BLAS thread: the products are small (a thousand paragraphs by a dozen topics), so a
    second thread saves little even on an idle machine, and when the cores are busy (a build
    beside other work, `mkdocs serve` beside an editor) its thread spins waiting for one: the
    stage took 2-4 times the CPU time at 1,000 sources. The topics found are the same either
    way on every dossier measured (the sample, the evaluation dossiers, 1,000 sources edited
    four ways); one thread also makes them independent of the machine's number of cores."""
    with threadpool_limits(limits=1, user_api="blas"):
        return _cluster(matrix, units) or _one_cluster(matrix)
