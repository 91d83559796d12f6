"""What the glossary steps share: a name occurrence and the ways of comparing names."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import takewhile
from typing import NamedTuple

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

# Words that end a company's formal name and are dropped in running text.
COMPANY_SUFFIXES = frozenset(
    "inc corp corporation co company ltd llc plc ag sa se nv bv gmbh group holdings holding "
    "entertainment international technologies limited as asa ab oyj spa srl kgaa sas pjsc jsc "
    "pte bhd tbk kk".split()
)
# Small words that do not start a new name inside a longer one ("Bank of England").
CONNECTORS = frozenset({"of", "and", "the", "for", "de", "du", "des", "la", "le", "von", "van", "al", "el", "&"})

_LETTER_WORD = re.compile(r"\b[^\W\d_][\w'’-]*")
_LOWER_WORD = re.compile(r"(?<![\w\-\u2010-\u2015])[a-z]+(?![\w\-\u2010-\u2015])")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_DASHES = re.compile(r"[\u2010-\u2015\-]")
# Letters Unicode does not decompose into a base letter and an accent.
_PLAIN_LETTERS = str.maketrans({
    "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ß": "ss", "æ": "ae",
    "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th", "Þ": "Th", "ı": "i", "ħ": "h", "Ħ": "H",
})
# A ch read as kh: inside a word but not in "sch"/"tch", or opening a word before a consonant.
_GERMAN_CH = re.compile(r"(?<=[a-rt-z])ch|^ch(?=[b-df-hj-np-tv-xz])")
_KEY_DROPPED = re.compile(r"[.'’`]")
_KEY_SPACED = re.compile(r"[^\w ]")
_SPACES = re.compile(r"\s+")
# "A/S", "S/A": company forms written with a slash.
_SLASHED_SUFFIX = re.compile(r"(?<![\w/])([a-z])/([a-z])(?![\w/])")

# Small words inside a spelled-out name, English and the other languages of names a dossier
# quotes ("Comisión Nacional de los Mercados y la Competencia", "Bundesamt für Strahlenschutz").
_RUN_CONNECTORS = (
    "of|and|for|the|on|in|&|de|del|della|di|da|do|dos|du|des|la|le|les|los|las|el|al|en|et|y|e|und|der|zur|zum|für|"
    "voor|van|von|het|op"
)
_CAPITALISED_RUN = r"((?:[A-Z][\w&'’-]*\s+(?:(?:" + _RUN_CONNECTORS + r")\s+)*){0,8}[A-Z][\w'’-]*)"
_DEFINITION = re.compile(_CAPITALISED_RUN + r"\s*\(\s*([A-Z][A-Za-z0-9.&]{1,9})\s*\)")   # X (ACRONYM)
# "X, known as ACRONYM": the writer equates them outright, whatever the letters (a Turkish
# agency's acronym need not match its English name).
_KNOWN_AS = re.compile(
    _CAPITALISED_RUN + r",?\s+(?:also\s+)?(?:known|referred to)\s+as\s+(?:the\s+)?([A-Z][A-Z0-9.&]{1,9})\b"
)

# Paragraphs that look like boilerplate the cleaner missed; names in them are not content.
_PROMO = re.compile(
    r"\b(click here|read more|subscribe|sign up|newsletter|follow us|download (?:the|our) app|"
    r"all rights reserved|copyright|cookies?|advertisement|see also|also read|related stories|"
    r"share this|share on|follow \w+(?: \w+)? on (?:twitter|facebook|instagram|linkedin|youtube|tiktok|"
    r"telegram|whatsapp|threads|x))\b|©",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^\W*(?:(?:file )?photo(?:graph)?|image|picture|video|credit|source|illustration)s?\b\s*(?:[:/]|by\b)|"
    r"getty images|shutterstock|\bvia (?:getty|ap|reuters|afp)\b",
    re.IGNORECASE,
)
# "Yuri Kadobnov/AP", "Ints Kalnins/Reuters via Getty Images": a photographer and an agency, no
# sentence ("Skovgaard A/S will buy Vinther." is one).
_SLASH_CREDIT = re.compile(r"^[\w .'’-]{2,40}/(?:[\w.'’-]{2,}|via| )*$")
_SENTENCE_WORD = re.compile(r"(?<![\w'’-])(?!via\b)[a-z]{2,}\b")
# Wire footers and bylines: "(Reporting by X; Editing by Y)", "By Jane Doe".
_BYLINE = re.compile(
    r"^\W*(?:(?:additional )?reporting|writing|editing|edited|written|compiled|fact[- ]?checked|reviewed|"
    r"produced|translated|photographs?|graphics|illustrations?|video) by\b|"
    r"^by\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}\s*$|"
    r"^(?:related|tags|topics|more on this story)\s*:|"
    r"^follow (?:us|our|\w+ on)\b",
    re.IGNORECASE,
)
# An author's note: "Jane Doe is a reporter for ...".
_AUTHOR_NOTE = re.compile(
    r"\bis an? (?:[\w-]+ ){0,3}(?:reporter|correspondent|writer|editor|journalist|contributor|columnist)\b"
)
_PROMO_MAX_WORDS = 25
_WITHOUT_LOWER_CASE = dict.fromkeys(range(ord("a"), ord("z") + 1))
# A menu or breadcrumb: at least three items of a few words between these separators.
_MENU_SEPARATOR = re.compile(r"\s+[›»>|•/]\s+")
_MENU_SEPARATORS = "›»>|•/"
_MENU_MIN_ITEMS = 3
_MENU_ITEM_MAX_WORDS = 3
_SLASH_CREDIT_MAX = 72



# Suffixes that turn a place name into a demonym ("Ukrain-ian", "Japan-ese", "Kore-an").
_DEMONYM_SUFFIXES = ("ians", "ian", "eans", "ean", "ese", "ish", "ans", "an", "is", "i", "ic")
# Demonyms no suffix rule derives from the country's name (general knowledge, as a dictionary
# gives it; used only where a dossier names the country too).
_IRREGULAR_DEMONYMS = {
    "danish": ("denmark",), "dutch": ("netherlands", "holland"), "french": ("france",), "swiss": ("switzerland",),
    "greek": ("greece",), "welsh": ("wales",), "polish": ("poland",), "finnish": ("finland",),
    "norwegian": ("norway",), "spanish": ("spain",), "irish": ("ireland",), "scottish": ("scotland",),
    "english": ("england",), "icelandic": ("iceland",), "thai": ("thailand",), "filipino": ("philippines",),
    "philippine": ("philippines",), "portuguese": ("portugal",), "turkish": ("turkey", "turkiye"),
    "czech": ("czechia",), "slovak": ("slovakia",), "peruvian": ("peru",), "lebanese": ("lebanon",),
    "british": ("britain",), "cypriot": ("cyprus",), "maltese": ("malta",), "malagasy": ("madagascar",),
    "emirati": ("uae",), "belgian": ("belgium",), "argentine": ("argentina",),
}
# The world's countries as name keys (general knowledge, as an atlas lists them, with the short
# forms newspapers use): the small model now and then takes one for a person or a firm.
COUNTRIES = frozenset(name.strip() for name in """
afghanistan, albania, algeria, andorra, angola, antigua and barbuda, argentina, armenia, australia,
austria, azerbaijan, bahamas, bahrain, bangladesh, barbados, belarus, belgium, belize, benin, bhutan,
bolivia, bosnia and herzegovina, bosnia, botswana, brazil, brunei, bulgaria, burkina faso, burundi,
cabo verde, cape verde, cambodia, cameroon, canada, central african republic, chad, chile, china,
colombia, comoros, congo, democratic republic of congo, democratic republic of the congo, costa rica,
cote d ivoire, ivory coast, croatia, cuba, cyprus, czech republic, czechia, denmark, djibouti, dominica,
dominican republic, ecuador, egypt, el salvador, equatorial guinea, eritrea, estonia, eswatini, swaziland,
ethiopia, fiji, finland, france, gabon, gambia, georgia, germany, ghana, greece, grenada, guatemala,
guinea, guinea bissau, guyana, haiti, honduras, hungary, iceland, india, indonesia, iran, iraq, ireland,
israel, italy, jamaica, japan, jordan, kazakhstan, kenya, kiribati, kosovo, kuwait, kyrgyzstan, laos,
latvia, lebanon, lesotho, liberia, libya, liechtenstein, lithuania, luxembourg, madagascar, malawi,
malaysia, maldives, mali, malta, marshall islands, mauritania, mauritius, mexico, micronesia, moldova,
monaco, mongolia, montenegro, morocco, mozambique, myanmar, burma, namibia, nauru, nepal, netherlands,
new zealand, nicaragua, niger, nigeria, north korea, north macedonia, macedonia, norway, oman, pakistan,
palau, palestine, panama, papua new guinea, paraguay, peru, philippines, poland, portugal, qatar, romania,
russia, rwanda, saint kitts and nevis, saint lucia, samoa, san marino, sao tome and principe, saudi arabia,
senegal, serbia, seychelles, sierra leone, singapore, slovakia, slovenia, solomon islands, somalia,
south africa, south korea, south sudan, spain, sri lanka, sudan, suriname, sweden, switzerland, syria,
taiwan, tajikistan, tanzania, thailand, timor leste, east timor, togo, tonga, trinidad and tobago,
tunisia, turkey, turkiye, turkmenistan, tuvalu, uganda, ukraine, united arab emirates, uae,
united kingdom, uk, britain, great britain, united states, us, usa, america, uruguay, uzbekistan,
vanuatu, vatican, venezuela, vietnam, yemen, zambia, zimbabwe
""".split(","))
# A demonym's stem must be this long to be trusted ("Ir-an" must not look like one).
_DEMONYM_MIN_STEM = 4
# Countries named "land of the X" in Persian: the demonym is the country less this ending
# ("Tajik"/"Tajikistan", "Afghan"/"Afghanistan", "Kurd"/"Kurdistan").
_STAN_ENDINGS = ("stan", "istan")

# A person named this many times as often as another who shares a partial name is the
# one a bare partial name means, absent closer evidence.
_DOMINANT_RATIO = 2
_DOMINANT_MARGIN = 3   # ...and by this many mentions: one against two proves nothing

# Abbreviated and foreign forms of the words that open place names (after name_key: no dots).
_SPELLED_OUT = {
    "st": "saint", "ste": "saint", "sainte": "saint", "sankt": "saint", "sta": "santa",
    "mt": "mount", "ft": "fort",
}

_NUMBER_WORDS = "one two three four five six seven eight nine ten".split()
_ROMAN = "i ii iii iv v vi vii viii ix x".split()
_NUMERALS = {w: str(n) for words_ in (_NUMBER_WORDS, _ROMAN) for n, w in enumerate(words_, start=1)}


# Patterns the functions below use many times, compiled once.
_VOWEL = re.compile(r"[aeiou]")
_REPEATED_LETTER = re.compile(r"(.)\1+")
_ACRONYM_PUNCTUATION = re.compile(r"[.\s&]")
_OPENING_THE = re.compile(r"(?:The\s+)?")
_NON_SPACE_RUN = re.compile(r"\S+")
_SLUG_DROPPED = re.compile(r"[’'.]")
_SLUG_SEPARATORS = re.compile(r"[^a-z0-9]+")
_TITLE_AT_END = re.compile(r"([A-Z][a-z]+)\.?\s+$")
# How far before a name `choose_referent` looks for a title.
TITLE_WINDOW = 30


class Occurrence(NamedTuple):
    """One place a name stands in a paragraph, with the label the recogniser gave it.

    A named tuple, not a dataclass: there are as many as names in the dossier, and they are
    made, hashed and compared many times over (made and hashed in C, several times faster)."""

    source: str
    paragraph: int
    start: int
    end: int
    text: str
    label: str | None      # recogniser label; None when found by other means


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """Compare names ignoring case, accents, hyphens, dots and apostrophes.

    "Kim Jong-un" and "Kim Jong Un", "U.S." and "US", "Al-Haouz" and "Al Haouz" share a key.
    """
    text = _without_accents(text)
    text = _DASHES.sub(" ", text.casefold())
    text = _SLASHED_SUFFIX.sub(r"\1\2", text)
    text = _KEY_DROPPED.sub("", text)
    text = _KEY_SPACED.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _without_accents(text: str) -> str:
    """ "Nausėda" -> "Nauseda", "Ørsted" -> "Orsted", "Łódź" -> "Lodz": accents off, and the
    letters that are no accented letter to Unicode written as English writers do."""
    if text.isascii():
        return text   # nothing to take off; most text is plain ASCII, and a paragraph is long
    # Letter by letter, as a table: decomposing a text is decomposing each of its characters,
    # and the accents dropped are the only characters decomposition reorders.
    return text.translate(_UNACCENTED)


class _Unaccented(dict):
    """Each character written without its accents, worked out the first time it is met."""

    def __missing__(self, code: int) -> str:
        text = unicodedata.normalize("NFKD", chr(code).translate(_PLAIN_LETTERS))
        self[code] = plain = "".join(ch for ch in text if not unicodedata.combining(ch))
        return plain


# A pure cache, bounded by the number of characters there are.
_UNACCENTED = _Unaccented()


class NameIndex:
    """Names indexed by their first letters, to find the few a demonym may come from."""

    def __init__(self, names: Iterable[str]):
        self._names = set(names)
        self._by_start: dict[str, list[str]] = {}
        for name in sorted(self._names):
            self._by_start.setdefault(name[:_DEMONYM_MIN_STEM], []).append(name)

    def __contains__(self, name: str) -> bool:
        return name in self._names

    def starting_like(self, word: str) -> list[str]:
        """The names that share the word's first letters (as many as a demonym's stem keeps)."""
        return self._by_start.get(word[:_DEMONYM_MIN_STEM], [])


class WordStarts:
    """Where each capitalised word may start a name, to find the few paragraphs a name may stand
    in without searching every paragraph for every name.

    A name stands where nothing of a word or a hyphen comes right before it, as the patterns
    `(?<![\\w-])` + name + `(?![\\w-])` ask. There the run of letters, digits, hyphens and
    apostrophes that starts the name starts the text too, or is followed by an apostrophe ("Lula's"):
    each such run is indexed as it stands and up to each apostrophe. A run may also start inside
    another, after an apostrophe ("Brien" of "O'Brien").
    """

    # A capital with no word character or hyphen before it (the capital first: a fast search).
    _RUN = re.compile(r"[A-Z](?<![\w-][A-Z])[\w'’-]*")
    _NAME_RUN = re.compile(r"[\w'’-]*")

    def __init__(self, paragraphs: dict[tuple[str, int], str]):
        self._where: dict[str, list[tuple[str, int]]] = {}
        for where, text in paragraphs.items():
            for key in {key for run in self._RUN.findall(text) for key in self._keys(run)}:
                self._where.setdefault(key, []).append(where)

    @classmethod
    def _keys(cls, run: str) -> list[str]:
        if "'" not in run and "’" not in run:
            return [run]   # the common case
        keys = [run] + [run[:i] for i, ch in enumerate(run) if ch in "'’"]
        for i, ch in enumerate(run):
            if ch in "'’" and run[i + 1:i + 2].isascii() and run[i + 1:i + 2].isupper():
                keys.extend(cls._keys(run[i + 1:]))
        return keys

    def paragraphs_with(self, name: str) -> list[tuple[str, int]] | None:
        """The paragraphs the name may stand in (a few more at most); None where it opens on no
        capital letter, and may stand anywhere."""
        if not name[:1].isascii() or not name[:1].isupper():
            return None
        return self._where.get(self._NAME_RUN.match(name).group(0), [])


def demonym_places(word: str, names: Iterable[str] | NameIndex) -> list[str]:
    """The names a demonym comes from: "ukrainian" -> ["ukraine"], "korean" -> ["korea"],
    "tajik" -> ["tajikistan"]. Give a `NameIndex` to look up many words in the same names."""
    index = names if isinstance(names, NameIndex) else NameIndex(names)
    # Every name found by a stem or an ending starts with the word's first letters.
    near = index.starting_like(word)
    found = set()
    for suffix in _DEMONYM_SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= _DEMONYM_MIN_STEM:
            found.update(n for n in near if n != word and n.startswith(stem) and len(n) <= len(stem) + 2)
    if len(word) >= _DEMONYM_MIN_STEM:
        found.update(n for n in near if any(n == word + ending for ending in _STAN_ENDINGS))
    found.update(n for n in _IRREGULAR_DEMONYMS.get(word, ()) if n in index)
    return sorted(found)


def abbreviation_form(key: str) -> str:
    """ "St. Ansgar", "St Ansgar", "Sankt Ansgar" and "Saint Ansgar" are one name, as are "Mt. Korvet"
    and "Mount Korvet": the words a place name abbreviates, spelled out. Only before another
    word: a closing "St" is a street."""
    tokens = key.split()
    return " ".join([_SPELLED_OUT.get(t, t) for t in tokens[:-1]] + tokens[-1:])


def numeral_form(key: str) -> str:
    """ "World War Two", "World War II" and "World War 2" are one name: a closing number
    word or Roman numeral is written as digits."""
    tokens = key.split()
    if len(tokens) >= 2 and tokens[-1] in _NUMERALS:
        tokens[-1] = _NUMERALS[tokens[-1]]
    return " ".join(tokens)


def key_tokens(key: str) -> tuple[str, ...]:
    return tuple(key.split())


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def lowercase_counts(paragraphs: Iterable[str]) -> Counter:
    """How often each word stands written in lower case on its own: a common word there.
    Parts of hyphenated names ("the "un" of "Kim Jong-un") do not count."""
    # One pass over them all: the line breaks between them are no word characters.
    return Counter(_LOWER_WORD.findall("\n".join(paragraphs)))


def capitalised_counts(paragraphs: Iterable[str]) -> Counter:
    """How often each word is written capitalised, as written."""
    return Counter(w for p in paragraphs for w in _LETTER_WORD.findall(p) if w[0].isupper())


def is_common_word(spelling: str, lowercase: Counter) -> bool:
    """A one-word name the dossier also writes in lower case ("Defense", "May"), so that
    its capitalised form may be the word at the start of a sentence or in a title.
    Acronyms are exempt: "US" is not "us"."""
    return " " not in spelling.strip() and not spelling.isupper() and lowercase[spelling.casefold()] > 0


def transliteration_skeleton(key: str, qaf: str = "k", ch: str = "s") -> str:
    """A rough sound-alike form: spellings of one name in different transliterations
    ("Lugansk"/"Luhansk", "Marrakesh"/"Marrakech", "Kiev"/"Kyiv") share it.

    Consonant sounds that romanisations write differently are unified, vowels after the
    first letter dropped (they vary most), doubled letters collapsed. Arabic and Persian qaf
    is written q, k or gh ("Tariq"/"Tarik", "Araqchi"/"Araghchi"): qaf="h" (the skeleton's g)
    gives the second reading of a q. German, Polish and Czech write kh as ch ("Mochovo" for
    "Mokhovo"): ch="h" gives that reading of a ch.
    """
    return " ".join(_token_skeleton(token, qaf, ch) for token in key.split())


# A pure function of a word, asked of the same words again and again (every name holding
# them, four readings each); bounded, as the words of a few dossiers' names fit.
@lru_cache(maxsize=65536)
def _token_skeleton(token: str, qaf: str, ch: str) -> str:
    t = _ch_as_kh(token) if ch == "h" else token
    for old, new in (
        ("tch", "s"), ("sch", "s"), ("sh", "s"), ("ch", "s"), ("zh", "j"), ("kh", "h"),
        ("gh", "g"), ("ph", "f"), ("ck", "k"), ("dzh", "j"), ("dj", "j"),
    ):
        t = t.replace(old, new)
    t = t.translate(_SKELETON_LETTERS[qaf])
    head, rest = t[:1], _VOWEL.sub("", t[1:])
    return _REPEATED_LETTER.sub(r"\1", head + rest)


# The letters the sound-alike form writes alike, for each reading of a qaf.
_SKELETON_LETTERS = {
    qaf: str.maketrans({"c": "k", "q": qaf, "g": "h", "w": "v", "y": "i", "z": "s", "x": "ks"}) for qaf in ("k", "h")
}


def romanisation_form(key: str, ch: str = "s") -> str:
    """Like the sound-alike form but keeping vowels, so that only the usual differences of
    romanisation are forgiven ("Lugansk"/"Luhansk", "Zelensky"/"Zelenskyy"), not a letter
    added or lost ("Kotika"/"Kotick"). ch="h" reads a ch as kh, as the sound-alike form does."""
    t = "".join(_ch_as_kh(token) if ch == "h" else token for token in key.split())
    for old, new in (
        ("tch", "s"), ("sch", "s"), ("sh", "s"), ("ch", "s"), ("zh", "j"), ("kh", "h"), ("gh", "g"),
        ("ph", "f"), ("ck", "k"), ("ye", "e"), ("ou", "u"), ("iy", "i"), ("yy", "i"),
    ):
        t = t.replace(old, new)
    t = t.translate(str.maketrans({"c": "k", "q": "k", "g": "h", "w": "v", "y": "i", "j": "i", "z": "s", "x": "ks"}))
    return _REPEATED_LETTER.sub(r"\1", t)


def same_romanisation(a: str, b: str) -> bool:
    """Whether two name keys differ only as romanisations do, reading a ch either way."""
    return any(romanisation_form(a, ch) == romanisation_form(b, ch) for ch in ("s", "h"))


def _ch_as_kh(token: str) -> str:
    """ "mochovo" -> "mokhovo", "chmelnik" -> "khmelnik": a ch inside a word (not of "sch", "tch")
    or before a consonant, where an English ch sound ("Chavez", "Chile") is not meant."""
    return _GERMAN_CH.sub("kh", token)


def spelling_form(key: str) -> str:
    """A form that forgives the commonest misspellings: c/k, doubled letters."""
    t = key.replace(" ", "").replace("ck", "k").replace("c", "k")
    return _REPEATED_LETTER.sub(r"\1", t)


@lru_cache(maxsize=65536)   # asked of the same few spellings again and again
def is_all_caps_acronym(text: str) -> bool:
    """ "UN", "U.N.", "KCNA", "CMA", "G7" — short, uppercase, no lowercase letter."""
    letters = _ACRONYM_PUNCTUATION.sub("", text)
    return 2 <= len(letters) <= 6 and letters.isalnum() and letters[0].isalpha() and letters.upper() == letters


@dataclass(frozen=True)
class Atom:
    """One step of a pattern: its regex, and the characters it matches, exactly one of them,
    or None where it may match none or cannot say."""

    pattern: str
    chars: frozenset[str] | None


def literal_atoms(text: str) -> tuple[Atom, ...]:
    return tuple(_literal_atom(ch) for ch in text)


@lru_cache(maxsize=4096)
def _literal_atom(ch: str) -> Atom:
    return Atom(re.escape(ch), frozenset(ch))


@dataclass(frozen=True)
class Definition:
    """ "Competition and Markets Authority (CMA)": where a writer spells an acronym out."""

    long_start: int
    long_end: int
    short_start: int
    short_end: int


@lru_cache(maxsize=4096)
def acronym_definitions(paragraph: str) -> tuple[Definition, ...]:
    if "(" not in paragraph and "known" not in paragraph and "referred" not in paragraph:
        return ()   # neither pattern can match: the common case, and the patterns are slow to fail
    found = []
    for match in _DEFINITION.finditer(paragraph):
        short = match.group(2)
        if not is_all_caps_acronym(short):
            continue
        start = _expansion_start(paragraph, match.start(1), match.end(1), short)
        if start is not None:
            found.append(Definition(start, match.end(1), match.start(2), match.end(2)))
    for match in _KNOWN_AS.finditer(paragraph):
        if is_all_caps_acronym(match.group(2)):
            start = match.start(1) + len(_OPENING_THE.match(match.group(1)).group(0))
            found.append(Definition(start, match.end(1), match.start(2), match.end(2)))
    return tuple(sorted(found, key=lambda d: d.long_start))


def _expansion_start(paragraph: str, start: int, end: int, short: str) -> int | None:
    """Where the expansion begins: the shortest run of words before the brackets that starts
    with the acronym's first letter and holds its letters in order ("the watchdog
    Competition and Markets Authority (CMA)", "Group of Seven (G7)")."""
    letters = [ch for ch in short.casefold() if ch.isalpha()]
    starts = [m.start() for m in _NON_SPACE_RUN.finditer(paragraph[start:end])]
    for offset in reversed(starts):
        words_ = paragraph[start + offset:end].split()
        initials = "".join(w[0].casefold() for w in words_)
        if initials[0] == letters[0] and words_[0][0].isupper() and _in_order(letters, initials):
            return start + offset
        spelled = capital_initials(" ".join(words_))   # "US Forest Service (USFS)"
        if words_[0][0].isupper() and spelled == "".join(letters):
            return start + offset
    return None


def capital_initials(name: str) -> str:
    """The letters an acronym takes from a name, where an acronym inside it gives all of its
    own: "US Forest Service" -> "usfs" (small connecting words give none)."""
    out = []
    for word in name.split():
        if is_all_caps_acronym(word) and word.isalpha():
            out.append(word.casefold())
        elif word.casefold() not in CONNECTORS:
            out.append(word[:1].casefold())
    return "".join(out)


def _in_order(letters: list[str], initials: str) -> bool:
    rest = iter(initials)
    return all(ch in rest for ch in letters)


def slug(text: str) -> str:
    text = _without_accents(text).casefold()
    text = _SLUG_DROPPED.sub("", text)
    return _SLUG_SEPARATORS.sub("-", text).strip("-") or "entity"


def _is_slash_credit(line: str) -> bool:
    if len(line) > _SLASH_CREDIT_MAX or not _SLASH_CREDIT.match(line):
        return False
    return not line.endswith((".", "!", "?")) and not _SENTENCE_WORD.search(line.split("/", 1)[1])


def _is_navigation(paragraph: str) -> bool:
    """ "Home › World › Asia", "Markets | Deals | Tech": a menu or breadcrumb of short items."""
    if not any(separator in paragraph for separator in _MENU_SEPARATORS):
        return False   # no separator, no menu: the common case, seen without splitting
    items = _MENU_SEPARATOR.split(paragraph.strip())
    return len(items) >= _MENU_MIN_ITEMS and all(0 < len(item.split()) <= _MENU_ITEM_MAX_WORDS for item in items)


@lru_cache(maxsize=4096)
def looks_like_boilerplate(paragraph: str) -> bool:
    """A paragraph the cleaner let through that is a credit, a promo or a shouted headline."""
    if _may_be_shouting(paragraph):
        letters = [ch for ch in paragraph if ch.isalpha()]
        if len(letters) >= 12 and sum(ch.isupper() for ch in letters) / len(letters) > 0.8:
            return True   # shouting headline or promo
    short = len(paragraph.split()) <= _PROMO_MAX_WORDS
    if _is_slash_credit(paragraph.strip()) or _BYLINE.search(paragraph) or _is_navigation(paragraph):
        return True
    return short and bool(_CREDIT.search(paragraph) or _PROMO.search(paragraph) or _AUTHOR_NOTE.search(paragraph))


def _may_be_shouting(paragraph: str) -> bool:
    """False where a fifth of the characters are lower-case letters: then at most four fifths of
    the letters can be capitals. Counting those is fast, and rules out nearly every paragraph."""
    lower = len(paragraph) - len(paragraph.translate(_WITHOUT_LOWER_CASE))
    return lower * 5 < len(paragraph)


def ordered_alternation(alternatives: Sequence[Sequence[Atom]], not_after: str | None = None) -> str:
    """A regex trying the alternatives in the given order, written as a trie; with `not_after`
    (a character class), as `(?<!not_after)` before it.

    Each alternative is a run of atoms. A flat alternation of thousands of names makes the
    regex engine try each one at every place in the text; grouping alternatives by their first
    atom lets it try only those that fit the character there. Only atoms that can never match
    the same character are grouped, and an alternative that ends where others go on is tried
    after them, so the first alternative to match is the one the flat alternation would find.
    The character before is looked at after the first one matched, where it can: a pattern that
    opens on its first characters lets the regex engine skip to the places they stand.
    """
    if not alternatives:
        return "(?!)"
    if not_after is None:
        return _trie(list(alternatives))
    if all(alternative and alternative[0].chars is not None for alternative in alternatives):
        return _trie([(_not_after(alternative[0], not_after), *alternative[1:]) for alternative in alternatives])
    return f"(?<!{not_after})(?:{_trie(list(alternatives))})"


def _not_after(atom: Atom, not_after: str) -> Atom:
    """The atom, one character wide, and then that the character before it is none of these."""
    return Atom(f"{atom.pattern}(?<!{not_after}{atom.pattern})", atom.chars)


def _trie(alternatives: list[Sequence[Atom]]) -> str:
    if len(alternatives) == 1:
        return "".join(atom.pattern for atom in alternatives[0])
    going_on = list(takewhile(len, alternatives))
    ends = len(going_on) < len(alternatives)
    groups: dict[Atom, list[Sequence[Atom]]] = {}
    for alternative in going_on:
        groups.setdefault(alternative[0], []).append(alternative[1:])
    if not going_on or any(alternatives[len(going_on):]) or not _exclusive(list(groups)):
        # Alternatives that may match the same text stay in their order, one after another.
        return "(?:" + "|".join("".join(atom.pattern for atom in a) for a in alternatives) + ")"
    branches = [atom.pattern + _trie(rests) for atom, rests in groups.items()]
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if not ends:
        return body
    return "(?:" + body + ")?"   # the alternative that ends here is tried last: greedy


def _exclusive(atoms: list[Atom]) -> bool:
    """Whether no two of the atoms can match the same character (each matches exactly one)."""
    seen: set[str] = set()
    for atom in atoms:
        if atom.chars is None or seen & atom.chars:
            return False
        seen |= atom.chars
    return True


def choose_referent(
    spelling: str,
    where: tuple[str, int, int],
    candidates: dict,
    paragraphs: dict[tuple[str, int], str],
):
    """Which of several entities a shared partial name ("Biden", "Kim") means at one place.

    candidates maps an entity (any sortable id) to its occurrences. In order: the one named
    earlier in the same paragraph; the one whose mentions share the title before this one
    ("President Biden" as "President Joe Biden"); one named far more often in the dossier;
    the one the same source named last before; the only one the source names. Else None.
    """
    source, paragraph, start = where
    key = name_key(spelling)
    named = {
        entity: [o for o in occurrences if name_key(o.text) != key]
        for entity, occurrences in sorted(candidates.items())
    }
    earlier_here = [
        ((o.start,), entity)
        for entity, occurrences in named.items()
        for o in occurrences
        if (o.source, o.paragraph) == (source, paragraph) and o.start < start
    ]
    if earlier_here:
        return max(earlier_here)[1]
    title = _title_before(paragraphs.get((source, paragraph), ""), start)
    if title:
        titled = [
            e for e, occ in named.items()
            if any(_title_before(paragraphs.get((o.source, o.paragraph), ""), o.start) == title for o in occ)
        ]
        if len(titled) == 1:
            return titled[0]
    if len(named) == 1:
        return next(iter(named))
    sizes = sorted(((len(occ), e) for e, occ in named.items()), key=lambda s: (-s[0], s[1]))
    if sizes[0][0] >= _DOMINANT_RATIO * sizes[1][0] and sizes[0][0] - sizes[1][0] >= _DOMINANT_MARGIN:
        return sizes[0][1]
    earlier_in_source = [
        ((o.paragraph, o.start), entity)
        for entity, occurrences in named.items()
        for o in occurrences
        if o.source == source and (o.paragraph, o.start) < (paragraph, start)
    ]
    if earlier_in_source:
        return max(earlier_in_source)[1]
    in_source = sorted({e for e, occ in named.items() if any(o.source == source for o in occ)})
    return in_source[0] if len(in_source) == 1 else None


def _title_before(paragraph: str, start: int) -> str | None:
    """The capitalised title right before a name ("President", "Chancellor"), if any."""
    before = _TITLE_AT_END.search(paragraph[max(0, start - TITLE_WINDOW):start])
    return before.group(1).casefold() if before else None
