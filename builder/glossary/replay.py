"""Whether the last build's merge of names still holds after an edit of the text.

The merge (typing each spelling, grouping the spellings, typing each group) reads the whole
dossier, and is the glossary's dearest step. Most edits (a corrected figure, a paragraph that
names no one new) change nothing it reads: the same name occurrences, and around them the same
answers to what it asks of the text. It is a deterministic function of those answers, so where
every answer is the same the result is the same, and the last one is used again.

What the merge reads, beside the occurrences themselves (`find_candidates`, compared whole):
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

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

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
    english: tuple[Article, ...]
    demonyms: Counter
    searched: tuple[tuple[str, ...], ...]            # the spellings typing searched the paragraphs for
    reads: tuple                                     # what `group_names` noted
    drafts: tuple[Draft, ...]                        # the entities the merge makes
    surnames: tuple[tuple[str, ...], ...]            # each draft's surnames to look for alone


def still_holds(
    last: Merge, languages, occurrences: Sequence[Occurrence], paragraphs: dict[tuple[str, int], str],
    english: Sequence[Article], demonyms: Counter, written: Counter,
) -> bool:
    """Whether `last` is the merge of these inputs (`written`: capitalised counts of `english`)."""
    if last.languages != languages or last.demonyms != demonyms or last.occurrences != occurrences:
        return False
    changed = [where for where, text in paragraphs.items() if last.paragraphs.get(where) != text]
    changed += [where for where in last.paragraphs if where not in paragraphs]
    if not changed:
        return _capitalised_hold(last.reads, english, written)
    english_ids = {source for source, is_english in languages if is_english}
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
