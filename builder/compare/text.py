"""Text helpers shared by the comparison modules: sentences, word tokens, stems, shingles.

Everything here is deterministic and language-light: the heuristics that only make sense for
English (stop words, suffix stripping) are switched off by the callers for other languages.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Function words that carry no claim of their own; kept short on purpose so that negations and
# quantities ("no", "not", "few", "all") still count as content and keep statements apart.
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

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)

_QUOTE_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2033": '"', "\u00a0": " ",
})
# Hyphen parts this short are prefixes ("co-", "re-", "un-") that outlets also write joined.
_PREFIX_LENGTH = 3
_WORD = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*", re.UNICODE)
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before a space and
# an upper-case letter, a digit or an opening quote. Abbreviations below are not ends.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u00C0-\u024F])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen col lt sgt st jr sr inc ltd co corp no vs etc u.s u.k u.n e.g i.e "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of one paragraph, with offsets into the paragraph."""

    source: str
    paragraph: int
    start: int
    end: int
    text: str


def fold(text: str) -> str:
    """NFKC, straight quotes, single spaces: the form every comparison works on."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_FOLD)
    return re.sub(r"\s+", " ", text)


def words(text: str) -> list[str]:
    """Lower-case word tokens. A hyphenated word is joined when one part is a prefix
    ("co-operation" -> "cooperation", as other outlets spell it) and split otherwise
    ("good-neighborly" -> "good", "neighborly", as in "good neighborly")."""
    out: list[str] = []
    for token in _WORD.findall(fold(text).casefold()):
        token = token.replace("'", "")
        parts = [p for p in token.split("-") if p]
        if len(parts) > 1 and min(len(p) for p in parts) > _PREFIX_LENGTH:
            out.extend(parts)
        else:
            out.append("".join(parts))
    return out


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


def content_stems(text: str, english: bool = True) -> list[str]:
    """The stems of the words that carry meaning, in order (repeats kept)."""
    tokens = words(text)
    if not english:
        return [t for t in tokens if len(t) > 2]
    return [stem(t) for t in tokens if t not in STOP_WORDS and (len(t) > 1 or t.isdigit())]


def shingles(tokens: list[str], size: int) -> set[tuple[str, ...]]:
    """Every run of `size` consecutive tokens (a single run when the text is shorter)."""
    if len(tokens) <= size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def split_sentences(source: str, paragraph: int, text: str) -> list[Sentence]:
    """Split one paragraph into sentences, keeping offsets into the paragraph."""
    sentences: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        last_word = re.findall(r"[\w.]+$", text[start : match.start() + 1].rstrip(".!?…"))
        if last_word and last_word[0].casefold().rstrip(".") in _ABBREVIATIONS:
            continue
        if last_word and len(last_word[0]) == 1 and last_word[0].isupper():
            continue  # an initial ("John F. Kennedy")
        end = match.end()
        _append_sentence(sentences, source, paragraph, text, start, end)
        start = end
    _append_sentence(sentences, source, paragraph, text, start, len(text))
    return sentences


def _append_sentence(out: list[Sentence], source: str, paragraph: int, text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    begin = start + lead
    out.append(Sentence(source, paragraph, begin, begin + len(stripped), stripped))


def slug(text: str, limit: int = 48) -> str:
    """A readable, stable identifier fragment."""
    value = re.sub(r"[^a-z0-9]+", "-", fold(text).casefold()).strip("-")
    return value[:limit].rstrip("-") or "x"
