"""Paragraphs as clustering sees them: glossary names ("@id"), content words (plural
stripped) and runs of two or three adjacent content words ("civil protection agency"), with
the surface forms a reader writes them in."""
from __future__ import annotations

import hashlib
from array import array
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, islice
from operator import attrgetter, itemgetter
from typing import Sequence, TypeVar

import numpy as np

from ..cache import Memo, no_memo, paragraphs_digest, unambiguous_join
from ..dates import MONTH_NAMES, WEEKDAY_NAMES
from ..model import Article, Glossary
from ..text import STOP_WORDS, fold_case, singular

# Phrases are runs of at most this many content words ("civil protection agency").
_MAX_PHRASE = 3

# Words no topic is about: function words, calendar words, counting and reporting words.
STOP = STOP_WORDS | frozenset(MONTH_NAMES + WEEKDAY_NAMES) | frozenset(
    """across added again ago all already although because call called day days even every few
    first five four get got however include includes including last least like made make makes
    meanwhile month months new next no nor not now one only part per second several since state
    still take therefore third though three thus time times today tomorrow took two until use
    used using want wanted way week weeks well whether year years yesterday yet""".split()
)

# `fold_case` of a single word, remembered: a dossier uses a few tens of thousands of distinct
# words millions of times, and folding (NFKC, quotes, spaces) took a third of the stage.
fold_word = lru_cache(maxsize=1 << 17)(fold_case)

UNSURE = "\x00"     # marks a form whose capital may be the sentence's (see `_surface`)
# A word: letters of any script ("café", "Zürich", "Łódź"; `[^\W\d_]` is a letter), with
# apostrophes and hyphens inside. ASCII letters alone cut "café" to "caf" in keywords and labels.
_LETTER = r"[^\W\d_]"
_WORD = re.compile(rf"{_LETTER}(?:{_LETTER}|['’-])*{_LETTER}|{_LETTER}")
# The same on ASCII text, where a letter is [A-Za-z]: twice as fast as the Unicode classes.
_ASCII_WORD = re.compile(r"[A-Za-z](?:[A-Za-z'-])*[A-Za-z]|[A-Za-z]")


@dataclass(frozen=True)
class Unit:
    """One paragraph as clustering sees it (its terms are in `Terms`, under its index)."""

    source: str
    paragraph: int
    words: int
    english: bool = True      # only English paragraphs shape topics (the word rules are English)


@dataclass(frozen=True)
class Terms:
    """Every paragraph's distinct terms with their counts, paragraph after paragraph, in flat
    lists (millions of entries in a large dossier: one list each, not a dict per paragraph):
    unit i's terms are `keys[bounds[i]:bounds[i + 1]]`, used `counts[...]` times."""

    keys: list[str]
    counts: list[int]
    bounds: list[int]
    # term -> how many paragraphs use it (`Counter(keys)`), when the caller has it already.
    frequencies: dict[str, int] | None = None
    # A serving build's (see `paragraph_units`): every paragraph's terms as numbers (`numbers`
    # says which term each number is) sorted by term within the paragraph, with their counts.
    # `keys` and `counts` are then left empty.
    numbered: tuple[np.ndarray, np.ndarray, dict[str, int]] | None = None


def read_articles(articles: Sequence[Article], glossary: Glossary, memo: Memo = no_memo,
                  digests: Sequence[str] | None = None) -> list[Reading]:
    """Every article's paragraphs as clustering sees them. `memo` keeps each article's reading
    between builds; `digests` are the articles' `paragraphs_digest` hex digests, when the caller
    has them already."""
    names = {entity.id: _THE.sub("", entity.name) for entity in glossary.entities}
    named = _NamedIn(articles, glossary, names)
    if digests is None:
        digests = [paragraphs_digest(article.paragraphs) for article in articles]
    keys = named.keys(digests)
    return memo("topic terms", keys, lambda i: _read_article(articles[i], _by_paragraph(articles[i], named.found(i)), names))


class _NamedIn:
    """The glossary's names in each article (paragraph, start, end, entity id), in the
    glossary's order, gathered in C: every mention's fields read by `attrgetter`, the mentions
    put in article order by a stable sort (tens of thousands of mentions: a Python pass over
    them was a third of reading the articles). The key of an article's names is the bytes of
    its rows of (paragraph, start, end, entity) numbers, each entity written as the first 16
    bytes of the sha256 of its id and shown name: all `_read_article` reads of an entity."""

    _FIELDS = attrgetter("source", "paragraph", "start", "end")

    def __init__(self, articles: Sequence[Article], glossary: Glossary, names: dict[str, str]) -> None:
        entities = glossary.entities
        self._ids = [entity.id for entity in entities]
        rows = list(map(self._FIELDS, chain.from_iterable(entity.mentions for entity in entities)))
        sources, self._paragraphs, self._starts, self._ends = zip(*rows) if rows else ((), (), (), ())
        code = {source: len(articles) + n for n, source in enumerate(sorted(set(sources)))}   # sources no article has
        code.update((article.id, n) for n, article in enumerate(articles))
        where = np.fromiter(map(code.__getitem__, sources), np.int64, len(rows))
        self._entity = np.repeat(np.arange(len(entities)), np.array([len(entity.mentions) for entity in entities], np.int64))
        self._order = np.argsort(where, kind="stable")      # stable: the glossary's order within an article
        self._bounds = np.searchsorted(where[self._order], np.arange(len(articles) + 1)).tolist()
        marks = np.frombuffer(b"".join(hashlib.sha256(repr((entity_id, names[entity_id])).encode("utf-8", "surrogatepass")).digest()[:16]
                                       for entity_id in self._ids), np.int64).reshape(-1, 2)
        numbers = np.column_stack((np.fromiter(self._paragraphs, np.int64, len(rows)), np.fromiter(self._starts, np.int64, len(rows)),
                                   np.fromiter(self._ends, np.int64, len(rows)), marks[self._entity].reshape(-1, 2)))
        self._rows = np.ascontiguousarray(numbers[self._order])

    def keys(self, digests: Sequence[str]) -> list[str]:
        """Everything `_read_article` reads of each article: its paragraphs (their digest) and
        the names in them (where, which entity, the name shown for it)."""
        rows, bounds = self._rows, self._bounds
        return [hashlib.sha256(digest.encode() + b"\0" + rows[bounds[i]:bounds[i + 1]].tobytes()).hexdigest()
                for i, digest in enumerate(digests)]

    def found(self, index: int) -> list[tuple[int, int, int, str]]:
        """The names in the article at `index`: (paragraph, start, end, entity id)."""
        ids, entity = self._ids, self._entity
        return [(self._paragraphs[p], self._starts[p], self._ends[p], ids[entity[p]])
                for p in self._order[self._bounds[index]:self._bounds[index + 1]].tolist()]


def paragraph_units(articles: Sequence[Article], readings: Sequence[Reading],
                    keep: bool = False) -> tuple[list[Unit], Terms, dict[str, dict[str, int]]]:
    """Every paragraph of every article with its terms; `display` counts each term's surface
    forms. keep: a serving process's build, whose tallies over the readings (the surface forms,
    the paragraphs using each term) are kept for the next build, which then only takes out the
    readings that went and adds the ones that came."""
    units: list[Unit] = []
    terms = Terms([], [], [0])
    made = _Tallies.units_made(keep)
    for article, reading in zip(articles, readings):
        english = article.is_english
        units.extend(made(article.id, english, reading))
        if not keep:
            terms.keys.extend(reading.keys)
            terms.counts.extend(reading.counts)
        terms.bounds.extend(islice(accumulate(reading.sizes, initial=terms.bounds[-1]), 1, None))
    if not keep:
        display, frequencies = _Tallies.counted(readings)
        return units, Terms(terms.keys, terms.counts, terms.bounds, frequencies), display
    display, frequencies = _Tallies.kept(readings)
    return units, Terms([], [], terms.bounds, frequencies, _Tallies.numbered(readings)), display


class _Tallies:
    """The display forms and paragraph frequencies of the terms of a serving process's last
    build, with the readings they were counted from (the memo gives an unchanged source the very
    same Reading object: identity tells which readings came and went)."""

    readings: dict[int, tuple[Reading, int]] = {}     # id -> (reading, how many articles have it)
    display: dict[str, dict[str, int]] = {}
    frequencies: dict[str, int] = {}
    # Every term met gets a number for good (so a reading's numbers stay right when others come
    # and go); each reading's terms as numbers, kept while it is read: id -> (reading, numbers, counts).
    numbers: dict[str, int] = {}
    by_number: dict[int, tuple[Reading, np.ndarray, np.ndarray]] = {}

    # A serving build's units per article: (id(reading), source, English) -> (reading, units).
    units: dict[tuple[int, str, bool], tuple[Reading, tuple[Unit, ...]]] = {}

    @classmethod
    def units_made(cls, keep: bool):
        """f(source, english, reading) -> the article's units; with `keep`, an article whose
        reading the last build had gets the units it made (frozen records: 10,000 of them cost
        more to make than the rest of the assembly)."""
        if not keep:
            return _units
        last, cls.units = cls.units, {}
        kept = cls.units

        def made(source: str, english: bool, reading: Reading) -> tuple[Unit, ...]:
            key = (id(reading), source, english)
            entry = last.get(key) or kept.get(key) or (reading, _units(source, english, reading))
            kept[key] = entry
            return entry[1]
        return made

    @classmethod
    def numbered(cls, readings: Sequence[Reading]) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
        """Every paragraph's terms as numbers, sorted by term within the paragraph (the order of
        the columns of the term matrix, whose vocabulary is sorted), and their counts; a reading
        already numbered by the last build is not numbered again."""
        last, cls.by_number = cls.by_number, {}
        if len(cls.numbers) > 2 * len(cls.frequencies) + 10_000:
            last, cls.numbers = {}, {}    # numbers of terms long gone: start again
        kept = {}
        for reading in readings:
            kept[id(reading)] = last.get(id(reading)) or kept.get(id(reading)) or _numbered(reading, cls.numbers)
        numbers = np.concatenate([kept[id(r)][1] for r in readings] or [np.zeros(0, dtype=np.int64)])
        counts = np.concatenate([kept[id(r)][2] for r in readings] or [np.zeros(0, dtype=np.int64)])
        cls.by_number = kept
        return numbers, counts, cls.numbers

    @staticmethod
    def counted(readings: Sequence[Reading]) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
        """(term -> {surface form -> uses}, term -> paragraphs using it), counted afresh in C."""
        written: Counter = Counter()      # (term, surface form) -> count, article by article
        frequencies: Counter = Counter()  # each paragraph lists a term once
        for reading in readings:
            written.update(zip(reading.uses, reading.surfaces))
            frequencies.update(reading.keys)
        display: dict[str, dict[str, int]] = {}
        for (key, surface), count in written.items():
            display.setdefault(key, {})[surface] = count
        return display, frequencies

    @classmethod
    def kept(cls, readings: Sequence[Reading]) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
        """`counted`, from the last build's tallies when few readings changed: the same counts
        (a count that falls to zero is removed, as a fresh count never holds one)."""
        last, display, frequencies = cls.readings, cls.display, cls.frequencies
        cls.readings, cls.display, cls.frequencies = {}, {}, {}    # nothing kept if this fails half-way
        now, changes = changes_by_identity(last, readings)
        if not last or len(changes) > max(16, len(now) // 8):
            display, frequencies = cls.counted(readings)    # a first build, or most of it new
        else:
            for reading, times in changes:
                _add_tallies(display, frequencies, reading, times)
        cls.readings, cls.display, cls.frequencies = now, display, frequencies
        return display, frequencies


def changes_by_identity(last: dict[int, tuple[T, int]], items: Sequence[T]) -> tuple[dict[int, tuple[T, int]], list[tuple[T, int]]]:
    """({id: (item, how many times `items` holds it)}, [(item, how many more times than in
    `last`, negative for fewer)]): what came and went since `last`, told by identity (the memo
    gives an unchanged source's result as the very same object; `last` holds its items, so no
    other object has taken their identity)."""
    now: dict[int, tuple[T, int]] = {}
    for item in items:
        now[id(item)] = (item, now.get(id(item), (item, 0))[1] + 1)
    changes = [(item, n - last.get(i, (item, 0))[1]) for i, (item, n) in now.items() if n != last.get(i, (item, 0))[1]]
    changes += [(item, -n) for i, (item, n) in last.items() if i not in now]
    return now, changes


def _units(source: str, english: bool, reading: Reading) -> tuple[Unit, ...]:
    return tuple(Unit(source, index, words, english) for index, words in enumerate(reading.words))


def _numbered(reading: Reading, numbers: dict[str, int]) -> tuple[Reading, np.ndarray, np.ndarray]:
    """(reading, its terms' numbers, their counts), sorted by term within each paragraph;
    terms not numbered yet get the next numbers."""
    keys, counts = reading.keys, reading.counts
    order: list[int] = []
    start = 0
    for size in reading.sizes:
        order.extend(sorted(range(start, start + size), key=keys.__getitem__))
        start += size
    numbered = np.fromiter((numbers.setdefault(keys[i], len(numbers)) for i in order), dtype=np.int64, count=len(order))
    return reading, numbered, np.fromiter((counts[i] for i in order), dtype=np.int64, count=len(order))


def _add_tallies(display: dict[str, dict[str, int]], frequencies: dict[str, int], reading: Reading, times: int) -> None:
    """Adds `reading`'s surface forms and terms `times` times (negative: takes them out)."""
    for (key, surface), count in Counter(zip(reading.uses, reading.surfaces)).items():
        forms = display.setdefault(key, {})
        total = forms.get(surface, 0) + times * count
        if total:
            forms[surface] = total
        else:
            del forms[surface]
            if not forms:
                del display[key]
    for key in reading.keys:
        total = frequencies.get(key, 0) + times
        if total:
            frequencies[key] = total
        else:
            del frequencies[key]


@dataclass(frozen=True)
class Reading:
    """One article's paragraphs as clustering sees them (plain tuples: they are kept between
    builds and read back for every article of every rebuild)."""

    keys: tuple[str, ...]           # every paragraph's distinct terms, paragraph after paragraph
    counts: tuple[int, ...]         # how often each is used in its paragraph
    sizes: tuple[int, ...]          # per paragraph: how many of `keys` are its
    words: tuple[int, ...]          # per paragraph: its length in words
    uses: tuple[str, ...]           # the term of every use, in reading order (`keys` counts them per paragraph)
    surfaces: tuple[str, ...]       # how each use is written
    # A digest of all the above: everything the rest of the stage reads of the article's text.
    # Edits that leave it alone (a corrected figure: numbers are no terms) leave the topics alone.
    digest: str


T = TypeVar("T")

Mentions = list[list[tuple[int, int, str]]]     # per paragraph: (start, end, entity id)


def _by_paragraph(article: Article, found: list[tuple[int, int, int, str]]) -> Mentions:
    """The names in each paragraph (start, end, entity id), in the glossary's order (one of a
    paragraph the article does not have is nobody's)."""
    mentions: Mentions = [[] for _ in article.paragraphs]
    for paragraph, start, end, entity_id in found:
        if 0 <= paragraph < len(mentions):
            mentions[paragraph].append((start, end, entity_id))
    return mentions


def _read_article(article: Article, mentions: Mentions, names: dict[str, str]) -> Reading:
    uses: list[str] = []
    surfaces: list[str] = []
    keys: list[str] = []
    counts: list[int] = []
    sizes = []
    for paragraph, found in zip(article.paragraphs, mentions):
        start = len(uses)
        _terms(paragraph, found, names, uses, surfaces)
        terms = Counter(uses[start:])
        keys.extend(terms)
        counts.extend(terms.values())
        sizes.append(len(terms))
    words = [len(paragraph.split()) for paragraph in article.paragraphs]
    return Reading(tuple(keys), tuple(counts), tuple(sizes), tuple(words), tuple(uses), tuple(surfaces),
                   _reading_digest(counts, sizes, words, uses, surfaces))


def _reading_digest(counts: list[int], sizes: list[int], words: list[int], uses: list[str], surfaces: list[str]) -> str:
    """sha256 hex digest of a reading, in C: the numbers as 8-byte integers, the strings joined.
    The terms (`keys`) are the distinct `uses` of each paragraph, whose number of uses the
    counts give: digested with the uses."""
    digest = hashlib.sha256()
    for numbers in (counts, sizes, words):
        digest.update(b"%d\0" % len(numbers) + array("q", numbers).tobytes())
    for strings in (uses, surfaces):
        digest.update(unambiguous_join(strings))
    return digest.hexdigest()


_THE = re.compile(r"^the\s+", re.IGNORECASE)


def _terms(paragraph: str, mentions: list[tuple[int, int, str]], names: dict[str, str],
           found: list[str], written: list[str]) -> None:
    """Glossary names ("@id"), content words (stemmed), and runs of two or three adjacent
    content words ("artillery shells", "civil protection agency") not broken by punctuation.
    Each use's term is added to `found`, in reading order, and its surface form to `written`."""
    names_at = _NameSpans([(s, e) for s, e, _ in mentions])
    found.extend(f"@{entity_id}" for _start, _end, entity_id in mentions)
    written.extend(names[entity_id] for _start, _end, entity_id in mentions)
    run: list[tuple[str, str, str]] = []     # (key, word, surface) of the current run of content words
    last_end = 0
    for match in (_ASCII_WORD if paragraph.isascii() else _WORD).finditer(paragraph):
        start, word = match.start(), match.group()
        if start - last_end > 1 or (start > last_end and paragraph[last_end] != " "):
            if paragraph[last_end:start].strip():
                run = []                # punctuation between the words: no phrase across it
        last_end = match.end()
        key = _content_key(word)
        if key is None or names_at.covers(start):
            run = []                    # a name is already one term; its words make no phrases
            continue
        surface = _surface(paragraph, start, word) if word[0].isupper() else word   # most words: as written
        found.append(key)
        written.append(surface)
        # The phrases ending here, shortest first: the last two and the last three words.
        run = run[-(_MAX_PHRASE - 1):] + [(key, word, surface)]
        if len(run) >= 2:
            pair_key = f"{run[-2][0]} {key}"
            found.append(pair_key)
            written.append(f"{run[-2][2]} {word}")
            if len(run) == 3:
                triple_key = f"{run[0][0]} {pair_key}"
                found.append(triple_key)
                written.append(f"{run[0][2]} {run[1][1]} {word}")


@lru_cache(maxsize=1 << 17)
def _content_key(word: str) -> str | None:
    """The term key of a word (folded, plural stripped), or None for a word no topic is about
    (a stop word, shorter than three letters, a number). Remembered per distinct word."""
    folded = fold_word(word)
    if folded in STOP or len(folded) < 3 or folded.isdigit():
        return None
    return singular(folded)


class _NameSpans:
    """Whether a word starting at a given offset lies inside a glossary name, for words met in
    reading order: the spans are walked once, not scanned per word (quadratic in a long
    paragraph full of names)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self._spans = sorted(spans)
        self._next = 0
        self._furthest_end = -1      # the latest end of the spans starting at or before the last offset asked

    def covers(self, offset: int) -> bool:
        while self._next < len(self._spans) and self._spans[self._next][0] <= offset:
            self._furthest_end = max(self._furthest_end, self._spans[self._next][1])
            self._next += 1
        return offset < self._furthest_end


def _surface(paragraph: str, start: int, word: str) -> str:
    """How the word is written: its own capital kept ("UN", "Veridian" mid-sentence), the
    lower case when written so; a capital that opens a sentence proves nothing, so such a form
    is marked `UNSURE` and only shown when no other form exists."""
    if word.isupper() and len(word) > 1:
        return word
    if not word[0].isupper():
        return word
    # The character before the word, spaces skipped, found in place: slicing off all the text
    # before each word was quadratic in a long paragraph.
    before = start
    while before > 0 and paragraph[before - 1].isspace():
        before -= 1
    if before and paragraph[before - 1] not in ".!?:;\"“‘'(—–-":
        return word
    return UNSURE + fold_case(word)
