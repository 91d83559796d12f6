"""Statements and their alignment across sources.

A statement is one sentence with its content stems and the glossary entities it names. Two
statements of different sources are aligned when they share enough rare words and entities;
candidates come from an inverted index, so the cost grows with the number of sentences that
share a rare term, not with the square of the dossier.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

from ..cache import Memo, no_memo
from ..model import Article, Glossary
from .facts import Clause, Fact, extract_facts, fact_clauses
from .index import co_occurrences
from .text import Sentence, content_stems, event_markers, split_sentences, without_event_verbs

# A term met in more statements than this is too common to propose candidates; it still
# counts in the score of a proposed pair. A fixed cap keeps the number of candidate pairs
# linear in the size of the dossier (at most cap/2 per term occurrence); statements about one
# thing still meet through their rarer words. Copies of one wire text in more outlets than
# this stop proposing each other, which costs nothing: they are near-copies, not confirmations.
_MAX_POSTINGS = 50
# Two statements become a candidate pair only when they share at least this many index terms;
# one shared word ("Putin") says nothing about two sentences being about the same thing.
_MIN_SHARED_TERMS = 2


@dataclass(frozen=True)
class Statement:
    index: int                     # position in Alignment.statements
    sentence: Sentence
    terms: frozenset[str]          # content stems plus "@entity-id" markers
    entities: frozenset[str]
    english: bool
    facts: tuple[Fact, ...] = ()   # figures, dates, ordinals it states (English only)
    places: frozenset[str] = frozenset()   # the entities of type PLACE among `entities`
    published: str | None = None   # the source's publication date, "YYYY-MM-DD"
    clauses: tuple[Clause, ...] = ()   # what the clause around each of `facts` says, in their order

    @property
    def source(self) -> str:
        return self.sentence.source

    @property
    def paragraph(self) -> int:
        return self.sentence.paragraph


@dataclass(frozen=True)
class Alignment:
    statements: tuple[Statement, ...]
    pairs: tuple[tuple[int, int, float], ...]    # (statement, statement, score), first < second
    weights: dict[str, float]                    # idf of every term

    def partners(self) -> dict[int, list[tuple[int, float]]]:
        """For each statement, its aligned statements with the score, best first."""
        out: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for a, b, score in self.pairs:
            out[a].append((b, score))
            out[b].append((a, score))
        for items in out.values():
            items.sort(key=lambda item: (-item[1], item[0]))
        return out


def align_statements(articles: Sequence[Article], glossary: Glossary, memo: Memo = no_memo) -> Alignment:
    statements = _statements(articles, glossary, memo)
    weights = _idf(statements)
    squares = {term: weight ** 2 for term, weight in weights.items()}
    norms = [math.sqrt(sum(squares[t] for t in s.terms)) for s in statements]
    pairs = []
    for a, b in sorted(_candidate_pairs(statements)):
        score = _score(statements[a], statements[b], squares, norms)
        if score > 0:
            pairs.append((a, b, round(score, 4)))
    return Alignment(tuple(statements), tuple(pairs), weights)


def _entity_spans(glossary: Glossary) -> dict[tuple[str, int], list[tuple[int, int, str, str]]]:
    spans: dict[tuple[str, int], list[tuple[int, int, str, str]]] = defaultdict(list)
    for entity in glossary.entities:
        for mention in entity.mentions:
            spans[(mention.source, mention.paragraph)].append((mention.start, mention.end, entity.id, entity.type))
    for found in spans.values():
        found.sort()
    return spans


def _statements(articles: Sequence[Article], glossary: Glossary, memo: Memo) -> list[Statement]:
    spans = _entity_spans(glossary)
    found = []
    # a sentence repeated in many sources (a wire story, a stock line) is read once, and a
    # sentence read by an earlier build comes from the memo: reading is most of this stage
    keys: dict[tuple[str, bool, tuple[tuple[int, int, str], ...]], int] = {}
    for article in articles:
        for number, paragraph in enumerate(article.paragraphs):
            mentions = spans.get((article.id, number), [])
            for sentence in split_sentences(article.id, number, paragraph):
                inside = [m for m in mentions if m[0] >= sentence.start and m[1] <= sentence.end]
                organisations = tuple(
                    (start - sentence.start, end - sentence.start, entity)
                    for start, end, entity, kind in inside if kind == "ORG"
                )
                key = (sentence.text, article.is_english, organisations)
                found.append((article, sentence, inside, keys.setdefault(key, len(keys))))
    unique = list(keys)
    readings = memo("sentence reading", [repr(key) for key in unique], lambda i: _read_sentence(*unique[i]))
    statements: list[Statement] = []
    for article, sentence, inside, reading in found:
        stems, facts, clauses = readings[reading]
        entities = frozenset(entity for _, _, entity, _ in inside)
        terms = frozenset(stems) | {"@" + e for e in entities}
        places = frozenset(entity for _, _, entity, kind in inside if kind == "PLACE")
        statements.append(Statement(len(statements), sentence, terms, entities, article.is_english, facts,
                                    places, article.date, clauses))
    return statements


def _read_sentence(text: str, english: bool, organisations: tuple[tuple[int, int, str], ...]):
    """A sentence's content stems (event verbs as their class markers), its facts and their clauses."""
    if not english:
        return content_stems(text, english=False), (), ()
    facts = extract_facts(text, organisations)
    return content_stems(without_event_verbs(text)) + sorted(event_markers(text)), facts, fact_clauses(text, facts)


def _idf(statements: list[Statement]) -> dict[str, float]:
    frequency: dict[str, int] = defaultdict(int)
    for statement in statements:
        for term in statement.terms:
            frequency[term] += 1
    total = max(len(statements), 1)
    return {term: math.log(1 + total / count) for term, count in frequency.items()}


def _candidate_pairs(statements: list[Statement]) -> set[tuple[int, int]]:
    shared = co_occurrences([statement.terms for statement in statements], _MAX_POSTINGS)
    return {
        (a, b) for (a, b), count in shared.items()
        if count >= _MIN_SHARED_TERMS and statements[a].source != statements[b].source
    }


def _score(first: Statement, second: Statement, squares: dict[str, float], norms: list[float]) -> float:
    """Cosine of the idf-weighted term sets: 1.0 for the same words, 0.0 for none shared
    (`squares`: each term's weight squared, worked out once per term)."""
    common = first.terms & second.terms
    if not common:
        return 0.0
    dot = sum(squares[t] for t in common)
    return dot / (norms[first.index] * norms[second.index])
