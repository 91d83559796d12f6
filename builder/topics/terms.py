"""Paragraphs as clustering sees them: glossary names ("@id"), content words (plural
stripped) and runs of two or three adjacent content words ("civil protection agency"), with
the surface forms a reader writes them in."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

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


@dataclass(frozen=True)
class Unit:
    """One paragraph as clustering sees it."""

    source: str
    paragraph: int
    terms: Counter            # term key -> count
    words: int
    english: bool = True      # only English paragraphs shape topics (the word rules are English)


def paragraph_units(articles: Sequence[Article], glossary: Glossary) -> tuple[list[Unit], dict[str, Counter]]:
    """Every paragraph of every article with its terms; `display` counts each term's surface forms."""
    entity_mentions: dict[tuple[str, int], list[tuple[int, int, str]]] = defaultdict(list)
    entity_names = {}
    for entity in glossary.entities:
        entity_names[entity.id] = entity.name
        for m in entity.mentions:
            entity_mentions[(m.source, m.paragraph)].append((m.start, m.end, entity.id))
    display: dict[str, Counter] = defaultdict(Counter)
    units = []
    for article in articles:
        for index, paragraph in enumerate(article.paragraphs):
            terms = _terms(paragraph, entity_mentions.get((article.id, index), []), entity_names, display)
            units.append(Unit(article.id, index, terms, len(paragraph.split()), article.is_english))
    return units, display


def _terms(paragraph: str, mentions: list[tuple[int, int, str]], names: dict[str, str], display: dict[str, Counter]) -> Counter:
    """Glossary names ("@id"), content words (stemmed), and runs of two or three adjacent
    content words ("artillery shells", "civil protection agency") not broken by punctuation."""
    terms: Counter = Counter()
    names_at = _NameSpans([(s, e) for s, e, _ in mentions])
    for _start, _end, entity_id in mentions:
        key = f"@{entity_id}"
        terms[key] += 1
        display[key][re.sub(r"^the\s+", "", names[entity_id], flags=re.IGNORECASE)] += 1
    run: list[tuple[str, str, int]] = []     # (key, surface, start) of the current run of content words
    last_end = 0
    for match in _WORD.finditer(paragraph):
        start, word = match.start(), match.group(0)
        folded = fold_word(word)
        if paragraph[last_end:start].strip():
            run = []                    # punctuation between the words: no phrase across it
        last_end = match.end()
        inside_name = names_at.covers(start)
        if inside_name or folded in STOP or len(folded) < 3 or folded.isdigit():
            run = []                    # a name is already one term; its words make no phrases
            continue
        key = singular(folded)
        terms[key] += 1
        display[key][_surface(paragraph, start, word)] += 1
        run = (run + [(key, word, start)])[-_MAX_PHRASE:]
        for size in range(2, len(run) + 1):
            phrase = run[-size:]
            phrase_key = " ".join(k for k, _, _ in phrase)
            terms[phrase_key] += 1
            first = _surface(paragraph, phrase[0][2], phrase[0][1])
            display[phrase_key][" ".join([first] + [w for _, w, _ in phrase[1:]])] += 1
    return terms


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
