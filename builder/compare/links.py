"""Which facts of different sources state the same thing: each fact linked to the best
matching comparable fact of every other source, by the alignment of their sentences or
paragraphs, their clauses, and the story they belong to.

Links are mutual (each fact prefers the other among the facts of its source) and, within one
pair of sentences or paragraphs, one-to-one. Some facts are linked across unaligned sentences,
weakly: the casualties of the story (short reports of successive days share no word), one
thing's workforce or magnitude, ordinals of one noun. Figures observed on different days or
over different periods, and days of events told in verbs of different classes, are not linked.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..cache import Memo, no_memo
from .align import Alignment, Statement
from .facts import ELAPSED_KEY, REPORT_KEY, Clause, Fact, normal
from .story import Story
from .text import EVENT_MARKER

# Minimum alignment between the two sentences (or, for weekdays and dates, the two
# paragraphs) for their facts to be about the same thing. Measured on sentence pairs that
# report one event in different words: 0.2-0.6; unrelated pairs sharing a name: below 0.15.
_SENTENCE_LINK = 0.2
# Sentences aligned this well say the same thing: their lone counts of some noun are compared
# even when the nouns differ (see _lone_figures). Rewordings of one sentence score 0.4-0.7.
_LONE_FIGURE_LINK = 0.4
# Reports published this many days apart or fewer follow one story day by day (see
# same_day_news); further apart they are rarely about the same days at all.
_NEWS_WEEK_DAYS = 14
# Heads that make a figure a span of time, in its own unit ("27 years", "3 weeks"): never
# compared with a figure of another noun.
_TIME_UNITS = frozenset(("second", "minut", "hour", "day", "days", "week", "month", "year", "decad", "centur"))
_EVENT_LINK = 0.25
# Each word shared right around two facts adds this to their sentences' alignment, up to the
# maximum: enough to lift a pair just under the threshold, never one that shares only names.
_CONTEXT_BONUS = 0.05
_MAX_CONTEXT_BONUS = 0.1
# A weekday or a date is often in the sentence next to the one that matches, so paragraph
# alignment counts, discounted because the paragraph may report several things.
_PARAGRAPH_DISCOUNT = 0.8
# Kinds of facts about the reported event as a whole, found near rather than in the sentence
# that matches: the day, and who the report is attributed to.
_EVENT_KINDS = ("weekday", "date", "attribution")
# Facts whose own clause says what they date or attribute ("announced on Tuesday", "closing
# price on Friday"): of two days in one aligned pair of sentences, the one whose clause is
# alike is the same day. How much the clause counts against the alignment of the sentences:
# with no clause word shared a link keeps this share of its strength when two links compete.
CLAUSE_KINDS = ("weekday", "date", "time", "daypart", "attribution")
_CLAUSE_FLOOR = 0.25
# The opening paragraphs of two reports of one story (align.py: Alignment.openings) report its
# main news: their main attributions are compared when any of these paragraphs align at least
# this well.
_LEAD_LINK = 0.15
# Ordinals with the same uncommon head noun ("77th anniversary", "70th anniversary") are
# linked even when their sentences are not aligned, at this weak strength: in one story's
# dossier they usually count the same thing, but the reader should check.
_SAME_HEAD_STRENGTH = 0.15
# Links this weak or weaker join facts of unaligned sentences: they may attach a fact to a
# group, never merge two groups aligned sentences make (see discrepancies._without_bridges).
WEAK_STRENGTH = _SAME_HEAD_STRENGTH
# More facts than this with one head noun: the noun is too common to link them unaligned.
_MAX_SAME_HEAD = 12
# What a figure counts that belongs to one thing rather than to one event (a death toll may be
# of another disaster the report recalls): figures of these, about one named thing, are
# linked even when their sentences are not aligned, at the same weak strength.
_SUBJECT_CONCEPTS = ("employees", "magnitude", "depth")
# The casualties of the story's disaster: reports of successive days give them in short
# sentences that share no word ("Nine people have been confirmed dead" / "The death toll rose
# to 12 on Monday"), so their figures are linked across unaligned sentences too, unless the
# sentences name different places or years (another town's dead, an earlier flood's).
_CASUALTY_CONCEPTS = ("deaths", "injured", "missing", "displaced")
# either: the figures linked by _link_same_subjects
_SAME_SUBJECT_CONCEPTS = frozenset(_SUBJECT_CONCEPTS + _CASUALTY_CONCEPTS)
# A dossier of many sources repeats its toll in many sentences: up to this many figures of one
# casualty concept are linked pairwise (mutual best links keep each to its nearest counterpart).
_MAX_CASUALTY_FIGURES = 400
# Two figures further apart than this factor count different things (2,012 dead vs 12,000
# homes), not the same thing differently.
_MAX_RATIO = 3.0


@dataclass(frozen=True)
class Located:
    """A fact with the statement that states it."""

    fact: Fact
    statement: Statement
    clause: Clause        # what the clause around the fact says (read with the sentence)
    source: str           # the statement's source, read once
    value: object = None  # the value two facts must share to state the same (facts.normal), read once


@dataclass(frozen=True)
class Link:
    """Two facts taken to state the same thing."""

    strength: float    # how surely the two facts are about the same thing (alignment)
    fit: float         # the strength, weighed by how alike their clauses are: which link wins


def locate_facts(statements: Sequence[Statement]) -> list[Located]:
    """Every fact of every statement, in statement order: the items links join by index.

    Each Located(fact, statement, clause, source, normal(fact)) is made by filling its fields
    rather than through __init__, which sets each field of a frozen dataclass through
    object.__setattr__: every build locates every fact of the dossier."""
    located = []
    make = object.__new__
    for statement in statements:
        if statement.facts:
            source = statement.sentence.source
            for fact, clause in zip(statement.facts, statement.clauses):
                item = make(Located)
                item.__dict__.update(fact=fact, statement=statement, clause=clause, source=source, value=normal(fact))
                located.append(item)
    return located


def fact_columns(located: Sequence[Located], openings: frozenset[tuple[str, int]]) -> tuple[list, ...]:
    """What linking asks of each fact, read once per fact rather than once per pair, as columns:
    (clauses, facts, sources, values, publication dates, whether in an opening paragraph)."""
    return ([item.clause for item in located], [item.fact for item in located], [item.source for item in located],
            [item.value for item in located], [item.statement.published for item in located],
            [(item.source, item.statement.sentence.paragraph) in openings for item in located])


def link_facts(located: list[Located], alignment: Alignment, story: Story,
               memo: Memo = no_memo, columns: tuple[list, ...] | None = None) -> dict[tuple[int, int], Link]:
    """(fact, fact) -> link, linking each fact to its best match in every other source.

    Four ways two facts come to be about the same thing, from the surest: their sentences
    align; their paragraphs align (weekdays, dates, attributions); they are the main
    attributions of aligned openings; they are ordinals of the same noun in one story.
    In one pair of sentences or paragraphs each fact is matched with one fact at most, so a
    second day in a paragraph ("announced on Monday ... closed on Friday") is never taken
    for the one day the other paragraph gives.

    memo: keeps what the aligned sentences and paragraphs of each source and the later
    sources offer (see `_aligned_offers`). columns: `fact_columns` of `located`, when the
    caller has them."""
    openings = alignment.openings
    linker = _Linker(located, alignment.weights, openings, columns or fact_columns(located, openings))
    fixed, units = _aligned_offers(linker, alignment, memo)
    for i, j, strength in fixed:
        linker.take(i, j, strength, strength)
    linker.take_units(units)
    _link_same_heads(linker, located, story)
    _link_same_subjects(linker, located, story)
    return linker.links()


def _aligned_offers(linker: _Linker, alignment: Alignment, memo: Memo):
    """What aligned sentences, paragraphs and openings offer, as (fixed offers, units): a fixed
    offer (i, j, strength) fits as strongly as it is sure (figures, ordinals: their clauses do
    not weigh); a unit is the comparable candidates (i, j, strength) of one pair of sentences or
    paragraphs whose fit weighs their clauses by the dossier's word weights, matched afresh.

    Which facts two sources offer each other depends on the two sources alone (their facts, the
    scores of their aligned sentences), not on the weights: so it is kept between builds, one
    entry per source with everything it offers the sources after it, keyed by the digests of
    those sources and the scores of their aligned sentences. An edit reworks the entries of the
    edited source and of the sources before it that it aligns with."""
    plan = _OfferPlan(linker.located, alignment)
    kept = memo("aligned fact offers", plan.keys(),
                many=lambda groups: [(offers, ()) for offers in plan.compute(linker, groups)])
    return plan.global_offers(kept)


def _family(fact: Fact) -> str:
    """Facts of one family can be compared: ranks ("one of the few") with ordinals ("third")."""
    return "rank" if fact.kind in ("rank", "ordinal") else fact.kind


class _Linker:
    """Keeps, for each fact and each other source, the best fitting comparable fact offered."""

    def __init__(self, located: list[Located], weights: dict[str, float], openings: frozenset[tuple[str, int]],
                 columns: tuple[list, ...]) -> None:
        self._located = located
        # each term's weight squared, worked out once (a few thousand terms) for the cosines
        self._squares = {term: weight ** 2 for term, weight in weights.items()}
        self.openings = openings
        self._best: dict[int, dict[str, tuple[float, bool, int, float]]] = defaultdict(dict)
        # (fact, fact) pairs of figures compared although they count differently named things
        self.loose: set[tuple[int, int]] = set()
        # what every comparison asks of a fact (`fact_columns`)
        self.clauses, self._facts, self._sources, self._values, self._published, self._in_opening = columns
        # fact -> the event markers of its clause, read only for the days and attributions compared
        self._events: dict[int, frozenset[str]] = {}
        self._norms: dict[int, float] = {}
        # (fact, fact) -> affinity: comparable() and fit() ask about the same pairs
        self._affinities: dict[tuple[int, int], float] = {}

    @property
    def located(self) -> list[Located]:
        return self._located

    def comparable(self, i: int, j: int, loose: bool = False) -> bool:
        """Facts of two sources that may state the same thing. A day (a time, an attribution)
        outside the opening paragraphs must share a word of its clause with the other: in
        aligned sentences "teams worked on Monday" and "planes flew in on Saturday" date two
        things. In the openings of reports of one day both date the main news, whatever the
        words around them; reports of successive days open with each day's own news."""
        if self._sources[i] == self._sources[j]:
            return False
        a, b = self._facts[i], self._facts[j]
        loose = loose or (min(i, j), max(i, j)) in self.loose
        if not comparable(a, b, loose):
            return False
        if _dated_by_report(a) and (self._published[i] is None or self._published[i] != self._published[j]):
            return False   # "said on Monday" in Monday's report, "said on Tuesday" in Tuesday's (or undated ones)
        if (a.kind == "number" and a.key not in _CASUALTY_CONCEPTS + _SUBJECT_CONCEPTS
                and (_observed_apart(self.clauses[i], self.clauses[j])
                     or _different_verbs(self.clauses[i], self.clauses[j]))):
            return False   # "peaked at 4.3 m on Sunday", "had fallen to 3.1 m on Tuesday"
        if a.kind in CLAUSE_KINDS:
            events_a, events_b = self._event_markers(i), self._event_markers(j)
            if events_a and events_b and not events_a & events_b:
                return False   # "peaked on Sunday", "had fallen on Tuesday" (verbs of different classes)
            if not (self.opening(i, j) and self.same_day_news(i, j)):
                # every weight is positive: the clauses are alike exactly when they share a word
                return not self._facts[i].context.isdisjoint(self._facts[j].context)
        return True

    def _event_markers(self, i: int) -> frozenset[str]:
        known = self._events.get(i)
        if known is None:
            known = self._events[i] = frozenset(t for t in self._facts[i].context if t.startswith(EVENT_MARKER))
        return known

    def in_opening(self, i: int) -> bool:
        return self._in_opening[i]

    def same_day_news(self, i: int, j: int) -> bool:
        """Whether two facts may both date the news of one day: any two attributions, and days
        or times unless the reports were published on different days of one news week (each
        then opens with its own day's news)."""
        return self._facts[i].kind == "attribution" or not _successive_days(self._published[i], self._published[j])

    def opening(self, i: int, j: int) -> bool:
        return self._in_opening[i] and self._in_opening[j]

    def affinity(self, i: int, j: int) -> float:
        """How alike the clauses of two facts are: the idf-weighted cosine of their contexts
        (0..1), each context's norm worked out once. (One call, not three: it is asked of some
        16,000 pairs at 1,000 sources.)"""
        known = self._affinities.get((i, j))
        if known is not None:
            return known
        a, b = self._facts[i].context, self._facts[j].context
        shared = a & b
        if shared:
            squares, norms = self._squares, self._norms
            dot = sum([squares.get(t, 1.0) for t in shared])
            norm_i = norms.get(i)
            if norm_i is None:
                norm_i = norms[i] = math.sqrt(sum([squares.get(t, 1.0) for t in a]))
            norm_j = norms.get(j)
            if norm_j is None:
                norm_j = norms[j] = math.sqrt(sum([squares.get(t, 1.0) for t in b]))
            known = dot / (norm_i * norm_j)
        else:
            known = 0.0
        self._affinities[(i, j)] = known
        return known

    def fit(self, i: int, j: int, strength: float) -> float:
        if self._facts[i].kind not in CLAUSE_KINDS:
            return strength
        return strength * (_CLAUSE_FLOOR + (1 - _CLAUSE_FLOOR) * self.affinity(i, j))

    def offer(self, i: int, j: int, strength: float) -> None:
        if self.comparable(i, j):
            self.take(i, j, strength, self.fit(i, j, strength))

    def take(self, i: int, j: int, strength: float, fit: float) -> None:
        """Keep a comparable pair where it fits better than what each fact has from that source."""
        # between equally fitting candidates the one that agrees: no conflict on a coin toss
        agrees = self._values[i] == self._values[j]
        best_of_i, best_of_j = self._best[i], self._best[j]
        source_i, source_j = self._sources[i], self._sources[j]
        best = best_of_i.get(source_j)
        if best is None or (fit, agrees, -j) > best[:3]:
            best_of_i[source_j] = (fit, agrees, -j, strength)
        best = best_of_j.get(source_i)
        if best is None or (fit, agrees, -i) > best[:3]:
            best_of_j[source_i] = (fit, agrees, -i, strength)

    def take_units(self, units: Sequence[Sequence[tuple[int, int, float]]]) -> None:
        """take_matched for each unit (each the candidates of one pair of sentences or paragraphs,
        all days, times or attributions: their fit weighs their clauses). Most units have one
        candidate: it is taken here, in one loop, rather than through a call per unit."""
        take, affinity, floor = self.take, self.affinity, _CLAUSE_FLOOR
        for candidates in units:
            if len(candidates) == 1:
                i, j, strength = candidates[0]
                take(i, j, strength, strength * (floor + (1 - floor) * affinity(i, j)))   # as fit() gives
            else:
                self.take_matched(candidates)

    def take_matched(self, candidates: Sequence[tuple[int, int, float]]) -> None:
        """Take the comparable (fact, fact, strength) candidates of one pair of sentences or
        paragraphs, each fact matched with one other at most, the best fitting pairs first."""
        if len(candidates) == 1:   # most units: nothing to match
            i, j, strength = candidates[0]
            self.take(i, j, strength, self.fit(i, j, strength))
            return
        ranked = sorted(((self.fit(i, j, strength), i, j, strength) for i, j, strength in candidates),
                        key=lambda c: (-c[0], c[1], c[2]))
        used: set[int] = set()
        for fit, i, j, strength in ranked:
            if i not in used and j not in used:
                used.update((i, j))
                self.take(i, j, strength, fit)

    def links(self) -> dict[tuple[int, int], Link]:
        """The links each of the two facts prefers to every other fact of the other source:
        a fact with no counterpart in a source would otherwise cling to one that has its own."""
        links: dict[tuple[int, int], Link] = {}
        every_best, sources, make = self._best, self._sources, object.__new__
        for i, best in every_best.items():
            source = sources[i]
            for fit, _, negative_j, strength in best.values():
                j = -negative_j
                if i < j and every_best[j][source][2] == -i:   # a take keeps both ends: j has a best of i's source
                    # made by filling its fields rather than through the frozen dataclass's __init__
                    link = links[(i, j)] = make(Link)
                    link.__dict__.update(strength=strength, fit=fit)
        return links


class _Recorder:
    """Takes the offers of aligned sentences and paragraphs in place of the linker, to be kept
    (see `_aligned_offers`). Each offer keeps what its strength is made of: the pair of
    sentences or paragraphs whose score it stands on (`ref`) and its context bonus; the
    strength itself is worked out again from the scores of the build. The comparable candidates
    of facts whose fit is their strength are matched at once (`fixed`): their order does not
    depend on the score, which all candidates of one pair of sentences share. Those of days,
    times and attributions, whose clauses weigh by the dossier's word weights, are kept as
    units to be matched in each build (`units`). A fact is comparable only with facts of its
    own family, so the two kinds of candidates never compete."""

    def __init__(self, linker: _Linker) -> None:
        self._linker = linker
        self.fixed: list[tuple[object, int, int, float]] = []                 # (ref, i, j, bonus)
        self.units: list[tuple[object, list[tuple[int, int, float]]]] = []    # (ref, [(i, j, bonus)])

    def offer_matched(self, candidates: Sequence[tuple[int, int, float, float]], ref) -> None:
        comparable = [c for c in candidates if self._linker.comparable(c[0], c[1])]
        weighed = [(i, j, bonus) for i, j, _, bonus in comparable if self._clause(i)]
        if weighed:
            self.units.append((ref, weighed))
        used: set[int] = set()
        for i, j, _, bonus in sorted((c for c in comparable if not self._clause(c[0])),
                                     key=lambda c: (-c[2], c[0], c[1])):
            if i not in used and j not in used:
                used.update((i, j))
                self.fixed.append((ref, i, j, bonus))

    def offer(self, i: int, j: int, strength: float, ref) -> None:
        self.offer_matched([(i, j, strength, 0.0)], ref)

    def _clause(self, i: int) -> bool:
        return self._linker.located[i].fact.kind in CLAUSE_KINDS


def _bonuses() -> list[float]:
    """Every value _context_bonus can give."""
    return sorted({min(_MAX_CONTEXT_BONUS, _CONTEXT_BONUS * n) for n in range(math.ceil(_MAX_CONTEXT_BONUS / _CONTEXT_BONUS) + 1)})


class _OfferPlan:
    """The aligned sentence pairs grouped by the earlier of their two sources (article order).
    A group's offers depend on its sources (their digests), which of their sentences align,
    and on each pair's score only through the thresholds it passes (`_bands`): its facts are
    numbered within their source, its partner sources within the group, its pairs within the
    group, so that its offers stay valid whatever moves around it."""

    def __init__(self, located: list[Located], alignment: Alignment) -> None:
        self._located = located
        self._alignment = alignment
        rank = self._rank = {source: n for n, (source, _) in enumerate(alignment.sources)}
        self._digests = [digest for _, digest in alignment.sources]
        statement_rank = alignment.statement_sources()
        sources = np.arange(len(rank) + 1)
        statement_start = np.searchsorted(statement_rank, sources)
        self._fact_rank = np.fromiter((rank[item.source] for item in located), dtype=np.int64, count=len(located))
        self._fact_start = np.searchsorted(self._fact_rank, sources)
        first, second, self._scores = alignment.pair_columns()
        self._first_rank, self._second_rank = statement_rank[first], statement_rank[second]
        self._first_local = first - statement_start[self._first_rank]
        self._second_local = second - statement_start[self._second_rank]
        # pairs are in order of their first statement: each group is one run of them
        bounds = np.searchsorted(self._first_rank, sources)
        self._groups = [(g, int(bounds[g]), int(bounds[g + 1])) for g in range(len(rank)) if bounds[g] < bounds[g + 1]]
        self._partners = [np.unique(self._second_rank[lo:hi]).tolist() for _, lo, hi in self._groups]
        self._group_number = {g: n for n, (g, _, _) in enumerate(self._groups)}

    def _bands(self) -> np.ndarray:
        """Per pair, the thresholds its score passes: all the linking asks of a score, but the
        strengths it gives (worked out in each build)."""
        s = self._scores
        passed = [s + bonus >= _SENTENCE_LINK for bonus in _bonuses()]
        passed += [s >= _LONE_FIGURE_LINK, s * _PARAGRAPH_DISCOUNT >= _EVENT_LINK, s >= _LEAD_LINK]
        return sum(flag.astype(np.int64) << n for n, flag in enumerate(passed))

    def keys(self) -> list[str]:
        """Per group: the digests of its source and partners, its pairs' local numbers and bands."""
        bands = self._bands()
        keys = []
        for (g, lo, hi), partners in zip(self._groups, self._partners):
            numbered = np.searchsorted(partners, self._second_rank[lo:hi])
            rows = np.stack((numbered, self._first_local[lo:hi], self._second_local[lo:hi], bands[lo:hi]))
            digest = hashlib.sha256(" ".join([self._digests[g]] + [self._digests[p] for p in partners]).encode())
            digest.update(rows.tobytes())
            keys.append(digest.hexdigest())
        return keys

    def compute(self, linker: _Linker, groups: list[int]) -> list[tuple[tuple, tuple]]:
        """The offers of these groups, each as (fixed, units) in local numbers (see `_Localiser`)."""
        pairs = [pair for n in groups for pair in self._alignment.pairs[self._groups[n][1]:self._groups[n][2]]]
        paired = sorted({n for a, b, _ in pairs for n in (a, b)})
        # a rebuild after an edit reworks the pairs of a few sources: only their statements
        # and facts are read below; a first build reads them all, at once
        everything = 2 * len(paired) > len(self._alignment.statements)
        best, members = _paragraph_scores(self._alignment.statements, range(len(self._alignment.statements))
                                          if everything else paired, pairs)
        paragraph_scores = sorted(best.items())
        recorder = _Recorder(linker)
        # only the facts of these groups' sources can be offered: the passes below read those,
        # not every fact of the dossier (an edit reworks a few groups)
        involved = range(len(self._located)) if everything else self._involved_facts(paired)
        _link_sentences(linker, self._located, involved, pairs, recorder)
        _link_paragraphs(self._located, involved, paragraph_scores, recorder)
        _link_lead_attributions(linker, self._located, self._facts_of, paragraph_scores, recorder)
        # a ref is the position of a sentence pair in `pairs` or a pair of paragraphs: its rows
        # are the numbers, within their group, of the sentence pairs its strength stands on
        row_of = list(itertools.chain.from_iterable(range(self._groups[n][2] - self._groups[n][1]) for n in groups))

        def rows(ref) -> tuple[int, ...]:
            return tuple(row_of[m] for m in members[ref]) if isinstance(ref, tuple) else (row_of[ref],)

        local = _Localiser(self, groups)
        fixed: dict[int, list] = defaultdict(list)
        units: dict[int, list] = defaultdict(list)
        for ref, i, j, bonus in recorder.fixed:
            n, partner, side_i, i, side_j, j = local(i, j)
            fixed[n].append((partner, side_i, i, side_j, j, isinstance(ref, tuple), rows(ref), bonus))
        for ref, candidates in recorder.units:
            found = [(*local(i, j), bonus) for i, j, bonus in candidates]
            units[found[0][0]].append((found[0][1], isinstance(ref, tuple), rows(ref),
                                       tuple(candidate[2:] for candidate in found)))
        return [(tuple(fixed[n]), tuple(units[n])) for n in groups]

    def _facts_of(self, source: str) -> range:
        """The numbers of a source's facts."""
        rank = self._rank[source]
        return range(int(self._fact_start[rank]), int(self._fact_start[rank + 1]))

    def _involved_facts(self, paired: Sequence[int]) -> list[int]:
        """The facts of the paragraphs of these statements, ascending."""
        statements = self._alignment.statements
        paragraphs = set()
        for n in paired:
            paragraphs.update(_paragraph_span(statements, n))
        fact_statement = np.fromiter((item.statement.index for item in self._located), dtype=np.int64,
                                     count=len(self._located))
        wanted = np.array(sorted(paragraphs), dtype=np.int64)
        starts = np.searchsorted(fact_statement, wanted, side="left").tolist()
        ends = np.searchsorted(fact_statement, wanted, side="right").tolist()
        return [i for start, end in zip(starts, ends) for i in range(start, end)]

    def global_offers(self, kept: Sequence[tuple[tuple, tuple]]):
        """The kept offers of every group in the dossier's fact numbers, with their strengths
        from this build's scores: (fixed [(i, j, strength)], units [[(i, j, strength)]])."""
        fixed: list[tuple[int, int, float]] = []
        units: list[list[tuple[int, int, float]]] = []
        starts = self._fact_start.tolist()
        scores = self._scores.tolist()
        for (g, lo, _), partners, (group_fixed, group_units) in zip(self._groups, self._partners, kept):
            for partner, side_i, i, side_j, j, paragraph, rows, bonus in group_fixed:
                bases = (starts[g], starts[partners[partner]])
                # a sentence pair's offer (most offers): its score plus the bonus, without a call
                fixed.append((bases[side_i] + i, bases[side_j] + j,
                              _strength(scores, lo, paragraph, rows, bonus) if paragraph else scores[lo + rows[0]] + bonus))
            for partner, paragraph, rows, candidates in group_units:
                bases = (starts[g], starts[partners[partner]])
                if paragraph:
                    units.append([(bases[side_i] + i, bases[side_j] + j, _strength(scores, lo, paragraph, rows, bonus))
                                  for side_i, i, side_j, j, bonus in candidates])
                else:
                    score = scores[lo + rows[0]]
                    units.append([(bases[side_i] + i, bases[side_j] + j, score + bonus)
                                  for side_i, i, side_j, j, bonus in candidates])
        return fixed, units


class _Localiser:
    """Facts in the numbers a group keeps: (group number, partner number, side of i, number of
    i, side of j, number of j); side 0 is the group's source, 1 its partner; a fact's number
    counts from its source's first fact."""

    def __init__(self, plan: _OfferPlan, groups: list[int]) -> None:
        self._rank = plan._fact_rank.tolist()
        self._start = plan._fact_start.tolist()
        self._group_number = plan._group_number
        self._source = {n: plan._groups[n][0] for n in groups}
        self._partner_number = {n: {partner: k for k, partner in enumerate(plan._partners[n])} for n in groups}

    def __call__(self, i: int, j: int) -> tuple[int, int, int, int, int, int]:
        rank_i, rank_j = self._rank[i], self._rank[j]
        group = self._group_number[min(rank_i, rank_j)]
        source = self._source[group]
        return (group, self._partner_number[group][max(rank_i, rank_j)],
                int(rank_i != source), i - self._start[rank_i], int(rank_j != source), j - self._start[rank_j])


def _paragraph_span(statements: Sequence[Statement], n: int) -> range:
    """The numbers of the statements of statement n's paragraph (one run: statements are in
    source and paragraph order)."""
    # (the sentences compared directly, not through the statements' properties: a rebuild walks
    # the paragraphs of every statement its reworked groups pair)
    sentence = statements[n].sentence
    source, paragraph = sentence.source, sentence.paragraph
    first = last = n
    while first > 0 and (s := statements[first - 1].sentence).paragraph == paragraph and s.source == source:
        first -= 1
    while last + 1 < len(statements) and (s := statements[last + 1].sentence).paragraph == paragraph \
            and s.source == source:
        last += 1
    return range(first, last + 1)


def _strength(scores: list[float], first: int, paragraph: bool, rows: tuple[int, ...], bonus: float) -> float:
    """An offer's strength, as _link_sentences, _link_paragraphs and _link_lead_attributions
    work it out: a sentence pair's score plus the context bonus; the best score of a paragraph
    pair's sentences, discounted (`first`: the group's first pair among `scores`)."""
    if paragraph:
        return max(0.0, max(scores[first + row] for row in rows)) * _PARAGRAPH_DISCOUNT
    return scores[first + rows[0]] + bonus


def _paragraph_scores(statements: Sequence[Statement], paired: Sequence[int], pairs: Sequence[tuple[int, int, float]]):
    """(paragraph, paragraph) -> the best alignment of two of their sentences, and -> the
    positions in `pairs` of the pairs of their sentences (`paired`: the statements of the pairs,
    or more)."""
    scores: dict[tuple[tuple[str, int], tuple[str, int]], float] = {}
    members: dict[tuple[tuple[str, int], tuple[str, int]], list[int]] = defaultdict(list)
    paragraph_of = dict(zip(paired, [_paragraph_of(statements[n]) for n in paired]))
    for position, (a, b, score) in enumerate(pairs):
        pa, pb = paragraph_of[a], paragraph_of[b]
        key = (pa, pb) if pa <= pb else (pb, pa)
        members[key].append(position)
        best = scores.get(key)
        if best is None or score > best:
            scores[key] = max(score, 0.0)
    return scores, members


def _link_sentences(linker: _Linker, located: list[Located], involved: Sequence[int],
                    pairs: Sequence[tuple[int, int, float]], sink: _Recorder) -> None:
    """(`involved`: the facts the pairs' sentences may state, ascending)"""
    by_statement: dict[int, list[int]] = defaultdict(list)
    families = {}
    for i in involved:
        by_statement[located[i].statement.index].append(i)
        families[i] = _family(located[i].fact)
    clauses = linker.clauses
    for position, (a, b, score) in enumerate(pairs):
        if score + _MAX_CONTEXT_BONUS < _SENTENCE_LINK or a not in by_statement or b not in by_statement:
            continue   # (a sentence without facts offers nothing)
        candidates = []
        for i in by_statement[a]:
            fact, family, years = located[i].fact, families[i], clauses[i].years_up_to
            for j in by_statement[b]:
                if families[j] != family:
                    continue   # never comparable (offer_matched would drop the pair)
                if fact.kind != "year" and years != clauses[j].years_up_to:
                    continue
                bonus = _context_bonus(fact, located[j].fact)
                if score + bonus >= _SENTENCE_LINK:
                    candidates.append((i, j, score + bonus, bonus))
        if score >= _LONE_FIGURE_LINK:
            candidates += _lone_figures(linker, by_statement.get(a, []), by_statement.get(b, []), score)
        sink.offer_matched(candidates, position)


def _lone_figures(linker: "_Linker", first: list[int], second: list[int], score: float) -> list[tuple[int, int, float, float]]:
    """In two sentences that say the same thing, the one figure of each that counts some noun
    ("Leaders of 31 nations gathered", "Thirty national leaders met") counts the same thing,
    whatever noun follows it. Only when each sentence has exactly one such figure of a
    comparable size left: two figures in one sentence count two things."""
    def counts(indices: list[int], others: list[int]) -> list[int]:
        return [i for i in indices if linker.located[i].fact.head and linker.located[i].fact.key not in _TIME_UNITS
                and any(linker.comparable(i, j, loose=True) for j in others)]

    lone_a, lone_b = counts(first, second), counts(second, first)
    if len(lone_a) != 1 or len(lone_b) != 1 or linker.located[lone_a[0]].fact.key == linker.located[lone_b[0]].fact.key:
        return []
    linker.loose.add((min(lone_a[0], lone_b[0]), max(lone_a[0], lone_b[0])))
    return [(lone_a[0], lone_b[0], score, 0.0)]


def _link_paragraphs(located: list[Located], involved: Sequence[int], paragraph_scores, sink: _Recorder) -> None:
    by_paragraph: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i in involved:
        item = located[i]
        if item.fact.kind in _EVENT_KINDS:
            by_paragraph[(item.source, item.statement.paragraph)].append(i)
    for (pa, pb), score in paragraph_scores:
        strength = score * _PARAGRAPH_DISCOUNT
        if strength < _EVENT_LINK or pa not in by_paragraph or pb not in by_paragraph:
            continue
        sink.offer_matched([
            (i, j, strength, 0.0)
            for i in by_paragraph.get(pa, []) for j in by_paragraph.get(pb, [])
            if located[j].fact.kind == located[i].fact.kind
        ], (pa, pb))


def _link_lead_attributions(linker: _Linker, located: list[Located], facts_of, paragraph_scores,
                            sink: _Recorder) -> None:
    """(`facts_of`: source -> the numbers of its facts)"""
    leading = [((pa, pb), score) for (pa, pb), score in paragraph_scores
               if pa in linker.openings and pb in linker.openings and score >= _LEAD_LINK]
    sources = sorted({p[0] for (pa, pb), _ in leading for p in (pa, pb)})
    leads = _lead_attributions(located, [i for source in sources for i in facts_of(source)
                                         if located[i].fact.kind == "attribution" and linker.in_opening(i)])
    for (pa, pb), score in leading:
        if pa[0] in leads and pb[0] in leads:
            sink.offer(leads[pa[0]], leads[pb[0]], score * _PARAGRAPH_DISCOUNT, (pa, pb))


def _link_same_subjects(linker: _Linker, located: list[Located], story: Story) -> None:
    """Figures of one property ("16,000 employees", "employs some 14,000") of something both
    sentences name, in two sources of one story, even when the sentences report different
    news: a company has one workforce, a quake one magnitude; and the casualties of the story,
    wherever the sentences do not place them apart. Linked weakly; a figure with a better
    counterpart keeps it (links are mutual best)."""
    facts, sources = linker._facts, linker._sources
    by_concept: dict[str, list[int]] = defaultdict(list)
    for i, fact in enumerate(facts):
        if fact.kind == "number" and fact.key in _SAME_SUBJECT_CONCEPTS:
            by_concept[fact.key].append(i)
    candidates = []
    for concept, members in sorted(by_concept.items()):
        casualties = concept in _CASUALTY_CONCEPTS
        if len(members) > (_MAX_CASUALTY_FIGURES if casualties else _MAX_SAME_HEAD):
            continue
        # only figures whose clauses give the same years can pair: compared within those groups,
        # then put back in the order of the figures (ascending pairs), as offered one by one
        by_years: dict[frozenset, list[int]] = defaultdict(list)
        for i in members:
            by_years[linker.clauses[i].years].append(i)
        found = []
        for group in by_years.values():
            # what the pairs ask of each figure, read once per figure: its source and its
            # sentence's places (casualties: neither names a place the other contradicts, both
            # name one or one names none) or names (other subjects: they share one)
            read = [(i, sources[i], located[i].statement.places if casualties else located[i].statement.entities)
                    for i in group]
            for x, (i, source_a, held_a) in enumerate(read):
                if casualties:
                    found.extend((i, j) for j, source_b, held_b in read[x + 1 :]
                                 if source_a != source_b and (not (held_a and held_b) or not held_a.isdisjoint(held_b)))
                else:
                    found.extend((i, j) for j, source_b, held_b in read[x + 1 :]
                                 if source_a != source_b and not held_a.isdisjoint(held_b))
        candidates.extend(sorted(found))
    # two figures of one concept (same key, a count of no clause kind): the linker's own checks
    # (same source, dated by the report, clauses apart, clause fit) all pass, so only the
    # figures' comparison is left, and each fits as surely as it is offered. The story is asked
    # only about the comparable ones, each pair of sources once (its answer is the pair's own).
    candidates = [(i, j) for i, j in candidates if comparable(facts[i], facts[j])]
    source_pairs = [(sources[i], sources[j]) for i, j in candidates]
    distinct = list(dict.fromkeys(source_pairs))
    together = dict(zip(distinct, story.shared_pairs(distinct)))
    take = linker.take
    for (i, j), pair in zip(candidates, source_pairs):
        if together[pair]:
            take(i, j, _SAME_HEAD_STRENGTH, _SAME_HEAD_STRENGTH)


def _successive_days(first: str | None, second: str | None) -> bool:
    """Two publication dates a few days apart: reports following one story day by day."""
    if not first or not second or first == second:
        return False
    try:
        apart = abs((dt.date.fromisoformat(first) - dt.date.fromisoformat(second)).days)
    except ValueError:
        return False
    return apart <= _NEWS_WEEK_DAYS


def _different_verbs(a: Clause, b: Clause) -> bool:
    """The clauses of two figures report events of different classes ("crested at 5.4 m",
    "had fallen to 3.2 m"): two figures, not one."""
    return bool(a.events) and bool(b.events) and not a.events & b.events


def _observed_apart(a: Clause, b: Clause) -> bool:
    """Two figures whose own clauses give different days, and report no event in the same
    words, are two observations (a level, a share price on different days), not one figure
    stated differently: "peaked at 4.3 m on Sunday" and "had fallen to 3.1 m by Tuesday".
    Reports of one event ("a magnitude 6.8 quake struck on Monday" / "... on Tuesday") still
    meet, and casualty counts are exempt: a toll that rose from one day to the next is what
    the reader must see."""
    if not a.days or not b.days or a.days & b.days:
        return False
    return not a.events & b.events


def _link_same_heads(linker: _Linker, located: list[Located], story: Story) -> None:
    by_head: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(located):
        if item.fact.kind == "ordinal":
            by_head[item.fact.key].append(i)
    candidates = [
        (i, j) for members in by_head.values() if len(members) <= _MAX_SAME_HEAD
        for x, i in enumerate(members) for j in members[x + 1 :]
        if not _dated_apart(located[i].statement, located[j].statement)
    ]
    together = story.shared_pairs([(located[i].source, located[j].source) for i, j in candidates])
    for (i, j), shared in zip(candidates, together):
        if shared:
            linker.offer(i, j, _SAME_HEAD_STRENGTH)


def _context_bonus(a: Fact, b: Fact) -> float:
    """Words right around two figures that agree ("in cash" / "all-cash"), or in the clauses of
    two days ("struck"), say the facts are about the same thing more surely than the rest of
    their sentences."""
    return min(_MAX_CONTEXT_BONUS, _CONTEXT_BONUS * len(a.context & b.context))


def _lead_attributions(located: list[Located], attributions: Sequence[int]) -> dict[str, int]:
    """Each source's main attribution: the organisation its opening paragraphs cite most
    (first cited on a tie). The opening reports the story's main news. (`attributions`: the
    attributions in opening paragraphs, ascending)"""
    cited: dict[str, list[int]] = defaultdict(list)
    for i in attributions:
        cited[located[i].source].append(i)
    leads = {}
    for source, indices in cited.items():
        counts = Counter(located[i].fact.value for i in indices)
        leads[source] = min(indices, key=lambda i: (-counts[located[i].fact.value], i))
    return leads


def _dated_apart(a: Statement, b: Statement) -> bool:
    """Both sentences name years, and not the same: "the third summit since 2019" and "the
    fourth summit, in 2027" count different summits."""
    years_a = {f.value for f in a.facts if f.kind == "year"}
    years_b = {f.value for f in b.facts if f.kind == "year"}
    return bool(years_a) and bool(years_b) and years_a != years_b


def _paragraph_of(statement: Statement) -> tuple[str, int]:
    return (statement.source, statement.paragraph)


def comparable(a: Fact, b: Fact, loose: bool = False) -> bool:
    """Whether two facts may state one thing; `loose`: figures counting differently named
    things ("31 nations", "thirty national leaders") may too."""
    if _family(a) != _family(b):
        return False
    if a.kind == "number":
        if a.unit != b.unit or not a.key:
            return False
        if a.key != b.key and not (loose and a.head and b.head and not {a.key, b.key} & _TIME_UNITS):
            return False
        if a.measure and b.measure and a.measure != b.measure:
            return False   # "a depth of 10 km" and "6 miles deep": no conversion, no conflict
        if a.over and b.over and a.over != b.over:
            return False   # "80 mm in 24 hours", "120 mm over three days"
        low, high = sorted((a.value, b.value))
        return low > 0 and high / low <= _MAX_RATIO
    if a.kind == "year" or b.kind == "year":
        return a.value[0] == a.value[1] and b.value[0] == b.value[1]   # single years, not ranges
    if a.kind == "ordinal" and b.kind == "ordinal":
        return a.key == b.key or bool(a.context & b.context)
    if a.kind == "time":
        return a.key == b.key   # "18:12 GMT" and "00:12 local time" may be the same moment
    if a.kind in ("weekday", "date", "daypart"):
        return a.key == b.key   # the day of an event is not the day of a report
    return True


def _dated_by_report(fact: Fact) -> bool:
    """A day or a span counted from the report's own day: reports of different days differ."""
    return fact.key in (REPORT_KEY, ELAPSED_KEY)
