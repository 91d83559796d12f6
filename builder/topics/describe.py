"""Clusters become Topic records: keywords, label, identifier, paragraphs and sources; a
source no topic reached joins the topic its closest paragraph is nearest to."""
from __future__ import annotations

import logging
from bisect import bisect_left
from collections import Counter
from typing import Sequence

import numpy as np

from ..model import Article, Evidence, Topic
from ..text import slug
from .clusters import MIN_TOPICS, Cluster
from .keywords import distinctive_keywords, phrases_containing
from .labels import topic_label
from .lexicon import Lexicon
from .matrix import TermMatrix
from .terms import Unit

log = logging.getLogger(__name__)

# A topic whose paragraphs share fewer distinctive terms than this is a leftover, not a subject
# (dropped while enough topics remain).
_MIN_KEYWORDS = 3


def describe_clusters(clusters: list[Cluster], matrix: TermMatrix, units: list[Unit],
                      display: dict[str, dict[str, int]], lexicon: Lexicon, voices: list[str]) -> list[Topic]:
    """One topic per cluster; `voices` are the units' sources, near-copies counted as one."""
    topics = []
    used_labels: set[str] = set()
    everything = range(matrix.shape[0])
    place = [(u.source, u.paragraph) for u in units]     # the evidence's order
    containing = phrases_containing(matrix.vocabulary)
    share = matrix.column_counts(everything) / max(len(everything), 1)    # the share of all paragraphs using each term
    for cluster in clusters:
        keywords = distinctive_keywords(cluster.core, matrix, display, voices, containing)
        if len(keywords) < _MIN_KEYWORDS and len(clusters) > MIN_TOPICS:
            continue    # paragraphs that share a word or two are not a subject
        # The label reads the share of its keywords' terms only (each a term of the sorted vocabulary).
        shares = {k.term: float(share[bisect_left(matrix.vocabulary, k.term)]) for k in keywords}
        label = topic_label(keywords, shares, lexicon, used_labels)
        used_labels.add(label.casefold())
        evidence = tuple(Evidence(*place[i]) for i in sorted(cluster.members, key=place.__getitem__))
        topics.append(Topic(
            id=topic_id(label),
            label=label,
            keywords=tuple(k.form for k in keywords),
            sources=tuple(sorted({e.source for e in evidence})),
            paragraphs=evidence,
        ))
    return topics


def topic_id(text: str) -> str:
    """A topic's identifier, from its label (also the editor's labels)."""
    return slug(text, limit=60, default="topic")


def unique_ids(topics: list[Topic]) -> list[Topic]:
    """Two topics never share an identifier: the second "x" becomes "x-2"."""
    seen: Counter = Counter()
    unique = []
    for topic in sorted(topics, key=lambda t: (t.id, t.label)):
        seen[topic.id] += 1
        if seen[topic.id] > 1:
            topic = Topic(f"{topic.id}-{seen[topic.id]}", topic.label, topic.keywords, topic.sources, topic.paragraphs)
        unique.append(topic)
    return unique


def cover_every_source(topics: list[Topic], matrix: TermMatrix, units: list[Unit],
                       articles: Sequence[Article]) -> list[Topic]:
    """A source no topic reached joins the topic its closest paragraph is nearest to."""
    covered = {s for t in topics for s in t.sources}
    if not topics or all(article.id in covered or not article.paragraphs for article in articles):
        return topics       # nobody to join: no centres to work out
    index = {(u.source, u.paragraph): i for i, u in enumerate(units)}
    centres = np.array([_centre(matrix, [index[(e.source, e.paragraph)] for e in t.paragraphs]) for t in topics])
    for article in articles:
        if article.id in covered or not article.paragraphs:
            continue
        rows = [index[(article.id, p)] for p in range(len(article.paragraphs))]
        # The best (paragraph, topic) pair; ties go to the earlier paragraph and topic.
        scores = {r: matrix.dots(r, centres) for r in rows}
        _score, row, k = max(((float(scores[r][t]), -r, -t) for r in rows for t in range(len(topics))))
        row, k = -row, -k
        unit = units[row]
        topic = topics[k]
        evidence = tuple(sorted(topic.paragraphs + (Evidence(unit.source, unit.paragraph),),
                                key=lambda e: (e.source, e.paragraph)))
        sources = tuple(sorted(set(topic.sources) | {unit.source}))
        topics[k] = Topic(topic.id, topic.label, topic.keywords, sources, evidence)
        log.debug("%s: topics: joined %r by its closest paragraph", article.path, topic.label)
    return topics


def _centre(matrix: TermMatrix, members: Sequence[int]) -> np.ndarray:
    centre = matrix.column_sums(members) / len(members)
    norm = np.linalg.norm(centre)
    return centre / norm if norm else centre
