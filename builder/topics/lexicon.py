"""What the dossier's own text says about its words, for choosing labels: which are nouns,
which verbs, which demonyms and which name events."""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, compress
from operator import attrgetter
from typing import Sequence

from ..cache import Memo, keeps_last_build, no_memo, paragraphs_digest, unambiguous_join
from ..model import Article, Glossary
from ..text import fold_case, singular
from .terms import STOP, changes_by_identity, fold_word

# Words that open a noun phrase, and words after which the next word is a verb.
_NOUN_OPENERS = frozenset("the a an of their its his her our this these those some many several any for against with by from in on about".split())
_VERB_OPENERS = frozenset("to will would can could may might must shall should did does do they we he she i you".split())

# Words (letters of any script, apostrophes, hyphens) and single other characters.
_TOKEN = re.compile(r"(?:[^\W\d_]|['’-])+|[^\s]")
# The same on ASCII text, where a letter is [A-Za-z]: twice as fast as the Unicode classes.
_ASCII_TOKEN = re.compile(r"[A-Za-z'-]+|[^\s]")

_ADVERBS = frozenset("now also still not never already just soon then even only".split())


@dataclass(frozen=True)
class Lexicon:
    """What the dossier's own text says about its words, for choosing labels."""

    demonyms: frozenset[str]             # "russian", "western": tagged NORP by the recogniser
    nouns: frozenset[str]                # word keys used as the head of a noun phrase more than as a verb
    verbs: frozenset[str]                # word keys used after "to", a modal or a pronoun
    events: frozenset[str] = frozenset()  # "@id" terms of glossary entities of type EVENT


def read_lexicon(articles: Sequence[Article], glossary: Glossary, memo: Memo = no_memo,
                 digests: Sequence[str] | None = None) -> Lexicon:
    """Word roles read off the text with a chunker's rule of thumb (no second NLP pass): the
    last word of a run of content words after "the", "of", "their"... heads a noun phrase; the
    first word of a run right after "to", a modal or a subject pronoun is a verb. `memo` keeps
    each article's counts between builds (they depend on its paragraphs alone: `digests`, the
    articles' `paragraphs_digest` hex digests, when the caller has them already)."""
    keys = digests if digests is not None else [paragraphs_digest(article.paragraphs) for article in articles]
    hits = memo("topic word roles", keys, lambda i: _role_hits(articles[i].paragraphs))
    noun_hits, verb_hits = _KeptHits.counted(hits) if keeps_last_build(memo) else _counted(hits)
    nouns = frozenset(w for w, n in noun_hits.items() if n > verb_hits[w])
    verbs = frozenset(w for w, n in verb_hits.items() if n >= noun_hits[w])
    # The spans labelled NORP picked in C (a glossary holds every recognised span: many thousands).
    norp = compress(glossary.spans, map("NORP".__eq__, map(attrgetter("label"), glossary.spans)))
    demonyms = frozenset(map(fold_case, set(map(attrgetter("text"), norp))))
    events = frozenset(f"@{e.id}" for e in glossary.entities if e.type == "EVENT")
    return Lexicon(demonyms, nouns, verbs, events)


Hits = tuple[tuple[str, ...], tuple[str, ...]]    # an article's noun and verb hits (`_role_hits`)


def _counted(hits: Sequence[Hits]) -> tuple[Counter, Counter]:
    """(word -> uses heading a noun phrase, word -> uses as a verb) over every article, in C."""
    return (Counter(chain.from_iterable(nouns_here for nouns_here, _ in hits)),
            Counter(chain.from_iterable(verbs_here for _, verbs_here in hits)))


class _KeptHits:
    """A serving process's last build's counts of the word roles, with the articles' hits they
    were counted from: the next build takes out the hits that went and adds those that came."""

    hits: dict[int, tuple[Hits, int]] = {}
    nouns: Counter = Counter()
    verbs: Counter = Counter()

    @classmethod
    def counted(cls, hits: Sequence[Hits]) -> tuple[Counter, Counter]:
        """`_counted`'s counts (a word whose count falls to zero is removed, as a fresh count
        never holds one: it would pass for a verb used as often as a noun)."""
        last, nouns, verbs = cls.hits, cls.nouns, cls.verbs
        cls.hits, cls.nouns, cls.verbs = {}, Counter(), Counter()     # nothing kept if this fails half-way
        now, changes = changes_by_identity(last, hits)
        if not last or len(changes) > max(16, len(now) // 8):
            nouns, verbs = _counted(hits)       # a first build, or most of it new
        else:
            for (nouns_here, verbs_here), times in changes:
                _add_hits(nouns, nouns_here, times)
                _add_hits(verbs, verbs_here, times)
        cls.hits, cls.nouns, cls.verbs = now, nouns, verbs
        return nouns, verbs


def _add_hits(counts: Counter, words: tuple[str, ...], times: int) -> None:
    for word, uses in Counter(words).items():
        total = counts[word] + times * uses
        if total:
            counts[word] = total
        else:
            del counts[word]


def lexicon_digest(lexicon: Lexicon) -> str:
    """sha256 hex digest of everything the lexicon says (each set's words sorted)."""
    digest = hashlib.sha256()
    for words in (lexicon.demonyms, lexicon.nouns, lexicon.verbs, lexicon.events):
        digest.update(unambiguous_join(sorted(words)))
    return digest.hexdigest()


def _role_hits(paragraphs: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Each word key heading a noun phrase, and each used as a verb, once per use (counted
    across the dossier in C)."""
    noun_hits: list[str] = []
    verb_hits: list[str] = []
    for paragraph in paragraphs:
        for before, run in _runs(paragraph):
            if before in _NOUN_OPENERS:
                noun_hits.append(run[-1])
            elif before in _VERB_OPENERS:
                verb_hits.append(run[0])
    return tuple(noun_hits), tuple(verb_hits)


def _runs(paragraph: str) -> list[tuple[str, list[str]]]:
    """Runs of adjacent content-word keys, each with the function word just before it
    (modals two words back count: "must now turn")."""
    runs: list[tuple[str, list[str]]] = []
    tokens = [fold_word(token) for token in (_ASCII_TOKEN if paragraph.isascii() else _TOKEN).findall(paragraph)]
    current: list[str] = []
    before = ""
    for i, token in enumerate(tokens):
        key = _content_key(token)
        if key is not None:
            if not current:
                before = _token_before(tokens, i)
            current.append(key)
            continue
        if current:
            runs.append((before, current))
            current = []
    if current:
        runs.append((before, current))
    return runs


@lru_cache(maxsize=1 << 17)
def _content_key(token: str) -> str | None:
    """A folded token's key (plural stripped) when it is a content word, else None. Remembered
    per distinct token: a dossier repeats a few tens of thousands of words millions of times."""
    if token[0].isalpha() and token not in STOP and len(token) >= 3:
        return singular(token)
    return None


def _token_before(tokens: list[str], i: int) -> str:
    previous = tokens[i - 1] if i else ""
    if previous in _ADVERBS and i >= 2 and tokens[i - 2] in _VERB_OPENERS:
        return tokens[i - 2]
    return previous
