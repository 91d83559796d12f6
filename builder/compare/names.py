"""Names for the same thing spelled differently across sources ("KCNA" / "KCN"): the glossary's
variant spellings, separate glossary entries one letter apart, and transliterations ("Uzgen" /
"Özgön") that aligned sentences of two sources use in the same place."""
from __future__ import annotations

import itertools
import operator
import unicodedata
from collections import defaultdict
from functools import lru_cache
from typing import Sequence

import numpy as np
from rapidfuzz.distance import Levenshtein

from ..model import Discrepancy, Entity, Evidence, Glossary, Variant
from ..text import ORDINAL_WORDS, fold, slug, words
from .align import Alignment

# Names are compared only within blocks sharing their first letters, so the cost stays near
# linear in the number of entities; a misspelling rarely changes the start of a name.
_BLOCK_PREFIX = 2
# A name this short differs from another by one letter only through a typo or a truncation
# ("KCN" for "KCNA"); longer names may differ by two ("Luhansk" / "Lugansk" is one).
_SHORT_NAME = 6
# How clearly a one-letter difference is a conflict: a reader should check it, but a
# transliteration is not an error, so names rank below figures and dates.
_MISSPELLING_SCORE = 0.5
_TRANSLITERATION_SCORE = 0.3
# Sentences this well aligned report the same thing: a name one has where the other has a
# different one of the same type fills the same place (see `_swapped_names`).
_SWAP_ALIGNMENT = 0.2
# Two spellings are one name transliterated when their consonants, in order, are the same and
# at least this many ("Uzgen" / "Ozgon" both "zgn", "Kyiv" / "Kiev" both "kv" is too few to tell).
_MIN_SKELETON = 3
_VOWELS = frozenset("aeiouy")
# Two words of one entity's spellings this alike (normalised edit similarity of their ASCII
# forms) are one word written two ways ("uzgen" / "ozgon" 0.6, "fergana" / "ferghana" 0.88,
# "luhansk" / "lugansk" 0.86); different words are far below.
_SAME_NAME_SIMILARITY = 0.5
_NUMBER_WORDS = {
    **{word: n for n, word in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())},
    **{word: n for n, word in enumerate("i ii iii iv v vi vii viii ix x xi xii".split(), 1)},
}


def name_discrepancies(glossary: Glossary, alignment: Alignment) -> tuple[Discrepancy, ...]:
    found = [d for entity in glossary.entities if (d := _spellings(entity))]
    found.extend(_near_duplicate_entities(glossary.entities))
    reported = {frozenset(v.value for v in d.variants) for d in found}
    found.extend(d for d in _swapped_names(glossary, alignment)
                 if frozenset(v.value for v in d.variants) not in reported)
    return tuple(found)


def _swapped_names(glossary: Glossary, alignment: Alignment) -> list[Discrepancy]:
    """Two entities of one type that no source names together, found in each other's place in
    aligned sentences, with the same consonants: one name written two ways."""
    by_id = {entity.id: entity for entity in glossary.entities}
    types = {entity.id: entity.type for entity in glossary.entities}
    sources = _SourcesOf(by_id)
    pairs = set()
    # many aligned pairs of sentences name the same two sets of entities: each two sets once
    for first, second in _named_pairs(alignment):
        if first <= second or second <= first:
            continue   # no name of one sentence in the place of another name of the other
        for x in first - second:
            for y in second - first:
                if types[x] == types[y] and sources[x].isdisjoint(sources[y]):
                    pairs.add((x, y) if x < y else (y, x))
    found = []
    for x, y in sorted(pairs):
        a, b = by_id[x], by_id[y]
        skeleton = _skeleton(a.name)
        if skeleton != _skeleton(b.name) or len(skeleton) < _MIN_SKELETON:
            continue
        major, minor = sorted((a, b), key=lambda e: (-len(e.sources), -len(e.mentions), e.id))
        variants = [_variant([(m.source, m.paragraph, m.text) for m in e.mentions]) for e in (major, minor)]
        found.append(_name_discrepancy(major.name, variants, _TRANSLITERATION_SCORE))
    return found


class _SourcesOf(dict):
    """entity id -> the sources naming it, worked out for the entities asked about only (of a
    few thousand entities, those whose names take each other's place in aligned sentences)."""

    def __init__(self, by_id: dict[str, Entity]) -> None:
        super().__init__()
        self._by_id = by_id

    def __missing__(self, entity_id: str) -> frozenset[str]:
        found = self[entity_id] = frozenset(map(_SOURCE, self._by_id[entity_id].mentions))
        return found


_SOURCE = operator.attrgetter("source")
_TEXT = operator.attrgetter("text")


def _named_pairs(alignment: Alignment) -> list[tuple[frozenset[str], frozenset[str]]]:
    """Each distinct (entities of one, entities of the other) of the pairs of sentences aligned
    at least _SWAP_ALIGNMENT that both name some entity. Each distinct set of entities is
    numbered (at C speed: a map over a numbering dict), the pairs filtered and made distinct as
    arrays of those numbers: tens of thousands of pairs name a few thousand sets."""
    number: defaultdict[frozenset[str], int] = defaultdict(itertools.count().__next__)
    statements = alignment.statements
    named = np.fromiter(map(number.__getitem__, (s.entities for s in statements)), dtype=np.int64,
                        count=len(statements))
    sets = list(number)
    if not alignment.pairs or not sets:
        return []
    first, second, scores = alignment.pair_columns()
    some = np.fromiter(map(bool, sets), dtype=bool, count=len(sets))
    a, b = named[first], named[second]
    wanted = (scores >= _SWAP_ALIGNMENT) & some[a] & some[b]
    codes = np.unique(a[wanted] * len(sets) + b[wanted]).tolist()
    return [(sets[code // len(sets)], sets[code % len(sets)]) for code in codes]


# Distinct names whose skeletons are remembered: each pair of swapped names asks about both.
_SKELETON_CACHE_SIZE = 8192


@lru_cache(maxsize=_SKELETON_CACHE_SIZE)
def _skeleton(name: str) -> str:
    """The consonants of a name in ASCII, in order: "Özgön" -> "zgn"."""
    return "".join(c for c in _ascii_key(name) if c.isalpha() and c not in _VOWELS)


def _key(name: str) -> str:
    """Case, spaces, hyphens and a leading "the" do not make a different spelling."""
    tokens = words(name)
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    return "".join(tokens)


def _variant(occurrences: list[tuple[str, int, str]], named: tuple[str, ...] | None = None) -> Variant:
    """The sources writing one spelling; its value is how they most often write it in full
    (`named`: the spelling's words, so that a short form never stands for the full name)."""
    full = [o for o in occurrences if named is None or _ascii_words(o[2]) == named] or occurrences
    texts = sorted({fold(t) for _, _, t in full}, key=lambda t: (-sum(fold(o[2]) == t for o in full), t))
    return Variant(
        texts[0],
        tuple(sorted({s for s, _, _ in occurrences})),
        tuple(sorted({Evidence(s, p) for s, p, _ in occurrences}, key=lambda e: (e.source, e.paragraph))),
    )


def _spellings(entity: Entity) -> Discrepancy | None:
    """Sources that write one entity's name differently: the likely misspellings the glossary
    merged (`variant_spellings`) and the transliterations it merged ("Uzgen" / "Özgön"). Case,
    diacritics ("Hélène" / "Helene") and short forms ("Umurbekov" of "Talant Umurbekov") make no
    spelling of their own; an acronym ("IRF") is no spelling of its expansion."""
    texts = set(map(_TEXT, entity.mentions))
    if len(texts) < 2 or len(set(map(_ascii_words, texts))) < 2:
        return None   # one spelling (most entities): nothing written another way
    groups = _spelling_groups(entity)
    canonical = _ascii_words(entity.name)
    if canonical not in groups:
        canonical = max(groups, key=lambda k: (len(groups[k]), k), default=None)
    others = sorted(k for k in groups if k != canonical and _respelt(canonical, k))
    if not others:
        return None
    variants = [_variant(groups[k], named=k) for k in [canonical] + others]
    if not _sources_disagree(variants):
        return None
    misspelt = {_ascii_words(v) for v in entity.variant_spellings} & set(others)
    return _name_discrepancy(entity.name, variants, _MISSPELLING_SCORE if misspelt else _TRANSLITERATION_SCORE)


def _respelt(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """The same words, some written another way: not another word ("Donbas" for "Donets
    Basin"), another number ("II" / "Two"), a plural ("Koreas") or an acronym."""
    if len(a) != len(b):
        return False
    differing = [(x, y) for x, y in zip(a, b) if x != y]
    return bool(differing) and all(
        _number(x) is None and _number(y) is None and not _possessive_or_plural(x, y)
        and Levenshtein.normalized_similarity(x, y) >= _SAME_NAME_SIMILARITY
        for x, y in differing
    )


def _number(word: str) -> int | None:
    """ "2", "two", "ii", "second": the number a word writes, if any."""
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word) or ORDINAL_WORDS.get(word)


def _spelling_groups(entity: Entity) -> dict[tuple[str, ...], list[tuple[str, int, str]]]:
    """full spelling (its ASCII words) -> [(source, paragraph, text as written)], each short
    form counted with the one full spelling it is part of (left out when it is part of several)."""
    by_words: dict[tuple[str, ...], list[tuple[str, int, str]]] = defaultdict(list)
    for mention in entity.mentions:
        by_words[_ascii_words(mention.text)].append((mention.source, mention.paragraph, mention.text))
    full = [w for w in by_words if not any(set(w) < set(other) for other in by_words)]
    groups: dict[tuple[str, ...], list[tuple[str, int, str]]] = defaultdict(list)
    for spelling, occurrences in by_words.items():
        containing = [f for f in full if set(spelling) <= set(f)]
        if len(containing) == 1:
            groups[containing[0]].extend(occurrences)
    return groups


# Distinct names whose ASCII words are remembered: every mention of an entity is asked about,
# and a dossier writes a few thousand distinct names many times each.
_ASCII_CACHE_SIZE = 8192


@lru_cache(maxsize=_ASCII_CACHE_SIZE)
def _ascii_words(name: str) -> tuple[str, ...]:
    tokens = [unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode() for t in words(name)]
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    return tuple(t for t in tokens if t)


def _ascii_key(name: str) -> str:
    return "".join(_ascii_words(name))


def _near_duplicate_entities(entities: Sequence[Entity]) -> list[Discrepancy]:
    blocks: dict[tuple[str, str], list[tuple[Entity, str]]] = defaultdict(list)
    for entity in entities:
        key = _key(entity.name)
        if len(key) >= 3:
            blocks[(entity.type, key[:_BLOCK_PREFIX])].append((entity, key))
    found = []
    for block_key in sorted(blocks):
        members = blocks[block_key]
        for x, (a, key_a) in enumerate(members):
            for b, key_b in members[x + 1 :]:
                discrepancy = _compare_names(a, b, key_a, key_b)
                if discrepancy:
                    found.append(discrepancy)
    return found


def _compare_names(a: Entity, b: Entity, key_a: str, key_b: str) -> Discrepancy | None:
    """(`key_a`, `key_b`: the names' `_key`, read once per entity rather than once per pair)"""
    if key_a == key_b:
        return None
    distance = Levenshtein.distance(key_a, key_b)
    shorter = min(len(key_a), len(key_b))
    if distance > (1 if shorter < _SHORT_NAME else 2) or _possessive_or_plural(key_a, key_b):
        return None
    if set(words(a.name)) < set(words(b.name)) or set(words(b.name)) < set(words(a.name)):
        return None   # "Kim" and "Kim Jong Un" are a short and a full form, not two spellings
    # the spelling more sources use first; between equals the longer (a truncation drops letters)
    major, minor = sorted((a, b), key=lambda e: (-len(e.sources), -len(e.name), -len(e.mentions), e.id))
    variants = [_variant([(m.source, m.paragraph, m.text) for m in e.mentions]) for e in (major, minor)]
    if not _sources_disagree(variants):
        return None
    truncated = key_a.startswith(key_b) or key_b.startswith(key_a)
    score = _MISSPELLING_SCORE if truncated or distance == 1 and shorter < _SHORT_NAME else _TRANSLITERATION_SCORE
    return _name_discrepancy(major.name, variants, score)


def _possessive_or_plural(a: str, b: str) -> bool:
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer.startswith(shorter) and longer[len(shorter):] in ("s", "es")


def _sources_disagree(variants: list[Variant]) -> bool:
    first, second = set(variants[0].sources), {s for v in variants[1:] for s in v.sources}
    return bool(first - second) and bool(second - first)


def _name_discrepancy(name: str, variants: list[Variant], score: float) -> Discrepancy:
    spellings = " / ".join(v.value for v in variants)
    return Discrepancy(
        id=slug(f"name {name}", 60),
        about=f"Spelling of a name: {spellings}",
        variants=tuple(variants),
        kind="name",
        score=score,
    )
