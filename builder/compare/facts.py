"""Checkable facts stated in one sentence: figures (in digits or words, with their unit),
weekdays, calendar dates, clock times and parts of a day, ordinals and ranks ("one of the
few", "the third nation"), each with the words that say what it counts or dates.

A day that dates a statement or a count ("said on Monday", "rose to 12 on Tuesday") is told
apart from the day of an event: reports of successive days give different such days without
contradicting one another.

Only English text is read; the patterns and the concept words below are English.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import zip_longest
from typing import Sequence
from dataclasses import dataclass, replace

from ..dates import MONTH_NAMES, MONTHS, WEEKDAY_NAMES
from ..text import ORDINAL_WORDS, STOP_WORDS, WORD, stem, words
from .text import event_markers, letter_runs, without_event_verbs

_MONTH = "|".join(MONTHS)
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
           "b": 1e9, "trillion": 1e12, "tn": 1e12}
# Words and phrases that say what a figure counts, grouped so that "killed 2,012" and "a death
# toll of 2,122", "40 were missing" and "57 are unaccounted for" meet. General news vocabulary,
# not tied to any one story.
_CONCEPTS = {
    "deaths": "dead death deaths died die dies dying kill kills killed killing fatalities fatality toll lives bodies "
              "drowned perished".split() + ["lost their lives"],
    "injured": "injured injuring injure injures injuries injury wounded wounding hurt".split(),
    "missing": ["missing", "unaccounted", "not yet found", "not been found", "not yet been found", "yet to be found",
                "still not found", "not yet been located",
                "not yet located", "not been located"],
    "displaced": "displaced homeless evacuated evacuees refugees".split()
                 + ["moved to safety", "taken to safety", "fled their homes", "fled their houses", "fled the area",
                    "forced from their homes", "forced out of their homes", "forced to leave their homes",
                    "left their homes", "driven from their homes", "from their homes", "forced to flee", "had to flee"],
    "magnitude": "magnitude richter".split(),
    "depth": "depth deep".split(),
    "age": "aged age old".split(),
    "employees": "employees employee employs employ employing staff workforce headcount".split(),
}
_CONCEPT_OF = {phrase: concept for concept, phrases in _CONCEPTS.items() for phrase in phrases}
_CONCEPT_WORD = re.compile(
    r"(?<![\w])(" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(_CONCEPT_OF, key=len, reverse=True))
    + r")(?![\w])",
    re.IGNORECASE,
)
# A concept word further than this many words from every figure describes none of them.
_MAX_CONCEPT_DISTANCE = 12
# Qualifiers that make a figure a bound or an estimate rather than an exact count.
_QUALIFIERS = {
    "at least": ">=", "more than": ">", "over": ">", "upwards of": ">=", "nearly": "~<",
    "almost": "~<", "about": "~", "around": "~", "roughly": "~", "approximately": "~", "some": "~",
    "an estimated": "~", "up to": "<=", "less than": "<", "fewer than": "<", "under": "<",
}
_QUALIFIER_PATTERNS = tuple((re.compile(r"\b" + phrase + r"\s*(?:\$|€|£)?$"), sign) for phrase, sign in _QUALIFIERS.items())
_QUALIFIER_ENDINGS = tuple(_QUALIFIERS)
_QUALIFIER_WORDS = frozenset(w for phrase in _QUALIFIERS for w in phrase.split())
# "according to the North Korean state news agency KCNA": how far before an organisation's
# name the attributing words may stand (a description may come between).
_ATTRIBUTION_REACH = 70
_ATTRIBUTED_BEFORE = re.compile(
    r"\b(?:according to|reported by|released by|published by|announced by|carried by|statement (?:from|by)|"
    r"cited by|quoted by|citing)\b(?:(?!\b(?:and|but|said|says)\b)[^.;:!?\"“”])*$",
    re.IGNORECASE,
)
_ATTRIBUTED_AFTER = re.compile(
    r"^(?:'s|’s)?\s*(?:has |had |have )?(?:reported|reports|said|says|announced|released|published|stated|"
    r"confirmed|quoted|cited)\b",
    re.IGNORECASE,
)
# Head nouns after an ordinal that are too generic to say two sentences count the same thing
# ("the second time", "the first day").
_GENERIC_HEADS = frozenset("time times day days week month year years place half quarter round".split())
# How far (characters) after an ordinal its head noun may stand to be shown with it.
_HEAD_REACH = 30
# How many content words either side of a figure describe it.
_CONTEXT_WORDS = 4
# Where the clause around a day, a time or an attribution stops: punctuation, and the words
# that open another clause. "struck southern Kyrgyzstan on Friday, flattening homes" and "the
# toll, the ministry said on Monday" put their days on different events; prepositions ("after
# midnight") stay inside. A colon between digits is a clock time, not a boundary.
_CLAUSE_BOUNDARY = re.compile(
    r"[,;()\[\]\"“”—–]|:(?!\d)|\s(?:and|but|when|while|as|that|which|who|whom|where|because|although|though)\s",
    re.IGNORECASE,
)
# After the date, these open another reference point ("on Sunday after an earthquake killed
# ..."), which is no longer what the date dates; before it they do not ("struck just after
# midnight early Saturday").
_LATER_CLAUSE = re.compile(r"\s(?:after|before|since|until|following)\s", re.IGNORECASE)
# The key of a day that dates a report or a count, not an event (see _date_the_reports); and of
# a figure of days counted from the report ("three days after the dam failed").
REPORT_KEY = "report"
ELAPSED_KEY = "elapsed"
# A statement's verb right before its day ("said on Monday", "told reporters late on Monday"),
# or a count's "by" / "as of" ("by Friday").
_REPORTED_ON = re.compile(
    r"(?:\b(?:said|says|told|tells|added|stated|reported|confirmed|warned)\b(?:\s+[\w'’.-]+){0,3}?\s+"
    r"(?:(?:late|early)\s+)?(?:on\s+)?|\b(?:by|as of)\s+)(?:(?:" + "|".join(WEEKDAY_NAMES) + r")\s+)?$",
    re.IGNORECASE,
)
# "three days after", "two weeks since", "four days ago": counted from the report's own day.
_ELAPSED = re.compile(r"\s*(?:full\s+)?(?P<unit>days?|hours?|weeks?|months?)\s+(?:after|since|ago)\b", re.IGNORECASE)
# Parts of a day as news writes them, each the span of hours it may mean (a night runs past
# midnight, so it is two spans). Two parts that share an hour ("morning" and "shortly before
# noon") can both be right; two that do not ("before noon" and "afternoon") cannot.
_NIGHT = ((20.0, 24.0), (0.0, 6.0))
_DAY_PARTS = {
    "morning": ((5.0, 12.0),), "early morning": ((3.0, 9.0),), "mid-morning": ((9.0, 11.0),),
    "late morning": ((10.0, 12.0),), "afternoon": ((12.0, 18.0),), "early afternoon": ((12.0, 15.0),),
    "mid-afternoon": ((14.0, 16.0),), "late afternoon": ((15.0, 18.0),), "evening": ((17.0, 23.0),),
    "early evening": ((17.0, 20.0),), "late evening": ((20.0, 24.0),), "night": _NIGHT, "overnight": _NIGHT,
    "tonight": _NIGHT, "late night": ((22.0, 24.0), (0.0, 3.0)), "early hours": ((0.0, 6.0),),
    "noon": ((11.5, 12.5),), "midday": ((11.5, 12.5),), "before noon": ((9.0, 12.0),), "before midday": ((9.0, 12.0),),
    "after noon": ((12.0, 15.0),), "after midday": ((12.0, 15.0),), "midnight": ((23.5, 24.0), (0.0, 0.5)),
    "before midnight": ((21.0, 24.0),), "after midnight": ((0.0, 4.0),), "dawn": ((4.0, 8.0),),
    "before dawn": ((1.0, 6.0),), "after dawn": ((5.0, 9.0),), "dusk": ((17.0, 21.0),), "before dusk": ((15.0, 20.0),),
    "after dusk": ((18.0, 23.0),),
}
_DAY_PART_SYNONYMS = {"daybreak": "dawn", "sunrise": "dawn", "first light": "dawn", "sunset": "dusk", "nightfall": "dusk",
                      "mid morning": "mid-morning", "mid afternoon": "mid-afternoon", "late at night": "late night",
                      "small hours": "early hours"}
_DAY_PART = re.compile(
    r"\b(?:(?:shortly|just|soon|well|right|some time|sometime)\s+)?"
    r"(?P<part>(?:(?:early|late|mid)[\s-])?(?:morning|afternoon|evening)|(?:late\s+)?night|late at night|overnight|tonight"
    r"|(?:(?:before|after)\s+)?(?:noon|midday|midnight|dawn|daybreak|sunrise|first light|dusk|sunset|nightfall)"
    r"|(?:early|small)\s+hours)\b",
    re.IGNORECASE,
)
_CALENDAR_WORDS = frozenset(WEEKDAY_NAMES + MONTH_NAMES)
# Time zones a clock time may be given in; the same moment reads differently in two of them.
_ZONE = re.compile(
    r"\s*(?P<zone>GMT|UTC|Z|(?i:local)(?: time)?|(?:US )?(?:Eastern|Central|Mountain|Pacific)(?: time)?|"
    r"[ECMP][SD]T|ET|PT|CET|CEST|EET|EEST|BST|IST|JST|KST|AEST|AEDT|MSK)\b",
)

_NUMBER = re.compile(
    r"(?<![\w.\-/])(?P<cur>US\$|\$|€|£|¥|USD |EUR |GBP )?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn|tn|k|m|b)\b)?"
    r"(?P<pct>\s?%|\s(?:percent|per cent)\b)?"
    r"(?![\w/]|\.\d|-\d)",
    re.IGNORECASE,
)
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19}
_SMALL_WORDS = {**_UNITS, **_TEENS, **_TENS}
_WORD_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
# "one".."ninety-nine" as news writes them ("forty-six", "forty six")
_SMALL = (r"(?:(?:" + "|".join(_TENS) + r")(?:[\s-](?:" + "|".join(_UNITS) + r"))?|"
          + "|".join(sorted(_TEENS, key=len, reverse=True)) + "|" + "|".join(_UNITS) + ")")
# A number in words: "nine", "forty-six", "two hundred and thirty", "three thousand", "a dozen",
# "a hundred". Plurals ("dozens", "hundreds of") are vague and do not match (\b after the word).
_WORD_NUMBER = re.compile(
    rf"\b(?:(?P<hundreds>{_SMALL}|a)\s+hundred(?:\s+(?:and\s+)?(?P<rest>{_SMALL}))?"
    rf"|(?P<small>{_SMALL})|(?P<dozen>(?:a\s+)?dozen))"
    r"(?:\s+(?P<scale>thousand|million|billion))?\b",
    re.IGNORECASE,
)
# "in 24 hours", "over three days", "in the past week", "within a month": the period a figure
# (rain, sales, arrivals) is counted over.
_HOURS = {"hour": 1.0, "day": 24.0, "week": 168.0, "month": 730.0, "year": 8760.0}
_COUNTED_OVER = re.compile(
    r"\b(?:in|over|within|during|for)\s+(?:the\s+(?:past|last|previous|first)\s+)?"
    r"(?P<amount>\d+(?:\.\d+)?|a|an|" + _SMALL + r")?\s*(?P<unit>hours?|days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)
# "one" is a count only of people met in a casualty figure ("one person died"); elsewhere it
# is a pronoun or an article ("one official said", "one of the worst").
_CASUALTY_CONCEPTS = frozenset(("deaths", "injured", "missing", "displaced"))
# Units a measurement is given in, as canonical key -> the ways news writes it. Figures in one
# unit are compared with figures in the same unit only (no conversion: "18 miles" and "30 km"
# are usually one distance rounded in two systems, not a conflict).
_MEASURES = {
    "km/h": ["km/h", "kmh", "kph", "km per hour", "kilometres per hour", "kilometers per hour",
             "kilometres an hour", "kilometers an hour"],
    "mph": ["mph", "miles per hour", "miles an hour"],
    "m/s": ["m/s", "metres per second", "meters per second"],
    "m3": ["m3", "m³", "cubic metres", "cubic meters", "cubic metre", "cubic meter"],
    "km2": ["km2", "km²", "sq km", "square kilometres", "square kilometers", "square kilometre", "square kilometer"],
    "km": ["km", "kilometres", "kilometers", "kilometre", "kilometer"],
    "cm": ["cm", "centimetres", "centimeters", "centimetre", "centimeter"],
    "mm": ["mm", "millimetres", "millimeters", "millimetre", "millimeter"],
    "m": ["m", "metres", "meters", "metre", "meter"],
    "ft": ["ft", "feet", "foot"],
    "in": ["inches", "inch"],
    "mi": ["miles", "mile"],
    "knots": ["knots", "knot"],
    "°C": ["°C", "℃", "degrees Celsius", "degrees C", "C"],
    "°F": ["°F", "degrees Fahrenheit", "degrees F", "F"],
    "ha": ["hectares", "hectare", "ha"],
    "acres": ["acres", "acre"],
    "t": ["tonnes", "tonne", "tons", "ton"],
    "kg": ["kg", "kilograms", "kilogrammes", "kilos"],
    "l": ["litres", "liters", "litre", "liter"],
}
_MEASURE_OF = {written.casefold(): unit for unit, forms in _MEASURES.items() for written in forms}
# The unit right after a figure: "4.3 metres", "4.3m", "180 km/h", "a 10-metre wall". The
# one-letter forms ("C", "F") only with a degree sign or when glued to the figure.
_MEASURE = re.compile(
    r"\s?-?(?P<unit>" + "|".join(sorted((re.escape(w) for w in _MEASURE_OF if len(w) > 1 or w == "m"),
                                            key=len, reverse=True)) + r")(?![\w/²³])",
    re.IGNORECASE,
)
# Concepts a measured figure may still count ("a depth of 10 km"); the others ("killed",
# "missing") never describe a figure in metres or km/h.
_MEASURED_CONCEPTS = frozenset(("depth",))
_ORDINAL = re.compile(
    r"\b(?P<num>\d+)(?:st|nd|rd|th)\b|\b(?P<word>" + "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
_FEW = re.compile(r"\bone of (?:the |a |only |just )*(?P<what>few|handful|only|several|many|first|last)\b", re.IGNORECASE)
_WEEKDAY = re.compile(r"\b(?P<day>" + "|".join(WEEKDAY_NAMES) + r")(?:'s|’s)?\b", re.IGNORECASE)
_MONTH_DAY = re.compile(
    rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}}))?"
    rf"|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>{_MONTH})\b\.?(?:,?\s+(?P<year2>\d{{4}}))?",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"(?<![\w:.])(?P<hour>\d{1,2})(?P<sep>[:.])(?P<minute>\d{2})(?![\d:])(?:\s*(?P<half>[ap]\.?m\.?)(?!\w))?",
    re.IGNORECASE,
)
# Part of a year a plan or a forecast is given for ("in the first half of 2026", "by the end
# of 2026", "Q3 2025", "late 2026"), as (first month, last month) of that year.
_HALVES = {"first": (1, 6), "1st": (1, 6), "second": (7, 12), "2nd": (7, 12)}
_QUARTERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
             "final": 4, "last": 4}
_PARTS = {"start": (1, 3), "beginning": (1, 3), "early": (1, 4), "middle": (5, 8), "mid": (5, 8),
          "late": (9, 12), "end": (10, 12), "spring": (3, 5), "summer": (6, 8), "autumn": (9, 11),
          "fall": (9, 11), "winter": (12, 12)}
_PERIOD = re.compile(
    r"\b(?:(?P<half>first|1st|second|2nd)\s+half|(?P<quarter>first|1st|second|2nd|third|3rd|fourth|4th|final|last)\s+quarter"
    r"|(?P<part>start|beginning|middle|end|spring|summer|autumn|fall|winter))\s+of\s+(?:the\s+year\s+)?(?P<year>(?:19|20)\d\d)\b"
    r"|\b(?P<early>early|mid|late)[\s-](?P<year2>(?:19|20)\d\d)\b"
    r"|\b(?:Q(?P<q>[1-4])|(?P<h>H[12]))\s+(?P<year3>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(
    r"(?<![\w,.$])(?P<year>1[89]\d\d|20\d\d)(?:\s?[-–]\s?(?P<end>1[89]\d\d|20\d\d))?(?:s)?(?!\w|[.,]\d)"
)


@dataclass(frozen=True)
class Fact:
    kind: str                      # "number" | "weekday" | "date" | "time" | "daypart" | "period" | "ordinal" | "rank"
                                   # | "year" | "attribution"
    key: str                       # what it counts: a concept, a unit, a head noun
    value: object                  # float, int, str, (month, day), (year, month, day), (year, end year)
                                   # or, for a period, (year, first month, last month); for a part
                                   # of a day, ((first hour, last hour), ...)
    surface: str                   # as written, for the reader
    start: int                     # offsets into the sentence
    end: int
    context: frozenset[str] = frozenset()   # stems around it
    qualifier: str = ""            # ">=", "~", ... for numbers
    step: float = 0.0              # the rounding unit the figure is written to
    unit: str = ""                 # currency or "%"
    measure: str = ""              # the unit of a measurement ("m", "km/h"), canonical
    over: float = 0.0              # hours of the period a figure is counted over ("in 24 hours"), 0 if none
    head: bool = False             # the key is only the word after the figure ("31 nations"), no concept or unit


@dataclass(frozen=True)
class Clause:
    """What the clause around a fact says besides the fact. A function of the sentence's text
    and facts alone, so it is read with them (and kept between builds with the sentence's
    reading, see align.py) rather than worked out again by every build's links."""

    days: frozenset[object]        # weekdays and calendar days written in it
    events: frozenset[str]         # event markers of its verbs
    years: frozenset[object]       # years written in it
    years_up_to: frozenset[object] # years the sentence names up to its end


def fact_clauses(text: str, facts: Sequence[Fact]) -> tuple[Clause, ...]:
    """The clause of each of the sentence's facts, in the order of `facts`."""
    return tuple(_clause_around(text, facts, fact) for fact in facts)


def _clause_around(text: str, facts: Sequence[Fact], fact: Fact) -> Clause:
    left, right = clause_bounds(text, fact.start, fact.end)
    inside = [f for f in facts if left <= f.start and f.end <= right]
    return Clause(
        frozenset(normal(f) for f in inside if f.kind in ("weekday", "date")),
        frozenset(event_markers(text, left, right)),
        frozenset(f.value for f in inside if f.kind == "year"),
        # "a quake in 1998 killed 54", "in 1998, a quake killed 54" date their figures; a year in
        # a later clause ("peaked at 5.1 metres, the highest since 1921") does not
        frozenset(f.value for f in facts if f.kind == "year" and f.start < right),
    )


def normal(fact: Fact) -> object:
    """The value two facts must share to state the same."""
    if fact.kind == "date" and len(fact.value) == 3:
        return fact.value[1:]   # "15 August 2023" and "August 15" state the same day
    return fact.value


def extract_facts(text: str, organisations: Sequence[tuple[int, int, str]] = ()) -> tuple[Fact, ...]:
    """Every fact this sentence states, in order of appearance.

    `organisations` are the (start, end, entity id) of organisations named in the sentence:
    the one a report is attributed to ("according to KCNA") becomes an "attribution" fact.
    """
    clues = _Clues(text)
    taken: list[tuple[int, int]] = []
    facts: list[Fact] = _attributions(text, organisations)
    # each kind's patterns run only where the text holds what they need (most sentences state
    # no figure and no day): the same facts, a fraction of the regex passes
    found: list[Fact] = []
    if clues.digit:
        found += _periods(text) + _dates(text) + _times(text)
    if clues.any(_DAY_PART_CLUES):
        found += _day_parts(text)
    if clues.any(_WEEKDAY_CLUES):
        found += _weekdays(text)
    if clues.any(_RANK_CLUES):
        found += _ranks(text)
    if clues.digit or clues.any(_ORDINAL_CLUES):
        found += _ordinals(text)
    for fact in found:
        if not _overlaps(taken, fact.start, fact.end):
            facts.append(fact)
            taken.append((fact.start, fact.end))
    if clues.digit:
        for year in _YEAR.finditer(text):
            if not _overlaps(taken, year.start(), year.end()):
                taken.append((year.start(), year.end()))
                value = (int(year.group("year")), int(year.group("end") or year.group("year")))
                facts.append(Fact("year", "year", value, year.group(0), year.start(), year.end()))
    if clues.digit or clues.any(_WORD_NUMBER_CLUES):
        facts.extend(_numbers(text, taken, clues))
    return tuple(sorted(_date_the_reports(text, facts), key=lambda f: (f.start, f.end, f.kind)))


_ANY_DIGIT = re.compile(r"\d")
# The words without one of which a pattern cannot match (each pattern matches whole words, so
# a match means the word stands among the sentence's letter runs, see _Clues).
_DAY_PART_CLUES = frozenset(("morning", "afternoon", "evening", "night", "overnight", "tonight", "noon", "midday",
                             "midnight", "dawn", "daybreak", "sunrise", "light", "dusk", "sunset", "nightfall", "hours"))
_WEEKDAY_CLUES = frozenset(WEEKDAY_NAMES)
_RANK_CLUES = frozenset(("one",))
_ORDINAL_CLUES = frozenset(part for word in ORDINAL_WORDS for part in word.split("-"))
_WORD_NUMBER_CLUES = frozenset(_SMALL_WORDS) | {"dozen", "hundred"}
# The period a figure is counted over needs one of these units, not always a word on its own
# ("in threedays" is read too): looked for inside the lower-cased text.
_PERIOD_UNITS = tuple(_HOURS)


class _Clues:
    """What a sentence holds that the patterns need: a digit, and its runs of letters."""

    def __init__(self, text: str) -> None:
        self.digit = _ANY_DIGIT.search(text) is not None
        self._letters = letter_runs(text)
        self._text = text
        self._lowered: str | None = None

    def any(self, words: frozenset[str]) -> bool:
        return not words.isdisjoint(self._letters)

    def holds(self, parts: tuple[str, ...]) -> bool:
        """Whether the lower-cased text holds one of these (lower-case ASCII) strings."""
        lowered = self._lowered if self._lowered is not None else self._text.lower()
        self._lowered = lowered
        return any(part in lowered for part in parts)


def _event_between(text: str, a: Fact, b: Fact) -> bool:
    """An "after" or a "when" between a count and a day: "dead after the dam gave way on Sunday"
    dates the dam, not the count."""
    first, second = sorted((a, b), key=lambda f: f.start)
    return _LATER_CLAUSE.search(text, first.end, second.start) is not None


def _date_the_reports(text: str, facts: list[Fact]) -> list[Fact]:
    """A day that dates a statement or a count rather than an event ("the ministry said on
    Monday", "the toll rose to 11 on Tuesday", "by Friday it had killed six") is keyed
    REPORT_KEY: reports of successive days give different such days without contradicting
    one another, and an event's day is never compared with a report's."""
    counts = [f for f in facts if f.kind == "number" and f.key in _CASUALTY_CONCEPTS]
    out = []
    for fact in facts:
        if fact.kind in ("weekday", "date", "daypart"):
            left, right = clause_bounds(text, fact.start, fact.end)
            if (_REPORTED_ON.search(text, left, fact.start)
                    or any(left <= c.start and c.end <= right and not _event_between(text, c, fact) for c in counts)):
                fact = replace(fact, key=REPORT_KEY)
        out.append(fact)
    return out


def _attributions(text: str, organisations: Sequence[tuple[int, int, str]]) -> list[Fact]:
    facts = []
    for start, end, entity in organisations:
        before = text[max(0, start - _ATTRIBUTION_REACH) : start]
        after = text[end : end + _ATTRIBUTION_REACH]
        if _ATTRIBUTED_BEFORE.search(before) or _ATTRIBUTED_AFTER.match(after):
            facts.append(Fact("attribution", "attribution", entity, text[start:end], start, end,
                              _clause(text, start, end)))
    return facts


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the clause around text[start:end] begins and ends."""
    starts, ends, later = _boundaries(text)
    before = bisect_left(starts, start)
    after = bisect_left(starts, end)
    if ((before and ends[before - 1] > start) or (after and ends[after - 1] > end) or text[start - 1 : start] == ":"
            or any(s < end < e for s, e in later)):
        # a boundary across an edge, or a colon the range would cut from its digit: the range
        # read on its own may differ from the whole sentence's boundaries
        return _clause_bounds_read(text, start, end)
    left = ends[bisect_right(ends, start) - 1] if bisect_right(ends, start) else 0
    right = min(starts[after:after + 1] + [s for s, _ in later if s >= end][:1], default=len(text))
    return left, right


def _clause_bounds_read(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _CLAUSE_BOUNDARY.finditer(text, 0, start)), default=0)
    right = min((m.start() for m in (_CLAUSE_BOUNDARY.search(text, end), _LATER_CLAUSE.search(text, end)) if m),
                default=len(text))
    return left, right


# Distinct sentences whose clause boundaries are remembered: each is asked about once per fact,
# the facts of a sentence one after the other.
_BOUNDARY_CACHE_SIZE = 4096


@lru_cache(maxsize=_BOUNDARY_CACHE_SIZE)
def _boundaries(text: str) -> tuple[list[int], list[int], tuple[tuple[int, int], ...]]:
    """Starts and ends of the clause boundaries of a text, and the (start, end) of the words
    opening a later clause, each in order."""
    found = [(m.start(), m.end()) for m in _CLAUSE_BOUNDARY.finditer(text)]
    return [s for s, _ in found], [e for _, e in found], tuple((m.start(), m.end()) for m in _LATER_CLAUSE.finditer(text))


def _common_words(text: str, start: int, end: int) -> list[str]:
    """The words of text[start:end] that are not names (capitalised inside the sentence): a
    place both sentences name says nothing about which of their days is the same day."""
    out = []
    for token in WORD.finditer(text, start, end):
        if token.start() > 0 and token.group(0)[0].isupper():
            continue
        out.extend(words(token.group(0)))
    return out


def _clause(text: str, start: int, end: int) -> frozenset[str]:
    """The stems of the clause a day, a time or an attribution sits in: what it dates or
    attributes ("announced", "struck", "closing price"), without the calendar words themselves."""
    left, right = clause_bounds(text, start, end)
    plain = without_event_verbs(text)
    tokens = _common_words(plain, left, start) + _common_words(plain, end, right)
    stems = {stem(w) for w in tokens if w not in STOP_WORDS and w not in _CALENDAR_WORDS and not w.isdigit() and len(w) > 1}
    # "gave way" and "collapsed" date the same event
    return frozenset(stems | event_markers(text, left, right))


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in taken)


def _context(text: str, start: int, end: int) -> tuple[frozenset[str], list[str]]:
    """The stems around a figure, and the raw words nearest first (after, before, after, ...)."""
    before = [w for w in words(text[:start]) if _describes(w)][-_CONTEXT_WORDS:]
    after = [w for w in words(text[end:]) if _describes(w)][:_CONTEXT_WORDS]
    nearest_first = [w for pair in zip_longest(after, reversed(before)) for w in pair if w]
    return frozenset(stem(w) for w in nearest_first), nearest_first


def _describes(word: str) -> bool:
    """Context words: not function words, figures or the concept words already in the key."""
    return word not in STOP_WORDS and not word.isdigit() and word not in _CONCEPT_OF and word not in _QUALIFIER_WORDS


def _qualifier(text: str, start: int) -> str:
    head = text[max(0, start - 20) : start].casefold()
    # each pattern wants its phrase at the end, but for spaces and a currency sign
    bare = (head[:-1] if head[-1:] in ("$", "€", "£") else head).rstrip()
    if not bare.endswith(_QUALIFIER_ENDINGS):
        return ""
    for pattern, sign in _QUALIFIER_PATTERNS:
        if pattern.search(head):
            return sign
    return ""


def _numbers(text: str, taken: list[tuple[int, int]], clues: "_Clues | None" = None) -> list[Fact]:
    """Figures not already part of a date, a year or an ordinal, each keyed by what it counts."""
    found: list[_Figure] = []
    for match in (_NUMBER.finditer(text) if clues is None or clues.digit else ()):
        if _overlaps(taken, match.start(), match.end()):
            continue
        digits = match.group("num").replace(",", "")
        scale_word = (match.group("scale") or "").casefold()
        currency = (match.group("cur") or "").strip().replace("US$", "$").replace("USD", "$")
        if scale_word in ("m", "b", "k") and not currency:
            scale_word = ""   # "5 m" is metres and "6 b" a list item, unless it is money
        scale = _SCALES.get(scale_word, 1.0)
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        unit = currency or ("%" if match.group("pct") else "")
        end = match.end() if (scale_word or unit) else match.end("num")
        measure = _MEASURE.match(text, end) if not (scale_word or unit) else None
        if measure:
            end = measure.end()
        found.append(_Figure(match.start(), end, float(digits) * scale, (10 ** -decimals) * scale, unit,
                             _MEASURE_OF[measure.group("unit").casefold()] if measure else ""))
    for match in (_WORD_NUMBER.finditer(text) if clues is None or clues.any(_WORD_NUMBER_CLUES) else ()):
        if not _overlaps(taken, match.start(), match.end()):
            measure = _MEASURE.match(text, match.end())
            scale = match.group("scale")
            found.append(_Figure(match.start(), measure.end() if measure else match.end(), _word_number(match),
                                 _WORD_SCALES[scale.casefold()] if scale else 1.0, "",
                                 _MEASURE_OF[measure.group("unit").casefold()] if measure else "",
                                 "~" if match.group("dozen") else "", words=True))
    if not found:
        return []
    found.sort(key=lambda f: (f.start, f.end))
    concepts = _assign_concepts(text, [(f.start, f.end, bool(f.measure)) for f in found])
    facts = []
    for figure, concept in zip(found, concepts):
        if figure.words and figure.value == 1 and concept not in _CASUALTY_CONCEPTS:
            continue
        context, _ = _context(text, figure.start, figure.end)
        # a currency or a percent sign says what a figure is more surely than a nearby word;
        # a unit says it is a measurement (of what, the context and the alignment tell)
        key = ("percent" if figure.unit == "%" else figure.unit) or concept or figure.measure
        elapsed = _ELAPSED.match(text, figure.end)
        head = not key and not elapsed
        key = ELAPSED_KEY if elapsed else key or _head(text, figure.end)
        over = _counted_over(text, figure) if clues is None or clues.holds(_PERIOD_UNITS) else 0.0
        facts.append(Fact("number", key, figure.value, text[figure.start:figure.end].strip(), figure.start, figure.end,
                          context, figure.qualifier or _qualifier(text, figure.start), figure.step, figure.unit,
                          figure.measure, over, head))
    return facts


def _counted_over(text: str, figure: "_Figure") -> float:
    """The period, in hours, the clause of a figure counts it over: "80 mm of rain in 24 hours"
    is 24, "120 mm over three days" 72 (two figures over different periods are no conflict)."""
    left, right = clause_bounds(text, figure.start, figure.end)
    for m in _COUNTED_OVER.finditer(text, left, right):
        if m.start() >= figure.end or m.end() <= figure.start:
            amount = (m.group("amount") or "").casefold()
            number = _WORD_NUMBER.fullmatch(amount)
            value = 1.0 if amount in ("a", "an", "one", "") else float(_word_number(number)) if number else float(amount)
            return value * _HOURS[m.group("unit").casefold().rstrip("s")]
    return 0.0


@dataclass(frozen=True)
class _Figure:
    start: int
    end: int
    value: float
    step: float
    unit: str
    measure: str = ""
    qualifier: str = ""
    words: bool = False


def _word_number(match: re.Match) -> float:
    """The value of a number written in words ("forty-six", "two hundred and five", "a dozen")."""
    if match.group("dozen"):
        value = 12
    elif match.group("hundreds"):
        hundreds = match.group("hundreds").casefold()
        value = 100 * (1 if hundreds == "a" else _small_value(hundreds))
        value += _small_value(match.group("rest")) if match.group("rest") else 0
    else:
        value = _small_value(match.group("small"))
    scale = match.group("scale")
    return float(value * (_WORD_SCALES[scale.casefold()] if scale else 1))


def _small_value(text: str) -> int:
    """"forty-six", "forty six", "nineteen", "nine"."""
    return sum(_SMALL_WORDS[part] for part in re.split(r"[\s-]+", text.casefold()) if part)


def _assign_concepts(text: str, spans: list[tuple[int, int, bool]]) -> list[str | None]:
    """Give each figure the concept word that belongs to it.

    A concept word next to a figure is its own ("magnitude 7.0", "4,200 injured"); the others
    go, nearest first, to figures that have none yet, a figure after the word before one
    before it ("the toll rose to 1,380", "injuring more than 4,000"), a word of the figure's own
    clause before one across a boundary ("40 are missing and 1,200 were evacuated"). So in "the death toll from
    the magnitude 7.0 quake rose to 1,380" the toll is 1,380, not 7.0. A figure with a unit
    (the third item of a span) takes only the concepts measured in units ("a depth of 10 km"):
    in "floods two metres deep killed nine" the dead are nine.
    """
    concepts: list[str | None] = [None] * len(spans)
    word_starts = [m.start() for m in WORD.finditer(text)]

    def words_between(start: int, end: int) -> int:
        return bisect_left(word_starts, end) - bisect_left(word_starts, start)

    pairs = []
    for match in _CONCEPT_WORD.finditer(text):
        concept = _CONCEPT_OF[" ".join(match.group(0).casefold().split())]
        for i, (start, end, measured) in enumerate(spans):
            if measured and concept not in _MEASURED_CONCEPTS:
                continue
            if match.start() >= end:
                distance, after_word, gap = words_between(end, match.start()), 1, (end, match.start())
            elif match.end() <= start:
                distance, after_word, gap = words_between(match.end(), start), 0, (match.end(), start)
            else:
                continue
            crosses = _crosses_clause(text, *gap)
            pairs.append((distance > 0, crosses, distance, after_word, match.start(), i, concept))
    owner_taken: set[int] = set()
    for _, _, distance, _, word_start, i, concept in sorted(pairs):
        if concepts[i] is None and word_start not in owner_taken and distance <= _MAX_CONCEPT_DISTANCE:
            concepts[i] = concept
            owner_taken.add(word_start)
    return concepts


def _crosses_clause(text: str, start: int, end: int) -> bool:
    """Whether a clause boundary stands between text[start] and text[end] (the spaces around
    an "and" included)."""
    return _CLAUSE_BOUNDARY.search(text, max(0, start - 1), min(len(text), end + 1)) is not None


def _head(text: str, end: int) -> str:
    """The first content word after a figure ("2,012 people" -> "peopl"), else ""."""
    after = [w for w in words(text[end:]) if w not in STOP_WORDS]
    return stem(after[0]) if after else ""


def _times(text: str) -> list[Fact]:
    """Clock times ("4:17 a.m.", "16:05"), valued in minutes after midnight."""
    facts = []
    for m in _TIME.finditer(text):
        hour, minute = int(m.group("hour")), int(m.group("minute"))
        half = (m.group("half") or "").casefold().replace(".", "")
        if hour > 23 or minute > 59 or (half and not 1 <= hour <= 12):
            continue
        if m.group("sep") == "." and not half:
            continue   # "2.50" is a figure; "2.50 pm" a time
        if half == "pm" and hour != 12:
            hour += 12
        elif half == "am" and hour == 12:
            hour = 0
        zone = _ZONE.match(text, m.end())
        # the key is the time zone: "18:12 GMT" and "00:12 local time" may be one moment
        key = zone.group("zone").casefold().removesuffix(" time") if zone else ""
        facts.append(Fact("time", key, hour * 60 + minute, m.group(0).rstrip(), m.start(), m.end(),
                          _clause(text, m.start(), m.end())))
    return facts


def _day_parts(text: str) -> list[Fact]:
    """Parts of a day ("on Sunday afternoon", "shortly before noon", "overnight"), valued as the
    spans of hours they may mean."""
    facts = []
    for m in _DAY_PART.finditer(text):
        part = " ".join(m.group("part").casefold().replace("-", " ").split())
        for synonym, canonical in _DAY_PART_SYNONYMS.items():
            if part.endswith(synonym):   # "before daybreak" is "before dawn"
                part = part[: -len(synonym)] + canonical
        if part not in _DAY_PARTS:
            continue
        facts.append(Fact("daypart", "daypart", _DAY_PARTS[part], m.group(0), m.start(), m.end(),
                          _clause(text, m.start(), m.end())))
    return facts


def _weekdays(text: str) -> list[Fact]:
    return [
        Fact("weekday", "weekday", m.group("day").casefold(), m.group("day"), m.start(), m.end("day"),
             _clause(text, m.start(), m.end()))
        for m in _WEEKDAY.finditer(text)
    ]


def _dates(text: str) -> list[Fact]:
    facts = []
    for m in _MONTH_DAY.finditer(text):
        month_word = (m.group("month") or m.group("month2")).casefold()
        day = int(m.group("day") or m.group("day2"))
        year = m.group("year") or m.group("year2")
        month = MONTHS[month_word]
        if not 1 <= day <= 31 or (month_word == "may" and m.group("day2") is None and not m.group("year")):
            continue   # "may 5" is as often the verb as the month
        value = (int(year), month, day) if year else (month, day)
        facts.append(Fact("date", "date", value, m.group(0).rstrip("."), m.start(), m.end(),
                          _clause(text, m.start(), m.end())))
    return facts


def _periods(text: str) -> list[Fact]:
    """Parts of a year: "the first half of 2026" is (2026, 1, 6), "by the end of 2026" (2026, 10, 12)."""
    facts = []
    for m in _PERIOD.finditer(text):
        year = int(m.group("year") or m.group("year2") or m.group("year3"))
        if m.group("half") or m.group("h"):
            months = _HALVES[m.group("half").casefold()] if m.group("half") else _HALVES["first" if m.group("h")[1] == "1" else "second"]
        elif m.group("quarter") or m.group("q"):
            quarter = _QUARTERS[m.group("quarter").casefold()] if m.group("quarter") else int(m.group("q"))
            months = (3 * quarter - 2, 3 * quarter)
        else:
            months = _PARTS[(m.group("part") or m.group("early")).casefold()]
        context, _ = _context(text, m.start(), m.end())
        facts.append(Fact("period", "period", (year, *months), m.group(0), m.start(), m.end(), context))
    return facts


def _ordinals(text: str) -> list[Fact]:
    facts = []
    for m in _ORDINAL.finditer(text):
        number = int(m.group("num")) if m.group("num") else ORDINAL_WORDS[m.group("word").casefold()]
        head, head_start = _ordinal_head(text, m.end())
        if not head or head in _GENERIC_HEADS:
            continue
        surface_end = head_start + len(head) if 0 <= head_start - m.end() <= _HEAD_REACH else m.end()
        context, _ = _context(text, m.start(), surface_end)
        facts.append(Fact("ordinal", stem(head), number, text[m.start():surface_end], m.start(), surface_end, context))
    return facts


def _ordinal_head(text: str, end: int) -> tuple[str, int]:
    """The noun an ordinal counts and where it starts: the first content word after it, or the
    last word of a name that follows ("the fifth Ocean Summit" counts summits)."""
    head, start = "", -1
    for token in WORD.finditer(text, end):
        word = "".join(words(token.group(0)))
        if not head and word in STOP_WORDS:
            continue
        if head and not (token.group(0)[0].isupper() and text[previous_end:token.start()] == " "):
            break
        head, start, previous_end = word, token.start(), token.end()
        if not token.group(0)[0].isupper():
            break
    return head, start


def _ranks(text: str) -> list[Fact]:
    facts = []
    for m in _FEW.finditer(text):
        context, _ = _context(text, m.start(), m.end())
        facts.append(Fact("rank", "rank", m.group("what").casefold(), m.group(0), m.start(), m.end(), context))
    return facts
