"""From the recogniser's raw spans to clean name occurrences.

The model's spans carry noise a glossary must not show: a leading "the", a possessive
"'s", a headline run together ("Putin Wishes North Korea"), demonyms tagged as places
("Ukrainian"), capitalised common words ("Defense"), and names from boilerplate that the
cleaner let through (a photo credit, a shouting promo, an agency credited after a dateline).
Each rule below removes one kind. A few add what the model missed: the places of a wire
dateline, a name listed beside a place, a name only ever written before an event noun
("the Spitak earthquake"). Others mend names the model cut short: inside a hyphenated word
("... Co" of "... Co-operation Council"), inside a person's particles ("Ursula von der" +
"Leyen"), before the head word of a place named after a person ("... International Airport"),
or at the "and" of an organisation of two things ("Centre for Volcanology and ...").
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence, Set
from functools import cache
from itertools import takewhile
from operator import itemgetter
from typing import NamedTuple

from builder.dates import MONTHS
from builder.glossary.names import (
    acronym_definitions,
    CONNECTORS,
    Definition,
    demonym_places,
    NAME_LABELS,
    NameIndex,
    Occurrence,
    WordStarts,
    is_common_word,
    key_tokens,
    looks_like_boilerplate,
    lowercase_counts,
    name_key,
    words,
)
from builder.model import Article

# Titles written before a name that are not part of it.
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "mx"})
# A describing noun capitalised only because it starts the sentence ("Chipmaker Broadcom").
_SENTENCE_START_DESCRIPTION = re.compile(
    r"(?:chipmaker|automaker|carmaker|drugmaker|retailer|lender|insurer|broadcaster|newspaper|"
    r"regulator|watchdog|publisher|airline|carrier|conglomerate|startup|rival|giant)\s+(?=[A-Z])",
    re.IGNORECASE,
)
# Titles the model sometimes takes into a person's name; the glossary leaves them out.
# Royal and religious titles stay: "Pope Francis" and "King Charles" are how names are used.
_TITLES = frozenset(
    "president premier chancellor minister secretary senator sen rep representative governor gov "
    "mayor general gen judge justice ambassador commissioner chairman chairwoman ceo chief "
    "mr mrs ms dr prof sir dame mx".split()
)
# Royal titles, left out before a full name of several words that other writers give bare;
# kept before one name or a regnal number, which is how such names are used.
_ROYAL_TITLES = frozenset({"prince", "princess", "sheikh", "sheikha", "king", "queen", "emir", "sultan", "crown"})
_ROMAN_NUMERAL = re.compile(r"[IVX]+")
# Second words of two-word titles ("Prime Minister", "Crown Prince", "Attorney General").
_TITLE_HEADS = frozenset({"minister", "secretary", "prince", "princess", "general", "director", "president"})
# Abbreviations whose final dot belongs to the name.
_DOTTED_ENDINGS = frozenset({"inc", "corp", "co", "ltd", "jr", "sr", "st", "bros", "plc"})
_EDGE_JUNK = "\"'“”‘’«»()[]{}<>,;:!?*•|/\\–—-"
_POSSESSIVE_END = re.compile(r"(?:['’]s|(?<=s)['’])$")
_INNER_POSSESSIVE = re.compile(r"['’]s\s+")
_OWNER_BEFORE = re.compile(r"(?:['’]s|(?<=s)['’])\s+$")
# "Hatay province": the model may take the lower-case place word after a name into it.
_TRAILING_PLACE_WORD = re.compile(
    r"(?<=\w)\s+(?:province|region|district|county|prefecture|governorate|municipality|oblast|city|town|village)$"
)
# Lower-case words the model ran on into a name ("IRNA news agency", "Saab shares").
_LOWER_CASE_TAIL = re.compile(r"(?<=\S)(?:\s+[a-z][a-z'’-]*)+$")
_ARTICLE = re.compile(r"(?:the|The|THE)\s+")   # matched where a name starts
_FIRST_WORD = re.compile(r"([A-Za-z]+)\.?\s+")
_LEADING_SPACE = re.compile(r"\s*")
_SENTENCE_END_BEFORE = re.compile(r"[.!?:;\"“”—–-]\s*$")
# The last letters a possessive, and a place word, can end on.
_POSSESSIVE_LAST = frozenset("s'’")
_PLACE_WORD_LAST = frozenset("enty")   # province, region, district, county

# Labels the model gives quoted words and titles of works, and its vaguest ones.
_WORK_LABELS = frozenset({"WORK_OF_ART", "LAW"})
_VAGUE_LABELS = _WORK_LABELS | {"PRODUCT"}
_QUOTES = frozenset("\"'“”‘’«»")
# Event and place names run to a few words; more is a sentence in title case.
_MAX_EXTENSION_WORDS = 4
# Endings of plural nouns for kinds of people ("campaigners", "analysts", "residents").
_PEOPLE_PLURAL_ENDINGS = ("ers", "ors", "ists", "ants", "ents", "ians", "als")
# How far before a name the context patterns look.
_CONTEXT_CHARS = 40
# "the city of X": what the model took for a people ("NORP") is a place there.
_PLACE_OF = re.compile(
    r"\b(?:city|town|village|province|region|district|county|capital|port|island|municipality) of\s+$"
)
# Abbreviations of common nouns, which the model labels like names ("AI spending", "the
# company's CEO"); general vocabulary, as a dictionary would list it.
_COMMON_NOUN_ABBREVIATIONS = frozenset(
    "ai agi ceo cfo coo cto gdp ipo ipos etf etfs ev evs hq cpi esg".split()
)
_PLACE_LABELS = frozenset({"GPE", "LOC"})
# "Centre for Volcanology": a name of something, which an "and" may carry on.
_OF_SOMETHING = re.compile(r"\s(?:of|for)\s+[A-Z]")
_AND = re.compile(r"\s+(?:and|&)\s+")
# Lower-case particles inside a person's name ("Ursula von der Leyen", "Mohammed bin Salman").
_PARTICLES = "von|van|der|den|de|da|di|du|del|della|la|le|bin|ibn|ter|ten|zu|dos|das"   # not "do", a verb
_TRAILING_PARTICLES = re.compile(r"(?:\s+(?:" + _PARTICLES + r"))+$")
_PARTICLES_AND_NAME = re.compile(r"(?:[ \t]+(?:" + _PARTICLES + r"))+[ \t]+[A-Z][\w'’-]*")
# "trading on the Nasdaq", "listed on the Oslo Bourse": the capitalised name of where shares trade.
_ON_THE = re.compile(r"on\s+the\s+[A-Z]")
_TRADED_ON = re.compile(
    r"\b(?:trad(?:ing|ed|es)|listed|listing|debut(?:ed|s)?|shares|stocks?)\s+(?:[a-z]+\s+){0,3}?on\s+the\s+"
    r"([A-Z][\w&'’.-]*[\w](?:\s+[A-Z][\w&'’-]*){0,3})"
)
# Words that open a place's name, abbreviated or not ("St. Ansgar", "Sankt Ansgar", "Mt. Korvet").
_OPENERS = r"(?:St|Ste|Sankt|Saint|Sainte|Mt|Mount|Ft)"
_OPENER_BEFORE = re.compile(r"(?<![\w.])(" + _OPENERS + r")(?:\.\s*|\s+|-)$")
_HYPHEN = frozenset("-")
_OPENER_LAST = frozenset("te")   # how "St", "Ste", "Saint", "Mount"... end
_OPENER_AT_END = re.compile(r"(?<![\w.])" + _OPENERS + r"\.?$")
_NAME_AFTER_OPENER = re.compile(r"(?:\.\s*|\s+|-)[A-Z][\w'’-]*")
# What is named after a person: the capitalised words after the name, ending in one of these.
_NAMED_AFTER_HEADS = (
    "Airport|Stadium|Hospital|Bridge|Station|Dam|University|College|School|Square|Museum|Mosque|Cathedral|"
    "Church|Palace|Tower|Centre|Center|Hall|Arena|Park|Street|Avenue|Boulevard|Road|Harbour|Harbor|Institute|"
    "Foundation|Prize|Award|Library|Highway|Canal|Base|Barracks"
)
_NAMED_AFTER_TAIL = re.compile(r"(?:[ \t]+[A-Z][\w'’-]*){0,3}?[ \t]+(?:" + _NAMED_AFTER_HEADS + r")\b")
# A word is a demonym where the model calls it one at least half as often as it ends a name:
# one stray label ("said Belna was a cyclone") does not unmake a storm named six times.
_DEMONYM_LABEL_SHARE = 2
# Grown names overlap one another rarely: a covered span is looked for among this many of them.
_OVERLAP_LOOKBACK = 4
# Prefixes that are no word alone: a name the model cut after "Co-" or before "-Parliamentary"
# ("the Northern Sea Co" of "the Northern Sea Co-operation Council") was cut inside a word.
# A name before a hyphen ("London-based", "Tesla-owned") is a whole name and stays as it is.
_WORD_PREFIXES = frozenset(
    "co re pre non anti inter intra trans pan multi post sub semi self vice ex counter mid neo pro".split()
)
_PREFIX_CUT = re.compile(r"-[^\W\d_]")
_REST_OF_WORD = re.compile(r"-[\w'’-]*\w")
# Capital letters, with those of the Latin alphabets of Europe and Turkey ("İSKENDERLI", "ÅLESUND").
_CAPS = "A-Z" + "".join(ch for ch in map(chr, range(0xC0, 0x250)) if ch.isupper() and ch.isalpha())
# A dateline: places in capitals ("SAN FRANCISCO/LONDON"), then a date and/or an agency, then a dash.
_DATELINE = re.compile(
    rf"\s*([{_CAPS}][{_CAPS}'’.-]*[{_CAPS}](?:[ /][{_CAPS}][{_CAPS}'’.-]*[{_CAPS}])*)"   # the places
    r"(,[^()\n]{1,40}?)?\s*(\([^()]{1,40}\))?\s*[-\u2013\u2014]"   # a date, an agency, a dash
)
_DATELINE_PLACE_MIN = 3
# "RABAT, Sept. 9 (Xinhua) --", "NEW DELHI (Reuters) -": the agency after a dateline.
_DATELINE_CREDIT = re.compile(
    rf"\s*[{_CAPS}][{_CAPS} .'’/-]+(?:,[^()]{{1,40}})?\s*\(([^()]{{1,40}})\)\s*[-\u2013\u2014]"
)
_DATELINE_BEFORE = re.compile(rf"[{_CAPS} .,'’/-]*")
_DATELINE_AFTER = re.compile(r"\s*[,/(\u2013\u2014-]")
_DATE_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL"})
# One to three capitalised words: a name the model may have skipped.
_CAPITALISED_WORDS = r"([A-Z][\w'’-]*[a-zA-Z](?:\s+[A-Z][\w'’-]*[a-zA-Z]){0,2})"
_LISTED_BEFORE = re.compile(_CAPITALISED_WORDS + r",?\s+(?:and|or)\s+$")
_LISTED_AFTER = re.compile(r",?\s+(?:and|or)\s+" + _CAPITALISED_WORDS + r"(?![\w'’-])")
# Lower-case nouns that, after a name, make an event of it ("the Spitak earthquake").
_EVENT_NOUNS = (
    "earthquake earthquakes quake tsunami eruption landslide mudslide avalanche flood floods flooding "
    "wildfire wildfires massacre bombing bombings uprising disaster".split()
)
# The capital first, then that nothing of a word came before it: a search can then skip to capitals.
_NAMED_EVENT = re.compile(
    r"([A-Z](?<![\w'’-][A-Z])[\w'’-]*[a-z](?:\s+[A-Z][\w'’-]*[a-z])?)\s+(?:" + "|".join(_EVENT_NOUNS) + r")\b"
)
_EVENT_NOUN = re.compile(r"\s(?:" + "|".join(_EVENT_NOUNS) + r")\b")


# Patterns the functions below use many times, compiled once.
_WORD_AT_END = re.compile(r"(?<![\w-])[A-Za-z]+$")
_PREFIXED_WORD_AT_END = re.compile(r"(?<![\w-])([A-Za-z]+)-[\w'’-]*$")
_PREFIX_AT_END = re.compile(r"(?<![\w-])([A-Za-z]+)-$")
_NON_SPACE_RUN = re.compile(r"\S+")
_INITIAL_AT_END = re.compile(r"(?:^|[\s.])[A-Z]\.$")
_NEXT_CAPITALISED_WORD = re.compile(r"[ \t]+[A-Z][\w’'-]*")
_WORD_THEN_NUMBER = re.compile(r"([A-Za-z]+)\.?\s+\d")
_DIGIT = re.compile(r"\d")
# An occurrence's (source, paragraph, start, end) and (start, end), read in C: sorting by them
# is a pass over every name in the dossier, each build.
_BY_POSITION = itemgetter(0, 1, 2, 3)
_BY_SPAN = itemgetter(2, 3)
_SLASH_PARTS = re.compile(r"[^/]+")


class ParagraphNames(NamedTuple):
    """What one paragraph and its recogniser spans say of names, whatever the rest of the dossier
    says: the part of `find_candidates` a caller may keep between builds (`read_paragraph`)."""

    found: tuple[tuple[int, int, str], ...]   # the model's spans, grown over what it cut off (if any listed)
    names: tuple[Occurrence, ...]             # the name spans among them, trimmed
    norp_words: tuple[str, ...]               # the words of its demonym spans
    listed: tuple[tuple[int, int, bool], ...]   # capitalised runs listed beside a place; True: before it
    exchanges: tuple[Occurrence, ...]         # where shares trade
    datelines: tuple[tuple[int, int], ...]    # the places of a wire dateline
    credit: tuple[int, int] | None            # the agency a dateline credits
    definitions: tuple[Definition, ...]       # its spelled-out acronyms
    events: tuple[tuple[str, int, int], ...]  # names written before an event noun


def find_candidates(
    articles: Sequence[Article],
    spans: dict[tuple[str, int], list[tuple[int, int, str]]],
    lowercase: Counter | None = None,
    boilerplate: Set[tuple[str, int]] | None = None,
    readings: dict[tuple[str, int], ParagraphNames] | None = None,
    reads: dict | None = None,
) -> tuple[Occurrence, ...]:
    """Every clean name occurrence in the English paragraphs, sorted by position.

    lowercase, boilerplate: `lowercase_counts` of the English paragraphs and the (source,
    paragraph) that `looks_like_boilerplate`, where the caller has them already; readings:
    `read_paragraph` of paragraphs that the caller kept (the others are read here). reads: a dict
    to note in what is asked of the dossier as a whole, to check later whether an edit changed it:
    "lowercase" {word: count looked up}, "events" [names counted wherever they stand alone],
    "named events" {paragraph: events named in it}, "alone" [(name, before) asked whether the name
    only stands after "before and"]."""
    paragraphs = {(a.id, i): p for a in articles if a.is_english for i, p in enumerate(a.paragraphs)}
    if lowercase is None:
        lowercase = lowercase_counts(paragraphs.values())
    if boilerplate is None:
        boilerplate = {where for where, text in paragraphs.items() if looks_like_boilerplate(text)}
    if reads is not None:
        lowercase = _NotedCounts(lowercase, reads.setdefault("lowercase", {}))
    readings = {} if readings is None else readings
    word_starts = cache(lambda: WordStarts(paragraphs))   # made once, if a step needs it
    events = _named_events(paragraphs, spans, lowercase, word_starts, readings, None if reads is None else reads.setdefault("events", []))
    raw: list[Occurrence] = []
    norp_words: Counter = Counter()
    for (source, index), text in sorted(paragraphs.items()):
        if (source, index) in boilerplate:
            continue
        reading = readings.get((source, index)) or read_paragraph(source, index, text, spans.get((source, index), []))
        norp_words.update(reading.norp_words)
        raw.extend(paragraph_candidates(source, index, text, reading, lowercase, events.get((source, index), ())))
    only_after: dict[tuple[str, str], bool] = {}   # each pair of spellings looked up once
    raw = _join_names_split_at_and(raw, paragraphs, word_starts, only_after)
    kept = _drop_non_names(raw, lowercase, norp_words, paragraphs)
    if reads is not None:
        reads["named events"] = events
        reads["alone"] = tuple(sorted(only_after))
    return tuple(sorted(kept, key=_BY_POSITION))


class _NotedCounts(Counter):
    """Counts that note each one looked up in `noted`."""

    def __init__(self, counts: Counter, noted: dict):
        super().__init__(counts)
        self._noted = noted

    def __getitem__(self, key: str) -> int:
        count = self._noted[key] = super().__getitem__(key)
        return count


def paragraph_candidates(
    source: str, index: int, text: str, reading: ParagraphNames, lowercase: Counter,
    events: Sequence[tuple[int, int]],
) -> list[Occurrence]:
    """The name occurrences of one paragraph before they are joined and judged across the
    dossier: its reading's names, the places listed with them, where shares trade, a dateline's
    places, the events named (`events`, from `_named_events`), its spelled-out acronyms."""
    cleaned = list(reading.names)
    for start, end in _listed_with_places(text, reading.found, reading.listed, lowercase):
        cleaned.extend(_clean_span(source, index, text, start, end, "GPE"))
    cleaned.extend(reading.exchanges)
    for start, end in reading.datelines:
        cleaned = [o for o in cleaned if o.end <= start or end <= o.start]
        cleaned.append(Occurrence(source, index, start, end, text[start:end], "GPE"))
    if reading.credit:   # "TOKYO (AP) -": the agency credits itself, as in a byline
        cleaned = [o for o in cleaned if not reading.credit[0] <= o.start < reading.credit[1]]
    for start, end in events:
        cleaned = [o for o in cleaned if o.end <= start or end <= o.start]
        cleaned.append(Occurrence(source, index, start, end, text[start:end], "EVENT"))
    return _with_definitions(cleaned, source, index, text, reading.definitions)


def read_paragraph(source: str, index: int, text: str, spans: Sequence[tuple[int, int, str]]) -> ParagraphNames:
    """What paragraph `index` of `source` and the model's spans in it say of names on their own."""
    found = _names_with_particles(text, _named_after_people(text, _whole_hyphenated_words(text, list(spans))))
    found = _with_abbreviated_openers(text, found)
    names = []
    norp_words = []
    for start, end, label in found:
        if label == "NORP" and _PLACE_OF.search(text, max(0, start - _CONTEXT_CHARS), start):
            label = "GPE"   # "the Uzbek city of Namangan": a town the model took for a people
        if label == "NORP":
            norp_words.extend(name_key(text[start:end]).split())
        if label in NAME_LABELS:
            names.extend(_clean_span(source, index, text, start, end, label))
    exchanges = [o for start, end in _exchanges(text, found) for o in _clean_span(source, index, text, start, end, "ORG")]
    credit = _DATELINE_CREDIT.match(text)
    listed = _listed_runs(text, found)
    return ParagraphNames(
        found=tuple(found) if listed else (),   # only looked at beside a listed run: kept small
        names=tuple(names),
        norp_words=tuple(norp_words),
        listed=listed,
        exchanges=tuple(exchanges),
        datelines=tuple(_dateline_places(text)),
        credit=credit.span(1) if credit else None,
        definitions=acronym_definitions(text),
        events=_events_named(text, spans),
    )


def _join_names_split_at_and(
    raw: list[Occurrence], paragraphs: dict[tuple[str, int], str], word_starts: Callable[[], WordStarts],
    only_after: dict[tuple[str, str], bool],
) -> list[Occurrence]:
    """ "the Centre for Volcanology" + "and" + "Geological Hazard Mitigation": an organisation
    "of"/"for" two things that the model cut at the "and" is one name, where the second piece never
    stands alone in the dossier ("the Ministry of Defence and Lockheed Martin" are two). So is a
    name cut at its "and" that ends in a name with that "and" given elsewhere ("Danish Competition"
    + "Consumer Authority" where another source names the "Competition and Consumer Authority")."""
    by_paragraph: dict[tuple[str, int], list[Occurrence]] = {}
    for o in raw:
        by_paragraph.setdefault((o.source, o.paragraph), []).append(o)
    # ("and" or "&" looked for first: a quick test that rules out nearly every name)
    with_and = {" ".join(o.text.split()) for o in raw if ("and" in o.text or "&" in o.text) and _AND.search(o.text)}
    joined = []
    for where, found in sorted(by_paragraph.items()):
        text = paragraphs[where]
        found = sorted(found, key=_BY_SPAN)
        for left, right in zip(found, found[1:]):
            if not (_AND.fullmatch(text, left.end, right.start) and right.label in ("ORG", None)):
                continue
            whole = " ".join(text[left.start:right.end].split())
            ends = (whole[i + 1:] for i, ch in enumerate(whole) if ch == " ")   # what follows each space
            if any(end in with_and for end in ends) or (
                left.label == "ORG" and _OF_SOMETHING.search(left.text)
                and _memo(
                    only_after, (right.text, left.text), lambda: _only_after(right.text, left.text, paragraphs, word_starts())
                )
            ):
                joined.append((left, right))
    if not joined:
        return raw
    parts = {o for pair in joined for o in pair}
    whole = [
        Occurrence(left.source, left.paragraph, left.start, right.end,
                   paragraphs[(left.source, left.paragraph)][left.start:right.end], right.label or left.label)
        for left, right in joined   # the label of the piece holding the head word
    ]
    return [o for o in raw if o not in parts] + whole


def _memo(memo: dict, key, compute):
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _only_after(name: str, before: str, paragraphs: dict[tuple[str, int], str], word_starts: WordStarts) -> bool:
    alone = re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")
    after = re.compile(re.escape(before) + _AND.pattern + "$")
    return all(
        after.search(text, 0, match.start())
        for text in _texts(paragraphs, word_starts.paragraphs_with(name))
        for match in alone.finditer(text)
    )


def _texts(paragraphs: dict[tuple[str, int], str], where: Iterable[tuple[str, int]] | None) -> Iterable[str]:
    """The paragraphs `where` names (None: all of them)."""
    return paragraphs.values() if where is None else (paragraphs[w] for w in where)


def _names_with_particles(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """ "Ursula von der" + "Leyen": a person's name the model cut inside its lower-case particles
    runs on over them to the capitalised name after them."""
    def grown(start: int, end: int, label: str) -> tuple[int, int] | None:
        if label != "PERSON":
            return None
        core_end = start + len(_TRAILING_PARTICLES.sub("", text[start:end]))
        rest = _PARTICLES_AND_NAME.match(text, core_end)
        return (start, rest.end()) if rest and rest.end() > end else None

    return _grown_spans(found, grown)


def _named_after_people(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """ "Sam Ratulangi" + " International Airport": a place or body named after a person, which the
    model cut before its capitalised head word, is one name (its head word then gives its type)."""
    def grown(start: int, end: int, label: str) -> tuple[int, int] | None:
        tail = _NAMED_AFTER_TAIL.match(text, end) if label == "PERSON" else None
        return (start, tail.end()) if tail else None

    return _grown_spans(found, grown)


def _whole_hyphenated_words(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A name cut at a hyphen inside a word ("the Northern Sea Co" + "-operation Council")
    is carried on over the word and the capitalised words after it; the pieces the model made
    of the rest ("Centre" of "Gulf Co-ordination Centre") are part of it, no names of their own."""
    if "-" not in text:
        return sorted(found)   # no hyphen, nothing to grow: the common case
    def grown(start: int, end: int, label: str) -> tuple[int, int] | None:
        new_start, new_end = _word_start(text, start), _word_end(text, end)
        if _ends_in_prefixed_word(text, new_start, new_end):
            new_end = _extend_capitalised(text, new_end)   # "Co-ordination" + " Centre"
        return (new_start, new_end) if (new_start, new_end) != (start, end) else None

    return _grown_spans(found, grown)


def _with_abbreviated_openers(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """ "Ste" + ". Foy", "St." + "Gallen": a place name's opening "St."/"Mt." is part of it, on
    either side of where the model cut."""
    def grown(start: int, end: int, label: str) -> tuple[int, int] | None:
        if label not in NAME_LABELS:
            return None
        opener = _may_follow_opener(text, start) and _OPENER_BEFORE.search(text, max(0, start - _CONTEXT_CHARS), start)
        new_start = opener.start(1) if opener else start
        ends_in_opener = _may_end_in(text, start, end, _OPENER_LAST | {"."}) and _OPENER_AT_END.search(text, start, end)
        rest = _NAME_AFTER_OPENER.match(text, end) if ends_in_opener else None
        new_end = rest.end() if rest else end
        return (new_start, new_end) if (new_start, new_end) != (start, end) else None

    return _grown_spans(found, grown)


def _may_follow_opener(text: str, start: int) -> bool:
    """Whether the text before `start` ends as an opener and its separator would ("St. ", "Mt-"):
    a quick look before the search."""
    word = text[max(0, start - _CONTEXT_CHARS):start].rstrip()
    if word.endswith((".", "-")):
        word = word[:-1]
    return word[-1:] in _OPENER_LAST


def _grown_spans(found: list[tuple[int, int, str]], grow) -> list[tuple[int, int, str]]:
    """The spans with those that `grow` gives a larger (start, end) replaced by it; the spans a
    grown one now covers are part of it and go. In one pass, so a long text takes linear time."""
    spans = sorted(found)
    grown = {span: grow(*span) for span in spans}
    if not any(grown.values()):
        return spans
    ranges = sorted(r for r in grown.values() if r)
    starts = [r[0] for r in ranges]
    kept: list[tuple[int, int, str]] = []
    for span in spans:
        start, end = grown[span] or span[:2]
        if grown[span] is None:
            last = bisect_left(starts, end) - 1   # grown ranges may overlap: look back over a few
            if any(ranges[i][1] > start for i in range(last, max(-1, last - _OVERLAP_LOOKBACK), -1)):
                continue
        elif kept and kept[-1][1] > start:
            continue   # two grown names running into each other: the first stands
        kept.append((start, end, span[2]))
    return kept


def _word_end(text: str, end: int) -> int:
    """Past the rest of a word a name ends inside, after a prefix ("Co" of "Co-operation")."""
    if not _PREFIX_CUT.match(text, end):
        return end
    prefix = _WORD_AT_END.search(text[max(0, end - 12):end])
    if prefix is None or prefix.group(0).casefold() not in _WORD_PREFIXES:
        return end
    return _REST_OF_WORD.match(text, end).end()


def _ends_in_prefixed_word(text: str, start: int, end: int) -> bool:
    if text.find("-", start, end) < 0:
        return False   # no hyphen, no prefixed word: the common case, answered fast
    last = _PREFIXED_WORD_AT_END.search(text[start:end])
    return bool(last) and last.group(1).casefold() in _WORD_PREFIXES


def _word_start(text: str, start: int) -> int:
    """Back to a prefix a name starts after ("Parliamentary Union" of "Inter-Parliamentary Union")."""
    if not _may_end_in(text, max(0, start - 12), start, _HYPHEN):
        return start   # no hyphen before the name: the common case, answered fast
    prefix = _PREFIX_AT_END.search(text[max(0, start - 12):start])
    if prefix is None or prefix.group(1).casefold() not in _WORD_PREFIXES or not prefix.group(1)[0].isupper():
        return start
    return start - len(prefix.group(0))


def _events_named(text: str, spans: Sequence[tuple[int, int, str]]) -> tuple[tuple[str, int, int], ...]:
    """(name, start, end) of each name written before an event noun in the text, but at the start
    of a sentence, as an owner or in a date the model found: what `_named_events` looks at."""
    if not _EVENT_NOUN.search(text):
        return ()   # no event noun: the common case
    dated = [(s, e) for s, e, label in spans if label in _DATE_LABELS]
    named = []
    for match in _NAMED_EVENT.finditer(text):
        name = match.group(1)
        if (
            _starts_sentence(text, match.start())
            or _POSSESSIVE_END.search(name)
            or any(s < match.end(1) and match.start(1) < e for s, e in dated)
        ):
            continue
        named.append((name, match.start(), match.end()))
    return tuple(named)


def _named_events(
    paragraphs: dict[tuple[str, int], str],
    spans: dict[tuple[str, int], list[tuple[int, int, str]]],
    lowercase: Counter,
    word_starts: Callable[[], WordStarts],
    readings: dict[tuple[str, int], ParagraphNames],
    asked: list | None = None,
) -> dict[tuple[str, int], list[tuple[int, int]]]:
    """ "the Spitak earthquake", "the Halabja massacre": a name the dossier only ever writes
    before a lower-case event noun names that event. A name also used on its own ("the Turkey
    earthquake" beside "Turkey") stays the place, and a date ("the Friday quake") is none."""
    found: dict[str, list[tuple[tuple[str, int], int, int]]] = {}
    for where, text in sorted(paragraphs.items()):
        reading = readings.get(where)
        named = reading.events if reading else _events_named(text, spans.get(where, []))
        for name, start, end in named:
            if not any(lowercase[w.casefold()] for w in words(name)):
                found.setdefault(name, []).append((where, start, end))
    events: dict[tuple[str, int], list[tuple[int, int]]] = {}
    if asked is not None:
        asked.extend(sorted(found))   # the names counted wherever they stand alone
    for name, places in sorted(found.items()):
        alone = re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")
        if sum(len(alone.findall(text)) for text in _texts(paragraphs, word_starts().paragraphs_with(name))) > len(places):
            continue   # also written on its own: the name of a place or a people
        for where, start, end in places:
            events.setdefault(where, []).append((start, end))
    return events


def _listed_runs(text: str, found: Sequence[tuple[int, int, str]]) -> tuple[tuple[int, int, bool], ...]:
    """The capitalised runs listed with "and"/"or" beside a place the model labelled, with
    whether each stands before it: what `_listed_with_places` looks at."""
    runs = []
    for start, end, label in found:
        if label not in _PLACE_LABELS:
            continue
        before = _LISTED_BEFORE.search(text, max(0, start - _CONTEXT_CHARS), start)
        after = _LISTED_AFTER.match(text, end)
        for match, next_to_place_at_end in ((before, True), (after, False)):
            if match is not None:
                runs.append((*match.span(1), next_to_place_at_end))
    return tuple(runs)


def _listed_with_places(
    text: str, found: Sequence[tuple[int, int, str]], runs: Sequence[tuple[int, int, bool]], lowercase: Counter
) -> list[tuple[int, int]]:
    """ "Neighbouring Armenia and Georgia": a capitalised name the model skipped, listed
    with "and"/"or" beside a place it labelled (`runs`), is a place too. Only where the model labelled
    nothing, and without the capitalised first word of a sentence before a longer name or the
    words of a title-case headline the dossier also writes in lower case ("Syria After Quake")."""
    listed = []
    for start, end, next_to_place_at_end in runs:
        run = _name_next_to(text, start, end, next_to_place_at_end, lowercase)
        if run and not any(s < run[1] and run[0] < e for s, e, _ in found):
            listed.append(run)
    return sorted(set(listed))


def _exchanges(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """ "shares fell in extended trading on the Nasdaq": where shares trade is an exchange, an
    organisation, which the small model often leaves unlabelled."""
    runs = []
    if not _ON_THE.search(text):
        return runs   # the quick look: where shares trade is "on the" somewhere
    for match in _TRADED_ON.finditer(text):
        start, end = match.span(1)
        if not any(s < end and start < e for s, e, _ in found):
            runs.append((start, end))
    return runs


def _name_next_to(text: str, start: int, end: int, at_end: bool, lowercase: Counter) -> tuple[int, int] | None:
    """The words of a capitalised run that can be a name, kept on the side of the list joint."""
    spans = [m.span() for m in _NON_SPACE_RUN.finditer(text[start:end])]
    if len(spans) > 1 and _starts_sentence(text, start):
        spans = spans[1:]   # "Neighbouring Armenia": the sentence's first word
    if at_end:
        spans.reverse()
    kept = list(takewhile(lambda span: not lowercase[text[start + span[0]:start + span[1]].casefold()], spans))
    if not kept:
        return None
    first, last = min(kept), max(kept)
    return start + first[0], start + last[1]


def _with_definitions(
    found: list[Occurrence], source: str, index: int, text: str, definitions: Sequence[Definition]
) -> list[Occurrence]:
    """A spelled-out acronym (`definitions`: `acronym_definitions(text)`) is a name as the writer
    delimits it, whatever pieces the model made of it ("International Federation of Red Cross" +
    "Red Crescent Societies")."""
    for d in definitions:
        found = [_cut_owner(o, d.long_start, text) for o in found]
        inside = [o for o in found if d.long_start <= o.start and o.end <= d.long_end]
        overlapping = [o for o in found if o.start < d.long_end and d.long_start < o.end]
        if len(overlapping) > len(inside):
            continue   # the model drew the name's border elsewhere; keep its reading
        found = [
            o for o in found
            if o not in inside and not (d.short_start <= o.start and o.end <= d.short_end)
        ]
        # The model's label carries over where it labelled the pieces alike.
        labels = {o.label for o in inside}
        label = labels.pop() if len(labels) == 1 else None
        found.append(Occurrence(source, index, d.long_start, d.long_end, text[d.long_start:d.long_end], label))
        found.append(Occurrence(source, index, d.short_start, d.short_end, text[d.short_start:d.short_end], None))
    return found


def _cut_owner(o: Occurrence, long_start: int, text: str) -> Occurrence:
    """ "the Philippines' Energy Regulatory Commission (ERC)": where the model ran the
    owner into a spelled-out name, the owner ends at the possessive."""
    if not o.start < long_start < o.end:
        return o
    owner = _OWNER_BEFORE.search(text, o.start, long_start)
    if owner is None or owner.start() <= o.start:
        return o
    return Occurrence(o.source, o.paragraph, o.start, owner.start(), text[o.start:owner.start()], o.label)


def _clean_span(source: str, index: int, text: str, start: int, end: int, label: str) -> list[Occurrence]:
    """Trim one model span; split it at an inner possessive ("Japan's Coming of Age Day")."""
    start, end = _trim(text, start, end)
    if label == "PERSON":
        start = _after_titles(text, start, end)
    if label != "EVENT":   # "the Gaza war" is an event's name; "IRNA news agency" is "IRNA"
        tail = _may_end_lower_case(text, start, end) and _LOWER_CASE_TAIL.search(text, start, end)
        if tail:   # "Van der Molen's office": what is left may end in a possessive
            start, end = _trim(text, start, tail.start())
    if start >= end:
        return []
    inner = (text.find("'", start, end) >= 0 or text.find("’", start, end) >= 0) and _INNER_POSSESSIVE.search(text, start, end)
    if not inner:
        return _keep_if_name(source, index, text, start, end, label)
    head = _keep_if_name(source, index, text, *_trim(text, start, inner.start()), label)
    tail_start = inner.end()
    tail_end = _extend_capitalised(text, end)
    # The tail is a name of its own whose kind the model did not judge ("Coming of Age Day").
    tail = _keep_if_name(source, index, text, *_trim(text, tail_start, tail_end), None)
    tail = [t for t in tail if len(t.text.split()) > 1]
    return head + tail


def _may_end_in(text: str, start: int, end: int, last: frozenset[str]) -> bool:
    """Whether text[start:end] ends in one of these characters, or in one and a line break (where
    a pattern's "$" also matches): a quick look before a search for an ending."""
    tail = text[max(start, end - 2):end]
    return tail[-1:] in last or tail[-1:] == "\n" and tail[:-1] in last


def _may_end_lower_case(text: str, start: int, end: int) -> bool:
    """Whether the span's last word, after some space, opens on a lower-case letter, as a lower-case
    tail needs: a quick look before the search."""
    words = text[start:end].rsplit(None, 1)
    return len(words) == 2 and "a" <= words[1][:1] <= "z"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while True:
        before = (start, end)
        while start < end and (text[start].isspace() or text[start] in _EDGE_JUNK):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGE_JUNK):
            end -= 1
        article = _ARTICLE.match(text, start, end)
        if article:
            start = article.end()
        first = _FIRST_WORD.match(text, start, end)
        if first and first.group(1).casefold() in _HONORIFICS:
            start = first.end()
        # The searches below look for an ending: the last letter says if there can be one.
        possessive = _may_end_in(text, start, end, _POSSESSIVE_LAST) and _POSSESSIVE_END.search(text[start:end])
        if possessive:
            end = start + possessive.start()
        if end > start and text[end - 1] == "." and not _dot_belongs(text[start:end]):
            end -= 1
        place_word = _may_end_in(text, start, end, _PLACE_WORD_LAST) and _TRAILING_PLACE_WORD.search(text[start:end])
        if place_word:
            end = start + place_word.start()
        bracket = text.find("(", start, end)
        if bracket > start and text.find(")", bracket, end) < 0:
            end = bracket   # "Market Regulation (SAMR": the acronym that follows is another name
        described = _SENTENCE_START_DESCRIPTION.match(text, start, end)
        if described and _starts_sentence(text, start):
            start = described.end()   # "Chipmaker Broadcom" at the start of a sentence
        if (start, end) == before:
            return start, end


def _starts_sentence(text: str, start: int) -> bool:
    return _LEADING_SPACE.match(text, 0, start).end() == start or bool(_SENTENCE_END_BEFORE.search(text, max(0, start - 5), start))


def _after_titles(text: str, start: int, end: int) -> int:
    """Where a person's name starts once titles are left out ("President Xi Jinping",
    "Crown Prince Mohammed bin Salman", "Foreign Minister Sergei Lavrov")."""
    while True:
        words = list(_NON_SPACE_RUN.finditer(text[start:end]))
        if len(words) < 2:
            return start
        first = words[0].group(0).rstrip(".").casefold()
        second = words[1].group(0).rstrip(".").casefold()
        if first in _TITLES:
            start += words[1].start()
        elif first in _ROYAL_TITLES and len(words) > 2 and not _ROMAN_NUMERAL.fullmatch(words[-1].group(0)):
            start += words[1].start()   # "Prince Faisal bin Farhan"; "Queen Elizabeth II", "Prince Harry" stay
        elif len(words) > 2 and second in _TITLE_HEADS and words[0].group(0)[0].isupper():
            start += words[2].start()   # "Foreign Minister", "Crown Prince", "Attorney General"
        else:
            return start


def _dot_belongs(name: str) -> bool:
    """ "U.S." and "Acme Inc." keep their final dot; "Moscow." does not."""
    if _INITIAL_AT_END.search(name):
        return True
    last = name.rstrip(".").split()[-1].casefold() if name.strip(". ") else ""
    return last in _DOTTED_ENDINGS


def _extend_capitalised(text: str, end: int) -> int:
    """Carry a name on over the capitalised words that follow it ("Victory" + " Day Parade")."""
    for _ in range(_MAX_EXTENSION_WORDS):
        following = _NEXT_CAPITALISED_WORD.match(text[end:])
        if following is None:
            break
        end += following.end()
    return end


def _keep_if_name(source: str, index: int, text: str, start: int, end: int, label: str | None) -> list[Occurrence]:
    surface = text[start:end]
    starts_like_a_name = surface[:1].isupper() or surface[:1].isdigit()
    if len(name_key(surface)) < 2 or not starts_like_a_name or not any(c.isalpha() for c in surface):
        return []
    if _is_shouting(surface) and not (label in _PLACE_LABELS and _in_dateline(text, start, end)):
        return []
    if _is_date(surface) or (label == "PERSON" and any(ch.isdigit() for ch in surface)):
        return []   # "Mar 14, 2024" taken for a person: no one's name holds digits
    return [Occurrence(source, index, start, end, surface, label)]


def _is_date(surface: str) -> bool:
    """ "Mar 14, 2024", "September 9": a month and a number."""
    month = _WORD_THEN_NUMBER.match(surface)
    return bool(month) and month.group(1).casefold() in MONTHS


def _dateline_places(text: str) -> list[tuple[int, int]]:
    """ "COPENHAGEN, March 3 (MD) -", "BERGEN/OSLO, May 2 -": the capitals a wire story
    opens on, before a date or an agency and a dash, are places, whatever the model made of them."""
    dateline = _DATELINE.match(text)
    if dateline is None or not (_DIGIT.search(dateline.group(2) or "") or dateline.group(3)):
        return []
    start = dateline.start(1)
    return [
        (start + m.start(), start + m.end())
        for m in _SLASH_PARTS.finditer(dateline.group(1))
        if len(m.group(0).strip()) >= _DATELINE_PLACE_MIN and m.group(0) == m.group(0).strip()
    ]


def _in_dateline(text: str, start: int, end: int) -> bool:
    """ "SAN FRANCISCO/LONDON, May 2 -": a wire story opens on its places in capitals."""
    return bool(_DATELINE_BEFORE.fullmatch(text, 0, start) and _DATELINE_AFTER.match(text, end))


def _is_shouting(surface: str) -> bool:
    """ "DAILY PLANET EXCLUSIVE": several long all-caps words come from promos and headlines."""
    long_words = [w for w in words(surface) if len(w) >= 3]
    return len(long_words) >= 2 and all(w.isupper() for w in long_words)


def _drop_non_names(
    raw: list[Occurrence], lowercase: Counter, norp_words: Counter, paragraphs: dict[tuple[str, int], str]
) -> list[Occurrence]:
    by_key: dict[str, list[Occurrence]] = {}
    for occurrence in raw:
        by_key.setdefault(name_key(occurrence.text), []).append(occurrence)
    single_words = NameIndex(k for k in by_key if len(k.split()) == 1)
    # How often each word closes a name the model labelled, to weigh against its demonym labels.
    closing: Counter = Counter()
    for key, occurrences in by_key.items():
        closing[key_tokens(key)[-1]] += len(occurrences)
    norp_words = {w for w, n in norp_words.items() if n * _DEMONYM_LABEL_SHARE >= closing[w]}
    names = {
        key: occurrences
        for key, occurrences in by_key.items()
        if key not in _COMMON_NOUN_ABBREVIATIONS
        and not _is_common_word(occurrences, lowercase)
        and not _is_demonym(key, norp_words, single_words)
        and not _is_quoted_word(key, occurrences, paragraphs)
        and not _is_heading_only(occurrences, paragraphs)
        and not _is_plural_noun_opening_sentences(key, occurrences, paragraphs, by_key)
    }
    # Written as found (case kept): "UN" is not the "Un" of "Kim Jong Un".
    surfaces = {" ".join(o.text.split()) for occurrences in names.values() for o in occurrences}
    run_together: dict[str, bool] = {}   # each spelling judged once
    kept = []
    for key, occurrences in sorted(names.items()):
        for o in occurrences:
            if o.text not in run_together:
                run_together[o.text] = _is_run_together(" ".join(o.text.split()), surfaces)
            if not run_together[o.text]:
                kept.append(o)
    return kept


def _is_quoted_word(key: str, occurrences: list[Occurrence], paragraphs: dict[tuple[str, int], str]) -> bool:
    """A single word the model could only call a product or a title ("failed to 'Ukrainise'
    the agenda"): a quoted coinage, not a name."""
    if " " in key or not all(o.label in _VAGUE_LABELS for o in occurrences):
        return False
    return all(o.label in _WORK_LABELS or _in_quotes(paragraphs[(o.source, o.paragraph)], o) for o in occurrences)


def _is_heading_only(occurrences: list[Occurrence], paragraphs: dict[tuple[str, int], str]) -> bool:
    """ "Transaction Highlights", "Asia": a name only ever standing alone as a whole line is a
    section heading or a tag the cleaner left, never named in the story itself."""
    return all(
        not paragraphs[(o.source, o.paragraph)][:o.start].strip(_EDGE_JUNK + " ")
        and not paragraphs[(o.source, o.paragraph)][o.end:].strip(_EDGE_JUNK + ". ")
        for o in occurrences
    )


def _is_plural_noun_opening_sentences(
    key: str, occurrences: list[Occurrence], paragraphs: dict[tuple[str, int], str], by_key: dict[str, list[Occurrence]]
) -> bool:
    """ "Campaigners noted that ...": a plural of a noun for people, capitalised only because it
    opens the sentence each time, and no part of any longer name (unlike "Sanders")."""
    if " " in key or not key.endswith(_PEOPLE_PLURAL_ENDINGS):
        return False
    if not all(_starts_sentence(paragraphs[(o.source, o.paragraph)], o.start) for o in occurrences):
        return False
    return not any(key in key_tokens(other) for other in by_key if other != key)


def _in_quotes(text: str, o: Occurrence) -> bool:
    return text[o.start - 1:o.start] in _QUOTES and text[o.end:o.end + 1] in _QUOTES


def _is_common_word(occurrences: list[Occurrence], lowercase: Counter) -> bool:
    """ "Defense" in "Defense Minister X": a single word the dossier mostly writes in lower case."""
    spelling = occurrences[0].text
    return is_common_word(spelling, lowercase) and lowercase[spelling.casefold()] >= len(occurrences)


def _is_demonym(key: str, norp_words: set[str], single_word_names: NameIndex) -> bool:
    tokens = key_tokens(key)
    if tokens[-1] in norp_words:
        return True   # "Ukrainian" tagged a place, "Imperial Japanese" tagged an org
    return len(tokens) == 1 and bool(demonym_places(key, single_word_names))


def _is_run_together(surface: str, known: set[str]) -> bool:
    """A headline read as one name: two known names joined by other capitalised words
    ("Putin Wishes North Korea"); "Bosnia and Herzegovina" (joined by a connector) stays."""
    tokens = surface.split()
    if len(tokens) < 3:
        return False
    covered = [False] * len(tokens)
    found = 0
    i = 0
    while i < len(tokens):
        for j in range(len(tokens), i, -1):
            if (j - i) < len(tokens) and " ".join(tokens[i:j]) in known:
                covered[i:j] = [True] * (j - i)
                found += 1
                i = j
                break
        else:
            i += 1
    leftover = [t for t, c in zip(tokens, covered) if not c and t.casefold() not in CONNECTORS]
    return found >= 2 and bool(leftover)
