"""Every date an article states, resolved against its reference, with the clause that tells
the event it dates."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..dates import MONTH_NAMES, WEEKDAY_NAMES, DateMention, Reference, ResolvedDate, find_dates, resolve
from ..model import Article
from ..text import STOP_WORDS, sentence_spans, words
from .datelines import is_dateline, opens_dateline

# Longest entry text; longer sentences are cut to the clause around the date.
_MAX_TEXT = 300

# The clause around a date tells its event; fewer content words than this and the clause
# ("On Tuesday,") is widened to its neighbours.
_MIN_EVENT_WORDS = 3

# Words that tell no event apart: function words, and the calendar words every date brings.
_STOP = STOP_WORDS | frozenset(MONTH_NAMES + WEEKDAY_NAMES) | frozenset(
    """ago all day days last month months new next no not one only three today two week weeks
    year years""".split()
)


_CLAUSE_BREAK = re.compile(r"[;:—–]\s+|,\s+(?=(?:and|but|while|which|who|after|before|when|as|since)\b)")

# Words that make a clause look ahead ("will vote in September", "plans to notify").
_LOOKS_AHEAD = re.compile(
    r"(?i)\b(?:will|shall|plans?\s+to|planned\s+to|expects?\s+to|expected\s+to|due\s+to|scheduled|set\s+to|"
    r"going\s+to|upcoming|intends?\s+to|aims?\s+to)\b"
)


# Verbs that report speech: what someone said on a day, not what happened on it.
_REPORTING = re.compile(
    r"(?i)\b(?:said|says|told|tells|stated|announced|added|warned|according\s+to|wrote|tweeted|briefing)\b"
)


_CLAUSE_SPLIT = re.compile(r"[,;:()\[\]—–]\s*|\s+-\s+")


@dataclass(frozen=True)
class Dated:
    """One date mention resolved, with the sentence that states it."""

    date: str
    end: str | None
    inferred: bool
    source: str
    paragraph: int
    text: str
    words: frozenset[str]      # content words of the clause that tells the event
    sentence_words: frozenset[str] = frozenset()
    weekday: bool = False      # resolved from a bare weekday: a week either way is possible
    reported: bool = False     # the clause reports speech ("said on Monday"): statements recur


def dated_statements(article: Article, reference: Reference | None) -> list[Dated]:
    found = []
    stated = reference is not None and reference.day is not None and article.date == reference.day.isoformat()
    for index, paragraph in enumerate(article.paragraphs):
        if is_dateline(paragraph):
            continue
        for s_start, s_end in sentence_spans(paragraph):
            sentence = paragraph[s_start:s_end]
            sentence_words = None       # read once per sentence, only if it holds a date
            for mention in find_dates(sentence):
                if opens_dateline(paragraph, s_start + mention.start, s_start + mention.end):
                    continue
                clause = _event_clause(sentence, mention)
                sentence_words = sentence_words if sentence_words is not None else _words(sentence)
                future = bool(_LOOKS_AHEAD.search(clause))
                for resolved in _resolutions(mention, reference, stated, future):
                    found.append(Dated(
                        date=resolved.date, end=resolved.end, inferred=resolved.inferred,
                        source=article.id, paragraph=index,
                        text=_clause(sentence, mention.start, mention.end),
                        words=_words(clause),
                        sentence_words=sentence_words,
                        weekday=mention.kind == "weekday" and resolved.inferred,
                        reported=bool(_REPORTING.search(clause)),
                    ))
    return found


# Distinct texts remembered by `_words`: a clause is read while it is widened, again as the
# event's clause, and once per date a sentence holds. Only that near reuse matters.
_WORDS_CACHE_SIZE = 4096


@lru_cache(maxsize=_WORDS_CACHE_SIZE)
def _words(text: str) -> frozenset[str]:
    """Content words, lower-cased, possessives dropped ("Veridian's" is "veridian")."""
    distinct = set(words(text))
    distinct -= _STOP
    return frozenset(w for w in distinct if len(w) > 2 and w[0].isalpha())


def _clause(sentence: str, start: int, end: int) -> str:
    """The sentence; when it is too long, the clause that holds the date widened leftwards as
    far as it fits (the subject stays readable), else a window around the date."""
    text = sentence.strip()
    if len(text) <= _MAX_TEXT:
        return text
    bounds = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(sentence)] + [len(sentence)]
    for left, right in zip(bounds, bounds[1:]):
        if left <= start < right:
            right = max(right, end)
            # Widen leftwards clause by clause while it fits: the subject usually comes first.
            # A lone short clause ("which was released on Tuesday") reads worse than a window.
            for wider in [b for b in bounds if b <= left]:
                piece = sentence[wider:right].strip(" ,;:—–")
                if _MAX_TEXT // 2 <= len(piece) <= _MAX_TEXT:
                    return ("…" if wider else "") + piece + ("…" if right < len(sentence.rstrip()) else "")
            break
    half = _MAX_TEXT // 2
    left, right = max(0, start - half), min(len(sentence), end + half)
    return ("…" if left else "") + sentence[left:right].strip() + ("…" if right < len(sentence) else "")


def _event_clause(sentence: str, mention: DateMention) -> str:
    """The clause that holds the date, widened to its neighbours until it has a few content
    words: "the earthquake struck Varna Bay on March 11" tells the event, the rest of the
    sentence ("the death toll stands at 471") often another one."""
    bounds = [0] + [m.end() for m in _CLAUSE_SPLIT.finditer(sentence)] + [len(sentence)]
    clauses = list(zip(bounds, bounds[1:]))
    here = next((i for i, (s, e) in enumerate(clauses) if s <= mention.start < e), 0)
    left = right = here
    while len(_words(sentence[clauses[left][0]:clauses[right][1]])) < _MIN_EVENT_WORDS and (
        left > 0 or right < len(clauses) - 1
    ):
        if right < len(clauses) - 1:
            right += 1
        else:
            left -= 1
    return sentence[clauses[left][0]:clauses[right][1]]


def _resolutions(mention: DateMention, reference: Reference | None, stated: bool, future: bool) -> list[ResolvedDate]:
    """The dates one mention yields: a range also yields its last year (an event of its own:
    "the Korean War (1950-1953)" ended in 1953)."""
    if mention.kind == "relative-day" and mention.shift == 0 and not stated:
        return []   # "today" without a real publication date usually means "nowadays"
    resolved = resolve(mention, reference, future=future)
    if resolved is None:
        return []
    if reference is not None and not stated and not mention.is_absolute:
        resolved = replace(resolved, inferred=True)
    results = [resolved]
    if resolved.end and mention.kind == "year-range":
        results.append(ResolvedDate(resolved.end, inferred=resolved.inferred))
    return results
