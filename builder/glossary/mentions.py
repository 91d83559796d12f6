"""Every place an entity is named, exact to the character and never overlapping.

The model misses names it found elsewhere ("Nadella" alone, a name in a list); once the
dossier knows a name, every use of any of its spellings is a mention. Where names overlap
the longer one wins ("South Africa" over "Africa"), so a page links each stretch once.
"""
from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence, Set
from itertools import accumulate
from operator import attrgetter, itemgetter
from typing import NamedTuple
from functools import lru_cache

from builder.glossary.names import (
    Atom,
    TITLE_WINDOW,
    Occurrence,
    choose_referent,
    is_common_word,
    literal_atoms,
    looks_like_boilerplate,
    lowercase_counts,
    ordered_alternation,
)
from builder.cache import Memo, keeps_last_build, no_memo
from builder.model import Article, Mention

# In a non-English source only long names are looked for: a short one ("Kim", "US") may
# be a word of that language.
_FOREIGN_MIN_LENGTH = 5


# Letters Unicode does not decompose, written as one plain letter (a two-letter "ß" or "æ" stays).
_ONE_LETTER = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H"})
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")
_SEPARATOR_PATTERN = r"[ \t\-\u2010-\u2015]"
# The letters of the Latin alphabets, where `_folding_table` finds every letter it folds.
_LATIN_LETTERS = range(0xC0, 0x250)
_LATIN_LETTERS_FOLDED = re.compile(f"[{chr(_LATIN_LETTERS.start)}-{chr(_LATIN_LETTERS.stop - 1)}]")
_SEPARATOR = Atom(_SEPARATOR_PATTERN, frozenset(" \t-" + "".join(map(chr, range(0x2010, 0x2016)))))
_OPTIONAL_SEPARATOR = Atom(_SEPARATOR_PATTERN + "?", None)   # may match nothing
_SEPARATOR_RUNS = re.compile(r"([\s\-\u2010-\u2015]+)")
_LETTER_THEN_NUMBER = re.compile(r"(?<=[^\W\d_])(?=\d)")
_BY_POSITION = itemgetter(0, 1, 2)   # a hit's (source, paragraph, start), read in C


class _Hit(NamedTuple):   # a tuple: there are as many as mentions, made fast
    source: str
    paragraph: int
    start: int
    end: int
    entity: int
    found_by_model: bool


def place_mentions(
    entity_occurrences: Sequence[Sequence[Occurrence]],
    articles: Sequence[Article],
    not_names: dict[tuple[str, int], list[tuple[int, int]]],
    extra_spellings: Sequence[Sequence[str]] = (),
    lowercase: Counter | None = None,
    boilerplate: Set[tuple[str, int]] | None = None,
    memo: Memo = no_memo,
    source_keys: Sequence[str] | None = None,
    texts: dict[tuple[str, int], str] | None = None,
) -> tuple[tuple[Mention, ...], ...]:
    """The mentions of each entity (given by its model occurrences), in the same order.

    extra_spellings: per entity, further spellings to look for (a person's surname).
    not_names: per (source, paragraph), stretches the model labelled as something other than
    a name (a date, a number, a demonym); a spelling found inside one is not a mention.
    lowercase, boilerplate: `lowercase_counts` of every paragraph and the (source, paragraph)
    that `looks_like_boilerplate`, where the caller has them already.
    memo, source_keys: with a key per article covering its text, its language, its boilerplate
    and its `not_names` (its recogniser spans), each source's mentions are kept between builds
    under that key, its model occurrences and the dossier's spellings (`_SpellingTable.digest`).
    texts: every paragraph by (source, paragraph), where the caller has them already.
    """
    if texts is None:
        texts = {(a.id, i): p for a in articles for i, p in enumerate(a.paragraphs)}
    if lowercase is None:
        lowercase = lowercase_counts(texts.values())
    if boilerplate is None:
        boilerplate = {where for where, text in texts.items() if looks_like_boilerplate(text)}
    entities = _Entities.of(entity_occurrences, extra_spellings, keeps_last_build(memo))
    table = _SpellingTable(entities.owners, entities.written, lowercase)
    found = entities.found
    order = sorted(range(len(articles)), key=lambda i: articles[i].id)

    def source_mentions(i: int) -> tuple[tuple[int, Mention], ...]:
        article = articles[order[i]]
        return _source_mentions(
            article, found.get(article.id, ()), table, entity_occurrences, not_names, texts, boilerplate
        )

    sources = tuple(articles[i].id for i in order)
    keeping = keeps_last_build(memo)
    last = _LastMentions.last if keeping else None
    keys = None
    if memo is no_memo or source_keys is None:
        per_source = [source_mentions(i) for i in range(len(order))]
    else:
        digest = table.digest(entity_occurrences, texts)
        keys = [f"{source_keys[i]}\0{digest}\0{entities.finds_text(articles[i].id)}" for i in order]
        if last is not None and last[4] is not None:
            # A serving rebuild: a source under the same key as in the last build has the same
            # mentions (the key is the memo's, covering all they are read from); only the others are read.
            before = dict(zip(last[1], zip(last[4], last[2])))
            per_source = []
            for i, (source, key) in enumerate(zip(sources, keys)):
                was = before.get(source)
                per_source.append(was[1] if was is not None and was[0] == key else source_mentions(i))
        else:
            per_source = memo("glossary mentions", keys, source_mentions)
    if last is not None and last[0] is entities and last[1] == sources:
        result = _gathered_again(per_source, last[2], last[3], sources)
    else:
        result = _gathered(per_source, len(entity_occurrences), None)
    _LastMentions.last = (entities, sources, per_source, result, keys) if keeping else None
    return result


class _LastMentions:
    """The last build's mentions in this process (serving builds only: `keeps_last_build`): the
    entities' `_Entities`, the sources in order, each source's (entity, mention) pairs, each
    entity's mentions gathered from them, and each source's key (None: built without keys)."""

    last: tuple | None = None


def _gathered(per_source, count: int, wanted: set[int] | None) -> tuple[tuple[Mention, ...], ...]:
    """Each entity's mentions (only those `wanted`, if given; the others empty): sources in
    order of their ids, each one's mentions in order of position."""
    mentions: list[list[Mention]] = [[] for _ in range(count)]
    for pairs in per_source:
        for entity, mention in pairs:
            if wanted is None or entity in wanted:
                mentions[entity].append(mention)
    return tuple(tuple(m) for m in mentions)


def _gathered_again(per_source, last_per_source, last_result, sources: Sequence[str]) -> tuple[tuple[Mention, ...], ...]:
    """As `_gathered`, for the same entities and sources as the last build: an entity named in
    none of the sources whose pairs are not the very last build's (the memo's, kept) has the
    last build's mentions, object and all; only the others are gathered again."""
    changed = [i for i, (now, before) in enumerate(zip(per_source, last_per_source)) if now is not before]
    touched = {entity for i in changed for pairs in (per_source[i], last_per_source[i]) for entity, _ in pairs}
    if not touched:
        return last_result
    if len(changed) > 1:
        again = _gathered(per_source, len(last_result), touched)
        return tuple(again[e] if e in touched else m for e, m in enumerate(last_result))
    # One source changed (a serving rebuild after an edit): each entity it names, or named, has
    # its other sources' mentions as they were, and the source's own where the source stands
    # among the others (sources in order of their ids; mentions of a source in order of position).
    at = changed[0]
    source = sources[at]
    own: dict[int, list[Mention]] = {}
    for entity, mention in per_source[at]:
        own.setdefault(entity, []).append(mention)
    result = list(last_result)
    for entity in touched:
        others = [m for m in last_result[entity] if m.source != source]
        cut = bisect.bisect_left(others, source, key=attrgetter("source"))
        result[entity] = tuple(others[:cut] + own.get(entity, []) + others[cut:])
    return tuple(result)


class _Entities:
    """What the mentions take of the entities alone: every spelling and whose each is, by its
    loose form, and the model's finds in each source. Kept for the next build of a serving
    process (`keeps_last_build`): the very same occurrences (the glossary's merge kept whole) give the same."""

    _last: _Entities | None = None

    def __init__(self, entity_occurrences, extra_spellings):
        self.occurrences = tuple(entity_occurrences)   # held: their identity is what is compared
        self.extra_spellings = tuple(tuple(s) for s in extra_spellings)
        owners: dict[str, set[int]] = {}   # by the loose form of a spelling
        written: set[str] = set()
        loose: dict[str, str] = {}   # each spelling's loose form, made once
        for index, occurrences in enumerate(entity_occurrences):
            for o in occurrences:
                if o.text not in loose:
                    loose[o.text] = _loose(o.text)
                owners.setdefault(loose[o.text], set()).add(index)
                written.add(o.text)
        for index, spellings in enumerate(extra_spellings):
            for spelling in spellings:
                owners.setdefault(_loose(spelling), set()).add(index)
                written.add(spelling)
        self.owners, self.written = owners, written
        # The model's finds in each source, as (paragraph, start, end, entity): overlaps are settled
        # paragraph by paragraph, so each source's mentions depend on its own finds only.
        found: dict[str, list[tuple[int, int, int, int]]] = {}
        for index, occurrences in enumerate(entity_occurrences):
            for o in occurrences:
                found.setdefault(o.source, []).append((o.paragraph, o.start, o.end, index))
        for finds in found.values():
            finds.sort()
        self.found = found
        self._finds_texts: dict[str, str] = {}

    @classmethod
    def of(cls, entity_occurrences, extra_spellings, keep: bool) -> _Entities:
        last = cls._last if keep else None
        if (
            last is not None and len(last.occurrences) == len(entity_occurrences)
            and all(a is b for a, b in zip(last.occurrences, entity_occurrences))
            and last.extra_spellings == tuple(tuple(s) for s in extra_spellings)
        ):
            return last
        made = cls(entity_occurrences, extra_spellings)
        cls._last = made if keep else None
        return made

    def finds_text(self, source: str) -> str:
        """The source's finds written out, for a key."""
        text = self._finds_texts.get(source)
        if text is None:
            text = self._finds_texts[source] = repr(self.found.get(source, ()))
        return text


class _SpellingTable:
    """Every spelling of the entities and whose each is, by its loose form; and the patterns
    that find them, made when a source is first searched (the same spellings as the last build
    give the very same patterns, made once: `_any_of` keeps them)."""

    def __init__(self, owners: dict[str, set[int]], written: set[str], lowercase: Counter):
        self.owners = owners
        # A spelling that is also a common word here: only the model can tell which is meant.
        self.spellings = tuple(sorted(s for s in written if not is_common_word(s, lowercase)))
        self._patterns: dict[bool, re.Pattern | None] = {}

    def pattern(self, english: bool) -> re.Pattern | None:
        if english not in self._patterns:
            wanted = self.spellings if english else tuple(s for s in self.spellings if len(s) >= _FOREIGN_MIN_LENGTH)
            self._patterns[english] = _any_of(wanted)
        return self._patterns[english]

    def digest(self, entity_occurrences: Sequence[Sequence[Occurrence]], texts: dict[tuple[str, int], str]) -> str:
        """A digest of all a source's mentions read beyond the source itself: the spellings
        looked for, whose each is, and, for a spelling several entities share, what
        `choose_referent` reads of those entities' occurrences (where each stands, its spelling,
        the title before it)."""
        owners = sorted((form, tuple(sorted(entities))) for form, entities in self.owners.items())
        shared = [
            (entity, [(o.source, o.paragraph, o.start, o.text, texts[(o.source, o.paragraph)][max(0, o.start - TITLE_WINDOW):o.start])
                      for o in entity_occurrences[entity]])
            for entity in sorted({entity for _, entities in owners if len(entities) > 1 for entity in entities})
        ]
        return hashlib.sha256(repr((self.spellings, owners, shared)).encode("utf-8", "surrogatepass")).hexdigest()


def _source_mentions(
    article: Article, found: Sequence[tuple[int, int, int, int]], table: _SpellingTable, entity_occurrences,
    not_names, texts, boilerplate,
) -> tuple[tuple[int, Mention], ...]:
    """(entity, mention) of every mention in one source, in order of position: the model's finds
    (`found`: paragraph, start, end, entity) and every other use of a spelling, with overlaps settled."""
    hits = [_Hit(article.id, paragraph, start, end, entity, True) for paragraph, start, end, entity in found]
    hits.extend(_spelling_hits(article, table, entity_occurrences, not_names, texts, boilerplate, found))
    chosen = sorted(_without_overlaps(hits), key=_BY_POSITION)
    # The chosen never overlap, so no two are alike.
    return tuple(
        (hit.entity, Mention(hit.source, hit.paragraph, hit.start, hit.end, texts[(hit.source, hit.paragraph)][hit.start:hit.end]))
        for hit in chosen
    )


def _spelling_hits(article, table, entity_occurrences, not_names, texts, boilerplate, found) -> list[_Hit]:
    pattern = table.pattern(article.is_english)
    if pattern is None:
        return []
    # A spelling found where the model found a name never wins over it: the model's find comes
    # first, and whatever beats it overlaps the spelling as well.
    found_by_model = {(paragraph, start, end) for paragraph, start, end, _ in found}
    owners_of: dict[str, set[int] | None] = {}   # by the text found, each looked up once
    hits = []
    for index, paragraph in enumerate(article.paragraphs):
        if (article.id, index) in boilerplate:
            continue
        blocked = None
        for match in pattern.finditer(_fold(paragraph)):
            start, end = match.span()
            if (index, start, end) in found_by_model:
                continue
            if blocked is None:
                blocked = _Stretches(not_names.get((article.id, index), ()))
            if blocked.overlaps(start, end):
                continue
            spelling = match.group(0)
            if spelling not in owners_of:
                owners_of[spelling] = table.owners.get(_loose(spelling))
            entities = owners_of[spelling]
            owner = _owner(entities, (article.id, index, start), entity_occurrences, spelling, texts) if entities else None
            if owner is not None:
                hits.append(_Hit(article.id, index, start, end, owner, False))
    return hits


class _Stretches:
    """Stretches of one paragraph, to ask whether a span overlaps any of them."""

    def __init__(self, stretches: Sequence[tuple[int, int]]):
        ordered = sorted(stretches)
        self._starts = [s for s, _ in ordered]
        # The furthest end among the stretches up to each one: they may overlap one another.
        self._furthest = list(accumulate((e for _, e in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        before_end = bisect.bisect_left(self._starts, end)   # the stretches starting before `end`
        return before_end > 0 and self._furthest[before_end - 1] > start


@lru_cache(maxsize=4)   # the patterns of the last builds: the same spellings, the same pattern
def _any_of(spellings: tuple[str, ...]) -> re.Pattern | None:
    """One pattern for all spellings, longest first so "South Africa" is tried before "Africa";
    words may be parted by a space or a hyphen, and a number from letters by a hyphen ("G-20" is
    found for "G20", "Al-Haouz" for "Al Haouz")."""
    if not spellings:
        return None
    ordered = sorted(spellings, key=lambda s: (-len(s), s))
    return re.compile("(?:" + ordered_alternation([_loose_atoms(s) for s in ordered], not_after=r"[\w-]") + r")(?![\w])")


def _loose(spelling: str) -> str:
    """The spelling without what `_loose_pattern` forgives: accents and separators."""
    return _SEPARATORS.sub("", _fold(spelling))


def _fold(text: str) -> str:
    """Each letter without its accent, letter for letter ("Yıldırım" -> "Yildirim", "Öztürk" ->
    "Ozturk"), so that positions in the folded text are positions in the text."""
    if not _LATIN_LETTERS_FOLDED.search(text):
        return text   # most text has no letter to fold: a search is quicker than the table
    return text.translate(_folding_table())


@lru_cache(maxsize=1)
def _folding_table() -> dict[int, str]:
    """Every accented letter of the Latin alphabets, folded; computed once."""
    return {ord(ch): _folded_letter(ch) for ch in map(chr, _LATIN_LETTERS) if _folded_letter(ch) != ch}


def _folded_letter(ch: str) -> str:
    base = unicodedata.normalize("NFKD", ch.translate(_ONE_LETTER))
    base = "".join(c for c in base if not unicodedata.combining(c))
    return base if len(base) == 1 else ch


def _loose_atoms(spelling: str) -> tuple[Atom, ...]:
    """The steps of the spelling's loose pattern: its letters, and a separator, or an optional
    one, wherever it has separators or runs from letters to a number."""
    pieces = [p for p in _SEPARATOR_RUNS.split(_fold(spelling)) if p]
    atoms: list[Atom] = []
    for i, piece in enumerate(pieces):
        if not _SEPARATORS.fullmatch(piece):
            before_number = {m.start() for m in _LETTER_THEN_NUMBER.finditer(piece)}
            for at, ch in enumerate(piece):
                if at in before_number:
                    atoms.append(_OPTIONAL_SEPARATOR)   # "G20" is found as "G-20" too
                atoms.extend(literal_atoms(ch))
        elif 0 < i < len(pieces) - 1 and pieces[i - 1][-1:].isalpha() and pieces[i + 1][:1].isdigit():
            atoms.append(_OPTIONAL_SEPARATOR)   # "COP 28", "COP-28", "COP28"
        else:
            atoms.append(_SEPARATOR)
    return tuple(atoms)


def _owner(
    entities: set[int], where: tuple[str, int, int], entity_occurrences, spelling: str, paragraphs
) -> int | None:
    """Whose spelling this is; a spelling two entities share ("Kim" for two people) goes to
    the one the context points at, else to none."""
    if len(entities) == 1:
        return next(iter(entities))
    candidates = {entity: entity_occurrences[entity] for entity in entities}
    return choose_referent(spelling, where, candidates, paragraphs)


def _without_overlaps(hits: list[_Hit]) -> list[_Hit]:
    """Longest first, the model's own finds before spelling matches, then leftmost."""

    def priority(h: _Hit):
        return (-(h.end - h.start), not h.found_by_model, h.source, h.paragraph, h.start, h.entity)

    # Per paragraph, the taken stretches sorted by start: they never overlap, so a new one
    # need only be checked against its neighbours.
    taken: dict[tuple[str, int], list[tuple[int, int]]] = {}
    chosen = []
    for hit in sorted(hits, key=priority):
        spans = taken.setdefault((hit.source, hit.paragraph), [])
        at = bisect.bisect_left(spans, (hit.start, hit.end))
        if at > 0 and spans[at - 1][1] > hit.start or at < len(spans) and spans[at][0] < hit.end:
            continue
        spans.insert(at, (hit.start, hit.end))
        chosen.append(hit)
    return chosen
