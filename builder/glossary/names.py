"""What the glossary steps share: a name occurrence and the ways of comparing names."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# The recogniser's labels that can name a glossary entity. NORP (demonyms, "Russian"),
# LANGUAGE ("English") and the numeric labels never make an entity.
NAME_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
LABEL_TYPES = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "EVENT": "EVENT",
}

# Small words that do not start a new name inside a longer one ("Bank of England").
CONNECTORS = frozenset({"of", "and", "the", "for", "de", "du", "des", "la", "le", "von", "van", "al", "el", "&"})

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_DASHES = re.compile(r"[\u2010-\u2015\-]")

# Paragraphs that look like boilerplate the cleaner missed; names in them are not content.
_PROMO = re.compile(
    r"\b(click here|read more|subscribe|sign up|newsletter|follow us|download (?:the|our) app|"
    r"all rights reserved|cookie|advertisement)\b",
    re.IGNORECASE,
)
_CREDIT = re.compile(r"^\W*(?:photo|image|picture|credit|source|file photo)s?\b\s*[:/]", re.IGNORECASE)
_SLASH_CREDIT = re.compile(r"^[\w .'’-]{2,40}/[\w .'’-]{2,30}$")
# A promo line is short; a long paragraph that mentions a newsletter is still content.
_PROMO_MAX_WORDS = 25



@dataclass(frozen=True)
class Occurrence:
    """One place a name stands in a paragraph, with the label the recogniser gave it."""

    source: str
    paragraph: int
    start: int
    end: int
    text: str
    label: str | None      # recogniser label; None when found by other means


def name_key(text: str) -> str:
    """Compare names ignoring case, accents, hyphens, dots and apostrophes.

    "Kim Jong-un" and "Kim Jong Un", "U.S." and "US", "Al-Haouz" and "Al Haouz" share a key.
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _DASHES.sub(" ", text.casefold())
    text = re.sub(r"[.'’`]", "", text)
    text = re.sub(r"[^\w ]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def key_tokens(key: str) -> tuple[str, ...]:
    return tuple(key.split())


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def transliteration_skeleton(key: str) -> str:
    """A rough sound-alike form: spellings of one name in different transliterations
    ("Lugansk"/"Luhansk", "Marrakesh"/"Marrakech", "Kiev"/"Kyiv") share it.

    Consonant sounds that romanisations write differently are unified, vowels after the
    first letter dropped (they vary most), doubled letters collapsed.
    """
    out = []
    for token in key.split():
        t = token
        for old, new in (
            ("tch", "s"), ("sch", "s"), ("sh", "s"), ("ch", "s"), ("zh", "j"), ("kh", "h"),
            ("gh", "g"), ("ph", "f"), ("ck", "k"), ("dzh", "j"), ("dj", "j"),
        ):
            t = t.replace(old, new)
        t = t.translate(str.maketrans({"c": "k", "q": "k", "g": "h", "w": "v", "y": "i", "z": "s", "x": "k"}))
        head, rest = t[:1], re.sub(r"[aeiou]", "", t[1:])
        t = re.sub(r"(.)\1+", r"\1", head + rest)
        out.append(t)
    return " ".join(out)


def spelling_form(key: str) -> str:
    """A form that forgives the commonest misspellings: c/k, doubled letters."""
    t = key.replace(" ", "").replace("ck", "k").replace("c", "k")
    return re.sub(r"(.)\1+", r"\1", t)


def is_all_caps_acronym(text: str) -> bool:
    """ "UN", "U.N.", "KCNA", "CMA" — short, uppercase, no lowercase letter."""
    letters = re.sub(r"[.\s&]", "", text)
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[’'.]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "entity"


def looks_like_boilerplate(paragraph: str) -> bool:
    """A paragraph the cleaner let through that is a credit, a promo or a shouted headline."""
    letters = [ch for ch in paragraph if ch.isalpha()]
    if len(letters) >= 12 and sum(ch.isupper() for ch in letters) / len(letters) > 0.8:
        return True   # shouting headline or promo
    if _CREDIT.match(paragraph) or _SLASH_CREDIT.match(paragraph.strip()):
        return True
    return bool(_PROMO.search(paragraph)) and len(paragraph.split()) <= _PROMO_MAX_WORDS
