"""A topic's keywords: the terms that set its paragraphs apart, as a reader writes them."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..text import fold_case
from .matrix import TermMatrix
from .terms import UNSURE

# A phrase replaces a shorter term inside it as a keyword when it scores at least this share of
# that term's score: "hostile forces" tells more than "hostile" and is used almost as often.
_PHRASE_OVER_PART = 0.5

# How many keywords a topic lists.
_KEYWORDS = 8


@dataclass(frozen=True)
class Keyword:
    term: str                 # the vocabulary key (stemmed word, word pair, "@entity-id")
    form: str                 # as a reader writes it
    score: float


def distinctive_keywords(members: Sequence[int], matrix: TermMatrix, display: dict[str, dict[str, int]], sources: list[str],
                         containing: dict[tuple[str, ...], list[str]] | None = None) -> list[Keyword]:
    """Terms that weigh much more inside the cluster than outside it and that several of its
    paragraphs and sources (near-copies as one) use, as a reader writes them; a word already inside a chosen phrase
    is not repeated, and a phrase nearly as strong as its word replaces it ("hostile forces"
    over "hostile"). A term of one source alone is one writer's wording, not the topic's.
    `containing`: `phrases_containing(matrix.vocabulary)`, when the caller has it already."""
    vocabulary = matrix.vocabulary
    others = matrix.shape[0] - len(set(members))
    if all(a < b for a, b in zip(members, members[1:])):      # (a topic's core: ascending) both sums in one pass
        inside_sums, outside_sums = matrix.split_column_sums(members)
    else:       # the other rows in row order, as the sums need
        outside_rows = np.ones(matrix.shape[0], dtype=bool)
        outside_rows[list(members)] = False
        inside_sums, outside_sums = matrix.column_sums(members), matrix.column_sums(np.flatnonzero(outside_rows))
    inside = inside_sums / len(members)
    outside = outside_sums / others if others else np.zeros_like(inside)
    support = matrix.column_counts(members)
    cluster_sources = sorted({sources[i] for i in members})
    source_number = {s: n for n, s in enumerate(cluster_sources)}
    source_spread = matrix.column_groups(members, [source_number[sources[i]] for i in members]) / len(cluster_sources)
    score = (inside - outside) * support / len(members)
    if not (score > 0).any():
        score = inside * support / len(members)    # nothing sets it apart: say what it holds
    score = score * np.sqrt(source_spread)
    score[support < min(2, len(members))] = 0.0
    order = np.argsort(-score, kind="stable")
    ranked = order[score[order] > 0].tolist()
    best = dict(zip(map(vocabulary.__getitem__, ranked), score[ranked].tolist()))
    if containing is None:
        containing = phrases_containing(vocabulary)
    chosen: list[Keyword] = []
    for column in ranked:
        if len(chosen) >= _KEYWORDS:
            break
        term = _longest_strong_phrase(vocabulary[column], best, containing)
        form = _display(term, display)
        if any(_redundant(k, term, form) for k in chosen):
            continue
        chosen.append(Keyword(term, form, best[term]))
    return chosen


def phrases_containing(vocabulary: Sequence[str]) -> dict[tuple[str, ...], list[str]]:
    """Each run of words -> the longer phrases of the vocabulary holding it ("hostile" ->
    "hostile forces"), so a term finds its phrases without a pass over the whole vocabulary
    (quadratic in it); made once for every topic."""
    containing: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for phrase in vocabulary:
        words = tuple(phrase.split())
        if phrase.startswith("@") or len(words) < 2:
            continue
        for size in range(1, len(words)):
            for run in sorted({words[i:i + size] for i in range(len(words) - size + 1)}):
                containing[run].append(phrase)
    return containing


def _longest_strong_phrase(term: str, best: dict[str, float], containing: dict[tuple[str, ...], list[str]]) -> str:
    """`term`, or the longest phrase containing it that scores nearly as well."""
    if term.startswith("@"):
        return term
    # The index holds the whole vocabulary: only phrases scoring above zero for this topic (in
    # `best`; the floor is above zero) count, and the longest, strongest, then first by text wins.
    floor = _PHRASE_OVER_PART * best[term]
    longer = [t for t in containing.get(tuple(term.split()), ()) if best.get(t, 0.0) >= floor]
    return max(longer, key=lambda t: (len(t.split()), best[t], t)) if longer else term


def _redundant(kept: Keyword, term: str, form: str) -> bool:
    """Whether a kept keyword already says `term`: the same words, words of a kept phrase
    ("Putin" after "Vladimir Putin"), or an overlapping phrase ("pension fund" after
    "Harlow pension")."""
    a, b = set(fold_case(kept.form).split()), set(fold_case(form).split())
    if kept.term == term or a <= b or b <= a:
        return True
    return len(a) > 1 and len(b) > 1 and bool(a & b)


def _display(term: str, display: dict[str, dict[str, int]]) -> str:
    forms = display.get(term)
    if not forms:
        return term
    sure = {f: n for f, n in forms.items() if not f.startswith(UNSURE)} or forms
    form = sorted(sure.items(), key=lambda kv: (-kv[1], kv[0]))[0][0].replace(UNSURE, "")
    return re.sub(r"['’]s$", "", form)
