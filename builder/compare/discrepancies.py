"""Facts on which sources differ: the same figure, weekday, date, ordinal or rank stated with
different values in statements that report the same thing.

Statements are paired by the alignment index (never all against all); each fact is linked to
the best matching fact of the same kind in every other source, the links are joined into
groups, and a group whose sources give different values is a discrepancy.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Sequence

from ..model import Discrepancy, Evidence, Variant
from .align import Alignment, Statement
from .components import connected_components
from .facts import Fact, clause_bounds
from .prose import SourceIds
from .story import Story
from ..text import WORD, slug, stem, words

# Minimum alignment between the two sentences (or, for weekdays and dates, the two
# paragraphs) for their facts to be about the same thing. Measured on sentence pairs that
# report one event in different words: 0.2-0.6; unrelated pairs sharing a name: below 0.15.
_SENTENCE_LINK = 0.2
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
_CLAUSE_KINDS = ("weekday", "date", "time", "attribution")
_CLAUSE_FLOOR = 0.25
# Where a source gives two values in one group, a link to a source giving the same value
# counts this many times a link to a different value (see _one_value_per_source).
_AGREEMENT_WEIGHT = 2.0
# The opening paragraphs of two reports of one story report its main news: their main
# attributions are compared when any of these paragraphs align at least this well.
_LEAD_PARAGRAPHS = 3
# Paragraphs shorter than this many words (a section heading, a "key takeaways" bullet, a
# stray share line) do not count among the opening paragraphs: leads run 20-60 words.
_MIN_OPENING_WORDS = 12
_LEAD_LINK = 0.15
# Ordinals with the same uncommon head noun ("77th anniversary", "70th anniversary") are
# linked even when their sentences are not aligned, at this weak strength: in one story's
# dossier they usually count the same thing, but the reader should check.
_SAME_HEAD_STRENGTH = 0.15
# More facts than this with one head noun: the noun is too common to link them unaligned.
_MAX_SAME_HEAD = 12
# What a figure counts that belongs to one thing rather than to one event (a death toll may be
# of another disaster the report recalls): figures of these, about one named thing, are
# linked even when their sentences are not aligned, at the same weak strength.
_SUBJECT_CONCEPTS = ("employees", "magnitude", "depth")
# Two figures further apart than this factor count different things (2,012 dead vs 12,000
# homes), not the same thing differently.
_MAX_RATIO = 3.0
# How clearly each kind of difference is a conflict (before alignment strength): a different
# figure is hard to explain away; an ordinal or a rank may count from a different start.
# Outlets citing different sources for one report ("according to KCNA" / "the Kremlin said")
# is worth knowing but is not a contradiction: lowest.
_KIND_WEIGHT = {"number": 1.0, "weekday": 0.9, "date": 0.9, "time": 0.85, "year": 0.8, "period": 0.8, "ordinal": 0.7,
                "rank": 0.7,
                "attribution": 0.35}
_DEFAULT_KIND_WEIGHT = 0.5
# A link at the threshold (0.2) makes a conflict count 0.6 of its kind's weight, a link of 0.6
# (the same sentence in other words) all of it.
_STRENGTH_FLOOR = 0.4
# More sources involved make a conflict more visible: a factor 1.17 for two sources, 1.4 for five.
_SUPPORT_WEIGHT = 0.25
# Figures that agree once rounding or a qualifier ("at least") is allowed for: still shown,
# at the bottom, because a reader may want to see them, but not as a conflict.
_COMPATIBLE_WEIGHT = 0.15
_ABOUT = {
    "deaths": "Death toll", "injured": "Number of injured", "missing": "Number of missing",
    "displaced": "Number of displaced people", "magnitude": "Magnitude", "depth": "Depth",
    "employees": "Number of employees",
    "age": "Age", "percent": "Percentage",
}


@dataclass(frozen=True)
class _Located:
    fact: Fact
    statement: Statement

    @property
    def source(self) -> str:
        return self.statement.source


def find_discrepancies(alignment: Alignment, entity_names: dict[str, str], story: Story) -> tuple[Discrepancy, ...]:
    """Every group of linked facts whose sources state different values."""
    located = _locate(alignment.statements)
    links = _links(located, alignment, story)
    ids = SourceIds(s.source for s in alignment.statements)
    out = []
    for component in connected_components(len(located), sorted(links)):
        if len(component) < 2:
            continue
        discrepancy = _discrepancy(component, located, links, alignment, entity_names, ids)
        if discrepancy:
            out.append(discrepancy)
    return tuple(out)


def _locate(statements: Sequence[Statement]) -> list[_Located]:
    return [_Located(fact, statement) for statement in statements for fact in statement.facts]


def _family(fact: Fact) -> str:
    """Facts of one family can be compared: ranks ("one of the few") with ordinals ("third")."""
    return "rank" if fact.kind in ("rank", "ordinal") else fact.kind


@dataclass(frozen=True)
class _Link:
    strength: float    # how surely the two facts are about the same thing (alignment)
    fit: float         # the strength, weighed by how alike their clauses are: which link wins


def _links(located: list[_Located], alignment: Alignment, story: Story) -> dict[tuple[int, int], _Link]:
    """(fact, fact) -> link, linking each fact to its best match in every other source.

    Four ways two facts come to be about the same thing, from the surest: their sentences
    align; their paragraphs align (weekdays, dates, attributions); they are the main
    attributions of aligned openings; they are ordinals of the same noun in one story.
    In one pair of sentences or paragraphs each fact is matched with one fact at most, so a
    second day in a paragraph ("announced on Monday ... closed on Friday") is never taken
    for the one day the other paragraph gives."""
    linker = _Linker(located, alignment.weights, _openings(alignment.statements))
    paragraph_scores = _paragraph_scores(alignment)
    _link_sentences(linker, located, alignment)
    _link_paragraphs(linker, located, paragraph_scores)
    _link_lead_attributions(linker, located, paragraph_scores)
    _link_same_heads(linker, located, story)
    _link_same_subjects(linker, located, story)
    return linker.links()


class _Linker:
    """Keeps, for each fact and each other source, the best fitting comparable fact offered."""

    def __init__(self, located: list[_Located], weights: dict[str, float], openings: frozenset[tuple[str, int]]) -> None:
        self._located = located
        self._weights = weights
        self.openings = openings
        self._best: dict[int, dict[str, tuple[float, bool, int, float]]] = defaultdict(dict)

    def comparable(self, i: int, j: int) -> bool:
        """Facts of two sources that may state the same thing. A day (a time, an attribution)
        outside the opening paragraphs must share a word of its clause with the other: in
        aligned sentences "teams worked on Monday" and "planes flew in on Saturday" date two
        things. In the openings both date the main news, whatever the words around them."""
        a, b = self._located[i], self._located[j]
        if a.source == b.source or not _comparable(a.fact, b.fact):
            return False
        if a.fact.kind in _CLAUSE_KINDS and not self.opening(i, j):
            return self.affinity(i, j) > 0
        return True

    def opening(self, i: int, j: int) -> bool:
        return all(_paragraph_of(self._located[x].statement) in self.openings for x in (i, j))

    def affinity(self, i: int, j: int) -> float:
        """How alike the clauses of two facts are (idf-weighted cosine, 0..1)."""
        return _cosine(self._located[i].fact.context, self._located[j].fact.context, self._weights)

    def fit(self, i: int, j: int, strength: float) -> float:
        if self._located[i].fact.kind not in _CLAUSE_KINDS:
            return strength
        return strength * (_CLAUSE_FLOOR + (1 - _CLAUSE_FLOOR) * self.affinity(i, j))

    def offer(self, i: int, j: int, strength: float) -> None:
        if not self.comparable(i, j):
            return
        fit = self.fit(i, j, strength)
        # between equally fitting candidates the one that agrees: no conflict on a coin toss
        agrees = _normal(self._located[i].fact) == _normal(self._located[j].fact)
        for x, y in ((i, j), (j, i)):
            best = self._best[x].get(self._located[y].source)
            if best is None or (fit, agrees, -y) > best[:3]:
                self._best[x][self._located[y].source] = (fit, agrees, -y, strength)

    def offer_matched(self, candidates: Sequence[tuple[int, int, float]]) -> None:
        """Offer the (fact, fact, strength) candidates of one pair of sentences or paragraphs,
        each fact matched with one other at most, the best fitting pairs first."""
        ranked = sorted(
            ((self.fit(i, j, strength), i, j, strength) for i, j, strength in candidates if self.comparable(i, j)),
            key=lambda c: (-c[0], c[1], c[2]),
        )
        used: set[int] = set()
        for _, i, j, strength in ranked:
            if i not in used and j not in used:
                used.update((i, j))
                self.offer(i, j, strength)

    def links(self) -> dict[tuple[int, int], _Link]:
        """The links each of the two facts prefers to every other fact of the other source:
        a fact with no counterpart in a source would otherwise cling to one that has its own."""
        links: dict[tuple[int, int], _Link] = {}
        for i, best in self._best.items():
            for fit, _, negative_j, strength in best.values():
                j = -negative_j
                if i < j and self._partner(j, self._located[i].source) == i:
                    links[(i, j)] = _Link(strength, fit)
        return links

    def _partner(self, i: int, source: str) -> int | None:
        best = self._best[i].get(source)
        return -best[2] if best else None


def _cosine(a: frozenset[str], b: frozenset[str], weights: dict[str, float]) -> float:
    shared = a & b
    if not shared:
        return 0.0
    dot = sum(weights.get(t, 1.0) ** 2 for t in shared)
    norm_a = math.sqrt(sum(weights.get(t, 1.0) ** 2 for t in a))
    norm_b = math.sqrt(sum(weights.get(t, 1.0) ** 2 for t in b))
    return dot / (norm_a * norm_b)


def _paragraph_scores(alignment: Alignment) -> dict[tuple[tuple[str, int], tuple[str, int]], float]:
    """(paragraph, paragraph) -> the best alignment of two of their sentences."""
    scores: dict[tuple[tuple[str, int], tuple[str, int]], float] = defaultdict(float)
    for a, b, score in alignment.pairs:
        pa, pb = _paragraph_of(alignment.statements[a]), _paragraph_of(alignment.statements[b])
        key = (min(pa, pb), max(pa, pb))
        scores[key] = max(scores[key], score)
    return scores


def _link_sentences(linker: _Linker, located: list[_Located], alignment: Alignment) -> None:
    by_statement: dict[int, list[int]] = defaultdict(list)
    for i, item in enumerate(located):
        by_statement[item.statement.index].append(i)
    for a, b, score in alignment.pairs:
        if score + _MAX_CONTEXT_BONUS < _SENTENCE_LINK:
            continue
        same_years = _same_years(alignment.statements[a], alignment.statements[b])
        candidates = []
        for i in by_statement.get(a, []):
            for j in by_statement.get(b, []):
                if not same_years and located[i].fact.kind != "year":
                    continue
                strength = score + _context_bonus(located[i].fact, located[j].fact)
                if strength >= _SENTENCE_LINK:
                    candidates.append((i, j, strength))
        linker.offer_matched(candidates)


def _link_paragraphs(linker: _Linker, located: list[_Located], paragraph_scores) -> None:
    by_paragraph: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, item in enumerate(located):
        if item.fact.kind in _EVENT_KINDS:
            by_paragraph[(item.source, item.statement.paragraph)].append(i)
    for (pa, pb), score in sorted(paragraph_scores.items()):
        strength = score * _PARAGRAPH_DISCOUNT
        if strength < _EVENT_LINK:
            continue
        linker.offer_matched([
            (i, j, strength)
            for i in by_paragraph.get(pa, []) for j in by_paragraph.get(pb, [])
            if located[j].fact.kind == located[i].fact.kind
        ])


def _link_lead_attributions(linker: _Linker, located: list[_Located], paragraph_scores) -> None:
    leads = _lead_attributions(located, linker.openings)
    for (pa, pb), score in sorted(paragraph_scores.items()):
        if (pa in linker.openings and pb in linker.openings and score >= _LEAD_LINK
                and pa[0] in leads and pb[0] in leads):
            linker.offer(leads[pa[0]], leads[pb[0]], score * _PARAGRAPH_DISCOUNT)


def _link_same_subjects(linker: _Linker, located: list[_Located], story: Story) -> None:
    """Figures of one property ("16,000 employees", "employs some 14,000") of something both
    sentences name, in two sources of one story, even when the sentences report different
    news: a company has one workforce, a quake one magnitude. Linked weakly; a figure with a
    better counterpart keeps it (links are mutual best)."""
    by_concept: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(located):
        if item.fact.kind == "number" and item.fact.key in _SUBJECT_CONCEPTS:
            by_concept[item.fact.key].append(i)
    for members in by_concept.values():
        if len(members) > _MAX_SAME_HEAD:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                a, b = located[i], located[j]
                if (a.statement.entities & b.statement.entities and story.shared(a.source, [b.source])
                        and _clause_years(a) == _clause_years(b)):
                    linker.offer(i, j, _SAME_HEAD_STRENGTH)


def _clause_years(item: _Located) -> set[object]:
    """The years written in a fact's own clause: "a magnitude 6.4 quake in 1998" is another quake."""
    left, right = clause_bounds(item.statement.sentence.text, item.fact.start, item.fact.end)
    return {f.value for f in item.statement.facts if f.kind == "year" and left <= f.start and f.end <= right}


def _link_same_heads(linker: _Linker, located: list[_Located], story: Story) -> None:
    by_head: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(located):
        if item.fact.kind == "ordinal":
            by_head[item.fact.key].append(i)
    for members in by_head.values():
        if len(members) > _MAX_SAME_HEAD:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if (story.shared(located[i].source, [located[j].source])
                        and not _dated_apart(located[i].statement, located[j].statement)):
                    linker.offer(i, j, _SAME_HEAD_STRENGTH)


def _context_bonus(a: Fact, b: Fact) -> float:
    """Words right around two figures that agree ("in cash" / "all-cash"), or in the clauses of
    two days ("struck"), say the facts are about the same thing more surely than the rest of
    their sentences."""
    return min(_MAX_CONTEXT_BONUS, _CONTEXT_BONUS * len(a.context & b.context))


def _openings(statements: Sequence[Statement]) -> frozenset[tuple[str, int]]:
    """Each source's first paragraphs of running text: where it reports the main news."""
    lengths: dict[tuple[str, int], int] = defaultdict(int)
    for statement in statements:
        lengths[_paragraph_of(statement)] += len(words(statement.sentence.text))
    taken: Counter[str] = Counter()
    openings = set()
    for (source, paragraph), length in sorted(lengths.items()):
        if length >= _MIN_OPENING_WORDS and taken[source] < _LEAD_PARAGRAPHS:
            taken[source] += 1
            openings.add((source, paragraph))
    return frozenset(openings)


def _lead_attributions(located: list[_Located], openings: frozenset[tuple[str, int]]) -> dict[str, int]:
    """Each source's main attribution: the organisation its opening paragraphs cite most
    (first cited on a tie). The opening reports the story's main news."""
    cited: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(located):
        if item.fact.kind == "attribution" and _paragraph_of(item.statement) in openings:
            cited[item.source].append(i)
    leads = {}
    for source, indices in cited.items():
        counts = Counter(located[i].fact.value for i in indices)
        leads[source] = min(indices, key=lambda i: (-counts[located[i].fact.value], i))
    return leads


def _same_years(a: Statement, b: Statement) -> bool:
    """Sentences naming different years ("a quake in 1998") report different events."""
    return {f.value for f in a.facts if f.kind == "year"} == {f.value for f in b.facts if f.kind == "year"}


def _dated_apart(a: Statement, b: Statement) -> bool:
    """Both sentences name years, and not the same: "the third summit since 2019" and "the
    fourth summit, in 2027" count different summits."""
    years_a = {f.value for f in a.facts if f.kind == "year"}
    years_b = {f.value for f in b.facts if f.kind == "year"}
    return bool(years_a) and bool(years_b) and years_a != years_b


def _paragraph_of(statement: Statement) -> tuple[str, int]:
    return (statement.source, statement.paragraph)


def _comparable(a: Fact, b: Fact) -> bool:
    if _family(a) != _family(b):
        return False
    if a.kind == "number":
        if a.unit != b.unit or not a.key or a.key != b.key:
            return False
        low, high = sorted((a.value, b.value))
        return low > 0 and high / low <= _MAX_RATIO
    if a.kind == "year" or b.kind == "year":
        return a.value[0] == a.value[1] and b.value[0] == b.value[1]   # single years, not ranges
    if a.kind == "ordinal" and b.kind == "ordinal":
        return a.key == b.key or bool(a.context & b.context)
    if a.kind == "time":
        return a.key == b.key   # "18:12 GMT" and "00:12 local time" may be the same moment
    return True


def _normal(fact: Fact) -> object:
    if fact.kind == "date" and len(fact.value) == 3:
        return fact.value[1:]   # "15 August 2023" and "August 15" state the same day
    return fact.value


def _discrepancy(
    component: list[int], located: list[_Located], links, alignment: Alignment, entity_names: dict[str, str],
    ids: SourceIds,
) -> Discrepancy | None:
    component = _one_value_per_source(component, located, links)
    items = [located[i] for i in component]
    by_value: dict[object, list[_Located]] = defaultdict(list)
    for item in items:
        by_value[_normal(item.fact)].append(item)
    if len(by_value) < 2:
        return None
    sources_of = {value: {i.source for i in group} for value, group in by_value.items()}
    if not _sources_disagree(sources_of):
        return None
    strength = _conflict_strength(component, located, links)
    kind = _kind(items)
    compatible = _compatibility(kind, [group[0].fact for group in by_value.values()])
    support = len({i.source for i in items})
    score = (_KIND_WEIGHT.get(kind, _DEFAULT_KIND_WEIGHT) * min(1.0, _STRENGTH_FLOOR + strength)
             * (1 + math.log(support) * _SUPPORT_WEIGHT))
    if compatible:
        score *= _COMPATIBLE_WEIGHT
    variants = tuple(
        Variant(
            value=_surface(group),
            sources=tuple(sorted({i.source for i in group})),
            evidence=tuple(sorted({Evidence(i.source, i.statement.paragraph) for i in group},
                                  key=lambda e: (e.source, e.paragraph))),
        )
        for value, group in sorted(by_value.items(), key=lambda kv: (-len(sources_of[kv[0]]), str(kv[0])))
    )
    # words of the sources that read as a source id would be renamed by render (see prose.py)
    topic = ", ".join(part for part in _topic(items, alignment, entity_names) if not ids.inside(part))
    label = _label(kind, items)
    if ids.inside(label):
        label = _label(kind, [])
    about = (f"{label} ({topic})" if topic else label) + (f": {compatible}" if compatible else "")
    return Discrepancy(slug(f"{label} {topic}", 60), about, variants, kind, round(min(score, 1.0), 3))


def _one_value_per_source(component: list[int], located: list[_Located], links) -> list[int]:
    """A source gives one value for one thing: where it gives several in a group, keep the best
    supported, by the fit of all its links ("a magnitude 6.4 quake in 1998" joins through the
    word "magnitude", weakly). A value another source states too counts more: of "dug for a
    second day on Sunday" and "struck on Saturday", the day others give is the day of the event."""
    members = set(component)
    support: dict[int, float] = defaultdict(float)
    for (a, b), link in links.items():
        if a in members and b in members:
            agrees = _normal(located[a].fact) == _normal(located[b].fact)
            support[a] += link.fit * (_AGREEMENT_WEIGHT if agrees else 1.0)
            support[b] += link.fit * (_AGREEMENT_WEIGHT if agrees else 1.0)
    by_source: dict[str, dict[object, float]] = defaultdict(lambda: defaultdict(float))
    for i in component:
        by_source[located[i].source][_normal(located[i].fact)] += support[i]
    keep = {source: max(values, key=lambda v: (values[v], str(v))) for source, values in by_source.items()}
    return [i for i in component if _normal(located[i].fact) == keep[located[i].source]]


def _sources_disagree(sources_of: dict[object, set[str]]) -> bool:
    """Some source gives one value and another source a different one (not both the same two)."""
    values = list(sources_of)
    for x, a in enumerate(values):
        for b in values[x + 1 :]:
            if sources_of[a] - sources_of[b] and sources_of[b] - sources_of[a]:
                return True
    return False


def _conflict_strength(component: list[int], located: list[_Located], links) -> float:
    """The strongest link between two facts of the group that state different values."""
    members = set(component)
    return max(
        (link.strength for (a, b), link in links.items()
         if a in members and b in members and _normal(located[a].fact) != _normal(located[b].fact)),
        default=0.0,
    )


def _kind(items: list[_Located]) -> str:
    kinds = Counter(i.fact.kind for i in items)
    if kinds.get("rank") and kinds.get("ordinal"):
        return "rank"
    return kinds.most_common(1)[0][0]


def _compatibility(kind: str, facts: list[Fact]) -> str:
    """Why all these figures or periods can be right at once ("" when they cannot)."""
    if kind == "period":
        return _overlapping_periods(facts)
    if kind != "number":
        return ""
    reasons = set()
    for x, a in enumerate(facts):
        for b in facts[x + 1 :]:
            if _within_rounding(a, b) or _within_rounding(b, a):
                reasons.add("rounding")
            elif _bound_allows(a, b.value) or _bound_allows(b, a.value):
                reasons.add("bound")
            else:
                return ""
    if reasons == {"rounding"}:
        return "the figures agree after rounding"
    return "the figures are compatible (an estimate or a bound such as “at least”)"


def _overlapping_periods(facts: list[Fact]) -> str:
    """"Early 2026" and "the first half of 2026" can both be right; "the first half" and "the
    end of 2026" cannot."""
    for x, a in enumerate(facts):
        for b in facts[x + 1 :]:
            (year_a, first_a, last_a), (year_b, first_b, last_b) = a.value, b.value
            if year_a != year_b or last_a < first_b or last_b < first_a:
                return ""
    return "the periods overlap"


def _within_rounding(coarse: Fact, fine: Fact) -> bool:
    """"$69 billion" is "$68.7 billion" written to the nearest billion."""
    step = coarse.step
    return step > fine.step and abs(fine.value - coarse.value) <= step / 2 + 1e-9 * step


def _bound_allows(bound: Fact, value: float) -> bool:
    sign = bound.qualifier
    if sign in (">=", ">"):
        return value >= bound.value
    if sign in ("<=", "<"):
        return value <= bound.value
    if sign in ("~", "~<"):
        return abs(value - bound.value) <= 0.1 * bound.value
    return False


def _surface(group: list[_Located]) -> str:
    counts = Counter(i.fact.surface for i in group)
    return min(counts, key=lambda s: (-counts[s], s))


def _label(kind: str, items: list[_Located]) -> str:
    if kind == "number" and items:
        key = Counter(i.fact.key for i in items).most_common(1)[0][0]
        if key in _ABOUT:
            return _ABOUT[key]
        if key in ("$", "€", "£", "¥"):
            return "Amount"
        head = _surface_forms(i.statement for i in items).get(key)
        return f"Number of {head}" if head else "Figure"
    if kind == "number":
        return "Figure"
    if kind == "ordinal":
        return "Which " + _surface_head(items)
    return {"weekday": "Weekday", "date": "Date", "time": "Time of day", "year": "Year", "rank": "Rank or count",
            "period": "Time frame",
            "attribution": "Who the report is attributed to"}.get(kind, kind.capitalize())


def _surface_head(items: list[_Located]) -> str:
    heads = Counter(i.fact.surface.split()[-1].casefold() for i in items if " " in i.fact.surface)
    return heads.most_common(1)[0][0] if heads else "one"


def _topic(items: list[_Located], alignment: Alignment, entity_names: dict[str, str], limit: int = 3) -> list[str]:
    """What the facts are about: the names their statements share, then the rarest words shared
    around the facts themselves (or, for weekdays and dates, anywhere in the statements)."""
    statements = {i.statement.index: i.statement for i in items}
    counts: Counter[str] = Counter()
    for statement in statements.values():
        counts.update(t for t in statement.terms if t.startswith("@"))
    if any(i.fact.context for i in items):
        for item in items:
            counts.update(item.fact.context)
    else:
        for statement in statements.values():
            counts.update(t for t in statement.terms if not t.startswith("@"))
    fact_words = {stem(w) for i in items for w in words(i.fact.surface)} | {i.fact.key for i in items}
    fact_words |= {f"@{i.fact.value}" for i in items if i.fact.kind == "attribution"}
    shared = [t for t, n in counts.items() if n >= 2 and t not in fact_words and not t.isdigit()]
    shared.sort(key=lambda t: (not t.startswith("@"), -alignment.weights.get(t, 0.0) * counts[t], t))
    surfaces = _surface_forms(statements.values())
    named = [entity_names.get(t[1:], t[1:]) for t in shared if t.startswith("@")]
    # a word already inside a chosen name ("north" of "North Korea") adds nothing
    inside = {stem(w) for name in named for w in words(name)}
    plain = [surfaces.get(t, t) for t in shared if not t.startswith("@") and t not in inside]
    if all(i.fact.kind in _CLAUSE_KINDS for i in items):
        # what a day dates ("struck", "announced") says more than the names around it
        return (plain + named)[:limit]
    return (named + plain)[:limit]


def _surface_forms(statements) -> dict[str, str]:
    """stem -> the word as first written (case kept)."""
    forms: dict[str, str] = {}
    for statement in sorted(statements, key=lambda s: s.index):
        for raw in WORD.findall(statement.sentence.text):
            for word in words(raw):
                forms.setdefault(stem(word), raw if len(words(raw)) == 1 else word)
    return forms
