"""Find date expressions in English text and resolve them to calendar dates.

Self-contained (standard library only) so any stage can use it:

    find_dates(text) -> tuple[DateMention, ...]      what the text says, unresolved
    resolve(mention, reference) -> ResolvedDate | None
                                                      a calendar date, given what "now" is

`reference` is a `Reference`: the day the text was written when known (`day`), else only
its year (`year`). Absolute expressions ("15 August 2023", "1950-1953", "2019") resolve
without a reference; partial and relative ones ("July 27", "last July", "on Monday",
"last year") need one and come back marked `inferred=True`.

The public surface is `DateMention`, `Reference`, `ResolvedDate`, `find_dates`, `resolve`
and `format_date`, and the month and weekday names (`MONTH_NAMES`, `MONTHS`, `WEEKDAY_NAMES`,
`WEEKDAYS`) that every stage shares; everything else is private.
"""
from __future__ import annotations

import bisect
import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache

# The one home of month and weekday names: every stage that reads dates takes them from here.
MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sept": 9, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
# name or abbreviation, lower case -> 1..12 (full names first: a pattern built from the keys
# tries "january" before "jan")
MONTHS = {**{name: number for number, name in enumerate(MONTH_NAMES, 1)}, **_MONTH_ABBREVIATIONS}
WEEKDAYS = {name: number for number, name in enumerate(WEEKDAY_NAMES)}   # 0 = Monday

# Years a news text plausibly talks about; outside this a four-digit number is a count.
_MIN_YEAR, _MAX_YEAR = 1000, 2099

# A month/day without a year is placed in the year that puts it nearest the reference day,
# but an event more than this many days ahead is more likely last year's than a plan.
_FUTURE_TOLERANCE_DAYS = 60


@dataclass(frozen=True)
class DateMention:
    """One date expression as written, with the fields it states.

    kind: "date" (y-m-d), "month-day" (m-d, no year), "month-year", "decade" ("the 1990s",
    a range of its years), "month" (month alone,
    possibly with `shift` -1/0/+1 for "last/this/next July"), "year", "year-range",
    "weekday" (`shift` -1 last, 0 bare/on/this, +1 next), "relative-year" / "relative-month"
    / "relative-day" (offset in `shift`).
    """

    start: int
    end: int
    text: str
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    end_year: int | None = None     # for year ranges
    weekday: int | None = None      # 0 = Monday
    shift: int = 0

    @property
    def is_absolute(self) -> bool:
        return self.kind in ("date", "month-year", "year", "year-range", "decade")


@dataclass(frozen=True)
class Reference:
    """What "now" is for a text: the day when known, else just the year."""

    day: _dt.date | None = None
    year: int | None = None

    @property
    def known_year(self) -> int | None:
        return self.day.year if self.day else self.year


@dataclass(frozen=True)
class ResolvedDate:
    date: str                 # "YYYY" | "YYYY-MM" | "YYYY-MM-DD"
    end: str | None = None    # for ranges
    inferred: bool = False


# --- finding ---------------------------------------------------------------------------

_MONTH = (
    r"(?P<{g}>" + "|".join(name.capitalize() for name in MONTH_NAMES)
    + "|" + "|".join(rf"{short.capitalize()}\.?" for short in _MONTH_ABBREVIATIONS) + ")"
)
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{g}>1\d{{3}}|20\d{{2}})"
_WEEKDAY = r"(?P<{g}>" + "|".join(name.capitalize() for name in WEEKDAY_NAMES) + ")"
# A weekday written before a full date ("Thursday, April 25, 2019") belongs to that date.
_WEEKDAY_ANY = r"(?:" + "|".join(name.capitalize() for name in WEEKDAY_NAMES) + ")"
_DASH = r"\s*[-\u2010-\u2015/]\s*"


def _g(pattern: str, name: str) -> str:
    return pattern.format(g=name)


# Ordered: longer, more specific forms first; a later pattern never overlaps an earlier match.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rx)) for kind, rx in (
        ("iso", r"\b(?P<y>1\d{3}|20\d{2})-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-2]\d|3[01])\b"),
        ("mdy", rf"\b(?:{_WEEKDAY_ANY},?\s+)?{_g(_MONTH, 'm')}\s+{_g(_DAY, 'd')},?\s+{_g(_YEAR, 'y')}\b"),
        ("dmy", rf"\b(?:{_WEEKDAY_ANY},?\s+)?{_g(_DAY, 'd')}\s+(?:of\s+)?{_g(_MONTH, 'm')},?\s+{_g(_YEAR, 'y')}\b"),
        ("my", rf"\b{_g(_MONTH, 'm')},?\s+(?:of\s+)?{_g(_YEAR, 'y')}\b"),
        ("range", rf"(?<![\d,.$])\b(?:from\s+|between\s+)?{_g(_YEAR, 'y')}(?:{_DASH}|\s+(?:to|and|until)\s+){_g(_YEAR, 'y2')}\b(?!\d|,\d|%)"),
        ("decade", r"(?<![\d$])\b(?P<y>1\d\d0|20\d0)(?:'|’)?s\b"),
        ("md", rf"\b{_g(_MONTH, 'm')}\s+{_g(_DAY, 'd')}\b(?![\d,.]*\d)"),
        ("dm", rf"\b{_g(_DAY, 'd')}\s+(?:of\s+)?{_g(_MONTH, 'm')}\b"),
        ("rel-month", r"(?i:\b(?P<rel>last|this|next|previous|past)\s+)" + _g(_MONTH, "m") + r"\b"),
        ("in-month", r"(?i:\b(?:in|since|until|by|during|early|late|mid)[\s-]+(?:early\s+|late\s+|mid-)?)" + _g(_MONTH, "m") + r"\b"),
        ("weekday", r"(?i:\b(?:(?P<rel>last|this|next|past|previous)\s+)?)" + _g(_WEEKDAY, "w") + r"\b"),
        ("rel-day", r"(?i:\b(?P<word>yesterday|today|tomorrow)\b)"),
        ("rel-unit", r"(?i:\b(?P<rel>last|this|next|past|previous)\s+(?P<unit>year|month)\b)"),
        ("ago", r"(?i:\b(?P<n>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?P<unit>year|month|day)s?\s+ago\b)"),
        ("year", r"(?<![\d,.$€£¥#])\b(?P<y>1\d{3}|20\d{2})\b(?!\d|,\d|\s*(?:%|percent|per cent))"),
    )
)

# What each kind's pattern cannot match without, looked for first with plain substring tests
# (no word boundaries, the same case rules as the pattern: a clue only has to never miss).
# Most sentences state no date and most dated ones hold one or two kinds: the clues spare
# them most of the fifteen patterns.
_NEEDS: dict[str, frozenset[str]] = {kind: frozenset(needs) for kind, needs in (
    ("iso", ("year",)), ("mdy", ("year", "month")), ("dmy", ("year", "month")), ("my", ("year", "month")),
    ("range", ("year",)), ("decade", ("year",)), ("md", ("digit", "month")), ("dm", ("digit", "month")),
    ("rel-month", ("month",)), ("in-month", ("month",)), ("weekday", ("weekday",)),
    ("rel-day", ("day-word",)), ("rel-unit", ("unit",)), ("ago", ("ago",)), ("year", ("year",)),
)}
_DIGIT = re.compile(r"\d")
_YEAR_DIGITS = re.compile(r"1\d\d\d|20\d\d")
# Every month name and abbreviation starts with one of these, capitalised as the patterns want.
_MONTH_PREFIX = re.compile("|".join(name[:3].capitalize() for name in MONTH_NAMES))
_WEEKDAY_WORD = re.compile("|".join(name.capitalize() for name in WEEKDAY_NAMES))
# Words the patterns read in any case. For ASCII text a search of the lower-cased text is
# exact and several times faster; other text keeps the case-blind regex, whose case rules
# ("ſ" is an "s") lower() lacks.
_ANY_CASE_CLUES = {"day-word": ("yesterday", "today", "tomorrow"), "unit": ("year", "month"), "ago": ("ago",)}
_LOWER_CASE_REGEX = {clue: re.compile("|".join(words)) for clue, words in _ANY_CASE_CLUES.items()}
_ANY_CASE_REGEX = {clue: re.compile("(?i)" + "|".join(words)) for clue, words in _ANY_CASE_CLUES.items()}


def _clues(text: str) -> frozenset[str]:
    """The clues `text` holds (see `_NEEDS`)."""
    found = []
    if _DIGIT.search(text):
        found.append("digit")
        if _YEAR_DIGITS.search(text):
            found.append("year")
    if _MONTH_PREFIX.search(text):
        found.append("month")
    if _WEEKDAY_WORD.search(text):
        found.append("weekday")
    if text.isascii():
        text, regexes = text.lower(), _LOWER_CASE_REGEX
    else:
        regexes = _ANY_CASE_REGEX
    for clue, regex in regexes.items():
        if regex.search(text):
            found.append(clue)
    return frozenset(found)


_SMALL_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_SHIFTS = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1}


def _month(token: str) -> int:
    return MONTHS[token.rstrip(".").lower()]


def _valid(year: int, month: int, day: int) -> bool:
    try:
        _dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _mention(kind: str, match: re.Match[str]) -> DateMention | None:
    """Turn one regex match into a mention, or None when the numbers are not a date."""
    g = match.groupdict()
    base = {"start": match.start(), "end": match.end(), "text": match.group(0)}
    if kind in ("iso", "mdy", "dmy"):
        y, m, d = int(g["y"]), (int(g["m"]) if kind == "iso" else _month(g["m"])), int(g["d"])
        return DateMention(kind="date", year=y, month=m, day=d, **base) if _valid(y, m, d) else None
    if kind == "my":
        return DateMention(kind="month-year", year=int(g["y"]), month=_month(g["m"]), **base)
    if kind == "range":
        y, y2 = int(g["y"]), int(g["y2"])
        # "1950-53" is not matched (two-digit ends); a reversed or century-long span is a count.
        return DateMention(kind="year-range", year=y, end_year=y2, **base) if y < y2 <= y + 100 else None
    if kind == "decade":
        y = int(g["y"])
        return DateMention(kind="decade", year=y, end_year=y + 9, **base)
    if kind in ("md", "dm"):
        m, d = _month(g["m"]), int(g["d"])
        return DateMention(kind="month-day", month=m, day=d, **base) if _valid(2000, m, d) else None
    if kind == "rel-month":
        return DateMention(kind="month", month=_month(g["m"]), shift=_SHIFTS[g["rel"].lower()], **base)
    if kind == "in-month":
        return _month_alone(match, g, base)
    if kind == "weekday":
        if _recurring(match.string, match.start()):
            return None     # "every Friday" recurs: no date
        rel = (g.get("rel") or "").lower()
        return DateMention(kind="weekday", weekday=WEEKDAYS[g["w"].lower()], shift=_SHIFTS.get(rel, 0), **base)
    if kind == "rel-day":
        return DateMention(kind="relative-day", shift={"yesterday": -1, "today": 0, "tomorrow": 1}[g["word"].lower()], **base)
    if kind == "rel-unit":
        return DateMention(kind=f"relative-{g['unit'].lower()}", shift=_SHIFTS[g["rel"].lower()], **base)
    if kind == "ago":
        n = _SMALL_NUMBERS.get(g["n"].lower()) or int(g["n"])
        return DateMention(kind=f"relative-{g['unit'].lower()}", shift=-n, **base)
    if kind == "year":
        y = int(g["y"])
        return DateMention(kind="year", year=y, **base) if _MIN_YEAR <= y <= _MAX_YEAR else None
    return None


_RECURRING = re.compile(r"(?i)\b(?:every|each)\Z")


def _recurring(text: str, start: int) -> bool:
    """Whether "every" or "each" (and spaces) stand right before `start`. Read backwards from
    `start` rather than by searching the text before it, which cost a pass over the whole
    paragraph per weekday: quadratic in a long paragraph."""
    word_end = start
    while word_end > 0 and text[word_end - 1].isspace():
        word_end -= 1
    return word_end < start and bool(_RECURRING.search(text, max(0, word_end - 5), word_end))


def _month_alone(match: re.Match[str], g: dict, base: dict) -> DateMention | None:
    """ "in May" is a month; "May" alone is too often the verb, so a preposition is required.
    The mention's span covers only the month name so it reads well inside a sentence."""
    name = g["m"]
    if name.rstrip(".").lower() == "may" and not name[0].isupper():
        return None
    start = match.start("m")
    return DateMention(kind="month", month=_month(name), start=start, end=base["end"], text=match.group("m"))


# Distinct texts remembered by `find_dates`: the timeline reads a paragraph and then its
# sentences, and a one-sentence paragraph is its own sentence. Small: only that reuse is near.
_FIND_CACHE_SIZE = 4096


@lru_cache(maxsize=_FIND_CACHE_SIZE)
def find_dates(text: str) -> tuple[DateMention, ...]:
    """Every date expression in `text`, in reading order, none overlapping another.

    Month names must be capitalised (as English writes them), which keeps "may" the verb
    and "march" the walk out; weekday and relative words may be any case.
    """
    clues = _clues(text)
    if not clues:
        return ()
    taken = _Taken()
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        if not _NEEDS[kind] <= clues:
            continue
        for match in pattern.finditer(text):
            if taken.overlaps(match.start(), match.end()):
                continue
            mention = _mention(kind, match)
            if mention is None:
                continue
            taken.add(match.start(), match.end())
            found.append(mention)
    return tuple(sorted(found, key=lambda m: (m.start, m.end)))


class _Taken:
    """The spans already taken by a date, disjoint and kept sorted, so whether a new match
    overlaps one is a binary search rather than a scan of them all (quadratic in the dates of
    a long paragraph)."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        # The last span starting before `end` has the latest end of those (spans are disjoint):
        # it overlaps iff it ends after `start`.
        i = bisect.bisect_left(self._starts, end) - 1
        return i >= 0 and self._ends[i] > start

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)


# --- resolving -------------------------------------------------------------------------

def format_date(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def resolve(mention: DateMention, reference: Reference | None = None, future: bool = False) -> ResolvedDate | None:
    """A calendar date for `mention`; None when it needs a reference that is not known.

    News mostly reports the past, so partial dates lean back from the reference ("on Monday"
    is the Monday just gone); `future=True`, for a sentence that looks ahead ("will vote in
    September"), makes them lean forward instead.
    """
    ref = reference or Reference()
    kind = mention.kind
    if kind == "date":
        return ResolvedDate(format_date(mention.year, mention.month, mention.day))
    if kind == "month-year":
        return ResolvedDate(format_date(mention.year, mention.month))
    if kind == "year":
        return ResolvedDate(format_date(mention.year))
    if kind in ("year-range", "decade"):
        return ResolvedDate(format_date(mention.year), end=format_date(mention.end_year))
    if kind == "month-day":
        return _resolve_month_day(mention, ref, future)
    if kind == "month":
        return _resolve_month(mention, ref, future)
    if kind == "weekday":
        return _resolve_weekday(mention, ref, future)
    if kind == "relative-day" and ref.day:
        day = ref.day + _dt.timedelta(days=mention.shift)
        return ResolvedDate(day.isoformat(), inferred=True)
    if kind == "relative-month" and ref.day:
        index = ref.day.year * 12 + ref.day.month - 1 + mention.shift
        return ResolvedDate(format_date(index // 12, index % 12 + 1), inferred=True)
    if kind == "relative-year" and ref.known_year:
        return ResolvedDate(format_date(ref.known_year + mention.shift), inferred=True)
    return None


def _resolve_month_day(mention: DateMention, ref: Reference, future: bool) -> ResolvedDate | None:
    if ref.day is None:
        if ref.year is None or not _valid(ref.year, mention.month, mention.day):
            return None
        return ResolvedDate(format_date(ref.year, mention.month, mention.day), inferred=True)
    # Nearest to the reference, but news mostly reports the past: only a near future counts,
    # unless the sentence looks ahead, when only the coming year counts.
    candidates = [
        _dt.date(y, mention.month, mention.day)
        for y in (ref.day.year - 1, ref.day.year, ref.day.year + 1)
        if _valid(y, mention.month, mention.day)
    ]
    if future:
        allowed = [c for c in candidates if 0 <= (c - ref.day).days <= 366]
    else:
        allowed = [c for c in candidates if (c - ref.day).days <= _FUTURE_TOLERANCE_DAYS]
    best = min(allowed, key=lambda c: abs((c - ref.day).days))
    return ResolvedDate(best.isoformat(), inferred=True)


def _resolve_month(mention: DateMention, ref: Reference, future: bool) -> ResolvedDate | None:
    if ref.day is None:
        # Only the year is known: the month is placed in that year ("in April" of the story's year).
        year = ref.year
        return ResolvedDate(format_date(year, mention.month), inferred=True) if year else None
    year = ref.day.year
    if mention.shift < 0:        # "last July": the latest July before the reference month
        year -= mention.month >= ref.day.month
    elif mention.shift > 0:      # "next July": the first July after the reference month
        year += mention.month <= ref.day.month
    elif future:
        year += mention.month < ref.day.month     # "will vote in March", written in June
    elif mention.month > ref.day.month + _FUTURE_TOLERANCE_DAYS // 30:
        year -= 1                # "in November" written in March is last November
    return ResolvedDate(format_date(year, mention.month), inferred=True)


def _resolve_weekday(mention: DateMention, ref: Reference, future: bool) -> ResolvedDate | None:
    """ "on Monday" in news is the Monday of the reporting week: on or before the reference
    day (on or after it in a sentence that looks ahead). "last Monday" is strictly before,
    "next Monday" strictly after."""
    if ref.day is None:
        return None
    back = (ref.day.weekday() - mention.weekday) % 7
    if mention.shift > 0:
        day = ref.day + _dt.timedelta(days=(mention.weekday - ref.day.weekday()) % 7 or 7)
    elif mention.shift < 0:
        day = ref.day - _dt.timedelta(days=back or 7)
    elif future:
        day = ref.day + _dt.timedelta(days=(mention.weekday - ref.day.weekday()) % 7)
    else:
        day = ref.day - _dt.timedelta(days=back)
    return ResolvedDate(day.isoformat(), inferred=True)
