"""How alike whole sources are: the pairwise matrix and the near-copies (one wire story run by
several outlets), found through shared word shingles in an inverted index."""
from __future__ import annotations

import math
from collections import Counter
from typing import Sequence

from ..model import Article, Similarity, SourceGroup
from .components import connected_components
from .index import co_occurrences
from ..text import words
from .text import content_stems, shingles

# Runs of this many words: long enough that two outlets writing independently rarely share
# one, short enough that light copy-editing of a wire story leaves most of them intact.
_SHINGLE_WORDS = 5
# Share of the shorter source's shingles found in the other above which the two are copies of
# one text; rewritten reports of one event share well under a fifth.
_NEAR_COPY = 0.5
# Matrix values are rounded so that the exported JSON is byte-stable across platforms.
_DIGITS = 3


def compare_whole_sources(articles: Sequence[Article]) -> tuple[Similarity, tuple[SourceGroup, ...]]:
    ids = tuple(article.id for article in articles)
    vectors = _tfidf_vectors(articles)
    norms = [math.sqrt(sum(v * v for v in vector.values())) for vector in vectors]
    rows = [[1.0] * len(ids) for _ in ids]
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            rows[i][j] = rows[j][i] = round(_cosine(vectors[i], vectors[j], norms[i] * norms[j]), _DIGITS)
    return Similarity(ids, tuple(tuple(row) for row in rows)), _near_copies(articles)


def _tfidf_vectors(articles: Sequence[Article]) -> list[dict[str, float]]:
    counts = [Counter(content_stems(" ".join(a.paragraphs), a.is_english)) for a in articles]
    frequency = Counter(term for count in counts for term in count)
    total = len(articles)
    vectors = []
    for count in counts:
        vectors.append({
            term: (1 + math.log(n)) * math.log(1 + total / frequency[term]) for term, n in count.items()
        })
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float], norm: float) -> float:
    if not norm:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(value * b[term] for term, value in a.items() if term in b)
    return min(dot / norm, 1.0)


def _near_copies(articles: Sequence[Article]) -> tuple[SourceGroup, ...]:
    sets = [shingles(words(" ".join(a.paragraphs)), _SHINGLE_WORDS) for a in articles]
    # no cap: copies of one wire text in many outlets share every run, and must all be found
    shared = co_occurrences(sets)
    evidence: dict[tuple[int, int], float] = {}
    for (a, b), count in sorted(shared.items()):
        smaller = min(len(sets[a]), len(sets[b]))
        if smaller and count / smaller >= _NEAR_COPY:
            evidence[(a, b)] = count / smaller
    groups = []
    for indices in connected_components(len(articles), sorted(evidence)):
        if len(indices) < 2:
            continue
        lines = tuple(
            f"{articles[a].id} and {articles[b].id} share {share:.0%} of their {_SHINGLE_WORDS}-word runs"
            for (a, b), share in sorted(evidence.items()) if a in indices and b in indices
        )
        ids = tuple(articles[i].id for i in indices)
        groups.append(SourceGroup("near-copy", f"Near-copies of one text ({len(ids)} sources)", ids, lines))
    return tuple(groups)
