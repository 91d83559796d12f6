"""Text views only the comparison needs: sentences with their place in the dossier, content
stems and word shingles. Folding, words, stems and slugs are `builder.text`'s."""
from __future__ import annotations

import re
from dataclasses import dataclass

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


def _event_verbs(text: str, start: int = 0, end: int | None = None):
    for m in _EVENT_VERB.finditer(text, start, len(text) if end is None else end):
        if m.group(0).casefold() in _NOT_AN_EVENT_AFTER and _NOT_AN_EVENT.match(text, m.end()):
            continue
        yield m


def event_markers(text: str, start: int = 0, end: int | None = None) -> set[str]:
    """The event classes the verbs of text[start:end] report, as marker terms ("~collapse")."""
    return {_EVENT_OF[" ".join(m.group(0).casefold().split())] for m in _event_verbs(text, start, end)}


def event_phrases(text: str) -> dict[str, str]:
    """marker -> the event verb as first written in text ("~collapse" -> "gave way")."""
    phrases: dict[str, str] = {}
    for m in _event_verbs(text):
        phrases.setdefault(_EVENT_OF[" ".join(m.group(0).casefold().split())], m.group(0))
    return phrases


def without_event_verbs(text: str) -> str:
    """The text with its event verbs blanked (offsets kept): their words are counted once, as
    the class marker, so that a sentence saying "gave way" weighs as much as one saying
    "collapsed"."""
    out = text
    for m in _event_verbs(text):
        out = out[: m.start()] + " " * (m.end() - m.start()) + out[m.end() :]
    return out


def shingles(tokens: list[str], size: int) -> set[tuple[str, ...]]:
    """Every run of `size` consecutive tokens (a single run when the text is shorter)."""
    if len(tokens) <= size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def split_sentences(source: str, paragraph: int, text: str) -> list[Sentence]:
    """Split one paragraph into sentences, keeping offsets into the paragraph."""
    return [Sentence(source, paragraph, start, end, text[start:end]) for start, end in sentence_spans(text)]
