"""Plain-text helpers every stage after cleaning shares: folding, word tokens, stems,
sentences and slugs. One home for each, so that two stages never split a paragraph into
different sentences or spell one identifier two ways.

Everything is deterministic and language-light; the heuristics that only make sense for
English (stop words, suffix stripping) are switched off by the callers for other languages.
Month and weekday names live in `builder.dates`.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

# Function words that carry no claim of their own; kept short on purpose so that negations and
# quantities ("no", "not", "few", "all") still count as content and keep statements apart.
# Stages that need a longer list (topic keywords) add their own words to this one.
STOP_WORDS = frozenset(
    """a an the of and or but if then so as at by for from in into on onto to with without within
    about above after against along among around before behind below between beyond during over
    under up down out off through throughout toward towards upon via is are was were be been being
    am do does did doing have has had having will would shall should can could may might must it its
    it's this that these those there here their theirs they them he him his she her hers we us our
    ours you your yours i me my mine who whom whose which what when where while how than also too
    very just such both each either neither own same other another any some more most much many
    said says say saying told tell according reportedly reported report reports stated statement
    mr mrs ms dr""".split()
)

# Ordinal words as news writes them ("the seventieth anniversary", "the third nation").
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20,
    "twenty-fifth": 25, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
    "seventieth": 70, "seventy-fifth": 75, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
}

_QUOTE_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2033": '"', "\u00a0": " ",
})
_QUOTE_MARKS = tuple((chr(code), plain) for code, plain in sorted(_QUOTE_FOLD.items()))
# Hyphen parts this short are prefixes ("co-", "re-", "un-") that outlets also write joined.
_PREFIX_LENGTH = 3
# A word as written: letters and digits, joined by inner apostrophes or hyphens ("Kim's",
# "co-operation", "mud-brick").
WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_POSSESSIVE = re.compile(r"'s$")     # "Veridian's" is "veridian"
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before a space and
# an upper-case letter, a digit or an opening quote. Abbreviations below are not ends.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u00C0-\u024F])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen col lt sgt capt st jr sr sen rep gov inc ltd co corp no vs etc u.s u.k u.n e.g i.e "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_WORD_OR_DOT = re.compile(r"[\w.]")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """NFKC, straight quotes, single spaces: the form every comparison works on."""
    if not text.isascii():      # ASCII is its own NFKC form and holds no curly quote
        text = _fold_quotes(unicodedata.normalize("NFKC", text))
    return _SPACES.sub(" ", text)


def _fold_quotes(text: str) -> str:
    """`text.translate(_QUOTE_FOLD)`, one C-speed replace per mark the text holds: translate
    looks each character up in a dict and cost more than the rest of `words` together."""
    for mark, plain in _QUOTE_MARKS:
        if mark in text:
            text = text.replace(mark, plain)
    return text


def fold_case(text: str) -> str:
    """`fold` and case-folded: the key under which two spellings of a word or phrase meet."""
    return fold(text).casefold()


def words(text: str) -> list[str]:
    """Lower-case word tokens, possessives dropped. A hyphenated word is joined when one part is a prefix
    ("co-operation" -> "cooperation", as other outlets spell it) and split otherwise
    ("good-neighborly" -> "good", "neighborly", as in "good neighborly")."""
    return list(_words(text))


# Distinct strings remembered by `words`: every stage after cleaning tokenises the same
# sentences again (the comparison reads each one many times), and a sentence's tokens cost
# far more than a look-up. On 1,000 sources the comparison asks 490k times about 39k distinct
# strings and this many entries answer 92% of them; bounded so a 10,000-source build stays
# within memory (tokens are interned, so an entry is its tuple, ~0.5 kB: ~30 MB at most).
_WORDS_CACHE_SIZE = 1 << 16


@lru_cache(maxsize=_WORDS_CACHE_SIZE)
def _words(text: str) -> tuple[str, ...]:
    if text.isascii():
        # `fold` changes nothing in ASCII but spaces, which no token holds; casefold is lower.
        lowered = text.lower()
    else:
        lowered = _fold_quotes(unicodedata.normalize("NFKC", text)).casefold()
    out: list[str] = []
    for token in WORD.findall(lowered):
        if "'" not in token and "-" not in token:      # the common case: a plain word
            out.append(sys.intern(token))
            continue
        token = _POSSESSIVE.sub("", token).replace("'", "")
        parts = [p for p in token.split("-") if p]
        if len(parts) > 1 and min(len(p) for p in parts) > _PREFIX_LENGTH:
            out.extend(sys.intern(part) for part in parts)
        else:
            out.append(sys.intern("".join(parts)))
    return tuple(out)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper: enough to meet "stability"/"stabilize", "peoples"/"people".

    Porter would be better, but no stemmer ships with the project and the comparison only
    needs inflections of one word to meet, not linguistic stems.
    """
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix in ("izations", "ization", "isations", "isation", "ational", "ations", "ation",
                   "ities", "ity", "ates", "ated", "ate", "ized", "izes", "ize", "ised", "ises", "ise", "ingly",
                   "ings", "ing", "edly", "ies", "ied", "ers", "er", "ed", "es", "ly", "s", "e", "y"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def singular(word: str) -> str:
    """Only the plural ending stripped ("sanctions" -> "sanction", "parties" -> "party"): for
    keys a reader sees again as words, where "stability" and "stabilize" must stay apart."""
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a paragraph, surrounding spaces left out; does not split
    after an abbreviation ("Mr.", "Sept.", "U.S.") or an initial ("John F. Kennedy")."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        last_word = _word_before(text, start, match.start() + 1)
        if last_word.casefold().rstrip(".") in _ABBREVIATIONS:
            continue
        if len(last_word) == 1 and last_word.isupper():
            continue
        _append_span(spans, text, start, match.end())
        start = match.end()
    _append_span(spans, text, start, len(text))
    return spans


def _word_before(text: str, start: int, end: int) -> str:
    """The word ending a candidate sentence text[start:end], its closing marks left out. Read
    backwards from the end, never over the whole sentence so far: after a run of abbreviations
    that sentence grows, and scanning it again at each one made long paragraphs quadratic."""
    while end > start and text[end - 1] in ".!?…":
        end -= 1
    begin = end
    while begin > start and _WORD_OR_DOT.match(text, begin - 1):
        begin -= 1
    return text[begin:end]


def _append_span(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        begin = start + len(chunk) - len(chunk.lstrip())
        spans.append((begin, begin + len(stripped)))


def slug(text: str, limit: int = 48, default: str = "x") -> str:
    """A readable, stable identifier fragment: ASCII letters and digits joined by hyphens
    ("Özgön quake" -> "ozgon-quake")."""
    ascii_text = unicodedata.normalize("NFKD", fold(text)).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")
    return value[:limit].rstrip("-") or default


class UniqueIds:
    """Identifiers made unique in the order they are asked for: "x", then "x-2", "x-3"...
    Each base remembers the next suffix worth trying (every smaller one is taken, and none is
    ever given back), so a base asked for k times costs k tries in all, not k squared."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._next_suffix: dict[str, int] = {}

    def __call__(self, base: str) -> str:
        identifier = base
        if identifier in self._used:
            n = self._next_suffix.get(base, 2)
            identifier = f"{base}-{n}"
            while identifier in self._used:
                n += 1
                identifier = f"{base}-{n}"
            self._next_suffix[base] = n + 1
        self._used.add(identifier)
        return identifier
