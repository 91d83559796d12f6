"""Facts on which sources differ: the same figure, weekday, date, ordinal or rank stated with
different values in statements that report the same thing.

Statements are paired by the alignment index (never all against all); each fact is linked to
the best matching fact of the same kind in every other source (`links`), the links are joined
into groups (a weak link never merging two groups), and a group whose sources give different
values is a discrepancy; a casualty count each later report gives higher is said to be rising.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from ..cache import Memo, keeps_last_build, no_memo
from ..model import Discrepancy, Evidence, Variant
from ..text import WORD, slug, stem, words
from .align import Alignment, Statement
from .components import connected_components
from .facts import Fact
from .links import CLAUSE_KINDS, WEAK_STRENGTH, Located, fact_columns, link_facts, locate_facts
from .prose import SourceIds
from .story import Story
from .text import event_phrases

# Where a source gives two values in one group, a link to a source giving the same value
# counts this many times a link to a different value (see _one_value_per_source).
_AGREEMENT_WEIGHT = 2.0
# How clearly each kind of difference is a conflict (before alignment strength): a different
# figure is hard to explain away; an ordinal or a rank may count from a different start.
# Outlets citing different sources for one report ("according to KCNA" / "the Kremlin said")
# is worth knowing but is not a contradiction: lowest.
_KIND_WEIGHT = {"number": 1.0, "weekday": 0.9, "date": 0.9, "time": 0.85, "daypart": 0.8, "year": 0.8, "period": 0.8,
                "ordinal": 0.7, "rank": 0.7, "attribution": 0.35}
_DEFAULT_KIND_WEIGHT = 0.5
# A link at the threshold (0.2) makes a conflict count 0.6 of its kind's weight, a link of 0.6
# (the same sentence in other words) all of it.
_STRENGTH_FLOOR = 0.4
# More sources involved make a conflict more visible: a factor 1.17 for two sources, 1.4 for five.
_SUPPORT_WEIGHT = 0.25
# Figures that agree once rounding or a qualifier ("at least") is allowed for: still shown,
# at the bottom, because a reader may want to see them, but not as a conflict.
_COMPATIBLE_WEIGHT = 0.15
# What a figure in a unit measures, for the reader (the unit key is facts.py's canonical one).
_MEASURE_LABELS = {
    "km/h": "Speed (km/h)", "mph": "Speed (mph)", "m/s": "Speed (m/s)", "knots": "Speed (knots)",
    "m": "Measurement in metres", "km": "Distance in kilometres", "cm": "Measurement in centimetres",
    "mm": "Measurement in millimetres", "ft": "Measurement in feet", "in": "Measurement in inches",
    "mi": "Distance in miles", "m3": "Volume in cubic metres", "km2": "Area in square kilometres",
    "ha": "Area in hectares", "acres": "Area in acres", "°C": "Temperature (°C)", "°F": "Temperature (°F)",
    "t": "Weight in tonnes", "kg": "Weight in kilograms", "l": "Volume in litres",
}
# Said of a count that later reports give higher (see _rising_count): only counts of people
# harmed or driven out rise from one report to the next by themselves.
_CASUALTY_KEYS = frozenset(("deaths", "injured", "missing", "displaced"))
_RISING_NOTE = "; a rising count: each later report gives a higher figure"
# A unit written against its figure ("4.6m", "10-metre").
_GLUED_UNIT = re.compile(r"\d-?[^\W\d_]")
_ABOUT = {
    "deaths": "Death toll", "injured": "Number of injured", "missing": "Number of missing",
    "displaced": "Number of displaced people", "magnitude": "Magnitude", "depth": "Depth",
    "employees": "Number of employees",
    "age": "Age", "percent": "Percentage",
}


def find_discrepancies(alignment: Alignment, entity_names: dict[str, str], story: Story,
                       memo: Memo = no_memo) -> tuple[Discrepancy, ...]:
    """Every group of linked facts whose sources state different values (memo: see link_facts)."""
    located, columns, tokens = _located_facts(alignment, keeps_last_build(memo))
    links = link_facts(located, alignment, story, memo, columns)
    ids = SourceIds(alignment.stating_sources())
    links = _without_bridges(len(located), links)
    components = [c for c in connected_components(len(located), sorted(links)) if len(c) >= 2]
    component_of = {i: n for n, component in enumerate(components) for i in component}
    links_of: list[dict] = [{} for _ in components]
    for pair, link in links.items():
        links_of[component_of[pair[0]]][pair] = link
    parts_of = _KeptParts(tokens) if tokens is not None else _KeptParts.none()
    out = []
    for component, own_links in zip(components, links_of):
        discrepancy = _discrepancy(component, located, own_links, alignment, entity_names, ids, parts_of)
        if discrepancy:
            out.append(discrepancy)
    parts_of.done()
    return tuple(out)


# A serving process's last build (`keeps_last_build`): (first statement number, contents
# digest) -> a source's located facts and their `fact_columns`. A source with the same
# statements, numbered the same (see align._numbered), has the same facts where they were.
_kept_located: dict[tuple[int, str], tuple[tuple[Located, ...], tuple[list, ...]]] = {}


def _located_facts(alignment: Alignment, keep: bool) -> tuple[list[Located], tuple[list, ...] | None,
                                                          "_FactTokens | None"]:
    """Every fact of every statement, in statement order (see links.locate_facts), and, in a
    serving process, their `fact_columns` (each source's taken again from the last build when
    its statements are unchanged) and what names each fact across builds (`_FactTokens`)."""
    global _kept_located
    if not keep or len(alignment.contents) != len(alignment.summaries):
        _kept_located = {}
        return locate_facts(alignment.statements), None, None
    statements, openings = alignment.statements, alignment.openings
    starts = [start for start, _ in alignment.summaries]
    used: dict[tuple[int, str], tuple[tuple[Located, ...], tuple[list, ...]]] = {}
    located: list[Located] = []
    columns: tuple[list, ...] = ([], [], [], [], [], [])
    fact_starts: list[int] = []
    aliases: dict[int, tuple[str, int]] = {}
    moved_from: dict[str, tuple[int, tuple[tuple[Located, ...], tuple[list, ...]]]] | None = None
    for start, end, content in zip(starts, starts[1:] + [len(statements)], alignment.contents):
        found = _kept_located.get((start, content))
        if found is None:
            if moved_from is None:
                moved_from = {content: (first, kept) for (first, content), kept in _kept_located.items()}
            before = moved_from.get(content)
            if before is not None:
                found = (_moved(before[1][0], statements, start - before[0]), before[1][1])
            else:
                facts = tuple(locate_facts(statements[start:end]))
                found = (facts, fact_columns(facts, openings))
                if facts:
                    aliases.update(_unchanged_facts(facts, len(located), moved_from))
        used[(start, content)] = found
        fact_starts.append(len(located))
        located.extend(found[0])
        for column, part in zip(columns, found[1]):
            column.extend(part)
    _kept_located = used
    return located, columns, _FactTokens(fact_starts, alignment.contents, aliases)


def _unchanged_facts(facts: tuple[Located, ...], first: int, kept: dict) -> dict[int, tuple[str, int]]:
    """Of an edited source's facts (numbered from `first` in the dossier), those of statements
    the same source made in the last build, alike in all a discrepancy reads of them (the
    sentence's text, paragraph, date and terms, and its facts), each named by the `_FactTokens`
    of the last build's fact (`kept`: contents digest -> (first number, (located facts, ...)))
    . Each of the last build's statements answers for one statement at most: two facts of one
    statement stay two facts of one statement, of two statements two of two."""
    source = facts[0].source
    last = [(content, entry[1][0]) for content, entry in kept.items()
            if entry[1][0] and entry[1][0][0].source == source]
    if len(last) != 1:
        return {}
    content, old = last[0]
    unused: dict[tuple, list[int]] = defaultdict(list)
    for k, _ in reversed(_statement_runs(old)):
        unused[_read_of(old[k].statement)].append(k)   # (reversed: pop() gives the first)
    aliases = {}
    for k, length in _statement_runs(facts):
        olds = unused.get(_read_of(facts[k].statement))
        if olds:
            k_old = olds.pop()
            for n in range(length):
                aliases[first + k + n] = (content, k_old + n)
    return aliases


def _statement_runs(facts: tuple[Located, ...]) -> list[tuple[int, int]]:
    """(number of its first fact, how many) of each statement of these facts (in statement order)."""
    runs: list[tuple[int, int]] = []
    for k, item in enumerate(facts):
        if k and item.statement is facts[k - 1].statement:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((k, 1))
    return runs


def _read_of(statement: Statement) -> tuple:
    """All a discrepancy reads of a statement and its facts (see _parts)."""
    sentence = statement.sentence
    return (sentence.text, sentence.paragraph, statement.published, statement.terms, statement.facts)


class _FactTokens:
    """What names a located fact across builds: its source's contents digest (its id, text, date
    and name spans: all its statements and facts depend on) and its number among that source's
    facts (see _located_facts: a source with the same contents has the same facts). A fact of
    an edited source that its last build stated alike is also named as it was then (`aliases`:
    see _unchanged_facts), so that its groups find what they were made of."""

    def __init__(self, starts: list[int], contents: Sequence[str], aliases: dict[int, tuple[str, int]]) -> None:
        self._starts = starts
        self._contents = contents
        self._aliases = aliases

    def __call__(self, indices: Sequence[int]) -> tuple[tuple, tuple]:
        """(the facts' names in this build, their names as the last build had them)"""
        starts, contents = self._starts, self._contents
        out = []
        for i in indices:
            n = bisect_right(starts, i) - 1
            out.append((contents[n], i - starts[n]))
        key = tuple(out)
        aliases = self._aliases
        if aliases and any(i in aliases for i in indices):
            return key, tuple(aliases.get(i, token) for i, token in zip(indices, key))
        return key, key


# A serving process's last build (`keeps_last_build`): the facts of a group, named by their
# `_FactTokens` in the group's order -> what its discrepancy is made of that depends on those
# facts alone (`_Parts`, or None: no discrepancy). Only the strength of its links, the word
# weights, the entity names and the source ids are read again in each build.
_kept_parts: dict[tuple, "_Parts | None"] = {}


class _KeptParts:
    """Each group's `_Parts`, taken from the last build when its facts are the same ones."""

    def __init__(self, tokens: _FactTokens | None) -> None:
        self._tokens = tokens
        self._used: dict[tuple, _Parts | None] = {}

    @classmethod
    def none(cls) -> "_KeptParts":
        global _kept_parts
        _kept_parts = {}
        return cls(None)

    def __call__(self, component: list[int], items: list[Located]) -> "_Parts | None":
        if self._tokens is None:
            return _parts(items)
        key, last_key = self._tokens(component)
        if key in self._used:
            return self._used[key]
        parts = _kept_parts[last_key] if last_key in _kept_parts else _parts(items)
        self._used[key] = parts
        return parts

    def done(self) -> None:
        global _kept_parts
        if self._tokens is not None:
            _kept_parts = self._used


def _moved(facts: tuple[Located, ...], statements: Sequence[Statement], by: int) -> tuple[Located, ...]:
    """A source's located facts from the last build, its statements now numbered `by` further
    (an edit before it changed how many came before): each the same but for its statement, the
    same sentence renumbered. Copied field by field (see locate_facts): an edit early in a large
    dossier moves most sources, and locating their facts afresh reads every fact's value again.
    Its fact_columns hold nothing numbered, and the opening paragraphs are the source's own."""
    make = object.__new__
    out = []
    for item in facts:
        copy = make(Located)
        copy.__dict__.update(item.__dict__, statement=statements[item.statement.index + by])
        out.append(copy)
    return tuple(out)


def _without_bridges(size: int, links: dict) -> dict:
    """The links, less the weak ones (unaligned sentences, see links.py) that would join two
    groups the aligned links already make: in a dossier of a flood and a quake, each toll's
    reports form their group, and a loose link between a flood toll and a quake toll must not
    merge them. A weak link still joins a fact no aligned link reaches."""
    strong = sorted(pair for pair, link in links.items() if link.strength > WEAK_STRENGTH)
    groups = connected_components(size, strong)
    group_of = {i: n for n, group in enumerate(groups) for i in group}
    sizes = [len(group) for group in groups]

    def bridges(a: int, b: int) -> bool:
        ga, gb = group_of[a], group_of[b]
        return ga != gb and sizes[ga] > 1 and sizes[gb] > 1

    return {pair: link for pair, link in links.items() if link.strength > WEAK_STRENGTH or not bridges(*pair)}


def _discrepancy(
    component: list[int], located: list[Located], links, alignment: Alignment, entity_names: dict[str, str],
    ids: SourceIds, parts_of: "_KeptParts",
) -> Discrepancy | None:
    component = _one_value_per_source(component, located, links)
    parts = parts_of(component, [located[i] for i in component])
    if parts is None:
        return None
    strength = _conflict_strength(component, located, links)
    kind, compatible = parts.kind, parts.compatible
    score = (_KIND_WEIGHT.get(kind, _DEFAULT_KIND_WEIGHT) * min(1.0, _STRENGTH_FLOOR + strength)
             * (1 + math.log(parts.support) * _SUPPORT_WEIGHT))
    if compatible:
        score *= _COMPATIBLE_WEIGHT
    # words of the sources that read as a source id would be renamed by render (see prose.py)
    topic = ", ".join(part for part in _ranked_topic(parts.topic, alignment.weights, entity_names)
                      if not ids.inside(part))
    label = parts.label
    if ids.inside(label):
        label = _label(kind, [])
    about = (f"{label} ({topic})" if topic else label) + (f": {compatible}" if compatible else "")
    if parts.rising:
        about += _RISING_NOTE
    return Discrepancy(slug(f"{label} {topic}", 60), about, parts.variants, kind, round(min(score, 1.0), 3))


@dataclass(frozen=True)
class _Parts:
    """What a group's discrepancy is made of that its facts alone decide."""

    kind: str
    compatible: str          # why the values can all be right ("" when they cannot)
    support: int             # how many sources
    variants: tuple[Variant, ...]
    label: str
    rising: bool             # a casualty count each later report gives higher
    topic: "_TopicTerms"


def _parts(items: list[Located]) -> _Parts | None:
    """(None: the facts are no discrepancy: one value, the same sources, one time said two ways)"""
    by_value: dict[object, list[Located]] = defaultdict(list)
    for item in items:
        by_value[item.value].append(item)
    if len(by_value) < 2:
        return None
    sources_of = {value: {i.source for i in group} for value, group in by_value.items()}
    if not _sources_disagree(sources_of):
        return None
    kind = _kind(items)
    if kind == "daypart" and _overlapping_day_parts([group[0].fact for group in by_value.values()]):
        return None   # "morning" and "shortly before noon": one time said two ways
    compatible = _compatibility(kind, [group[0].fact for group in by_value.values()])
    variants = tuple(
        Variant(
            value=_surface(group),
            sources=tuple(sorted({i.source for i in group})),
            evidence=tuple(sorted({Evidence(i.source, i.statement.paragraph) for i in group},
                                  key=lambda e: (e.source, e.paragraph))),
        )
        for value, group in sorted(by_value.items(), key=lambda kv: (-len(sources_of[kv[0]]), str(kv[0])))
    )
    return _Parts(kind, compatible, len({i.source for i in items}), variants, _label(kind, items),
                  kind == "number" and _rising_count(by_value), _topic_terms(items))


def _rising_count(by_value: dict[object, list[Located]]) -> bool:
    """A casualty count that every later report gives higher: reports of successive days
    following a toll as it rises. Still a discrepancy (the reader must see which figure is
    current), but not an error of any one source. Other figures (a cost, a duration) are not
    counts that grow by themselves, and with two reports the order is a coin toss."""
    facts = [group[0].fact for group in by_value.values()]
    if any(f.key not in _CASUALTY_KEYS for f in facts):
        return False
    dates = {value: [i.statement.published for i in group] for value, group in by_value.items()}
    if any(None in ds for ds in dates.values()):
        return False
    ordered = sorted(dates, key=float)
    return all(max(dates[low]) < min(dates[high]) for low, high in zip(ordered, ordered[1:]))


def _one_value_per_source(component: list[int], located: list[Located], links) -> list[int]:
    """A source gives one value for one thing: where it gives several in a group, keep the best
    supported, by the fit of all its links ("a magnitude 6.4 quake in 1998" joins through the
    word "magnitude", weakly). A value another source states too counts more: of "dug for a
    second day on Sunday" and "struck on Saturday", the day others give is the day of the event.
    (`links`: the group's own, both ends in it)"""
    given = {(located[i].source, located[i].value) for i in component}
    if len(given) == len({source for source, _ in given}):
        return component   # (most groups) each source gives one value: it is kept
    values = {i: located[i].value for i in component}
    support = dict.fromkeys(component, 0.0)
    for (a, b), link in links.items():
        weight = link.fit * (_AGREEMENT_WEIGHT if values[a] == values[b] else 1.0)
        support[a] += weight
        support[b] += weight
    by_source: dict[str, dict[object, float]] = defaultdict(lambda: defaultdict(float))
    for i in component:
        by_source[located[i].source][values[i]] += support[i]
    keep = {source: max(given, key=lambda v: (given[v], str(v))) for source, given in by_source.items()}
    return [i for i in component if values[i] == keep[located[i].source]]


def _sources_disagree(sources_of: dict[object, set[str]]) -> bool:
    """Some source gives one value and another source a different one (not both the same two)."""
    values = list(sources_of)
    for x, a in enumerate(values):
        for b in values[x + 1 :]:
            if sources_of[a] - sources_of[b] and sources_of[b] - sources_of[a]:
                return True
    return False


def _conflict_strength(component: list[int], located: list[Located], links) -> float:
    """The strongest link between two facts of the group that state different values."""
    members = set(component)
    return max(
        (link.strength for (a, b), link in links.items()
         if a in members and b in members and located[a].value != located[b].value),
        default=0.0,
    )


def _kind(items: list[Located]) -> str:
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


def _overlapping_day_parts(facts: list[Fact]) -> bool:
    """Every two of these parts of a day share an hour."""
    return all(
        any(start_a < end_b and start_b < end_a for start_a, end_a in a.value for start_b, end_b in b.value)
        for x, a in enumerate(facts) for b in facts[x + 1 :]
    )


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


def _surface(group: list[Located]) -> str:
    """The value as most sources write it; a figure in words or with its unit glued on also in
    digits and spaced ("Nine (9)", "4.6m (4.6 m)"), so that a reader (and a search) meets it."""
    counts = Counter(i.fact.surface for i in group)
    surface = min(counts, key=lambda s: (-counts[s], s))
    fact = next(i.fact for i in group if i.fact.surface == surface)
    if fact.kind != "number" or fact.unit:
        return surface
    if not any(c.isdigit() for c in surface):
        return f"{surface} ({_digits(fact)})"
    if fact.measure and _GLUED_UNIT.search(surface):
        return f"{surface} ({_digits(fact)})"
    return surface


def _digits(fact: Fact) -> str:
    value = f"{fact.value:,.0f}" if fact.value == int(fact.value) else f"{fact.value:,}"
    return f"{value} {fact.measure}" if fact.measure else value


def _label(kind: str, items: list[Located]) -> str:
    if kind == "number" and items:
        key = Counter(i.fact.key for i in items).most_common(1)[0][0]
        if key in _ABOUT:
            return _ABOUT[key]
        if key in ("$", "€", "£", "¥"):
            return "Amount"
        if key in _MEASURE_LABELS:
            return _MEASURE_LABELS[key]
        head = _surface_forms(i.statement for i in items).get(key)
        return f"Number of {head}" if head else "Figure"
    if kind == "number":
        return "Figure"
    if kind == "ordinal":
        return "Which " + _surface_head(items)
    return {"weekday": "Weekday", "date": "Date", "time": "Time of day", "daypart": "Time of day", "year": "Year",
            "rank": "Rank or count",
            "period": "Time frame",
            "attribution": "Who the report is attributed to"}.get(kind, kind.capitalize())


def _surface_head(items: list[Located]) -> str:
    heads = Counter(i.fact.surface.split()[-1].casefold() for i in items if " " in i.fact.surface)
    return heads.most_common(1)[0][0] if heads else "one"


def _topic(items: list[Located], alignment: Alignment, entity_names: dict[str, str], limit: int = 3) -> list[str]:
    """What the facts are about: the names their statements share, then the rarest words shared
    around the facts themselves (or, for weekdays and dates, anywhere in the statements)."""
    return _ranked_topic(_topic_terms(items), alignment.weights, entity_names, limit)


@dataclass(frozen=True)
class _TopicTerms:
    """What _topic reads of the facts: the terms they share with their counts, in first-seen
    order, their statements' surface forms, and whether all facts are of clause kinds."""

    shared: tuple[tuple[str, int], ...]
    surfaces: "_SurfaceForms"
    clauses: bool


def _topic_terms(items: list[Located]) -> _TopicTerms:
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
    shared = tuple((t, n) for t, n in counts.items() if n >= 2 and t not in fact_words and not t.isdigit())
    return _TopicTerms(shared, _surface_forms(statements.values()), all(i.fact.kind in CLAUSE_KINDS for i in items))


def _ranked_topic(terms: _TopicTerms, weights: dict[str, float], entity_names: dict[str, str],
                  limit: int = 3) -> list[str]:
    """The names first, then the rarest words, each by its weight in the dossier times how
    often the facts' statements give it."""
    ranked = sorted(terms.shared, key=lambda tn: (not tn[0].startswith("@"), -weights.get(tn[0], 0.0) * tn[1], tn[0]))
    shared = [t for t, _ in ranked]
    surfaces = terms.surfaces
    named = [entity_names.get(t[1:], t[1:]) for t in shared if t.startswith("@")]
    # a word already inside a chosen name ("north" of "North Korea") adds nothing
    inside = {stem(w) for name in named for w in words(name)}
    plain = [surfaces.get(t, t) for t in shared if not t.startswith("@") and t not in inside]
    if terms.clauses:
        # what a day dates ("struck", "announced") says more than the names around it
        return (plain + named)[:limit]
    return (named + plain)[:limit]


def _surface_forms(statements) -> "_SurfaceForms":
    """stem -> the word as first written (case kept); an event marker -> its verb as first written."""
    return _SurfaceForms(statements)


class _SurfaceForms:
    """What _surface_forms gives, looked up word by word: a group asks about a few words of its
    statements, not about every word of them."""

    def __init__(self, statements) -> None:
        self._texts = [statement.sentence.text for statement in sorted(statements, key=lambda s: s.index)]

    def get(self, key: str, default: str | None = None) -> str | None:
        for text in self._texts:
            form = _first_forms(text).get(key)
            if form is not None:
                return form
        return default


# Distinct sentences whose surface forms are remembered: the statements of one group are
# asked about for its label and again for its topic, and a sentence may be in many groups.
_FORMS_CACHE_SIZE = 4096


@lru_cache(maxsize=_FORMS_CACHE_SIZE)
def _first_forms(text: str) -> dict[str, str]:
    """(stem or event marker) -> as first written in one sentence (never changed: shared)."""
    forms: dict[str, str] = {}
    for key, form in _forms_in(text):
        forms.setdefault(key, form)
    return forms


def _forms_in(text: str) -> tuple[tuple[str, str], ...]:
    """(stem or event marker, as written) of one sentence, in the order _surface_forms takes them."""
    found = list(event_phrases(text).items())
    for raw in WORD.findall(text):
        for word in words(raw):
            found.append((stem(word), raw if len(words(raw)) == 1 else word))
    return tuple(found)
