"""Whether the last build's merge of names still holds after an edit of the text.

Finding the names (`find_candidates`) and merging them (typing each spelling, grouping the
spellings, typing each group) read the whole dossier, and are the glossary's dearest steps. Most
edits (a corrected figure, a paragraph that names no one new) change nothing they read: the same
answers to all they ask of the text. Each is a deterministic function of those answers, so where
every answer is the same the result is the same, and the last one is used again.

What finding the names reads (`candidates_hold`): of each paragraph, its reading, whether it is
boilerplate, the names it gives before they are judged across the dossier (`paragraph_candidates`)
and the text right around them (quotes, a heading, a sentence start, an "and" between two), the
times it writes an event's name alone, whether a name stands there only after another and "and";
the lower-case counts of the words looked up.

What the merge reads, beside the occurrences themselves (compared whole, `still_holds`):
- around each occurrence: the words typing reads (`read_surroundings`), the title before it
  (`choose_referent`), a bracketed acronym after it, the feature word next to it, and whether the
  text between it and the next occurrence lists them ("Amizmiz and Asni");
- in every paragraph: where the spellings typing looks for stand unlabelled, and what the words
  around each say; the acronyms a writer spells out; demonyms before what only a country has;
- how often key words are written capitalised, and what grouping asked of whole sources
  (noted by `group_names` in its `reads`).
Only paragraphs whose text changed can answer differently: only they are asked again, in their
old and new text. Exact: anything not proven the same means the merge is done again.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence, Set
from typing import NamedTuple

from builder.glossary.candidates import (
    _AND,
    _EDGE_JUNK,
    ParagraphNames,
    _events_named,
    _starts_sentence,
    paragraph_candidates,
    read_paragraph,
)
from builder.glossary.editorial import Draft
from builder.glossary.grouping import (
    _BRACKETED_ACRONYM,
    _FEATURE_WINDOW,
    _NEXT_LOWER_WORD,
    _THE_AT_END,
    _WORD_BEFORE_END,
    _capitalised_words,
    _WordsBySource,
)
from builder.glossary.names import Occurrence, _title_before, acronym_definitions, name_key
from builder.glossary.typing import _LIST_JOINT, _any_of, read_surroundings
from builder.model import Article


class Merge(NamedTuple):
    """A merge and everything needed to tell whether it still holds."""

    languages: tuple[tuple[str, bool], ...]          # (id, is_english) of every source
    occurrences: tuple[Occurrence, ...]              # sorted by position
    paragraphs: dict[tuple[str, int], str]           # every source's paragraphs
    readings: dict[tuple[str, int], ParagraphNames]  # what `find_candidates` was given of them
    spans: dict[tuple[str, int], Sequence[tuple[int, int, str]]]
    boilerplate: Set[tuple[str, int]]
    candidates: dict                                 # what `find_candidates` noted
    english: tuple[Article, ...]
    demonyms: Counter
    searched: tuple[tuple[str, ...], ...]            # the spellings typing searched the paragraphs for
    reads: tuple                                     # what `group_names` noted
    drafts: tuple[Draft, ...]                        # the entities the merge makes
    surnames: tuple[tuple[str, ...], ...]            # each draft's surnames to look for alone


def changed_paragraphs(last: Merge, paragraphs: dict[tuple[str, int], str]) -> list[tuple[str, int]]:
    """The paragraphs whose text is not what it was at the last merge, or that are new or gone."""
    changed = [where for where, text in paragraphs.items() if last.paragraphs.get(where) != text]
    return changed + [where for where in last.paragraphs if where not in paragraphs]


def candidates_hold(
    last: Merge, changed: Sequence[tuple[str, int]], paragraphs: dict[tuple[str, int], str],
    readings: dict[tuple[str, int], ParagraphNames], spans: dict, boilerplate: Set[tuple[str, int]],
    lowercase: Counter,
) -> bool:
    """Whether `find_candidates` finds the last merge's occurrences again (same `languages`):
    every paragraph whose text changed gives, old and new, what `find_candidates` takes of it,
    and the lower-case counts it looked up are the same."""
    noted = last.candidates
    if any(lowercase[word] != count for word, count in noted["lowercase"].items()):
        return False
    english_ids = {source for source, is_english in last.languages if is_english}
    asked = (noted["events"], noted["alone"], noted["named events"])
    for where in changed:
        if where[0] not in english_ids:
            continue   # `find_candidates` reads English paragraphs only
        before = _candidates_taken(where, last.paragraphs.get(where), last.readings, last.spans, last.boilerplate, lowercase, *asked)
        now = _candidates_taken(where, paragraphs.get(where), readings, spans, boilerplate, lowercase, *asked)
        if before != now:
            return False
    return True


def _candidates_taken(
    where: tuple[str, int], text: str | None, readings, spans, boilerplate, lowercase: Counter,
    event_names: Sequence[str], alone: Sequence[tuple[str, str]], named_events: dict,
) -> tuple:
    """All `find_candidates` takes of one paragraph (None: there is none, which gives nothing)."""
    source, index = where
    skipped = text is None or where in boilerplate
    text = text or ""
    found = spans.get(where, [])
    reading = None if skipped else readings.get(where) or read_paragraph(source, index, text, found)
    raw = [] if skipped else paragraph_candidates(source, index, text, reading, lowercase, named_events.get(where, ()))
    ordered = sorted(raw, key=lambda o: (o.start, o.end))
    return (
        raw,
        () if skipped else reading.norp_words,
        reading.events if reading else _events_named(text, found),
        tuple(len(_standing_alone(name).findall(text)) for name in event_names),
        tuple(_only_after_in(text, name, before) for name, before in alone),
        [
            (text[o.start - 1:o.start], text[o.end:o.end + 1], not text[:o.start].strip(_EDGE_JUNK + " "),
             not text[o.end:].strip(_EDGE_JUNK + ". "), _starts_sentence(text, o.start))
            for o in raw
        ],
        [
            text[left.end:right.start] if _AND.fullmatch(text, left.end, right.start) else None
            for left, right in zip(ordered, ordered[1:])
        ],
    )


def _only_after_in(text: str, name: str, before: str) -> bool:
    """Whether the name stands alone in the text only after "before and" (`_only_after`, in one text)."""
    after = re.compile(re.escape(before) + _AND.pattern + "$")
    return all(after.search(text, 0, match.start()) for match in _standing_alone(name).finditer(text))


def _standing_alone(name: str) -> re.Pattern:
    """The name where it stands as a word, as `_named_events` counts it."""
    return re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")


def still_holds(
    last: Merge, changed: Sequence[tuple[str, int]], occurrences: Sequence[Occurrence],
    paragraphs: dict[tuple[str, int], str], english: Sequence[Article], demonyms: Counter, written: Counter,
) -> bool:
    """Whether `last` is the merge of these inputs (same `languages`; `written`: capitalised
    counts of `english`)."""
    if last.demonyms != demonyms or last.occurrences != occurrences:
        return False
    if not changed:
        return _capitalised_hold(last.reads, english, written)
    english_ids = {source for source, is_english in last.languages if is_english}
    for where in changed:
        before, now = last.paragraphs.get(where, ""), paragraphs.get(where, "")
        if not _paragraph_holds(last, where, before, now, where[0] in english_ids):
            return False
    return _sources_hold(last, {source for source, _ in changed}, english) and _capitalised_hold(last.reads, english, written)


def _paragraph_holds(last: Merge, where: tuple[str, int], before: str, now: str, is_english: bool) -> bool:
    here = _occurrences_in(last.occurrences, where)
    for o in here:
        if not _same_around(before, now, o):
            return False
    ordered = sorted(here, key=lambda o: (o.start, o.end))
    for left, right in zip(ordered, ordered[1:]):
        # As `_coordinated` reads it: the text between them, cut out.
        if bool(_LIST_JOINT.fullmatch(before[left.end:right.start])) != bool(_LIST_JOINT.fullmatch(now[left.end:right.start])):
            return False
    for spellings in last.searched:
        if spellings and _uses(spellings, before) != _uses(spellings, now):
            return False
    return not is_english or _spelled_out(before) == _spelled_out(now)


def _spelled_out(text: str) -> list[tuple[str, str]]:
    """The acronyms the paragraph spells out, as grouping reads them."""
    return [
        (name_key(text[d.long_start:d.long_end]), name_key(text[d.short_start:d.short_end]))
        for d in acronym_definitions(text)
    ]


def _occurrences_in(occurrences: Sequence[Occurrence], where: tuple[str, int]) -> Sequence[Occurrence]:
    """The occurrences in one paragraph: those sorted by position run from (source, paragraph)."""
    first = bisect_left(occurrences, where)
    last = first
    while last < len(occurrences) and (occurrences[last].source, occurrences[last].paragraph) == where:
        last += 1
    return occurrences[first:last]


def _same_around(before: str, now: str, o: Occurrence) -> bool:
    """What the merge asks of the text around one occurrence, asked of the old and the new text."""
    return _around(before, o.start, o.end) == _around(now, o.start, o.end)


def _around(text: str, start: int, end: int) -> tuple:
    bracket = _BRACKETED_ACRONYM.match(text, end)
    feature_before = text[max(0, start - _FEATURE_WINDOW):start]
    following = _NEXT_LOWER_WORD.match(text[end:end + _FEATURE_WINDOW])
    preceding = _WORD_BEFORE_END.search(feature_before)
    return (
        read_surroundings(text, start, end),
        _title_before(text, start),
        bracket.group(1) if bracket else None,
        following.group(1) if following else None,
        preceding.group(1) if preceding else None,
        bool(_THE_AT_END.search(feature_before)),
    )


def _uses(spellings: tuple[str, ...], text: str) -> list[tuple[int, int, str, tuple]]:
    """Every match of the spellings in the text, with what the words around it say."""
    return [
        (m.start(), m.end(), m.group(0), read_surroundings(text, m.start(), m.end()))
        for m in _any_of(spellings).finditer(text)
    ]


def _sources_hold(last: Merge, sources: set[str], english: Sequence[Article]) -> bool:
    """What grouping asked of whole sources, asked again of the sources with a changed paragraph."""
    asked = [read for read in last.reads if read[0] in ("words", "named") and read[1 if read[0] == "words" else 2] in sources]
    if not asked:
        return True
    words_now = _WordsBySource(english)
    texts_before, texts_now = _by_source(last.english), _by_source(english)
    for read in asked:
        if read[0] == "words":
            _, source, country, found = read
            if bool(country & words_now.of(source)) != found:
                return False
        else:
            _, pattern, source = read
            if _matches(pattern, texts_before.get(source, ())) != _matches(pattern, texts_now.get(source, ())):
                return False
    return True


def _by_source(articles: Sequence[Article]) -> dict[str, list[tuple[int, str]]]:
    found: dict[str, list[tuple[int, str]]] = {}
    for article in articles:
        found.setdefault(article.id, []).extend(enumerate(article.paragraphs))
    return found


def _matches(pattern, paragraphs: Sequence[tuple[int, str]]) -> list[tuple[int, int]]:
    return [(index, match.start()) for index, text in paragraphs for match in pattern.finditer(text)]


def _capitalised_hold(reads: Sequence[tuple], english: Sequence[Article], written: Counter) -> bool:
    asked = [read for read in reads if read[0] == "capitalised"]
    if not asked:
        return True
    counts = _capitalised_words(english, written)
    return all(counts[key] == count for _, key, count in asked)
