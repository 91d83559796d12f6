"""One group per real entity: every spelling of a name merged, across all sources.

Merges, from the safest to the boldest: the same name written with other spacing or
hyphens, or with "St."/"Mt." spelled out ("Sankt Ansgar", "Saint Ansgar"); transliterations
("Lugansk"/"Luhansk", "Mochovo"/"Mokhovo", and under stricter terms a first vowel,
"Osmonov"/"Usmonov"); a feature's forms ("Lake Teren"/"Teren Lake", "Cyclone Belna"/"Tropical
Storm Belna") and its bare name where it can mean nothing else ("the Orlava"); a person's middle
initial left out; a plural of a place ("the two Koreas"); acronyms with their expansion, also
inside a name ("UN Security Council") and in brackets after an organisation whatever their
letters; an organisation named without its country word, or by some of its words keeping its
head ("the Coastal Defence Board", "Foreign Ministry" for "Ministry of Foreign Affairs"); a
person's partial name ("Putin", "Kim") when it fits one full name; a rare likely misspelling of a
frequent name ("KCN" for "KCNA"), kept apart as a variant spelling worth checking. Two people
who share a surname are never merged: a partial name that fits several is resolved mention by
mention, by the nearest full name the same source gives, or left alone.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations

from rapidfuzz.distance import Levenshtein

from builder.glossary.names import (
    abbreviation_form,
    acronym_definitions,
    capital_initials,
    capitalised_counts,
    choose_referent,
    demonym_places,
    COMPANY_SUFFIXES,
    CONNECTORS,
    LABEL_TYPES,
    NameIndex,
    Occurrence,
    is_all_caps_acronym,
    key_tokens,
    name_key,
    numeral_form,
    romanisation_form,
    same_romanisation,
    spelling_form,
    transliteration_skeleton,
)
from builder.model import Article


# Patterns the functions below use many times, compiled once.
_NEXT_LOWER_WORD = re.compile(r"\s+([a-z]+)")
_WORD_BEFORE_END = re.compile(r"([A-Za-z]+)\.?\s+$")
_THE_AT_END = re.compile(r"\b[Tt]he\s+$")
_DOTTED_INITIALS = re.compile(r"(?:[A-Z]\.){2,}")


@dataclass(frozen=True)
class NameGroup:
    occurrences: tuple[Occurrence, ...]   # sorted by position
    variant_keys: tuple[str, ...] = ()    # name keys merged as likely misspellings


# A misspelling is rare where the right spelling is common: at most this many uses...
_RARE_MAX = 2
# ...against a spelling used at least this many times as often, and at least _COMMON_MIN times.
_COMMON_RATIO = 3
_COMMON_MIN = 3
# Below this length two names one letter apart are as likely different ("Iran"/"Iraq").
_MISSPELLING_MIN_LENGTH = 5
# A name labelled a place at least this many times is a place, whatever person shares it.
_SURE_KIND_COUNT = 2
# Countries' everyday short names that share no word with the full name (general knowledge,
# as a dictionary would give it; applied only where a dossier uses both forms).
_CONVENTIONAL_SHORT_NAMES = {
    "america": "united states",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "holland": "netherlands",
    "burma": "myanmar",
    "czechia": "czech republic",
    "ivory coast": "cote d ivoire",
    "east timor": "timor leste",
    "swaziland": "eswatini",
    "macedonia": "north macedonia",
}
# "Hungarian Republic": formal names of a state built on its demonym.
_STATE_WORDS = frozenset({"federation", "republic", "kingdom", "confederation", "commonwealth"})
# A clipped compound ("Kuzbas") is at least this long, each piece at least _CLIPPED_MIN_PIECE.
_CLIPPED_MIN_LENGTH = 5
_CLIPPED_MIN_PIECE = 2
# Sound-alike skeletons shorter than this are too coarse to merge on.
_SKELETON_MIN = 3
# Names differing in a first vowel are this long at least: "Iran"/"Oran", "Ohio"/"Iowa" are not one.
_VOWEL_VARIANT_MIN_LENGTH = 5
_VOWELS = frozenset("aeiou")
# Words that name a kind of natural feature before or after its own name, by family: names of
# one family are one feature ("Lake Teren", "Teren Lake"). Islands, seas, straits, bays and dams
# are left out: their bare names are as often a town or a country ("Vancouver", "Aral", "Kerch").
_FEATURE_BEFORE = {
    "lake": "lake", "mount": "mountain",
    "hurricane": "storm", "typhoon": "storm", "cyclone": "storm", "storm": "storm",
}
# Words before those that add nothing to which feature it is ("Tropical Storm Belna").
_FEATURE_MODIFIERS = frozenset({"tropical", "super", "severe", "post", "extratropical"})
# The type of each family of features; the rest are places.
_FAMILY_KINDS = {"storm": "EVENT"}
_FEATURE_AFTER = {
    "river": "river", "lake": "lake", "volcano": "mountain", "mountain": "mountain", "valley": "valley",
    "desert": "desert", "glacier": "glacier",
}
# Families whose bare names take "the" ("the Orlava", "the Gobi").
_FEATURE_TAKES_THE = frozenset({"river", "desert"})
_POSSESSIVE = re.compile(r"['’]s\b")
# "(BNPB)" right after a name.
_BRACKETED_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Z0-9.&]{1,9})\s*\)")
# Heads of names that nest one in another as names of different bodies.
_NESTED_NAME_HEADS = frozenset({"party", "union", "alliance", "front", "movement", "league", "bloc", "coalition"})
# Organisations named "Ministry of X" as often as "X Ministry".
_HEAD_FIRST_ORGANISATIONS = frozenset({"ministry", "department", "university"})
# Endings of words for peoples and countries' adjectives ("European", "Chinese", "Turkish").
_DEMONYM_ENDINGS = ("an", "ese", "ish", "ic", "i")
# Characters around a bare name looked at for "the" before it and "river" after it.
_FEATURE_WINDOW = 12


def group_names(
    occurrences: Sequence[Occurrence], articles: Sequence[Article], kinds: dict[str, str | None],
    written: Counter | None = None, reads: list | None = None,
) -> tuple[NameGroup, ...]:
    """Partition the occurrences into groups, one per real entity, sorted by first position.

    kinds: the type each name key has on its own evidence (None: no telling), which keeps
    a city from merging into a person who shares its name; written: `capitalised_counts` of
    the articles' paragraphs, where the caller has it already. reads: a list to note in what
    grouping reads beyond the occurrences' own surroundings (`reads_hold` checks them later):
    ("capitalised", key, count), ("words", source, country words, whether the source has one),
    ("named", pattern, source) (a source searched for a feature's full name)."""
    by_key: dict[str, list[Occurrence]] = {}
    for occurrence in occurrences:
        by_key.setdefault(name_key(occurrence.text), []).append(occurrence)
    kinds = {key: kinds.get(key) for key in by_key}
    sets = _DisjointSets(sorted(by_key))

    capitalised = _capitalised_words(articles, written)
    if reads is not None:
        capitalised = _NotedCounts(capitalised, reads)
    paragraphs = {(a.id, i): p for a in articles for i, p in enumerate(a.paragraphs)}
    sound_alikes = _merge_spellings(sets, kinds, by_key, capitalised)
    _merge_named_features(sets, kinds, by_key, paragraphs, reads)
    _merge_middle_initials(sets, kinds)
    _merge_plurals(sets, kinds)
    _merge_formal_state_names(sets, kinds)
    _merge_conventional_short_names(sets)
    _merge_clipped_compounds(sets, kinds)
    _merge_acronyms(sets, kinds, articles, by_key)
    _merge_acronyms_inside_names(sets, kinds, by_key)
    acronyms = {k for k, occ in by_key.items() if all(is_all_caps_acronym(o.text) for o in occ)}
    _merge_short_organisation_names(sets, kinds, acronyms)
    _merge_national_qualifiers(sets, kinds, by_key, articles, reads)
    _merge_abridged_organisation_names(sets, kinds, acronyms, by_key)
    ambiguous = _merge_partial_names(sets, kinds, acronyms, by_key)
    variants = _merge_misspellings(sets, kinds, by_key)
    variants |= _unexplained_sound_alikes(sound_alikes, by_key, capitalised)

    members: dict[str, list[Occurrence]] = {}
    member_keys: dict[str, set[str]] = {}   # the keys of each root's occurrences
    for key, occ in by_key.items():
        if key in ambiguous:
            continue
        members.setdefault(sets.find(key), []).extend(occ)
        member_keys.setdefault(sets.find(key), set()).add(key)
    for key, targets in sorted(ambiguous.items()):
        for occurrence in by_key[key]:
            roots = {sets.find(t) for t in targets}
            where = (occurrence.source, occurrence.paragraph, occurrence.start)
            candidates = {root: members.get(root, []) for root in roots}
            root = choose_referent(occurrence.text, where, candidates, paragraphs) or sets.find(key)
            members.setdefault(root, []).append(occurrence)
            member_keys.setdefault(root, set()).add(key)

    groups = []
    for root, occ in members.items():
        keys = member_keys[root]
        occ_sorted = tuple(sorted(occ, key=_position))
        groups.append(NameGroup(occ_sorted, tuple(sorted(keys & variants))))
    return tuple(sorted(groups, key=lambda g: _position(g.occurrences[0])))


def _position(o: Occurrence) -> tuple[str, int, int, int]:
    return (o.source, o.paragraph, o.start, o.end)


class _DisjointSets:
    def __init__(self, keys: Sequence[str]):
        self._parent = {k: k for k in keys}

    def find(self, key: str) -> str:
        while self._parent[key] != key:
            self._parent[key] = self._parent[self._parent[key]]
            key = self._parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller key as root keeps the result independent of merge order.
            low, high = sorted((ra, rb))
            self._parent[high] = low

    def keys(self) -> list[str]:
        return sorted(self._parent)


def _compatible(a: str | None, b: str | None) -> bool:
    """Kinds that may name one entity: equal, unknown, or PERSON/ORG (the model confuses them)."""
    return a is None or b is None or a == b or {a, b} == {"PERSON", "ORG"}


def _merge_spellings(
    sets: _DisjointSets, kinds: dict[str, str | None], by_key: dict[str, list[Occurrence]], capitalised: Counter
) -> list[tuple[str, str]]:
    """Merge spacing, numeral and transliteration variants; return the sound-alike pairs."""
    by_form: dict[tuple[str, str], list[str]] = {}
    for key in sets.keys():
        by_form.setdefault(("compact", key.replace(" ", "")), []).append(key)
        by_form.setdefault(("numeral", numeral_form(key)), []).append(key)
        by_form.setdefault(("abbreviation", abbreviation_form(key)), []).append(key)
        readings = {transliteration_skeleton(key, qaf, ch) for qaf in ("k", "h") for ch in ("s", "h")}
        for skeleton in sorted(readings):
            if len(skeleton.replace(" ", "")) >= _SKELETON_MIN:
                by_form.setdefault(("sound", skeleton), []).append(key)
    sound_alikes = []
    for (how, _), keys in sorted(by_form.items()):
        for other in keys[1:]:
            if how != "sound":
                sets.union(keys[0], other)
            elif _compatible(kinds[keys[0]], kinds[other]) and not _distinct_lengthening(keys[0], other, by_key, capitalised):
                sets.union(keys[0], other)
                sound_alikes.append((keys[0], other))
    return sound_alikes + _merge_initial_vowel_variants(sets, kinds, by_key)


def _merge_initial_vowel_variants(
    sets: _DisjointSets, kinds: dict[str, str | None], by_key: dict[str, list[Occurrence]]
) -> list[tuple[str, str]]:
    """ "Ishkashim"/"Eshkashem", "Usmonov"/"Osmonov": romanisations differ in a name's first vowel
    too, which the sound-alike form keeps (it tells "Iran" from "Oran"). So first vowels are
    forgiven only under stricter terms: as long a name, letter for letter, of one kind, never
    both in one source (a writer keeps to one spelling), and a person only with a first name."""
    by_form: dict[str, list[str]] = {}
    for key in sets.keys():
        tokens = transliteration_skeleton(key).split()
        if any(t[:1] in _VOWELS for t in tokens):
            by_form.setdefault(" ".join("V" + t[1:] if t[:1] in _VOWELS else t for t in tokens), []).append(key)
    pairs = []
    for _, keys in sorted(by_form.items()):
        for a, b in combinations(keys, 2):
            if sets.find(a) != sets.find(b) and _vowel_variants(a, b, kinds, by_key):
                sets.union(a, b)
                pairs.append((a, b))
    return pairs


def _vowel_variants(a: str, b: str, kinds: dict[str, str | None], by_key: dict[str, list[Occurrence]]) -> bool:
    if not _compatible(kinds[a], kinds[b]) or None in (kinds[a], kinds[b]):
        return False
    if "PERSON" in (kinds[a], kinds[b]) and min(len(key_tokens(a)), len(key_tokens(b))) < 2:
        return False   # "Osman" and "Usman" alone may be two people
    form_a, form_b = romanisation_form(a), romanisation_form(b)
    if len(form_a) != len(form_b) or len(form_a) < _VOWEL_VARIANT_MIN_LENGTH:
        return False
    return not {o.source for o in by_key[a]} & {o.source for o in by_key[b]}


def _distinct_lengthening(a: str, b: str, by_key: dict[str, list[Occurrence]], capitalised: Counter) -> bool:
    """ "Niger" and "Nigeria", "Roman" and "Romania" sound alike but one only adds an ending:
    two names, unless one is written once against a last word written more often (a slip,
    "Kotika" once beside "Kotick")."""
    form_a, form_b = romanisation_form(a), romanisation_form(b)
    short, long = sorted((form_a, form_b), key=len)
    if short == long or not long.startswith(short):
        return False
    support = {k: capitalised[key_tokens(k)[-1]] for k in (a, b)}
    once = [k for k in (a, b) if len(by_key[k]) == 1 and support[k] < support[b if k == a else a]]
    return not once


def _unexplained_sound_alikes(
    pairs: list[tuple[str, str]], by_key: dict[str, list[Occurrence]], capitalised: Counter
) -> set[str]:
    """A rare sound-alike that no romanisation habit explains ("Kotika" for a name written
    "Kotick" more often, unlike "Lugansk"/"Luhansk") is flagged as worth checking."""
    flagged = set()
    for a, b in pairs:
        if same_romanisation(a, b):
            continue
        # How often the dossier writes each spelling's last word ("Kotick" alone counts too).
        support = {k: capitalised[key_tokens(k)[-1]] for k in (a, b)}
        rare, common = sorted((a, b), key=lambda k: (support[k], k))
        if _is_rare(rare, by_key) and support[common] > support[rare]:
            flagged.add(rare)
    return flagged


class _NotedCounts(Counter):
    """Counts that note each one looked up in `reads`, as ("capitalised", key, count)."""

    def __init__(self, counts: Counter, reads: list):
        super().__init__(counts)
        self._reads = reads

    def __getitem__(self, key: str) -> int:
        count = super().__getitem__(key)
        self._reads.append(("capitalised", key, count))
        return count


def _capitalised_words(articles: Sequence[Article], written: Counter | None) -> Counter:
    if written is None:
        written = capitalised_counts(p for a in articles for p in a.paragraphs)
    counts: Counter = Counter()
    for word, n in written.items():   # each spelling's key made once
        counts[name_key(word)] += n
    return counts


def _is_rare(key: str, by_key: dict[str, list[Occurrence]]) -> bool:
    return len(by_key[key]) <= _RARE_MAX and len({o.source for o in by_key[key]}) == 1


def _merge_short_organisation_names(sets: _DisjointSets, kinds: dict[str, str | None], acronyms: set[str]) -> None:
    """ "Ubisoft" for "Ubisoft Entertainment", "Activision" for "Activision Blizzard": an
    organisation named by its first word(s), when that fits one organisation only."""
    keys = sets.keys()
    by_first_word = _index(k for k in keys if kinds[k] == "ORG" and len(key_tokens(k)) >= 2)
    # A word of a person's full name alone is that person; any other word the model took for
    # a person may be a firm named for its founder ("Brookfield" for Brookfield Asset Management).
    people_words = {t for k in keys if kinds[k] == "PERSON" and len(key_tokens(k)) >= 2 for t in key_tokens(k)}
    for key in keys:
        if key in acronyms or kinds[key] == "PERSON" and (len(key_tokens(key)) > 1 or key in people_words):
            continue
        tokens = key_tokens(key)
        fits = [o for o in by_first_word.get(tokens[0], []) if key_tokens(o)[: len(tokens)] == tokens and o != key]
        if len({sets.find(o) for o in fits}) != 1:
            continue
        rest = key_tokens(fits[0])[len(tokens):]
        if all(t in COMPANY_SUFFIXES for t in rest) or kinds[key] in ("ORG", "PERSON", None):
            sets.union(key, fits[0])


def _merge_national_qualifiers(
    sets: _DisjointSets, kinds: dict[str, str | None], by_key: dict[str, list[Occurrence]], articles: Sequence[Article],
    reads: list | None = None,
) -> None:
    """ "Institute of Volcanology" for the "Chilean Institute of Volcanology", "Defence Ministry"
    for the "Russian Defence Ministry": an organisation named without the country word that
    opens its full name, when that fits one organisation only and every source that uses the
    short name speaks of that country (a source about another country means its own)."""
    keys = sets.keys()
    places = {k for k in keys if kinds[k] == "PLACE"}
    one_word_places = NameIndex(k for k in places if " " not in k)
    by_rest: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for key in keys:
        tokens = key_tokens(key)
        if kinds[key] != "ORG" or len(tokens) < 3:
            continue
        country = {tokens[0]} & places | set(demonym_places(tokens[0], one_word_places))
        if country:
            by_rest.setdefault(" ".join(tokens[1:]), []).append((key, frozenset(country | {tokens[0]})))
    words_in = _WordsBySource(articles)
    for key in keys:
        fits = by_rest.get(key, [])
        if kinds[key] not in ("ORG", None) or len({sets.find(f) for f, _ in fits}) != 1:
            continue
        full, country = fits[0]
        if all(_speaks_of(country, o.source, words_in, reads) for o in by_key[key]):
            sets.union(key, full)


def _speaks_of(country: frozenset[str], source: str, words_in: _WordsBySource, reads: list | None) -> bool:
    found = bool(country & words_in.of(source))
    if reads is not None:
        reads.append(("words", source, country, found))
    return found


def _merge_abridged_organisation_names(
    sets: _DisjointSets, kinds: dict[str, str | None], acronyms: set[str], by_key: dict[str, list[Occurrence]]
) -> None:
    """ "the National Defence Agency" or "the Defence Agency" for the "National Flood and Defence
    Agency", "Foreign Ministry" for the "Ministry of Foreign Affairs": an organisation named by some
    of its words in order, keeping the word that says what it is, when that fits one organisation
    only. A country word is never dropped from the front ("Central Bank" is not the "European
    Central Bank"): a source may mean its own country's."""
    keys = sets.keys()
    places = {k for k in keys if kinds[k] == "PLACE"}
    full_names = [(k, _head_last(key_tokens(k))) for k in keys if kinds[k] == "ORG" and len(key_tokens(k)) >= 2]
    # By head word and each other word: a short name's full one has its head and its first word,
    # so only those are compared (thousands of organisations share "ministry" or "company").
    by_head_and_word: dict[tuple[str, str], list[tuple[str, tuple[str, ...]]]] = {}
    for key, tokens in full_names:
        # "International Committee of the Red Cross" is a committee: "Red Cross" is not its short name.
        head = tokens[tokens.index("of", 1) - 1] if "of" in tokens[1:-1] else tokens[-1]
        for word in sorted(set(tokens)):
            by_head_and_word.setdefault((head, word), []).append((key, tokens))
    # Longest first: "National Defence Agency" joins its full name before "Defence Agency" asks
    # which organisations it could be.
    for key in sorted(keys, key=lambda k: (-len(key_tokens(k)), k)):
        tokens = _head_last(key_tokens(key))
        if key in acronyms or kinds[key] not in ("ORG", None) or len(tokens) < 2:
            continue
        fits = [
            (full, full_tokens) for full, full_tokens in by_head_and_word.get((tokens[-1], tokens[0]), [])
            if full != key and _abridges(tokens, full_tokens, places)
        ]
        if len({sets.find(f) for f, _ in fits}) != 1:
            continue
        full, full_tokens = fits[0]
        # Parties and alliances nest their names ("Democratic Party" beside the "Liberal Democratic
        # Party"): without its first word such a name is the longer one's only where each source
        # using it names the longer one too.
        nested = tokens[-1] in _NESTED_NAME_HEADS and tokens[0] != full_tokens[0]
        if not nested or {o.source for o in by_key[key]} <= _sources_of(sets.find(full), sets, by_key):
            sets.union(key, full)


def _sources_of(root: str, sets: _DisjointSets, by_key: dict[str, list[Occurrence]]) -> set[str]:
    return {o.source for key in sets.keys() if sets.find(key) == root for o in by_key[key]}


def _head_last(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """ "ministry of foreign affairs" -> "foreign affairs ministry": the order "X Ministry" is written in."""
    if len(tokens) >= 3 and tokens[0] in _HEAD_FIRST_ORGANISATIONS and tokens[1] == "of":
        rest = tokens[3:] if tokens[2] == "the" else tokens[2:]
        return rest + tokens[:1]
    return tokens


def _abridges(short: tuple[str, ...], full: tuple[str, ...], places: set[str]) -> bool:
    """Whether the short name is the full one's words in order, with its last word; words
    dropped before the short name's first word name no country ("Russian", "Chile")."""
    if short == full:
        return True
    if len(short) >= len(full):
        return False
    rest = iter(enumerate(full))
    positions = [next((i for i, t in rest if t == word), None) for word in short]
    if None in positions:
        return False
    return not any(w in places or w.endswith(_DEMONYM_ENDINGS) for w in full[:positions[0]])


class _WordsBySource:
    """Each source's words as name keys, to ask whether a source speaks of a place at all;
    read from a source when first asked about it (few sources ever are)."""

    def __init__(self, articles: Sequence[Article]):
        self._articles: dict[str, list[Article]] = {}
        for article in articles:
            self._articles.setdefault(article.id, []).append(article)
        self._words: dict[str, set[str]] = {}

    def of(self, source: str) -> set[str]:
        if source not in self._words:
            self._words[source] = words = set()
            for paragraph in (p for a in self._articles.get(source, ()) for p in a.paragraphs):
                words.update(name_key(_POSSESSIVE.sub("", paragraph)).split())   # "Denmark's" speaks of Denmark
        return self._words[source]


def _index(keys, every_word: bool = False) -> dict[str, list[str]]:
    """Keys by their first word (or by each of their words), to look up candidates fast."""
    index: dict[str, list[str]] = {}
    for key in sorted(keys):
        for word in sorted(set(key_tokens(key))) if every_word else key_tokens(key)[:1]:
            index.setdefault(word, []).append(key)
    return index


def _merge_middle_initials(sets: _DisjointSets, kinds: dict[str, str | None]) -> None:
    """ "Ingrid M. Solberg" is "Ingrid Solberg": a person's middle initials left out; unless the
    dossier gives two sets of initials for the name ("George H. W. Bush", "George W. Bush")."""
    by_form: dict[str, list[str]] = {}
    for key in sets.keys():
        if kinds[key] in ("PERSON", None):
            by_form.setdefault(_without_middle_initials(key), []).append(key)
    for form, keys in sorted(by_form.items()):
        initials = {key for key in keys if key != form}
        if len(initials) == 1 and form in keys and "PERSON" in (kinds[form], kinds[next(iter(initials))]):
            sets.union(form, next(iter(initials)))


def _without_middle_initials(key: str) -> str:
    tokens = key_tokens(key)
    if len(tokens) < 3 or len(tokens[0]) < 2 or len(tokens[-1]) < 2:
        return key
    return " ".join(tokens[:1] + tuple(t for t in tokens[1:-1] if len(t) > 1) + tokens[-1:])


def _merge_named_features(
    sets: _DisjointSets, kinds: dict[str, str | None], by_key: dict[str, list[Occurrence]], paragraphs,
    reads: list | None = None,
) -> None:
    """ "Lake Teren" and "Teren Lake", "Mount Korvet" and "Korvet volcano" are one place, "Cyclone
    Belna" and "Tropical Storm Belna" one storm; so is the bare "Orlava" of a dossier about the
    "Orlava River" (or "Belna" of one about the cyclone), where the bare name can mean nothing else:
    one kind of feature bears it, no other name holds the word, and each bare use reads as the
    feature's ("the Orlava", "the Orlava river", or after the source named the river, unless the
    model took that use for a country or town: "Mount Kenya" does not make "Kenya" a mountain)."""
    by_stem: dict[str, list[tuple[str, str]]] = {}
    for key in sets.keys():
        feature = _named_feature(key)
        if feature and kinds[key] in (_FAMILY_KINDS.get(feature[1], "PLACE"), None):
            by_stem.setdefault(feature[0], []).append((feature[1], key))
    words_elsewhere = Counter(t for key in sets.keys() for t in set(key_tokens(key)))
    by_source = cache(lambda: _paragraphs_by_source(paragraphs))   # made once, if needed
    for stem, forms in sorted(by_stem.items()):
        by_family: dict[str, list[str]] = {}
        for family, key in forms:
            by_family.setdefault(family, []).append(key)
            sets.union(by_family[family][0], key)
        if stem not in by_key or " " in stem or words_elsewhere[stem] - len(forms) > 1:
            continue   # "Anna Orlava" or "Orlava Airlines": the bare name is not the feature's alone
        for family, keys in sorted(by_family.items()):
            if _bare_name_is_feature(by_key[stem], family, keys, len(by_family) == 1, by_key, paragraphs, by_source, reads):
                sets.union(stem, keys[0])


def _bare_name_is_feature(
    bare: list[Occurrence], family: str, keys: list[str], only_family: bool, by_key: dict[str, list[Occurrence]],
    paragraphs, by_source: Callable[[], dict[str, list[tuple[int, str]]]], reads: list | None = None,
) -> bool:
    """Whether every bare use reads as the feature's. Where features of several kinds share the
    name ("Tondano River", "Lake Tondano"), only the feature word after each use tells."""
    described = [o for o in bare if _described_as(o, family, paragraphs)]
    if not only_family:
        return len(described) == len(bare)
    # Where the sources write the feature's full name, found in the text: the model may have missed it.
    spellings = {" ".join(o.text.split()) for key in keys for o in by_key[key]}
    full_name = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(s) for s in sorted(spellings)) + r")(?![\w-])")
    sources = {o.source for o in bare}
    if reads is not None:
        reads.extend(("named", full_name, source) for source in sorted(sources))
    named = [(o.source, o.paragraph, o.start) for o in described] + [
        (source, index, match.start())
        for source in sorted(sources)
        for index, text in by_source().get(source, ())
        for match in full_name.finditer(text)
    ]
    return all(o in described or _reads_as_feature(o, family, named, paragraphs) for o in bare)


def _paragraphs_by_source(paragraphs: dict[tuple[str, int], str]) -> dict[str, list[tuple[int, str]]]:
    """Each source's (index, paragraph), in order."""
    found: dict[str, list[tuple[int, str]]] = {}
    for (source, index), text in sorted(paragraphs.items()):
        found.setdefault(source, []).append((index, text))
    return found


def _named_feature(key: str) -> tuple[str, str] | None:
    """(stem, family) of a feature's name: "lake teren" and "teren lake" -> ("teren", "lake")."""
    tokens = key_tokens(abbreviation_form(key))
    if len(tokens) >= 3 and tokens[0] in _FEATURE_MODIFIERS and tokens[1] in _FEATURE_BEFORE:
        tokens = tokens[1:]   # "tropical storm belna"
    if len(tokens) < 2:
        return None
    if tokens[0] in _FEATURE_BEFORE:
        return " ".join(tokens[1:]), _FEATURE_BEFORE[tokens[0]]
    if tokens[-1] in _FEATURE_AFTER:
        return " ".join(tokens[:-1]), _FEATURE_AFTER[tokens[-1]]
    return None


def _described_as(occurrence: Occurrence, family: str, paragraphs) -> bool:
    """ "the Orlava river", "Korvet volcano", or "Mount" before a bare "Korvet" the model labelled:
    the bare name with its feature word."""
    text = paragraphs[(occurrence.source, occurrence.paragraph)]
    following = _NEXT_LOWER_WORD.match(text[occurrence.end:occurrence.end + _FEATURE_WINDOW])
    if following and _FEATURE_AFTER.get(following.group(1)) == family:
        return True
    preceding = _WORD_BEFORE_END.search(text[max(0, occurrence.start - _FEATURE_WINDOW):occurrence.start])
    word = abbreviation_form(preceding.group(1).casefold() + " x").split()[0] if preceding else ""
    return _FEATURE_BEFORE.get(word) == family


def _reads_as_feature(occurrence: Occurrence, family: str, named: list[tuple[str, int, int]], paragraphs) -> bool:
    """A bare name reads as the feature's after "the" (rivers take it, countries and towns do
    not), or once its source has named the feature, unless the model took it for a country or town."""
    text = paragraphs[(occurrence.source, occurrence.paragraph)]
    before = text[max(0, occurrence.start - _FEATURE_WINDOW):occurrence.start]
    if family in _FEATURE_TAKES_THE and _THE_AT_END.search(before):
        return True
    if occurrence.label == "GPE":
        return False
    here = (occurrence.paragraph, occurrence.start)
    return any(source == occurrence.source and (index, start) < here for source, index, start in named)


def _merge_plurals(sets: _DisjointSets, kinds: dict[str, str | None]) -> None:
    """ "the two Koreas" names Korea."""
    for key in sets.keys():
        singular = key[:-1]
        if key.endswith("s") and singular in kinds and kinds[singular] not in ("PERSON", None):
            if _compatible(kinds[key], kinds[singular]):
                sets.union(key, singular)


def _merge_formal_state_names(sets: _DisjointSets, kinds: dict[str, str | None]) -> None:
    """ "Hungarian Republic" is Hungary, "Mexican Republic" Mexico... only where the demonym leads
    back to one place the dossier names."""
    places = NameIndex(k for k in sets.keys() if kinds[k] == "PLACE" and " " not in k)
    for key in sets.keys():
        tokens = key_tokens(key)
        if len(tokens) == 2 and tokens[1] in _STATE_WORDS and kinds[key] in ("PLACE", None):
            origin = demonym_places(tokens[0], places)
            if len(origin) == 1:
                sets.union(key, origin[0])


def _merge_conventional_short_names(sets: _DisjointSets) -> None:
    """ "Britain" for the United Kingdom: short names no spelling rule can derive."""
    keys = set(sets.keys())
    for short, full in sorted(_CONVENTIONAL_SHORT_NAMES.items()):
        if short in keys and full in keys:
            sets.union(short, full)


def _merge_clipped_compounds(sets: _DisjointSets, kinds: dict[str, str | None]) -> None:
    """ "Kuzbas" for "Kuznetsk Basin", "Benelux" for "Belgium Netherlands Luxembourg": a word made of the
    first letters of each word of a longer name the dossier gives."""
    # Names by how their first and second words start: a word clipped from one starts as the
    # first word does, and has the second word's start after its first piece.
    by_starts: dict[tuple[str, str], set[str]] = {}
    for name in sets.keys():
        tokens = key_tokens(name)
        if 2 <= len(tokens) <= 4:
            by_starts.setdefault((name[:_CLIPPED_MIN_PIECE], tokens[1][:_CLIPPED_MIN_PIECE]), set()).add(name)
    for key in sets.keys():
        if " " in key or len(key) < _CLIPPED_MIN_LENGTH:
            continue
        start = key[:_CLIPPED_MIN_PIECE]
        near = set().union(*(
            by_starts.get((start, key[i:i + _CLIPPED_MIN_PIECE]), ())
            for i in range(_CLIPPED_MIN_PIECE, len(key) - _CLIPPED_MIN_PIECE + 1)
        ))
        fits = [n for n in sorted(near) if _is_clipped(key, key_tokens(n)) and _compatible(kinds[key], kinds[n])]
        if len({sets.find(n) for n in fits}) == 1:
            sets.union(key, fits[0])


def _is_clipped(word: str, tokens: tuple[str, ...]) -> bool:
    """Whether the word is a start of each token in turn ("don" + "bas")."""
    if not tokens:
        return word == ""
    head, rest = tokens[0], tokens[1:]
    return any(
        word[:length] == head[:length] and _is_clipped(word[length:], rest)
        for length in range(min(len(head), len(word)), _CLIPPED_MIN_PIECE - 1, -1)
    )


def _merge_acronyms(
    sets: _DisjointSets, kinds: dict[str, str | None], articles: Sequence[Article], by_key: dict[str, list[Occurrence]]
) -> None:
    keys = sets.keys()
    for long_key, short_key in _defined_acronyms(articles) + _bracketed_acronyms(kinds, by_key, articles):
        if long_key in kinds and short_key in kinds:
            sets.union(long_key, short_key)
    expansions: dict[str, list[str]] = {}
    for key in keys:
        if len(key_tokens(key)) < 2:
            continue
        surfaces = sorted({" ".join(o.text.split()) for o in by_key[key]})
        for initials in sorted({_initials(key)} | {capital_initials(s) for s in surfaces}):
            if len(initials) >= 2:
                expansions.setdefault(initials, []).append(key)
    for key in keys:
        compact = key.replace(" ", "")
        if len(key_tokens(key)) != 1 or compact not in expansions:
            continue
        targets = {sets.find(k) for k in expansions[compact]}
        if len(targets) == 1 and _looks_like_acronym(key, kinds):
            sets.union(key, expansions[compact][0])


def _merge_acronyms_inside_names(
    sets: _DisjointSets, kinds: dict[str, str | None], by_key: dict[str, list[Occurrence]]
) -> None:
    """ "UN Security Council" is the "United Nations Security Council": a name with an acronym
    for some of its words, the rest alike, when the words' initials spell the acronym."""
    by_last: dict[str, list[str]] = {}
    for key in sets.keys():
        if len(key_tokens(key)) >= 2:
            by_last.setdefault(key_tokens(key)[-1], []).append(key)
    for key in sets.keys():
        tokens = key_tokens(key)
        acronyms = {
            name_key(word) for text in {o.text for o in by_key[key]} for word in text.split()
            if is_all_caps_acronym(word) and word.rstrip(".").isalpha() or _DOTTED_INITIALS.fullmatch(word)
        }
        for i, token in enumerate(tokens):
            if token not in acronyms or len(tokens) < 2:
                continue
            fits = [
                other for other in by_last.get(tokens[-1], [])
                if other != key and _compatible(kinds[key], kinds[other]) and _expands(tokens, i, key_tokens(other))
            ]
            if len({sets.find(f) for f in fits}) == 1:
                sets.union(key, fits[0])


def _expands(tokens: tuple[str, ...], at: int, other: tuple[str, ...]) -> bool:
    """Whether `other` is `tokens` with the acronym at `at` written out."""
    head, tail = tokens[:at], tokens[at + 1:]
    if other[:len(head)] != head or (tail and other[-len(tail):] != tail):
        return False
    middle = other[len(head):len(other) - len(tail)]
    return len(middle) >= 2 and "".join(t[0] for t in middle if t not in CONNECTORS) == tokens[at]


def _looks_like_acronym(key: str, kinds: dict[str, str | None]) -> bool:
    # Keys are case-folded; an acronym key is short and the model saw it as a name.
    return 2 <= len(key) <= 6 and key[0].isalpha() and key.isalnum() and kinds.get(key) is not None   # "g20" too


def _initials(key: str) -> str:
    """ "group of seven" -> "g7" (as numeral_form writes it), "group of 20" -> "g20": a number is
    kept whole."""
    return "".join(t if t.isdigit() else t[0] for t in key_tokens(numeral_form(key)) if t not in CONNECTORS)


def _bracketed_acronyms(
    kinds: dict[str, str | None], by_key: dict[str, list[Occurrence]], articles: Sequence[Article]
) -> list[tuple[str, str]]:
    """ "the National Disaster Mitigation Agency (BNPB)": an organisation's own acronym in its own
    language need not share its English initials; the brackets right after a name the model
    took for an organisation still equate them."""
    paragraphs = {(a.id, i): p for a in articles for i, p in enumerate(a.paragraphs)}
    pairs = set()
    for key, occurrences in by_key.items():
        if kinds[key] != "ORG" or len(key_tokens(key)) < 2:
            continue
        for o in occurrences:
            bracket = _BRACKETED_ACRONYM.match(paragraphs.get((o.source, o.paragraph), ""), o.end)
            if bracket and is_all_caps_acronym(bracket.group(1)):
                pairs.add((key, name_key(bracket.group(1))))
    return sorted(pairs)


def _defined_acronyms(articles: Sequence[Article]) -> list[tuple[str, str]]:
    """ "Competition and Markets Authority (CMA)": the writer states the expansion."""
    pairs = set()
    for article in articles:
        for paragraph in article.paragraphs:
            for d in acronym_definitions(paragraph):
                long_name = paragraph[d.long_start:d.long_end]
                pairs.add((name_key(long_name), name_key(paragraph[d.short_start:d.short_end])))
    return sorted(pairs)


def _merge_partial_names(
    sets: _DisjointSets, kinds: dict[str, str | None], acronyms: set[str], by_key: dict[str, list[Occurrence]]
) -> dict[str, list[str]]:
    """Merge a partial person name into the one full name it fits; return the ambiguous ones
    (fitting several people) with their candidates, to resolve mention by mention."""
    keys = sets.keys()
    people_by_word = _index((k for k in keys if kinds[k] == "PERSON" and len(key_tokens(k)) >= 2), every_word=True)
    ambiguous: dict[str, list[str]] = {}
    for key in keys:
        if key in acronyms:
            continue   # "UN" is not the "Un" of Kim Jong Un
        tokens = key_tokens(key)
        people = people_by_word.get(tokens[0], [])
        fits = [p for p in people if p != key and _is_partial(tokens, key_tokens(p))]
        if kinds[key] in ("PLACE", "EVENT", "ORG") and not _follows_in_its_source(by_key[key], fits, by_key):
            continue   # "Washington" the city is not George Washington, "Tesla" the firm not Nikola Tesla
        roots = sorted({sets.find(p) for p in fits})
        if len(roots) == 1:
            sets.union(key, fits[0])
        elif len(roots) > 1:
            ambiguous[key] = sorted(fits)
    return ambiguous


def _follows_in_its_source(
    occurrences: list[Occurrence], people: list[str], by_key: dict[str, list[Occurrence]]
) -> bool:
    """A surname the model took for a place ("Biden and Trong agreed") is still the person
    when it is used once, after the same article gave the full name."""
    if len(occurrences) >= _SURE_KIND_COUNT:
        return False
    [short] = occurrences
    return any(
        o.source == short.source and (o.paragraph, o.start) < (short.paragraph, short.start)
        for person in people
        for o in by_key[person]
    )


def _is_partial(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """ "Putin" of "Vladimir Putin", "Kim" of "Kim Jong Un", "Kang Sun" of "Kang Sun Nam",
    "Lula" of "Luiz Inacio Lula da Silva": a run of the full name's words, not only small ones."""
    n = len(short)
    if not short or n >= len(full) or all(len(t) < 2 or t in CONNECTORS for t in short):
        return False
    return any(full[i:i + n] == short for i in range(len(full) - n + 1))


def _merge_misspellings(
    sets: _DisjointSets, kinds: dict[str, str | None], by_key: dict[str, list[Occurrence]]
) -> set[str]:
    """Merge a rare spelling into a common one a letter away; return the rare keys."""
    counts = {k: len(v) for k, v in by_key.items()}
    sources = {k: {o.source for o in v} for k, v in by_key.items()}
    group_sizes = Counter(sets.find(k) for k in counts)
    # Only these can be the right spelling of a slip: frequent names, and acronyms one
    # letter longer than the slip (looked up by their first letters).
    frequent = sorted((k for k in counts if counts[k] >= _COMMON_MIN), key=lambda k: (-counts[k], k))
    longer_by_one: dict[str, list[str]] = {}
    for key in counts:
        if " " not in key:
            longer_by_one.setdefault(key[:-1], []).append(key)
    near_frequent = _OneEditIndex(frequent)
    rank = {key: i for i, key in enumerate(frequent)}
    variants = set()
    for rare in sorted(counts):
        # A spelling already merged with another is a known variant, not a slip.
        if not _is_rare(rare, by_key) or group_sizes[sets.find(rare)] > 1:
            continue
        longer = sorted(longer_by_one.get(rare, []))
        # Of the frequent names, only those a letter off or an acronym a letter longer can be
        # the right spelling: the rest are left out unasked, in the order they come.
        possible = (near_frequent.near(rare) if _may_be_one_letter_off(rare) else set()) | set(longer)
        candidates = sorted((k for k in possible if k in rank), key=rank.__getitem__) + longer
        for common in _common_spellings(rare, candidates, counts, kinds, sources)[:1]:
            sets.union(rare, common)
            variants.add(rare)
    return variants


def _common_spellings(
    rare: str, candidates: list[str], counts: dict[str, int], kinds: dict[str, str | None], sources: dict[str, set[str]]
) -> list[str]:
    found = []
    for common in candidates:
        if common == rare or not _compatible(kinds[rare], kinds[common]):
            continue
        frequent = counts[common] >= max(_COMMON_MIN, _COMMON_RATIO * counts[rare])
        if _one_letter_off(rare, common) and frequent:
            found.append(common)
        # A truncated acronym may be as rare as the right one; a source that never writes
        # the full acronym is taken to have cut it short.
        elif _is_truncated_acronym(rare, common) and not sources[rare] & sources[common]:
            found.append(common)
    return found


def _is_truncated_acronym(rare: str, common: str) -> bool:
    """ "KCN" for "KCNA"."""
    return (
        " " not in rare + common
        and len(rare) >= 3
        and len(common) == len(rare) + 1
        and common.startswith(rare)
        and len(common) <= 6
    )


def _may_be_one_letter_off(rare: str) -> bool:
    return len(key_tokens(rare)) == 1 and len(rare) >= _MISSPELLING_MIN_LENGTH


def _one_letter_off(rare: str, common: str) -> bool:
    """ "Kotika" for "Kotick": one letter apart once c/k and doubled letters are forgiven,
    compared with the whole name or its last word (a surname)."""
    if not _may_be_one_letter_off(rare):
        return False
    return any(
        len(form) >= _MISSPELLING_MIN_LENGTH and Levenshtein.distance(spelling_form(rare), spelling_form(form)) <= 1
        for form in _compared_forms(common)
        if form != rare
    )


def _compared_forms(common: str) -> set[str]:
    return {common, key_tokens(common)[-1]}


class _OneEditIndex:
    """Names by the spelling forms of their compared forms with one letter deleted, or none:
    two forms one edit apart share one of these, so a name's possible misspellings are found
    without comparing it with every name."""

    def __init__(self, names: Sequence[str]):
        self._by_variant: dict[str, set[str]] = {}
        for name in names:
            for form in _compared_forms(name):
                if len(form) >= _MISSPELLING_MIN_LENGTH:
                    for variant in _deletions(spelling_form(form)):
                        self._by_variant.setdefault(variant, set()).add(name)

    def near(self, word: str) -> set[str]:
        """Every name with a compared form that may be one edit from the word's spelling form."""
        found: set[str] = set()
        for variant in _deletions(spelling_form(word)):
            found |= self._by_variant.get(variant, set())
        return found


def _deletions(form: str) -> set[str]:
    """The form and the form less any one of its letters."""
    return {form} | {form[:i] + form[i + 1:] for i in range(len(form))}
