"""Which paragraphs other sources corroborate, and which statements only one source makes.

Worked out on arrays: every statement and every paragraph numbered, the aligned pairs as
columns of numbers, so that a rebuild of a large dossier pays numpy's time for the pairs, not
a Python loop over each."""
from __future__ import annotations

from collections import defaultdict
import itertools
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import Sequence

import numpy as np

from ..cache import Memo, keeps_last_build, no_memo
from ..model import Article, Claim, Corroboration, Evidence, Quote, SourceGroup
from .align import Alignment, Statement
from .index import distinct

# Alignment score from which a statement of another source reports the same thing. Below it,
# pairs share names and a word or two but say different things.
_SUPPORTS = 0.3
# A statement with no partner above this score is reported by its source only. Lower than
# _SUPPORTS: a statement half-matched elsewhere is neither confirmed nor unique.
_UNIQUE_BELOW = 0.18
# How much of a quotation's opening identifies the sentence it stands in.
_QUOTE_PROBE_CHARS = 30
# Statements with fewer content words are headings, datelines or fragments, not claims.
_MIN_CLAIM_TERMS = 6


def corroborate(
    articles: Sequence[Article], alignment: Alignment, near_copies: Sequence[SourceGroup], quotes: Sequence[Quote],
    memo: Memo = no_memo,
) -> tuple[tuple[Corroboration, ...], tuple[Claim, ...]]:
    """Per paragraph, the paragraphs of other sources reporting the same; and the statements
    that no other source reports. A quotation other sources give too counts as support.

    memo: only asked whether this is a serving process (`keeps_last_build`); then each source's
    records and unique claims are kept for the next build, which takes them again wherever all
    they were made of is unchanged (see _Kept)."""
    global _kept
    last, _kept = _kept, None   # taken; put back below when this build keeps its own
    places = _Places(articles, near_copies)
    kept = _Kept(places, alignment, last) if keeps_last_build(memo) else None
    statements = alignment.statements
    paragraph_of = places.first_of_source[alignment.statement_sources()] + (
        kept.statement_paragraphs() if kept else _statement_paragraphs(statements))
    first, second, score = alignment.pair_columns()
    quote_here, quote_there, fragments = _shared_quotation_support(quotes, places)
    # a statement supports the other of its pair unless both belong to one report (near-copies)
    supports = (score >= _SUPPORTS) & (places.report[paragraph_of[first]] != places.report[paragraph_of[second]])
    here = np.concatenate([paragraph_of[first[supports]], paragraph_of[second[supports]], quote_here])
    there = np.concatenate([paragraph_of[second[supports]], paragraph_of[first[supports]], quote_there])
    # unmatched: no partner scoring _UNIQUE_BELOW or more (marked, not a maximum taken per statement)
    matched = np.zeros(len(statements), dtype=bool)
    close = ~(score < _UNIQUE_BELOW)
    matched[first[close]] = True
    matched[second[close]] = True
    unmatched = np.flatnonzero(~matched)
    if kept is None:
        return places.records(here, there), _unique_claims(statements, unmatched, paragraph_of, fragments)
    records = kept.records(here, there)
    claims = kept.claims(unmatched, paragraph_of, fragments)
    _kept = kept.forget_old()
    return records, claims


def _statement_paragraphs(statements: Sequence[Statement]) -> np.ndarray:
    """Each statement's paragraph in its source."""
    return np.fromiter(map(attrgetter("sentence.paragraph"), statements), dtype=np.int64, count=len(statements))


def _unique_claims(statements: Sequence[Statement], unmatched: np.ndarray, paragraph_of: np.ndarray,
                   fragments: dict[int, list[str]]) -> tuple[Claim, ...]:
    """The unmatched statements that are claims: enough content words, no question, not the
    sentence holding a quotation other sources give too. Tested column by column (most of a
    large dossier's statements are unmatched), the quotation test only where there is one."""
    if not len(unmatched):
        return ()
    chosen = itemgetter(*unmatched.tolist())(statements) if len(unmatched) > 1 else (statements[unmatched[0]],)
    sentences = list(map(attrgetter("sentence"), chosen))
    texts = list(map(attrgetter("text"), sentences))
    long_enough = np.fromiter(map(len, map(attrgetter("terms"), chosen)), dtype=np.int64,
                              count=len(chosen)) >= _MIN_CLAIM_TERMS
    asked = np.fromiter(map(str.endswith, texts, repeat("?")), dtype=bool, count=len(texts))
    keep = long_enough & ~asked
    places = paragraph_of[unmatched]
    for k in np.flatnonzero(keep & np.isin(places, np.fromiter(fragments, dtype=np.int64, count=len(fragments)))).tolist():
        text = texts[k]
        keep[k] = not any(fragment in text for fragment in fragments[int(places[k])])
    kept = np.flatnonzero(keep).tolist()
    return tuple(map(_claim, map(attrgetter("source"), map(sentences.__getitem__, kept)),
                     map(attrgetter("paragraph"), map(sentences.__getitem__, kept)), map(texts.__getitem__, kept)))


def _claim(source: str, paragraph: int, text: str) -> Claim:
    """Claim(source, paragraph, text), its fields filled in directly rather than through the
    frozen dataclass's __init__ (one guarded setattr per field): most statements of a large
    dossier are unique claims, made afresh every build. The same object in every respect."""
    claim = _new(Claim)
    fields = claim.__dict__
    fields["source"] = source
    fields["paragraph"] = paragraph
    fields["text"] = text
    return claim


_new = object.__new__


class _Places:
    """Every paragraph of the dossier numbered in article order, with what corroboration needs
    to know of it: its source, its place in (source id, paragraph) order, its report (the first
    source of its near-copy group: copies of one text are one report)."""

    def __init__(self, articles: Sequence[Article], near_copies: Sequence[SourceGroup]) -> None:
        self.ids = [article.id for article in articles]
        counts = np.array([len(article.paragraphs) for article in articles], dtype=np.int64)
        self.first_of_source = np.cumsum(counts) - counts   # the number of each source's first paragraph
        self.start = dict(zip(self.ids, self.first_of_source.tolist()))
        self.source = np.repeat(np.arange(len(articles)), counts)
        self.paragraph = np.arange(int(counts.sum())) - np.repeat(self.first_of_source, counts)
        by_id = {source: i for i, source in enumerate(self.ids)}
        copy_of = {source: group.sources[0] for group in near_copies for source in group.sources}
        report_of_source = np.array([by_id.get(copy_of.get(source, source), i) for i, source in enumerate(self.ids)],
                                    dtype=np.int64)
        self.report = report_of_source[self.source]
        id_rank = np.empty(len(articles), dtype=np.int64)
        id_rank[sorted(range(len(articles)), key=self.ids.__getitem__)] = np.arange(len(articles))
        self.id_rank = id_rank[self.source]
        # places ranked by (source id, paragraph), the order a paragraph's support is listed in
        self.place_of_rank = np.lexsort((self.paragraph, self.id_rank))
        self.place_rank = np.empty(len(self.source), dtype=np.int64)
        self.place_rank[self.place_of_rank] = np.arange(len(self.source))
        # paragraphs of a source with near-copies (its report holds other sources too)
        self.copied = np.bincount(report_of_source, minlength=len(articles))[self.report] > 1

    def numbers(self, sources: Sequence[str], paragraphs: Sequence[int]) -> np.ndarray:
        """The number of each (source, paragraph)."""
        start = self.start
        return np.fromiter(map(int.__add__, map(start.__getitem__, sources), paragraphs), dtype=np.int64,
                           count=len(sources))

    def records(self, here: np.ndarray, there: np.ndarray) -> tuple[Corroboration, ...]:
        """One record per paragraph: the places supporting it, each place once, and of a
        near-copy group only the places of its first source (by id) among them; sorted."""
        here, there = self.support(here, there)
        return self.made(here, there, np.arange(len(self.source)))

    def support(self, here: np.ndarray, there: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The pairs (paragraph, place supporting it) that its record lists, in its order:
        by paragraph, then supporting source by id, then its paragraph; each pair once, and of
        a near-copy group only the places of its first source (by id)."""
        total = len(self.source)
        # one sort orders by paragraph, then supporting source by id, then its paragraph, and
        # leaves each pair once (np.unique would hash first: several times slower here)
        pair = distinct(here * total + self.place_rank[there])
        here, there = pair // total, self.place_of_rank[pair % total]
        # of a near-copy group only the first source (by id) supporting the paragraph is kept
        copied = np.flatnonzero(self.copied[there])
        if len(copied):
            by_group = copied[np.lexsort((self.id_rank[there[copied]], self.report[there[copied]], here[copied]))]
            new_group = np.ones(len(by_group), dtype=bool)
            new_group[1:] = ((here[by_group[1:]] != here[by_group[:-1]])
                             | (self.report[there[by_group[1:]]] != self.report[there[by_group[:-1]]]))
            group_start = by_group[np.maximum.accumulate(np.where(new_group, np.arange(len(by_group)), 0))]
            keep = np.ones(len(here), dtype=bool)
            keep[by_group] = self.id_rank[there[by_group]] == self.id_rank[there[group_start]]
            here, there = here[keep], there[keep]
        return here, there

    def made(self, here: np.ndarray, there: np.ndarray, paragraphs: np.ndarray) -> tuple[Corroboration, ...]:
        """The records of `paragraphs` (ascending), from their support pairs (`support`)."""
        total = len(self.source)
        counts = np.bincount(here, minlength=total)[paragraphs]
        ends = np.cumsum(counts)
        # one Evidence per paragraph, shared by every record naming it
        places = np.flatnonzero(np.bincount(there, minlength=total))   # distinct, in order, without a sort
        evidence = dict(zip(places.tolist(), map(Evidence, map(self.ids.__getitem__, self.source[places].tolist()),
                                                 self.paragraph[places].tolist())))
        supporting = tuple(map(evidence.__getitem__, there.tolist()))
        # each record's support a slice of one tuple (a tuple's slice is a tuple), made in C
        return tuple(map(Corroboration, map(self.ids.__getitem__, self.source[paragraphs].tolist()),
                         self.paragraph[paragraphs].tolist(),
                         map(supporting.__getitem__, map(slice, (ends - counts).tolist(), ends.tolist()))))


def _shared_quotation_support(quotes: Sequence[Quote], places: _Places):
    """Paragraph -> paragraphs of other sources giving the same quotation, as two columns of
    paragraph numbers; and, per paragraph number, the opening words of each shared quotation
    in it (to recognise the sentences holding it). Every occurrence is paired with every one of
    its quotation's in arrays, then the pairs within one source dropped."""
    groups = [quote.occurrences for quote in quotes if len(quote.occurrences) > 1]
    sizes = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
    occurrences = list(itertools.chain.from_iterable(groups))
    numbers = places.numbers(list(map(attrgetter("source"), occurrences)),
                             list(map(attrgetter("paragraph"), occurrences)))
    if not len(numbers):
        return numbers, numbers, {}
    source = places.source[numbers]
    starts = np.cumsum(sizes) - sizes
    # a quotation is shared when its occurrences are in more than one source
    shared = np.repeat(np.minimum.reduceat(source, starts) != np.maximum.reduceat(source, starts), sizes)
    size_of, start_of = np.repeat(sizes, sizes), np.repeat(starts, sizes)
    here = np.repeat(np.arange(len(numbers)), size_of)
    there = np.repeat(start_of, size_of) + np.arange(len(here)) - np.repeat(np.cumsum(size_of) - size_of, size_of)
    apart = source[here] != source[there]
    fragments: dict[int, list[str]] = defaultdict(list)
    for k in np.flatnonzero(shared).tolist():
        fragments[int(numbers[k])].extend(piece[:_QUOTE_PROBE_CHARS] for piece in occurrences[k].text.split(" … "))
    return numbers[here[apart]], numbers[there[apart]], fragments


# A serving process's last build (`keeps_last_build`), else None: its records and unique claims
# per source, for the next build to take again (see _Kept).
_kept: _Kept | None = None


class _Kept:
    """Each source's records and unique claims, made afresh only for the sources whose share of
    the work differs from the last build's. Exact: a source's records are keyed by its id and
    the bytes of everything they are made of (support counts of its paragraphs, each supporting
    place as (source code, paragraph)); its claims by its statements' digest (which covers its
    id, text, date, language and entity spans: `Alignment.contents`), which of its statements
    no other source matches, and the openings of the shared quotations in its paragraphs.
    Source codes are numbers given to ids for as long as the kept results live, so that an
    added or removed source leaves the others' keys as they were."""

    def __init__(self, places: _Places, alignment: Alignment, last: _Kept | None) -> None:
        self.places, self.alignment = places, alignment
        old_records, old_claims, codes = (last.new_records, last.new_claims, last.codes) if last else ({}, {}, {})
        # codes of ids long gone: start afresh, with nothing kept (old keys name old codes)
        if len(codes) > 2 * len(places.ids) + 1000:
            old_records, old_claims, codes = {}, {}, {}
        self.old_records, self.old_claims, self.codes = old_records, old_claims, codes
        self.old_paragraphs = last.new_paragraphs if last else {}
        self.new_paragraphs: dict[str, np.ndarray] = {}
        self.code = np.fromiter((codes.setdefault(source, len(codes)) for source in places.ids), dtype=np.int64,
                                count=len(places.ids))
        self.new_records: dict[tuple, tuple[Corroboration, ...]] = {}
        self.new_claims: dict[tuple, tuple[Claim, ...]] = {}

    def forget_old(self) -> _Kept:
        """This build's results only, for the next; nothing else held."""
        self.old_records = self.old_claims = self.old_paragraphs = self.places = self.alignment = None
        return self

    def statement_paragraphs(self) -> np.ndarray:
        """Each statement's paragraph in its source, kept per source by the digest its
        statements are made of (`Alignment.contents`)."""
        alignment = self.alignment
        if not (len(alignment.contents) == len(alignment.summaries) == len(self.places.ids)):
            return _statement_paragraphs(alignment.statements)
        statements, old, new = alignment.statements, self.old_paragraphs, self.new_paragraphs
        ends = [start for start, _ in alignment.summaries[1:]] + [len(statements)]
        parts = []
        for content, (start, _), end in zip(alignment.contents, alignment.summaries, ends):
            found = old.get(content)
            if found is None or len(found) != end - start:
                found = _statement_paragraphs(statements[start:end])
                found.flags.writeable = False
            new[content] = found
            parts.append(found)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def records(self, here: np.ndarray, there: np.ndarray) -> tuple[Corroboration, ...]:
        places = self.places
        here, there = places.support(here, there)
        counts = np.bincount(here, minlength=len(places.source))
        # each source's paragraphs [start, end) and support pairs [entry, entry_end), as byte offsets
        sizes = np.diff(np.append(places.first_of_source, len(places.source)))
        entry = np.append(0, np.cumsum(counts))[places.first_of_source]
        entry_end = np.append(entry[1:], len(there))
        counts_bytes, code_bytes = counts.tobytes(), self.code[places.source[there]].tobytes()
        paragraph_bytes = places.paragraph[there].tobytes()
        width = counts.itemsize
        found, missing, keys = [], [], []
        for i, (source, start, size, first, last) in enumerate(zip(
                places.ids, (places.first_of_source * width).tolist(), (sizes * width).tolist(),
                (entry * width).tolist(), (entry_end * width).tolist())):
            key = (source, counts_bytes[start:start + size], code_bytes[first:last], paragraph_bytes[first:last])
            keys.append(key)
            found.append(self.old_records.get(key))
            if found[-1] is None:
                missing.append(i)
        if missing:
            self._make_records(here, there, sizes, entry, entry_end, missing, found)
        self.new_records.update(zip(keys, found))
        return tuple(itertools.chain.from_iterable(found))

    def _make_records(self, here, there, sizes, entry, entry_end, missing, found) -> None:
        places = self.places
        first = places.first_of_source
        paragraphs = np.concatenate([np.arange(first[i], first[i] + sizes[i]) for i in missing])
        pairs = np.concatenate([np.arange(entry[i], entry_end[i]) for i in missing])
        made = places.made(here[pairs], there[pairs], paragraphs)
        at = 0
        for i in missing:
            found[i] = made[at:at + int(sizes[i])]
            at += int(sizes[i])

    def claims(self, unmatched: np.ndarray, paragraph_of: np.ndarray,
               fragments: dict[int, list[str]]) -> tuple[Claim, ...]:
        places, alignment = self.places, self.alignment
        if not (len(alignment.contents) == len(alignment.summaries) == len(places.ids)):
            return _unique_claims(alignment.statements, unmatched, paragraph_of, fragments)   # nothing to key by
        starts = np.fromiter((start for start, _ in alignment.summaries), dtype=np.int64,
                             count=len(alignment.summaries))
        bounds = np.append(np.searchsorted(unmatched, starts), len(unmatched))
        local_bytes = (unmatched - np.repeat(starts, np.diff(bounds))).tobytes()
        width = unmatched.itemsize
        quoted: dict[int, list] = defaultdict(list)
        for number in sorted(fragments):
            quoted[int(places.source[number])].append((int(places.paragraph[number]), tuple(fragments[number])))
        found, missing, keys = [], [], []
        for i, (content, first, last) in enumerate(zip(alignment.contents, (bounds[:-1] * width).tolist(),
                                                       (bounds[1:] * width).tolist())):
            key = (content, local_bytes[first:last], tuple(quoted.get(i, ())))
            keys.append(key)
            found.append(self.old_claims.get(key))
            if found[-1] is None:
                missing.append(i)
        if missing:
            chosen = np.concatenate([unmatched[bounds[i]:bounds[i + 1]] for i in missing])
            made = {source: tuple(claims) for source, claims in itertools.groupby(
                _unique_claims(alignment.statements, chosen, paragraph_of, fragments), key=attrgetter("source"))}
            for i in missing:
                found[i] = made.get(places.ids[i], ())
        self.new_claims.update(zip(keys, found))
        return tuple(itertools.chain.from_iterable(found))
