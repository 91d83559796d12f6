"""Statements and their alignment across sources.

A statement is one sentence with its content stems and the glossary entities it names. Two
statements of different sources are aligned when they share enough rare words and entities;
candidates come from an inverted index, so the cost grows with the number of sentences that
share a rare term, not with the square of the dossier.
"""
from __future__ import annotations

import hashlib
import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
from scipy import sparse

from ..cache import Memo, keeps_last_build, no_memo, paragraphs_digest
from ..model import Article, Glossary
from ..text import sentence_spans, words
from .facts import Clause, Fact, extract_facts, fact_clauses
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
# A source's opening paragraphs (see Alignment.openings): the first this many of running text.
_LEAD_PARAGRAPHS = 3
# Paragraphs shorter than this many words (a section heading, a "key takeaways" bullet, a
# stray share line) do not count among the opening paragraphs: leads run 20-60 words.
_MIN_OPENING_WORDS = 12
# Alignment scores are kept to this many decimals: the same score on every machine and in
# every summation order the sparse product takes.
_SCORE_DIGITS = 4
# A scaled score this close to a half may have been moved across it by the scaling's rounding
# (an error of about 1e-12 for scores up to 1): such scores are rounded by round() itself.
_HALF_MARGIN = 1e-6


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
class _Summary:
    """What later passes ask of one source's statements, read when they are made and kept with
    them between builds, so that a rebuild does not walk every statement again to find it."""

    openings: tuple[int, ...]                            # its opening paragraphs (see Alignment.openings)
    facts: tuple[tuple[str, tuple[tuple[int, int], ...]], ...]   # kind -> (statement, fact) numbered in the source


@dataclass(frozen=True)
class Alignment:
    statements: tuple[Statement, ...]
    pairs: tuple[tuple[int, int, float], ...]    # (statement, statement, score), first < second
    weights: dict[str, float]                    # idf of every term
    # (source id, digest of all its sentences and facts depend on), in article order: what a
    # result kept between builds about a source's facts is keyed by (its terms and entities,
    # which the other names it holds change, are not covered)
    sources: tuple[tuple[str, str], ...] = ()
    # a digest of everything the alignment is made of (each source's id, date, language,
    # paragraphs and entity spans, in article order): equal digests, equal alignments
    digest: str = ""
    # per source (article order): the number of its first statement and its summary
    summaries: tuple[tuple[int, _Summary], ...] = ()
    # per source (article order): the digest its statements are made of (text, date, language,
    # every entity span); with its first statement's number it says exactly what they are
    contents: tuple[str, ...] = ()
    # `pairs` as pair_columns gives them (read-only arrays), made with them: three stages ask
    columns: tuple[np.ndarray, ...] = field(default=(), compare=False, repr=False)

    @property
    def openings(self) -> frozenset[tuple[str, int]]:
        """Each source's first paragraphs of running text (source, paragraph): where it reports
        the main news."""
        return frozenset((source, paragraph) for (source, _), (_, summary) in zip(self.sources, self.summaries)
                         for paragraph in summary.openings)

    def stating_sources(self) -> list[str]:
        """The ids of the sources with at least one statement, in article order."""
        ends = [start for start, _ in self.summaries[1:]] + [len(self.statements)]
        return [source for (source, _), (start, _), end in zip(self.sources, self.summaries, ends) if end > start]

    def statement_sources(self) -> np.ndarray:
        """Each statement's source as its number in article order (statements are numbered
        source after source)."""
        return _source_numbers([start for start, _ in self.summaries], len(self.statements))

    def facts_of_kind(self, kind: str) -> list[tuple[Statement, Fact]]:
        """Every fact of this kind with its statement, in statement order."""
        statements = self.statements
        out = []
        for start, summary in self.summaries:
            for found, where in summary.facts:
                if found == kind:
                    out.extend((statements[start + n], statements[start + n].facts[k]) for n, k in where)
        return out

    def pair_columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The aligned pairs as three columns: first statement, second statement, score (never
        to be changed: shared by every caller)."""
        if self.columns:
            return self.columns
        flat = np.fromiter(itertools.chain.from_iterable(self.pairs), dtype=np.float64,
                           count=3 * len(self.pairs)).reshape(-1, 3)
        return flat[:, 0].astype(np.int64), flat[:, 1].astype(np.int64), flat[:, 2]


def align_statements(articles: Sequence[Article], glossary: Glossary, memo: Memo = no_memo) -> Alignment:
    statements, digests, contents, summaries = _statements(articles, glossary, memo)
    rows = _TermRows(statements)
    total = max(len(statements), 1)
    # (in the order terms are first met, as a Counter of them would give)
    weights = {term: math.log(1 + total / count) for term, count in zip(rows.vocabulary, rows.held_by.tolist())}
    first, second = rows.candidate_pairs(_source_numbers([start for start, _ in summaries], len(statements)))
    scores = rows.cosines(first, second, np.array(list(weights.values())) ** 2)
    rounded = _rounded(scores)
    pairs = tuple(zip(first.tolist(), second.tolist(), rounded.tolist()))
    columns = (first.astype(np.int64), second.astype(np.int64), rounded)
    for column in columns:
        column.flags.writeable = False
    return Alignment(tuple(statements), pairs, weights, tuple(zip((a.id for a in articles), digests)),
                     hashlib.sha256(" ".join(contents).encode()).hexdigest(), summaries, tuple(contents), columns)


def _rounded(scores: np.ndarray) -> np.ndarray:
    """round(score, _SCORE_DIGITS) of each score, the same floats, at C speed. round() takes the
    nearest decimal to the score's exact value and then the nearest float to that decimal;
    k / 10**digits is that float when k is the right integer (the division is exact-rounded), and
    rint(score * 10**digits) is, unless the scaled score lies within its rounding error of a
    half: those few are rounded by round() itself."""
    scale = 10.0 ** _SCORE_DIGITS
    scaled = scores * scale
    rounded = np.rint(scaled) / scale
    for at in np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < _HALF_MARGIN).tolist():
        rounded[at] = round(float(scores[at]), _SCORE_DIGITS)
    return rounded


def _source_numbers(starts: Sequence[int], size: int) -> np.ndarray:
    """Each of `size` statements' source number, sources starting at `starts` (ascending)."""
    return np.repeat(np.arange(len(starts)), np.diff([*starts, size]))


class _TermRows:
    """Each statement's terms as a row of term numbers (terms numbered in the order they are
    first met: `vocabulary`): the candidate pairs and their scores are worked out over these
    arrays, not term by term."""

    def __init__(self, statements: Sequence[Statement]) -> None:
        # a new term gets the next number as it is met: numbering and counting are then one
        # pass at C speed (map over the dict's lookup, then a bincount), not a Counter and a numbering
        number: defaultdict[str, int] = defaultdict(itertools.count().__next__)
        lengths = np.fromiter(map(len, (s.terms for s in statements)), dtype=np.int64, count=len(statements))
        self.size = len(statements)
        self.terms = np.fromiter(map(number.__getitem__, itertools.chain.from_iterable(s.terms for s in statements)),
                                 dtype=np.int64, count=int(lengths.sum()))
        self.starts = np.concatenate(([0], np.cumsum(lengths)))
        self.rows = np.repeat(np.arange(len(statements)), lengths)
        self.vocabulary = list(number)
        self.held_by = np.bincount(self.terms, minlength=len(number))   # statements holding each term

    def candidate_pairs(self, sources: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(first, second) statement numbers, first < second, in order: statements of different
        sources sharing at least _MIN_SHARED_TERMS terms held by at most _MAX_POSTINGS statements."""
        order = np.argsort(self.terms, kind="stable")          # postings by term, statements ascending
        held_by = self.held_by
        term_of = self.terms[order]
        statement_of = self.rows[order]
        group_end = np.cumsum(held_by)[term_of]                 # one past each posting's last fellow
        after = group_end - np.arange(len(order)) - 1           # fellows after each posting in its term
        after[held_by[term_of] > _MAX_POSTINGS] = 0
        first_at = np.repeat(np.arange(len(order)), after)
        run_starts = np.repeat(np.cumsum(after) - after, after)
        second_at = first_at + 1 + (np.arange(len(first_at)) - run_starts)
        codes, shared = np.unique(statement_of[first_at] * self.size + statement_of[second_at], return_counts=True)
        codes = codes[shared >= _MIN_SHARED_TERMS]
        first, second = codes // self.size, codes % self.size
        apart = sources[first] != sources[second]
        return first[apart], second[apart]

    def cosines(self, first: np.ndarray, second: np.ndarray, squares: np.ndarray) -> np.ndarray:
        """Cosine of the idf-weighted term sets of each pair: 1.0 for the same words, 0.0 for none
        shared (`squares`: each term's weight squared)."""
        weighted = sparse.csr_matrix((squares[self.terms], self.terms, self.starts), shape=(self.size, len(self.vocabulary)))
        weighted.sort_indices()
        held = weighted.copy()
        held.data[:] = 1.0
        norms = np.sqrt(np.asarray(weighted.sum(axis=1)).ravel())
        dots = np.asarray(held[first].multiply(weighted[second]).sum(axis=1)).ravel()
        return dots / (norms[first] * norms[second])


def _entity_spans(glossary: Glossary) -> dict[tuple[str, int], list[tuple[int, int, str, str]]]:
    spans: dict[tuple[str, int], list[tuple[int, int, str, str]]] = defaultdict(list)
    for entity in glossary.entities:
        for mention in entity.mentions:
            spans[(mention.source, mention.paragraph)].append((mention.start, mention.end, entity.id, entity.type))
    for found in spans.values():
        found.sort()
    return spans


def _statements(articles: Sequence[Article], glossary: Glossary,
                memo: Memo) -> tuple[list[Statement], list[str], list[str], tuple[tuple[int, _Summary], ...]]:
    """Every sentence of every source as a statement, numbered in article order, and per
    source a digest of all its sentences and facts depend on (its text, date, language and
    the organisations it names; not the other names, which only its terms and entities read)
    and a digest of all its statements depend on (the same and every name's span).

    A source's statements depend on its text, its date and the entity spans in it; their
    numbers also on how many statements come before it. So each source's statements are kept
    between builds numbered from 0 (`_source_statements`), and renumbered in each build: a
    copy costs a microsecond, and keeping the numbered copies would cost writing them to the
    cache whenever an edit moved the sources after it."""
    spans = _entity_spans(glossary)
    named = [tuple(tuple(spans.get((article.id, number), ())) for number in range(len(article.paragraphs)))
             for article in articles]
    # the paragraphs digested length-prefixed, not through their repr (which escapes): every build
    # digests every source
    texts = [paragraphs_digest(article.paragraphs, repr((article.id, article.date, article.is_english)))
             for article in articles]
    contents = [_digest(text, found) for text, found in zip(texts, named)]
    facts = [_digest(text, tuple(tuple(span for span in spans if span[3] == "ORG") for spans in found))
             for text, found in zip(texts, named)]

    def unnumbered(indices: list[int]) -> list[tuple[tuple[tuple[Statement, ...], _Summary], tuple]]:
        return [((statements, _summary(statements)), ())
                for statements in _source_statements([articles[i] for i in indices], [named[i] for i in indices], memo)]

    local = memo("source statements and summary", contents, many=unnumbered)
    offsets = list(itertools.accumulate((len(statements) for statements, _ in local), initial=0))
    numbered = _numbered([statements for statements, _ in local], offsets, contents, keeps_last_build(memo))
    return numbered, facts, contents, tuple(zip(offsets, (summary for _, summary in local)))


# A serving process's last build (`keeps_last_build`): (first number, contents digest) -> a
# source's statements so numbered. A source whose digest and first number are unchanged (every
# source before an edited one; all of them when the edit keeps the number of sentences) takes
# them again rather than copying each statement.
_kept_numbered: dict[tuple[int, str], tuple[Statement, ...]] = {}


def _numbered(local: Sequence[tuple[Statement, ...]], offsets: Sequence[int], contents: Sequence[str],
              keep: bool) -> list[Statement]:
    """Every source's statements (numbered from 0 in `local`) numbered from its offset, in order."""
    global _kept_numbered
    kept, used = (_kept_numbered, {}) if keep else ({}, None)
    numbered: list[Statement] = []
    for statements, offset, content in zip(local, offsets, contents):
        found = kept.get((offset, content))
        if found is None:
            found = statements if offset == 0 else tuple([_renumbered(s, offset + s.index) for s in statements])
        if used is not None:
            used[(offset, content)] = found
        numbered.extend(found)
    _kept_numbered = used if used is not None else {}
    return numbered


def _summary(statements: Sequence[Statement]) -> _Summary:
    """One source's summary (statements numbered from 0)."""
    openings = []
    # a source's statements are one run, its paragraphs in order: each paragraph is one group;
    # they are counted (tokenised) only until its openings are found
    for paragraph, sentences in itertools.groupby(statements, key=lambda s: s.paragraph):
        if len(openings) < _LEAD_PARAGRAPHS and sum(len(words(s.sentence.text)) for s in sentences) >= _MIN_OPENING_WORDS:
            openings.append(paragraph)
    facts: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for statement in statements:
        for k, fact in enumerate(statement.facts):
            facts[fact.kind].append((statement.index, k))
    return _Summary(tuple(openings), tuple((kind, tuple(where)) for kind, where in sorted(facts.items())))


def _digest(text: str, spans: tuple) -> str:
    return hashlib.sha256(f"{text}\0{spans!r}".encode("utf-8", "surrogatepass")).hexdigest()


def _renumbered(statement: Statement, index: int) -> Statement:
    """A copy of the statement with another number. Made by copying its fields rather than by
    dataclasses.replace, which runs the checks of __init__ again: a source that moved renumbers
    all its statements, and an edit early in a large dossier moves most sources."""
    copy = object.__new__(Statement)
    copy.__dict__.update(statement.__dict__, index=index)
    return copy


def _source_statements(articles: Sequence[Article], named: Sequence[tuple], memo: Memo) -> list[tuple[Statement, ...]]:
    """The statements of each of these sources, numbered from 0 in each (`named`: per source,
    per paragraph, the entity spans (start, end, entity, type) in order)."""
    readings = _source_readings(articles, named, memo)
    out = []
    for article, spans, sentences in zip(articles, named, readings):
        statements = []
        for number, start, end, (stems, facts, clauses) in sentences:
            paragraph = article.paragraphs[number]
            sentence = Sentence(article.id, number, start, end, paragraph[start:end])
            inside = [m for m in spans[number] if m[0] >= start and m[1] <= end]
            entities = frozenset(entity for _, _, entity, _ in inside)
            terms = frozenset(stems) | {"@" + e for e in entities}
            places = frozenset(entity for _, _, entity, kind in inside if kind == "PLACE")
            statements.append(Statement(len(statements), sentence, terms, entities, article.is_english, facts,
                                        places, article.date, clauses))
        out.append(tuple(statements))
    return out


def _source_readings(articles: Sequence[Article], named: Sequence[tuple], memo: Memo) -> list[list]:
    """Per source, its sentences as (paragraph, start, end, reading) in order. A source read by
    an earlier build comes whole from the memo (one entry per source, not per sentence: looking
    up and unpickling a few hundred thousand entries would cost most of what they save); its
    key is all a reading depends on: the text, the language and where the organisations are
    named. Within a build a sentence repeated in many sources (a wire story, a stock line) is
    read once: reading is most of this stage."""
    organisations = [
        tuple(tuple((start, end, entity) for start, end, entity, kind in spans if kind == "ORG") for spans in found)
        for found in named
    ]
    read: dict[tuple[str, bool, tuple[tuple[int, int, str], ...]], tuple] = {}

    def read_source(index: int) -> list:
        article = articles[index]
        out = []
        for number, paragraph in enumerate(article.paragraphs):
            orgs = organisations[index][number]
            for start, end in sentence_spans(paragraph):
                key = (paragraph[start:end], article.is_english,
                       tuple((s - start, e - start, entity) for s, e, entity in orgs if s >= start and e <= end))
                reading = read.get(key)
                if reading is None:
                    reading = read[key] = _read_sentence(*key)
                out.append((number, start, end, reading))
        return out

    keys = [repr((article.is_english, article.paragraphs, orgs)) for article, orgs in zip(articles, organisations)]
    return memo("source reading", keys, read_source)


def _read_sentence(text: str, english: bool, organisations: tuple[tuple[int, int, str], ...]):
    """A sentence's content stems (event verbs as their class markers), its facts and their clauses."""
    if not english:
        return content_stems(text, english=False), (), ()
    facts = extract_facts(text, organisations)
    return content_stems(without_event_verbs(text)) + sorted(event_markers(text)), facts, fact_clauses(text, facts)
