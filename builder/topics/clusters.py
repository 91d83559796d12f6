"""Paragraphs into topics: a tf-idf matrix of paragraphs and terms, factorised (NMF) into
the target number of topics."""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from .terms import Unit

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


@dataclass(frozen=True)
class Cluster:
    core: tuple[int, ...]     # unit indexes of the paragraphs this topic dominates
    members: tuple[int, ...]  # the core and the paragraphs that discuss it besides another topic


def term_matrix(units: list[Unit]) -> tuple[np.ndarray, list[str]]:
    """Row-normalised tf-idf over terms used by at least two paragraphs (a term of one
    paragraph cannot tie paragraphs together). The idf makes the story's own subject, named in
    nearly every paragraph, weigh almost nothing (it separates no topic from another) while
    staying above zero, so a two-paragraph dossier still has a vector."""
    df = Counter(term for unit in units for term in unit.terms)
    vocabulary = sorted(t for t, n in df.items() if n >= 2)
    column = {t: i for i, t in enumerate(vocabulary)}
    n = len(units)
    matrix = np.zeros((n, len(vocabulary)))
    for row, unit in enumerate(units):
        for term, count in unit.terms.items():
            if term in column:
                weight = (1 + math.log(count)) * math.log((n + 1) / df[term])
                matrix[row, column[term]] = weight * (_ENTITY_WEIGHT if term.startswith("@") else 1.0)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms), vocabulary


def _target_count(units: list[Unit]) -> int:
    """About one topic per sqrt(paragraphs): 40 paragraphs give 7, 150 give 12."""
    shaping = sum(1 for u in units if u.words >= _MIN_WORDS)
    return max(MIN_TOPICS, min(_MAX_TOPICS, round(math.sqrt(shaping)) + 1, shaping))


def _cluster(matrix: np.ndarray, units: list[Unit]) -> list[Cluster]:
    """Non-negative matrix factorisation of the paragraph-term matrix into the target number
    of topics. NMF rather than hard clustering because a paragraph often discusses two
    subjects at once; each topic's core is the paragraphs it dominates, and a paragraph also
    joins any topic weighing at least `_SECONDARY_SHARE` of its strongest."""
    rows = [i for i, u in enumerate(units) if u.english and u.words >= _MIN_WORDS and matrix[i].any()]
    if len(rows) < 2:
        return [Cluster(tuple(rows), tuple(rows))] if rows else []
    k = min(_target_count(units), len(rows))
    weights, terms = _nmf(matrix[rows], k)
    norms = np.linalg.norm(terms, axis=1, keepdims=True)
    fit = matrix[rows] @ (terms / np.where(norms == 0, 1, norms)).T    # cosine paragraph-topic
    strongest = weights.max(axis=1)
    clusters = []
    for topic in range(weights.shape[1]):
        core = tuple(
            rows[i] for i in range(len(rows))
            if strongest[i] > 0 and weights[i].argmax() == topic and fit[i, topic] >= _CORE_FIT
        )
        extra = tuple(
            rows[i] for i in range(len(rows))
            if weights[i, topic] >= _SECONDARY_SHARE * strongest[i] and fit[i, topic] >= _SECONDARY_FIT
        )
        # A topic needs two paragraphs to be a subject of the dossier, unless the dossier is tiny.
        if len(core) >= 2 or (len(core) == 1 and len(rows) < 2 * MIN_TOPICS):
            clusters.append(Cluster(core, tuple(sorted(set(core) | set(extra)))))
    return clusters


def _one_cluster(matrix: np.ndarray) -> list[Cluster]:
    """Too little text to tell subjects apart: one topic holding every paragraph with a term."""
    rows = tuple(i for i in range(matrix.shape[0]) if matrix[i].any())
    return [Cluster(rows, rows)] if rows else []


def _nmf(matrix: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Paragraph weights W and topic terms H of X ~ W H, by multiplicative updates from an
    NNDSVDa start (deterministic: no random seed, the same input gives the same topics)."""
    u, sigma, vt = _top_singular(matrix, k)
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
    for round_ in range(_NMF_ITERATIONS):
        h *= (w.T @ matrix) / (w.T @ w @ h + 1e-10)
        w *= (matrix @ h.T) / (w @ (h @ h.T) + 1e-10)
        if round_ % 10 == 9:        # the error costs a full product: check now and then
            error = float(np.linalg.norm(matrix - w @ h))
            if previous - error < _NMF_TOLERANCE * previous:
                break
            previous = error
    return w, h


def _top_singular(matrix: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The k leading singular triplets, from the eigenvectors of the smaller Gram matrix
    (paragraphs x paragraphs): far cheaper than a full SVD of a wide term matrix."""
    gram = matrix @ matrix.T
    values, vectors = np.linalg.eigh(gram)
    order = np.argsort(-values, kind="stable")[:k]
    order = [i for i in order if values[i] > 1e-12]
    sigma = np.sqrt(values[order])
    u = vectors[:, order]
    vt = (u.T @ matrix) / sigma[:, None]
    return u, sigma, vt


def find_clusters(matrix: np.ndarray, units: list[Unit]) -> list[Cluster]:
    """The topics' paragraphs; one cluster of all when there is too little text to split."""
    return _cluster(matrix, units) or _one_cluster(matrix)
