"""Quotations: find them in every paragraph, name their speaker, and group the same statement
across sources even when the wording, the translation or the cut differs.
"""
from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from typing import Sequence

import numpy as np
from scipy import sparse

from ..cache import Memo, keeps_last_build, no_memo, pickled_digests
from ..model import Article, Glossary, Quote, QuoteOccurrence
from .align import Alignment, Statement
from .components import connected_components
from .index import co_occurrences
from ..text import UniqueIds, fold, slug, words
from .text import content_stems, split_sentences

# Pairs of opening and closing marks; straight quotes open and close with the same character.
_DOUBLE_PAIRS = (("\u201c", "\u201d"), ("\u201e", "\u201c"), ("\u00ab", "\u00bb"), ("\u201e", "\u201d"))
# A quotation shorter than this many words is a scare-quoted word ("so-called"), not a statement.
_MIN_WORDS = 2
# Fragments of one sentence's quotation split by at most this many words of narration
# ("“strategic cooperation” between the two “had reached a new level”") are one quotation.
_MAX_FRAGMENT_GAP_WORDS = 6
# Weighted share of the shorter quotation's words found in the longer one for two quotations to
# be the same statement. Translations of one statement typically keep half of the rare words.
_SAME_STATEMENT = 0.6
# ... lower when both name the same speaker: then the shared words are corroborated by who spoke.
_SAME_STATEMENT_SAME_SPEAKER = 0.4
# ... and higher when each names a different speaker: a misattributed quotation is still the
# same statement, but only when most of a statement of some length recurs.
_SAME_STATEMENT_OTHER_SPEAKER = 0.8
_MIN_STEMS_OTHER_SPEAKER = 4
# Fewer shared content words than this never make two quotations one (a single shared word is
# coincidence), unless the shorter quotation has only that many words and all of them are shared.
_MIN_SHARED_STEMS = 2
# A quotation of this many content words or fewer is a phrase: another source gives the same
# phrase only if every one of its words is there.
_SHORT_QUOTATION = 3
# Unquoted direct speech ("..., I am confident that we will ...") joins a quotation group when it
# names the same speaker and this share of its words occur in the quotation: lower than for two
# quotations because the speaker and the switch to the first person already make the case.
_UNQUOTED_SPEECH = 0.35
# Quotations sharing a word used in more quotations than this are not proposed as a pair by
# that word (it keeps the grouping near linear); the same statement shares rarer words too.
_MAX_POSTINGS = 50
_SPEECH_VERBS = re.compile(
    r"\b(said|says|say|told|tells|wrote|writes|added|adds|stated|states|stressed|emphasi[sz]ed|"
    r"declared|announced|noted|insisted|claimed|warned|explained|responded|replied|according to|"
    r"continued|concluded|bragged|recalled|hailed|called)\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"(?<![\w\"'\u201c\u2018])(I|We|we|Our|our|My)\b(?![\"'\u201d\u2019])")
# How many paragraphs back "he said" may look for the person meant; news paragraphs are short
# and a quotation's speaker is usually named in the same or the previous one.
_SPEAKER_LOOKBACK_PARAGRAPHS = 2
# Up to this many occurrences a quotation's representative wording is chosen by comparing
# every pair (the way the dossiers of the tests and benchmarks were made); above, word by word,
# so that a quotation repeated by thousands of sources costs linear time, not quadratic.
_PAIRWISE_REPRESENTATIVE = 200
_NAME_FALLBACK = re.compile(r"\b([A-Z][\w\-']+(?:\s+[A-Z][\w\-']+){1,3})\b")


@dataclass(frozen=True)
class _Found:
    source: str
    paragraph: int
    start: int
    end: int
    text: str
    speaker: str | None            # display name
    speaker_id: str | None         # glossary entity id, for grouping
    stems: frozenset[str]


def group_quotations(articles: Sequence[Article], glossary: Glossary, alignment: Alignment,
                     memo: Memo = no_memo) -> tuple[Quote, ...]:
    """One Quote per statement quoted anywhere; the same statement in several sources is one Quote.

    memo: keeps each source's reading (its quotations, its unquoted first-person sentences)
    between builds; the grouping across sources is redone, at array speed."""
    people = _people_by_paragraph(glossary)
    readings = _source_readings(articles, alignment, people, memo)
    found = [quote for quotations, _ in readings for quote in quotations]
    persons = frozenset(e.id for e in glossary.entities if e.type == "PERSON")
    groups = _cluster(found, alignment.weights, persons)
    candidates = [candidate for _, unquoted in readings for candidate in unquoted]
    groups = _add_unquoted_speech(groups, candidates, alignment.weights)
    return _to_quotes(groups, [a.id for a in articles], keep=keeps_last_build(memo))


def _source_readings(articles: Sequence[Article], alignment: Alignment, people, memo: Memo):
    """Per source, its quotations and its sentences of unquoted first-person speech (as
    (statement, offset of the switch, text)). Both are read from the source alone: its text,
    its language, where people and organisations are named in it, and where its statements
    (sentences) are; that is the memo's key. A kept reading names its statements by their
    position among the source's, so the current build's Statement objects are used."""
    digested = _digested(articles, alignment)
    of_source = _statements_by_source(articles, alignment, digested)
    if digested:
        # the alignment's digest of a source covers its id, language and paragraphs, and where
        # its statements are is a function of its paragraphs (one statement per sentence of
        # each, builder.text.sentence_spans): the digest stands for both
        readings_read = [(("alignment digest", article.id, digest),
                          _named_in(article, people))
                         for article, (_, digest) in zip(articles, alignment.sources)]
    else:
        readings_read = [((article.id, article.is_english, article.paragraphs),
                          _named_in(article, people),
                          [(s.sentence.paragraph, s.sentence.start, s.sentence.end) for s in statements])
                         for article, statements in zip(articles, of_source)]
    # pickled in C, not through repr (which spelled out every number of every span, each build)
    keys = [digest.hex() for digest in pickled_digests(readings_read)]

    def read(index: int):
        article = articles[index]
        found: list[_Found] = []
        for number, paragraph in enumerate(article.paragraphs):
            found.extend(_quotations_in(article, number, paragraph, people))
        return tuple(found), tuple(_unquoted_first_person(of_source[index], found))

    kept = memo("source quotations", keys, read)
    return [(found, tuple((statements[at], start, text, stems) for at, start, text, stems in unquoted) if unquoted else ())
            for statements, (found, unquoted) in zip(of_source, kept)]


def _named_in(article: Article, people) -> tuple:
    """Per paragraph of the source, the people and organisations named in it (`people`)."""
    return tuple(map(tuple, map(people.get, zip(repeat(article.id), range(len(article.paragraphs))), repeat(()))))


def _digested(articles: Sequence[Article], alignment: Alignment) -> bool:
    """Whether the alignment holds a digest and a summary of each of these sources, in their
    order (an alignment made without digests, in tests, holds neither)."""
    return (len(alignment.sources) == len(articles) == len(alignment.summaries)
            and all(source == article.id for (source, _), article in zip(alignment.sources, articles)))


def _statements_by_source(articles: Sequence[Article], alignment: Alignment, digested: bool) -> list[Sequence[Statement]]:
    """Each source's statements, in article order. The alignment numbers them source after
    source, so with its summaries (where each source's first is) they are slices of its tuple."""
    statements = alignment.statements
    if digested:
        starts = [start for start, _ in alignment.summaries]
        return list(map(statements.__getitem__, map(slice, starts, [*starts[1:], len(statements)])))
    of_source: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        of_source[statement.sentence.source].append(statement)
    return [of_source.get(article.id, []) for article in articles]


# --- extraction -------------------------------------------------------------------------

def _quote_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside quotation marks; an unclosed mark runs to the paragraph end."""
    if paragraph.lstrip().startswith(">"):
        lead = len(paragraph) - len(paragraph.lstrip().lstrip(">").lstrip())
        return [(lead, len(paragraph))]
    spans: list[tuple[int, int]] = []
    taken = [False] * len(paragraph)

    def claim(start: int, end: int) -> None:
        if end > start and not any(taken[start:end]):
            spans.append((start, end))
            for i in range(max(start - 1, 0), min(end + 1, len(paragraph))):
                taken[i] = True

    for opening, closing in _DOUBLE_PAIRS:
        position = 0
        while (start := paragraph.find(opening, position)) != -1:
            if taken[start]:
                position = start + 1
                continue
            end = paragraph.find(closing, start + 1)
            end = len(paragraph) if end == -1 else end
            claim(start + 1, end)
            position = end + 1
    straight = [m.start() for m in re.finditer('"', paragraph) if not taken[m.start()]]
    for first, second in zip(straight[0::2], straight[1::2]):
        claim(first + 1, second)
    if len(straight) % 2 == 1:
        claim(straight[-1] + 1, len(paragraph))
    # Single marks: an opener after a non-letter, a closer before a non-letter (so "people's"
    # is an apostrophe, not the end of a quotation).
    for match in re.finditer(r"(?<![\w])[\u2018']([^\u2018\u2019']{3,}?)[\u2019'](?![\w])", paragraph):
        claim(match.start(1), match.end(1))
    return sorted(spans)


def _quotations_in(article: Article, number: int, paragraph: str, people) -> list[_Found]:
    spans = [(s, e) for s, e in _quote_spans(paragraph) if len(words(paragraph[s:e])) >= _MIN_WORDS]
    if not spans:
        return []
    sentences = split_sentences(article.id, number, paragraph)
    merged = _merge_fragments(paragraph, spans, sentences)
    found = []
    for start, end, pieces in merged:
        text = " … ".join(paragraph[s:e].strip(" ,.;:") for s, e in pieces)
        context = _context(paragraph, sentences, spans, start, end)
        speaker, speaker_id = _speaker(article.id, number, paragraph, context, people)
        stems = frozenset(content_stems(text, article.is_english))
        if stems:
            found.append(_Found(article.id, number, start, end, text, speaker, speaker_id, stems))
    return found


def _sentence_index(sentences, offset: int) -> int:
    for i, sentence in enumerate(sentences):
        if offset < sentence.end:
            return i
    return len(sentences) - 1


def _merge_fragments(paragraph: str, spans, sentences):
    """Join quotation fragments of one sentence separated by a short stretch of narration."""
    merged: list[tuple[int, int, list[tuple[int, int]]]] = []
    for start, end in spans:
        if merged:
            last_start, last_end, pieces = merged[-1]
            gap = paragraph[last_end:start]
            same_sentence = _sentence_index(sentences, last_end - 1) == _sentence_index(sentences, start)
            if same_sentence and len(words(gap)) <= _MAX_FRAGMENT_GAP_WORDS and not _SPEECH_VERBS.search(gap):
                merged[-1] = (last_start, end, pieces + [(start, end)])
                continue
        merged.append((start, end, [(start, end)]))
    return merged


def _context(paragraph: str, sentences, spans, start: int, end: int) -> tuple[int, int, str]:
    """The sentences around a quotation with every quotation blanked out: where a speaker is named."""
    first = sentences[_sentence_index(sentences, start)].start if sentences else 0
    last = sentences[_sentence_index(sentences, max(end - 1, 0))].end if sentences else len(paragraph)
    chars = list(paragraph[first:last])
    for s, e in spans:
        for i in range(max(s, first), min(e, last)):
            chars[i - first] = " "
    return first, last, "".join(chars)


def _people_by_paragraph(glossary: Glossary) -> dict[tuple[str, int], list[tuple[int, int, str, str, str]]]:
    """(source, paragraph) -> mentions of people and organisations: (start, end, id, name, type)."""
    out: dict[tuple[str, int], list[tuple[int, int, str, str, str]]] = defaultdict(list)
    place, span = attrgetter("source", "paragraph"), attrgetter("start", "end")
    for entity in glossary.entities:
        if entity.type not in ("PERSON", "ORG"):
            continue
        # each mention's (start, end) and the entity's id, name and type, appended to its
        # paragraph's list in C: a dossier names people some tens of thousands of times
        named = (entity.id, entity.name, entity.type)
        deque(map(list.append, map(out.__getitem__, map(place, entity.mentions)),
                  map(tuple.__add__, map(span, entity.mentions), repeat(named))), maxlen=0)
    deque(map(list.sort, out.values()), maxlen=0)
    return out


def _speaker(source: str, number: int, paragraph: str, context, people) -> tuple[str | None, str | None]:
    first, last, blanked = context
    candidates = [
        m for m in people.get((source, number), [])
        if m[0] >= first and m[1] <= last and blanked[m[0] - first : m[1] - first].strip()
    ]
    verbs = [m.start() + first for m in _SPEECH_VERBS.finditer(blanked)]
    if candidates:
        # People before organisations ("Kim wrote, according to KCNA"), then the one nearest a
        # verb of saying.
        def rank(m):
            distance = min((abs(v - m[0]) for v in verbs), default=len(paragraph))
            return (m[4] != "PERSON", distance, m[0])

        best = min(candidates, key=rank)
        return best[3], best[2]
    if verbs:
        # "He added that ...", "it was also stated that ...": the person last named before.
        earlier = _person_named_before(source, number, first, people)
        if earlier:
            return earlier
    if verbs:
        names = _NAME_FALLBACK.findall(blanked)
        if names:
            return names[-1], None
    return None, None


def _person_named_before(source: str, number: int, offset: int, people) -> tuple[str, str] | None:
    for back in range(_SPEAKER_LOOKBACK_PARAGRAPHS + 1):
        earlier = [
            m for m in people.get((source, number - back), [])
            if m[4] == "PERSON" and (back > 0 or m[1] <= offset)
        ]
        if earlier:
            return earlier[-1][3], earlier[-1][2]
    return None


# --- grouping ---------------------------------------------------------------------------

def _similarity(a: frozenset[str], b: frozenset[str], weights: dict[str, float]) -> float:
    """Weighted share of the shorter quotation's words found in the other."""
    common = a & b
    if not common:
        return 0.0
    mass_a = sum(weights.get(t, 1.0) for t in a)
    mass_b = sum(weights.get(t, 1.0) for t in b)
    smaller, total = (a, mass_a) if (mass_a, len(a)) <= (mass_b, len(b)) else (b, mass_b)
    if len(common) < len(smaller) and (len(common) < _MIN_SHARED_STEMS or len(smaller) <= _SHORT_QUOTATION):
        return 0.0   # a short quotation ("tough times of the war") recurs whole or not at all
    return sum(weights.get(t, 1.0) for t in common) / total if total else 0.0


def _cluster(found: list[_Found], weights: dict[str, float], persons: frozenset[str]) -> list[list[_Found]]:
    # a word used in very many quotations proposes no pair; rarer shared words will
    pairs = sorted(co_occurrences([quote.stems for quote in found], _MAX_POSTINGS))
    same = _same_statements(found, pairs, weights, persons)
    links = [pair for pair, linked in zip(pairs, same.tolist()) if linked]
    return [[found[i] for i in group] for group in connected_components(len(found), links)]


def _same_statements(found: list[_Found], pairs: list[tuple[int, int]], weights: dict[str, float],
                     persons: frozenset[str]) -> np.ndarray:
    """Whether each pair of quotations gives the same statement, all at once, on arrays: the quotations' words as rows of a
    sparse matrix, their weights as a vector (the same sums, added in another order)."""
    if not pairs:
        return np.zeros(0, dtype=bool)
    column: dict[str, int] = {}
    indices = [column.setdefault(t, len(column)) for quote in found for t in quote.stems]
    indptr = np.cumsum([0] + [len(quote.stems) for quote in found])
    words_of = sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(found), len(column)))
    words_of.sort_indices()
    weight = np.array([weights.get(t, 1.0) for t in column])
    mass = words_of @ weight
    size = np.diff(indptr)
    first, second = (np.array(side, dtype=np.int64) for side in zip(*pairs))
    both = words_of[first].multiply(words_of[second]).tocsr()
    common = both @ np.ones(len(column))     # sums of ones: exact counts
    common_mass = both @ weight
    first_smaller = (mass[first] < mass[second]) | ((mass[first] == mass[second]) & (size[first] <= size[second]))
    smaller, total = np.where(first_smaller, size[first], size[second]), np.where(first_smaller, mass[first], mass[second])
    # a short quotation ("tough times of the war") recurs whole or not at all
    partial = (common < smaller) & ((common < _MIN_SHARED_STEMS) | (smaller <= _SHORT_QUOTATION))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(partial | (common == 0) | (total == 0), 0.0, common_mass / np.where(total == 0, 1.0, total))
    speaker_of: dict[str | None, int] = {None: -1}
    speaker = np.array([speaker_of.setdefault(q.speaker_id, len(speaker_of)) if q.speaker_id else -1 for q in found])
    person = np.array([q.speaker_id in persons for q in found])
    # two different people: the same words are a shared phrase ("we will rebuild the city")
    # unless nearly all of a longer statement recurs; a person and their organisation
    # ("Greenline" / "Greenline's spokeswoman") may well give one statement
    two_people = person[first] & person[second] & (speaker[first] != speaker[second])
    one_speaker = (speaker[first] >= 0) & (speaker[first] == speaker[second])
    threshold = np.where(two_people, _SAME_STATEMENT_OTHER_SPEAKER,
                         np.where(one_speaker, _SAME_STATEMENT_SAME_SPEAKER, _SAME_STATEMENT))
    too_short = two_people & (np.minimum(size[first], size[second]) < _MIN_STEMS_OTHER_SPEAKER)
    return (share >= threshold) & ~too_short


def _add_unquoted_speech(groups: list[list[_Found]], candidates, weights: dict[str, float]) -> list[list[_Found]]:
    """Add, to a quotation group, a sentence of another source giving the same words as direct
    speech without quotation marks (some sites strip them), when it names the same speaker.
    `candidates`: (statement, offset, text, stems) of every such sentence, in statement order."""
    # each group looks only at the sentences naming one of its speakers, in sentence order
    naming: dict[str, list[int]] = defaultdict(list)
    for n, (statement, _, _, _) in enumerate(candidates):
        for entity in statement.entities:
            naming[entity].append(n)
    out = []
    for group in groups:
        speakers = {q.speaker_id for q in group if q.speaker_id}
        sources = {q.source for q in group}
        extra = []
        for statement, start, text, stems in (candidates[n] for n in sorted({n for s in speakers for n in naming.get(s, ())})):
            if statement.source in sources or not speakers & statement.entities:
                continue
            best = max(_similarity(stems, q.stems, weights) for q in group)
            if best >= _UNQUOTED_SPEECH and len(stems) >= 4:
                speaker_id = sorted(speakers & statement.entities)[0]
                name = next(q.speaker for q in group if q.speaker_id == speaker_id)
                sentence = statement.sentence
                extra.append(_Found(sentence.source, sentence.paragraph, sentence.start + start,
                                    sentence.end, text, name, speaker_id, stems))
                sources.add(statement.source)
        out.append(group + extra)
    return out


def _unquoted_first_person(statements: Sequence[Statement], found: Sequence[_Found]) -> list[tuple[int, int, str, frozenset[str]]]:
    """Of one source's statements, the sentences outside any of its quotations that switch to
    the first person mid-sentence: (position among `statements`, offset of the switch, the
    words from there, their content stems)."""
    quoted: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for quote in found:
        quoted[quote.paragraph].append((quote.start, quote.end))
    out = []
    for at, statement in enumerate(statements):
        sentence = statement.sentence
        if not statement.english or any(s < sentence.end and e > sentence.start for s, e in quoted.get(sentence.paragraph, [])):
            continue
        match = _FIRST_PERSON.search(sentence.text)
        # "According to a statement ..., I am confident that ..." attributes, then switches to
        # the first person after a comma; a narrator's own "we" opens a sentence instead.
        if match and match.start() > 0 and sentence.text[: match.start()].rstrip().endswith(","):
            text = sentence.text[match.start():].rstrip(" .")
            out.append((at, match.start(), text, frozenset(content_stems(text, statement.english))))
    return out


def _representative(group: list[_Found]) -> _Found:
    """The wording that shares most words with the others (ties: longest, then first)."""
    if len(group) > _PAIRWISE_REPRESENTATIVE:
        return _representative_by_word(group)

    def overlap(q: _Found) -> tuple[float, int, str, int]:
        shared = sum(len(q.stems & other.stems) / max(len(other.stems), 1) for other in group if other is not q)
        return (-shared, -len(q.text), q.source, q.paragraph)

    return min(group, key=overlap)


def _representative_by_word(group: list[_Found]) -> _Found:
    """The same choice, summed word by word rather than pair by pair: what the other wordings
    share with q is, over q's words, the weight of the others holding each (a wording of n
    words weighing 1/n). Linear in the group; the sums may differ from the pairwise ones in
    their last digits."""
    weight: dict[str, float] = defaultdict(float)
    for quote in group:
        for stem_ in quote.stems:
            weight[stem_] += 1 / max(len(quote.stems), 1)

    def overlap(q: _Found) -> tuple[float, int, str, int]:
        own = 1 / max(len(q.stems), 1)
        shared = sum(weight[stem_] - own for stem_ in sorted(q.stems))
        return (-shared, -len(q.text), q.source, q.paragraph)

    return min(group, key=overlap)


# What a process that builds with a memo kept of the last build's quotation groups: per group,
# the identities of its occurrences (the memo gives an unchanged source the very same _Found
# objects) -> (those objects, held so that no other object takes their identity; what the group
# makes: its representative, the start of its id, its occurrences, its main speaker).
_kept_groups: dict[tuple[int, ...], tuple[tuple[_Found, ...], tuple]] = {}


def _to_quotes(groups: list[list[_Found]], order: list[str], keep: bool = False) -> tuple[Quote, ...]:
    """Quote records: occurrences in article order; shared first, then by id. Identifiers are
    given in order of first appearance so a clash always gets the same suffix.
    keep: what each group makes is kept for the next build, which takes it again for a group
    of the very same occurrences (a pure function of them)."""
    global _kept_groups
    rank = {source: i for i, source in enumerate(order)}

    def position(q: _Found) -> tuple[int, int, int]:
        return (rank.get(q.source, len(rank)), q.paragraph, q.start)

    ordered = sorted((sorted(group, key=position) for group in groups), key=lambda group: position(group[0]))
    kept, used = (_kept_groups, {}) if keep else ({}, None)
    quotes = []
    unique = UniqueIds()
    for group in ordered:
        identity = tuple(map(id, group))
        made = kept.get(identity)
        if made is None:
            best = _representative(group)
            made = (tuple(group), (best, slug(" ".join(fold(best.text).split()[:8])),
                                   tuple(QuoteOccurrence(q.source, q.paragraph, q.text, q.speaker) for q in group),
                                   _main_speaker(group)))
        if used is not None:
            used[identity] = made
        best, start, occurrences, speaker = made[1]
        quotes.append(Quote(unique(start), best.text, occurrences, speaker))
    if used is not None:
        _kept_groups = used
    quotes.sort(key=lambda q: (-len(q.sources), q.id))
    return tuple(quotes)


def _main_speaker(group: list[_Found]) -> str | None:
    """The speaker most occurrences name (alphabetical on a tie)."""
    counts: dict[str, int] = defaultdict(int)
    for quote in group:
        if quote.speaker:
            counts[quote.speaker] += 1
    return min(counts, key=lambda s: (-counts[s], s)) if counts else None
