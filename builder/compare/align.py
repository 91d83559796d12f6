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
from ..text import sentence_spans
from .facts import Clause, Fact, extract_facts, fact_clauses
from .index import co_occurrences
from .text import Sentence, content_stems, event_markers, without_event_verbs

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
    readings = _source_readings(articles, spans, memo)
    statements: list[Statement] = []
    for article, sentences in zip(articles, readings):
        for number, start, end, (stems, facts, clauses) in sentences:
            paragraph = article.paragraphs[number]
            sentence = Sentence(article.id, number, start, end, paragraph[start:end])
            inside = [m for m in spans.get((article.id, number), ()) if m[0] >= start and m[1] <= end]
            entities = frozenset(entity for _, _, entity, _ in inside)
            terms = frozenset(stems) | {"@" + e for e in entities}
            places = frozenset(entity for _, _, entity, kind in inside if kind == "PLACE")
            statements.append(Statement(len(statements), sentence, terms, entities, article.is_english, facts,
                                        places, article.date, clauses))
    return statements


def _source_readings(articles: Sequence[Article], spans, memo: Memo) -> list[list]:
    """Per source, its sentences as (paragraph, start, end, reading) in order. A source read by
    an earlier build comes whole from the memo (one entry per source, not per sentence: looking
    up and unpickling a few hundred thousand entries would cost most of what they save); its
    key is all a reading depends on: the text, the language and where the organisations are
    named. Within a build a sentence repeated in many sources (a wire story, a stock line) is
    read once: reading is most of this stage."""
    organisations = [
        tuple(tuple((start, end, entity) for start, end, entity, kind in spans.get((article.id, number), ())
                    if kind == "ORG")
              for number in range(len(article.paragraphs)))
        for article in articles
    ]
    read: dict[tuple[str, bool, tuple[tuple[int, int, str], ...]], tuple] = {}

    def read_source(index: int) -> list:
        article = articles[index]
        out = []
        for number, paragraph in enumerate(article.paragraphs):
            named = organisations[index][number]
            for start, end in sentence_spans(paragraph):
                key = (paragraph[start:end], article.is_english,
                       tuple((s - start, e - start, entity) for s, e, entity in named if s >= start and e <= end))
                reading = read.get(key)
                if reading is None:
                    reading = read[key] = _read_sentence(*key)
                out.append((number, start, end, reading))
        return out

    keys = [repr((article.is_english, article.paragraphs, named)) for article, named in zip(articles, organisations)]
    return memo("source reading", keys, read_source)


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
