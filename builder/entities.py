"""The entity glossary: one entry per real entity, every spelling merged, every mention exact.

The statistical model proposes names paragraph by paragraph; the dossier as a whole then
decides which are names (`candidates`), which spellings are one entity (`grouping`), what
type each is (`typing`) and where each is named (`mentions`); the user's `glossary.yml`
has the last word (`editorial`).
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain
from pathlib import Path
from typing import NamedTuple

from builder.cache import Memo, keeps_last_build, no_memo, pickled_digests
from builder.glossary.candidates import ParagraphNames, find_candidates, read_paragraph
from builder.glossary.editorial import Draft, apply_editorial
from builder.glossary.grouping import NameGroup, group_names
from builder.glossary.mentions import place_mentions
from builder.glossary.replay import Merge, candidates_hold, changed_paragraphs, still_holds
from builder.glossary.names import (
    COMPANY_SUFFIXES,
    CONNECTORS,
    NAME_LABELS,
    Occurrence,
    capitalised_counts,
    is_all_caps_acronym,
    key_tokens,
    looks_like_boilerplate,
    lowercase_counts,
    name_key,
    slug,
)
from builder.glossary.typing import read_demonyms, read_surroundings, vote_types
from builder.model import Article, Entity, Glossary, Span
from builder.nlp import Recognizer
from builder.text import UniqueIds

log = logging.getLogger(__name__)

Spans = list[tuple[int, int, str]]   # (start, end, label) of what the recogniser found in a paragraph

# Shorter last words are rarely a surname used alone, and too easily another word.
_SURNAME_MIN_LENGTH = 3
# Where a name has another spelling, one in capitals this long is shouted (a dateline's
# "TOKYO" beside "Tokyo"); "NATO" and "UN" are as good as any.
_SHOUTED_MIN = 5
# An all-capitals name longer than this is shouted, not an acronym.
_ACRONYM_MAX = 6
# A shorter name of its own used this many times as often as the fullest one is the name
# readers know ("Hungary" over "Hungarian Republic").
_COMMON_FORM_RATIO = 3
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def find_entities(
    articles: Sequence[Article], recognize: Recognizer, editorial: Path | None = None, memo: Memo = no_memo
) -> Glossary:
    """Build the glossary of the English articles' named entities.

    editorial: path to an optional sources/glossary.yml (may not exist).
    memo: keeps what each source says of names on its own (`_read_source`) between builds, and
    each source's mentions (under the dossier's spellings, `place_mentions`); with a memo, the
    process's last merge of names is used again where it still holds (`_merged`).
    """
    articles = sorted(articles, key=lambda a: a.id)
    keeping = keeps_last_build(memo)
    found = _recognise(articles, recognize)
    kept = _LastSources.kept(articles, found) if keeping else None
    if kept is not None:
        keys, readings = kept
    else:
        keys, readings = _read_sources(articles, found, memo)
    # Each source's spans sorted, and sources in order of their ids: all of them in order.
    spans = tuple(chain.from_iterable(r.spans for r in readings))
    by_paragraph = dict(chain.from_iterable(r.by_paragraph for r in readings))
    paragraphs = {(a.id, i): p for a in articles for i, p in enumerate(a.paragraphs)}
    boilerplate = {(a.id, i) for a, reading in zip(articles, readings) for i in reading.boilerplate}
    sums = _Sums.of(articles, readings, _LastSources.sums if kept is not None else None)
    english_lowercase, demonyms, capitalised = sums.english_lowercase, sums.demonyms, sums.capitalised
    # Copied in C, then only the other languages' words added one by one (not every word again).
    lowercase = english_lowercase.copy()
    lowercase.update(sums.other_lowercase)
    names_read = {(a.id, i): names for a, r in zip(articles, readings) for i, names in r.paragraphs}
    _LastSources.keep(articles, found, keys, readings, sums, keeping)

    english = [a for a in articles if a.is_english]
    merge = _merged(
        articles, readings, paragraphs, by_paragraph, boilerplate, names_read, english_lowercase, english, demonyms,
        capitalised, memo,
    )
    drafts, surnames = merge.drafts, merge.surnames
    if editorial is not None:
        drafts = apply_editorial(drafts, editorial, english)
        surnames = _surnames_of(drafts)
    not_names = dict(chain.from_iterable(r.not_names for r in readings))
    mentions = place_mentions(
        [d.occurrences for d in drafts], articles, not_names, surnames, lowercase, boilerplate, memo, keys, paragraphs
    )
    entities = _entities(drafts, mentions, keeping)
    log.info("%d entities from %d recogniser spans", len(entities), len(spans))
    return Glossary(entities=entities, spans=spans)


def _merged(
    articles: Sequence[Article], readings: Sequence[_SourceReading], paragraphs: dict[tuple[str, int], str],
    by_paragraph: dict, boilerplate: set[tuple[str, int]], names_read: dict[tuple[str, int], ParagraphNames],
    english_lowercase: Counter, english: Sequence[Article], demonyms: Counter, capitalised: Counter, memo: Memo,
) -> Merge:
    """The names found (`find_candidates`) and merged into drafts of entities (typing each
    spelling, grouping the spellings, typing each group); with a memo, as much of the process's
    last merge as still holds is used again (`candidates_hold`, `still_holds`)."""
    languages = tuple((a.id, a.is_english) for a in articles)
    keeping = keeps_last_build(memo)
    last = _LastMerge.merge if keeping else None
    changed = changed_paragraphs(last, paragraphs) if last is not None and last.languages == languages else None
    if changed is not None and candidates_hold(last, changed, paragraphs, names_read, by_paragraph, boilerplate, english_lowercase):
        occurrences, noted = last.occurrences, last.candidates
    else:
        noted = {} if keeping else None
        occurrences = find_candidates(articles, by_paragraph, english_lowercase, boilerplate, names_read, noted)
    if changed is not None and still_holds(last, changed, occurrences, paragraphs, english, demonyms, capitalised):
        merge = last._replace(
            paragraphs=paragraphs, readings=names_read, spans=by_paragraph, boilerplate=boilerplate, candidates=noted,
            english=tuple(english),
        )
    else:
        # What the words around each name say, read once for both votes (and kept with each source).
        typing_memo: dict = {
            ((a.id, i), start, end): found for a, r in zip(articles, readings) for i, start, end, found in r.surroundings
        }
        typing_memo["keep searches"] = keeping
        reads: list = []
        kinds = _kinds_by_name(occurrences, paragraphs, typing_memo, demonyms)
        groups = group_names(occurrences, english, kinds, capitalised, reads)
        types = vote_types(groups, paragraphs, typing_memo)
        drafts = tuple(_draft(g, t) for g, t in zip(groups, types) if t is not None)
        merge = Merge(
            languages, occurrences, paragraphs, names_read, by_paragraph, boilerplate, noted, tuple(english), demonyms,
            tuple(typing_memo.get("searched", ())), tuple(reads), drafts, _surnames_of(drafts),
        )
    _LastMerge.merge = merge if keeping else None
    return merge


def _surnames_of(drafts: Sequence[Draft]) -> tuple[tuple[str, ...], ...]:
    """Each draft's surnames to look for alone, but those another draft has as a name."""
    taken = {name_key(o.text) for d in drafts for o in d.occurrences}
    return tuple(tuple(s for s in _surnames(d) if name_key(s) not in taken) for d in drafts)


class _LastMerge:
    """The last build's merge of names in this process (serving builds only: `keeps_last_build`), used again
    while `still_holds` finds that it is the merge of the new build's inputs: the same name
    occurrences, and the same answers wherever the merge reads the text (a serving process
    rebuilds after every edit, and most edits change no name). Holds what that build held."""

    merge: Merge | None = None


class _SourceReading(NamedTuple):
    """What one source and the model's spans in it say of names, whatever the other sources say."""

    boilerplate: tuple[int, ...]          # the paragraphs that `looks_like_boilerplate`
    lowercase: Counter                    # `lowercase_counts` of its paragraphs
    paragraphs: tuple[tuple[int, ParagraphNames], ...]   # English: `read_paragraph` of each other paragraph
    surroundings: tuple[tuple[int, int, int, tuple], ...]   # (paragraph, start, end, `read_surroundings`) of each name
    demonyms: Counter                     # `read_demonyms` of its paragraphs
    capitalised: Counter                  # `capitalised_counts` of its paragraphs
    spans: tuple[Span, ...]               # the recogniser's spans in it, sorted
    by_paragraph: tuple[tuple[tuple[str, int], tuple[tuple[int, int, str], ...]], ...]   # (start, end, label) per paragraph
    not_names: tuple[tuple[tuple[str, int], tuple[tuple[int, int], ...]], ...]   # `_not_names` of its spans


def _read_sources(
    articles: Sequence[Article], found: Sequence[Sequence[Spans]], memo: Memo
) -> tuple[list[str] | None, list[_SourceReading]]:
    """Each source's key and reading, kept between builds under that key, which covers everything
    it is read from: its text, its language and what the recogniser found in each paragraph
    (`_recognise`). No memo: no keys."""
    if memo is no_memo:   # nothing kept: the words around names are read as typing needs them
        return None, [_read_source(a, f, surroundings=False) for a, f in zip(articles, found)]
    # Pickled and digested in C (a JSON text of them all cost twice as much).
    keys = [digest.hex() for digest in pickled_digests([(a.id, a.is_english, a.paragraphs, f) for a, f in zip(articles, found)])]
    return keys, memo("glossary reading", keys, lambda i: _read_source(articles[i], found[i]))


class _LastSources:
    """The last build's readings of sources in this process (serving builds only:
    `keeps_last_build`), with what each was read from and the sums of their counts. A source
    whose language, paragraphs and recogniser spans are equal to the last build's (compared in
    C) has the same key and reading: they are taken again without pickling, digesting or
    asking the memo; only the others are read (`_read_source`), and the sums are corrected by
    what those others counted before and count now (`_Sums.of`)."""

    sources: dict[str, tuple[bool, tuple[str, ...], list, str, _SourceReading]] = {}
    sums: _Sums | None = None

    @classmethod
    def kept(cls, articles: Sequence[Article], found: Sequence[Sequence[Spans]]) -> tuple[list[str], list[_SourceReading]] | None:
        """Each source's key and reading, or None when there is no last build to take them from."""
        if not cls.sources or cls.sums is None:
            return None
        last = cls.sources
        keys: list = [None] * len(articles)
        readings: list = [None] * len(articles)
        fresh = []
        for index, (article, spans) in enumerate(zip(articles, found)):
            was = last.get(article.id)
            if was is not None and was[0] == article.is_english and was[1] == article.paragraphs and was[2] == spans:
                keys[index], readings[index] = was[3], was[4]
            else:
                fresh.append(index)
        if fresh:
            digests = pickled_digests([(articles[i].id, articles[i].is_english, articles[i].paragraphs, found[i]) for i in fresh])
            for index, digest in zip(fresh, digests):
                keys[index], readings[index] = digest.hex(), _read_source(articles[index], found[index])
        return keys, readings

    @classmethod
    def keep(cls, articles, found, keys, readings, sums: _Sums, keeping: bool) -> None:
        if not keeping or keys is None:
            cls.sources, cls.sums = {}, None
            return
        cls.sources = {
            a.id: (a.is_english, a.paragraphs, spans, key, reading)
            for a, spans, key, reading in zip(articles, found, keys, readings)
        }
        cls.sums = sums


class _Sums(NamedTuple):
    """The sources' counts summed: `lowercase_counts` of the English ones and of the others,
    `read_demonyms` of all, `capitalised_counts` of the English ones; and what was summed (each
    source's language and reading, by id), to correct them by what changed."""

    english_lowercase: Counter
    other_lowercase: Counter
    demonyms: Counter
    capitalised: Counter
    summed: dict[str, tuple[bool, _SourceReading]]

    @classmethod
    def of(cls, articles: Sequence[Article], readings: Sequence[_SourceReading], last: _Sums | None) -> _Sums:
        """The sums; from `last`'s, where given, less what the sources that changed counted
        then and plus what they count now (the same counts: only their order differs, and no
        reader of them iterates them in order)."""
        summed = {a.id: (a.is_english, r) for a, r in zip(articles, readings)}
        if last is None:
            english_lowercase = _summed(r.lowercase for a, r in zip(articles, readings) if a.is_english)
            other = _summed(r.lowercase for a, r in zip(articles, readings) if not a.is_english)
            demonyms = _summed(r.demonyms for r in readings)
            capitalised = _summed(r.capitalised for a, r in zip(articles, readings) if a.is_english)
            return cls(english_lowercase, other, demonyms, capitalised, summed)
        before = last.summed
        gone = [was for source, was in before.items() if summed.get(source, (None, None))[1] is not was[1] or summed[source][0] != was[0]]
        came = [now for source, now in summed.items() if before.get(source, (None, None))[1] is not now[1] or before[source][0] != now[0]]
        if not gone and not came:
            return last._replace(summed=summed)
        # Copies: the last build's counters are held by what it kept (its merge), and must stay as they were.
        english_lowercase, other = last.english_lowercase.copy(), last.other_lowercase.copy()
        demonyms, capitalised = last.demonyms.copy(), last.capitalised.copy()
        for sign, changes in ((-1, gone), (1, came)):
            for is_english, reading in changes:
                _add(english_lowercase if is_english else other, reading.lowercase, sign)
                _add(demonyms, reading.demonyms, sign)
                if is_english:
                    _add(capitalised, reading.capitalised, sign)
        return cls(english_lowercase, other, demonyms, capitalised, summed)


def _add(total: Counter, counts: Counter, sign: int) -> None:
    """Add (sign 1) or take away (-1) `counts`; a word no longer counted is dropped, as it
    would be missing from a sum made afresh."""
    for word, count in counts.items():
        left = total.get(word, 0) + sign * count
        if left > 0:
            total[word] = left
        else:
            total.pop(word, None)


def _read_source(article: Article, found: Sequence[Spans], surroundings: bool = True) -> _SourceReading:
    """found: the recogniser's spans in each paragraph (none for a source not in English).
    surroundings: whether to read the words around each name found (to keep them)."""
    spans, by_paragraph = _sorted_spans(article, found)
    boilerplate = tuple(i for i, text in enumerate(article.paragraphs) if looks_like_boilerplate(text))
    paragraphs = []
    around = []
    if article.is_english:
        for i, text in enumerate(article.paragraphs):
            if i in boilerplate:
                continue
            names = read_paragraph(article.id, i, text, by_paragraph.get((article.id, i), []))
            paragraphs.append((i, names))
            if surroundings:
                places = {(o.start, o.end) for o in names.names + names.exchanges} | set(names.datelines)
                around.extend((i, start, end, read_surroundings(text, start, end)) for start, end in sorted(places))
    return _SourceReading(
        boilerplate=boilerplate,
        lowercase=lowercase_counts(article.paragraphs),
        paragraphs=tuple(paragraphs),
        surroundings=tuple(around),
        demonyms=read_demonyms(article.paragraphs),
        capitalised=capitalised_counts(article.paragraphs) if article.is_english else Counter(),
        spans=spans,
        by_paragraph=tuple(by_paragraph.items()),
        not_names=tuple((where, tuple(stretches)) for where, stretches in _not_names(spans).items()),
    )


def _summed(counts: Iterable[Counter]) -> Counter:
    # Counted element by element in C: quicker than adding counters key by key in Python.
    return Counter(chain.from_iterable(count.elements() for count in counts))


def _recognise(articles: Sequence[Article], recognize: Recognizer) -> list[list[Spans]]:
    """One batched model pass over every English paragraph; other languages are left out
    rather than given an English model's nonsense. Per source, the spans in each paragraph."""
    texts = [p for a in articles if a.is_english for p in a.paragraphs]
    found = recognize(texts) if texts else []
    per_source, at = [], 0
    for article in articles:
        count = len(article.paragraphs) if article.is_english else 0
        per_source.append(found[at:at + count])
        at += count
    return per_source


def _sorted_spans(
    article: Article, found: Sequence[Spans]
) -> tuple[tuple[Span, ...], dict[tuple[str, int], tuple[tuple[int, int, str], ...]]]:
    """The source's spans, sorted as plain tuples in the order of Span's fields (source,
    paragraph, start, end, label), and (start, end, label) of those in each paragraph, in order."""
    spans = sorted(
        (article.id, index, start, end, label, article.paragraphs[index][start:end])
        for index, labelled in enumerate(found)
        for start, end, label in labelled
    )
    by_paragraph: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
    for source, index, start, end, label, _ in spans:
        by_paragraph.setdefault((source, index), []).append((start, end, label))
    # Tuples: a kept reading is shared by the builds that follow, and must not be changed.
    return tuple(Span(*span) for span in spans), {where: tuple(found) for where, found in by_paragraph.items()}


def _kinds_by_name(occurrences, paragraphs, memo: dict, demonyms: Counter) -> dict[str, str | None]:
    """Each spelling's type on its own evidence, before spellings are merged."""
    by_key: dict[str, list] = {}
    for occurrence in occurrences:
        by_key.setdefault(name_key(occurrence.text), []).append(occurrence)
    keys = sorted(by_key)
    kinds = vote_types([NameGroup(tuple(by_key[k])) for k in keys], paragraphs, memo, demonyms)
    return dict(zip(keys, kinds))


def _not_names(spans: Sequence[Span]) -> dict[tuple[str, int], list[tuple[int, int]]]:
    blocked: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for span in spans:
        if span.label not in NAME_LABELS:
            blocked.setdefault((span.source, span.paragraph), []).append((span.start, span.end))
    return blocked


def _surnames(draft: Draft) -> tuple[str, ...]:
    """A person's last name, which writers use alone after the first mention ("Nadella").
    Two-letter endings ("Un" of "Kim Jong Un") are not surnames used alone, nor is a last
    name that the dossier uses as a name of its own ("Washington" the city)."""
    if draft.type != "PERSON":
        return ()
    found = set()
    # Every full spelling's last name: "Araqchi" alone where one source writes "Abbas Araqchi".
    for spelling in sorted({draft.name} | {" ".join(o.text.split()) for o in draft.occurrences}):
        tokens = spelling.split()
        if len(tokens) >= 2 and len(tokens[-1]) >= _SURNAME_MIN_LENGTH and tokens[-1][0].isupper():
            found.add(tokens[-1])
    return tuple(sorted(found))


def _draft(group: NameGroup, kind: str) -> Draft:
    return Draft(
        name=_unshouted(_canonical_name(group), kind),
        type=kind,
        occurrences=group.occurrences,
        variant_keys=group.variant_keys,
    )


def _canonical_name(group: NameGroup) -> str:
    """The fullest form ("Vladimir Putin" over "Putin", "United States" over "US"), then the
    most used, then the one with most capitalised words; but a form of its own that the
    sources use far more ("Hungary" beside one "Hungarian Republic") wins over a fuller one."""
    key_counts = Counter(name_key(o.text) for o in group.occurrences if name_key(o.text) not in group.variant_keys)
    surface_counts = Counter(" ".join(o.text.split()) for o in group.occurrences if name_key(o.text) in key_counts)
    if not surface_counts:   # only variant spellings: still a name
        surface_counts = Counter(" ".join(o.text.split()) for o in group.occurrences)
        key_counts = Counter(name_key(s) for s in surface_counts.elements())

    def preference(surface: str, by_length: bool = True):
        key = name_key(surface)
        capitalised = sum(w[:1].isupper() for w in surface.split())
        # "ANTAKYA", "TOKYO" from a dateline: the group's other spelling reads better.
        shouted = len(surface) >= _SHOUTED_MIN and surface.isupper()
        # "Broadcom Inc." is no fuller a name than "Broadcom".
        tokens = key_tokens(key)
        while len(tokens) > 1 and tokens[-1] in COMPANY_SUFFIXES:
            tokens = tokens[:-1]
        length = -len(tokens) if by_length else 0
        return (length, shouted, -key_counts[key], -surface_counts[surface], -capitalised, surface)

    fullest = sorted(surface_counts, key=preference)[0]
    commonest = sorted(surface_counts, key=lambda s: preference(s, by_length=False))[0]
    if key_counts[name_key(commonest)] >= _COMMON_FORM_RATIO * key_counts[name_key(fullest)] and not (
        _is_part_of(name_key(commonest), name_key(fullest)) or is_all_caps_acronym(commonest)
    ):
        return commonest
    return fullest


def _unshouted(name: str, kind: str) -> str:
    """ "TEL AVIV", "QUITO" from a dateline, the only spelling the dossier gives, are shown "Tel
    Aviv", "Quito"; a shorter name in capitals may be an acronym ("UAE", "NATO")."""
    shortest = _SHOUTED_MIN if kind == "PLACE" else _ACRONYM_MAX + 1
    if len(name) < shortest or not name.isupper():
        return name
    words = [w.casefold() if w.casefold() in CONNECTORS and i else w for i, w in enumerate(name.split())]
    return " ".join(_LETTER_RUN.sub(_capitalise_run, w) for w in words)


def _capitalise_run(match: re.Match) -> str:
    run = match.group(0)
    return run.lower() if match.start() and match.string[match.start() - 1] in "'’" else run[0] + run[1:].lower()


def _is_part_of(short: str, full: str) -> bool:
    short_tokens, full_tokens = key_tokens(short), key_tokens(full)
    n = len(short_tokens)
    return full_tokens[:n] == short_tokens or full_tokens[-n:] == short_tokens


def _entities(drafts: Sequence[Draft], mentions, keeping: bool = False) -> tuple[Entity, ...]:
    entities = []
    unique = UniqueIds()
    order = sorted(range(len(drafts)), key=lambda i: (slug(drafts[i].name), drafts[i].name, -len(mentions[i])))
    last = _LastSpellings.last if keeping else {}
    spelt: dict[int, tuple] = {}
    for index in order:
        draft, found = drafts[index], mentions[index]
        if not found:
            continue
        entity_id = unique(slug(draft.name))
        was = last.get(id(found))
        if was is not None and was[0] is draft and was[1] is found:
            aliases, variants = was[2], was[3]
        else:
            aliases = tuple(sorted({m.text for m in found} | {draft.name}))
            variants = tuple(sorted({m.text for m in found if name_key(m.text) in draft.variant_keys}))
        spelt[id(found)] = (draft, found, aliases, variants)
        entities.append(
            Entity(
                id=entity_id,
                name=draft.name,
                type=draft.type,
                aliases=aliases,
                mentions=found,
                variant_spellings=variants,
                description=draft.description,
            )
        )
    _LastSpellings.last = spelt if keeping else {}
    return tuple(sorted(entities, key=lambda e: e.id))


class _LastSpellings:
    """The last build's aliases and variant spellings of each entity in this process (serving
    builds only), by the identity of its mentions, which it holds (so the identity is not
    reused): the very same draft and mentions (the merge and the memo's mentions kept) give
    the same spellings."""

    last: dict[int, tuple] = {}
