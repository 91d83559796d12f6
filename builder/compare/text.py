"""Text views only the comparison needs: sentences with their place in the dossier, content
stems and word shingles. Folding, words, stems and slugs are `builder.text`'s."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..text import STOP_WORDS, sentence_spans, stem, words


@dataclass(frozen=True)
class Sentence:
    """One sentence of one paragraph, with offsets into the paragraph."""

    source: str
    paragraph: int
    start: int
    end: int
    text: str


def content_stems(text: str, english: bool = True) -> list[str]:
    """The stems of the words that carry meaning, in order (repeats kept)."""
    tokens = words(text)
    if not english:
        return [t for t in tokens if len(t) > 2]
    return [stem(t) for t in tokens if t not in STOP_WORDS and (len(t) > 1 or t.isdigit())]


# Verbs that report one kind of event in different words ("the dam gave way" / "collapsed" /
# "failed", "made landfall" / "came ashore", "peaked" / "crested"). Each class becomes one
# marker term, so that two sentences reporting the same event in different verbs align, and
# the day each gives is compared. General news vocabulary, English only; ambiguous everyday
# verbs ("hit", "closed", "opened") are left out.
_EVENT_VERBS = {
    "collapse": ["collapsed", "collapses", "collapse", "gave way", "give way", "gives way", "given way",
                 "failed", "burst", "breached", "caved in", "crumbled"],
    "landfall": ["made landfall", "makes landfall", "make landfall", "came ashore", "comes ashore",
                 "come ashore", "hit the coast", "hit land", "slammed into the coast"],
    "quake": ["struck", "strikes", "jolted", "rocked", "shook"],
    "peak": ["peaked", "peaks", "crested", "crests", "reached its highest", "reached its peak", "hit its highest",
             "topped out"],
    "recede": ["receded", "recedes", "fell", "fallen", "dropped", "subsided", "subsides", "eased", "retreated"],
    "announce": ["announced", "announces", "unveiled", "unveils", "disclosed", "made public"],
    "resign": ["resigned", "resigns", "stepped down", "steps down", "quit"],
    "arrest": ["arrested", "detained", "taken into custody"],
    "begin": ["began", "begins", "started", "broke out", "erupted", "kicked off", "got under way", "got underway"],
    "sign": ["signed", "signs", "inked"],
}
EVENT_MARKER = "~"
_EVENT_OF = {phrase: EVENT_MARKER + event for event, phrases in _EVENT_VERBS.items() for phrase in phrases}
_EVENT_VERB = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(_EVENT_OF, key=len, reverse=True))
    + r")(?![\w-])",
    re.IGNORECASE,
)
# "failed to agree" is no failure of a thing, "struck a deal" no quake, "quit smoking" aside
_NOT_AN_EVENT = re.compile(r"\s+(?:to|a|an)\b", re.IGNORECASE)
_NOT_AN_EVENT_AFTER = frozenset(("failed", "struck", "strikes"))
_WORD_OR_HYPHEN = re.compile(r"[\w-]")


# Characters other than A-Z that a case-insensitive pattern takes for an ASCII letter ("İ", "ı",
# "ſ", the Kelvin sign; found by trying every code point).
_REGEX_CASE_TWINS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_CASE_TWIN = re.compile("[\u0130\u0131\u017f\u212a]")
_LETTER_RUN = re.compile(r"[a-z]+")
# The first word of every event phrase: a text holding none of them reports no event verb.
_EVENT_CLUES = frozenset(phrase.split()[0] for phrase in _EVENT_OF)
# Distinct sentences whose event verbs are remembered: each sentence is asked about several
# times in a row (its stems, its markers, the clause of each of its facts); a few thousand
# entries cover that, bounded so a large dossier does not keep them all.
_EVENT_CACHE_SIZE = 4096


@lru_cache(maxsize=_EVENT_CACHE_SIZE)
def letter_runs(text: str) -> frozenset[str]:
    """The runs of ASCII letters of the lower-cased text. A case-insensitive pattern matching a
    whole word of ASCII letters (no letter, digit or "_" on either side) matches only where
    that word is one of these runs: a cheap test that a pattern need not run at all."""
    if not text.isascii() and _CASE_TWIN.search(text):
        text = text.translate(_REGEX_CASE_TWINS)
    return frozenset(_LETTER_RUN.findall(text.lower()))


@lru_cache(maxsize=_EVENT_CACHE_SIZE)
def _event_spans(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, marker, as written) of every event verb of a text, in order."""
    if _EVENT_CLUES.isdisjoint(letter_runs(text)):
        return ()
    return tuple((m.start(), m.end(), _EVENT_OF[" ".join(m.group(0).casefold().split())], m.group(0))
                 for m in _event_verbs(text))


def _event_verbs(text: str, start: int = 0, end: int | None = None):
    for m in _EVENT_VERB.finditer(text, start, len(text) if end is None else end):
        if m.group(0).casefold() in _NOT_AN_EVENT_AFTER and _NOT_AN_EVENT.match(text, m.end()):
            continue
        yield m


def event_markers(text: str, start: int = 0, end: int | None = None) -> set[str]:
    """The event classes the verbs of text[start:end] report, as marker terms ("~collapse")."""
    end = len(text) if end is None else end
    spans = _event_spans(text)
    if any(s < start < e or s < end < e for s, e, _, _ in spans) or (end < len(text) and _WORD_OR_HYPHEN.match(text, end)):
        # a verb across the edge of the range, or a word going on past its end: the range
        # read on its own may find what the whole text does not
        return {_EVENT_OF[" ".join(m.group(0).casefold().split())] for m in _event_verbs(text, start, end)}
    return {marker for s, e, marker, _ in spans if start <= s and e <= end}


def event_phrases(text: str) -> dict[str, str]:
    """marker -> the event verb as first written in text ("~collapse" -> "gave way")."""
    phrases: dict[str, str] = {}
    for _, _, marker, written in _event_spans(text):
        phrases.setdefault(marker, written)
    return phrases


def without_event_verbs(text: str) -> str:
    """The text with its event verbs blanked (offsets kept): their words are counted once, as
    the class marker, so that a sentence saying "gave way" weighs as much as one saying
    "collapsed"."""
    out = text
    for start, end, _, _ in _event_spans(text):
        out = out[:start] + " " * (end - start) + out[end:]
    return out


def shingles(tokens: list[str], size: int) -> set[tuple[str, ...]]:
    """Every run of `size` consecutive tokens (a single run when the text is shorter)."""
    if len(tokens) <= size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def split_sentences(source: str, paragraph: int, text: str) -> list[Sentence]:
    """Split one paragraph into sentences, keeping offsets into the paragraph."""
    return [Sentence(source, paragraph, start, end, text[start:end]) for start, end in sentence_spans(text)]
