"""From the recogniser's raw spans to clean name occurrences.

The model's spans carry noise a glossary must not show: a leading "the", a possessive
"'s", a headline run together ("Putin Wishes North Korea"), demonyms tagged as places
("Ukrainian"), capitalised common words ("Defense"), and names from boilerplate that the
cleaner let through (a photo credit, a shouting promo). Each rule below removes one kind.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from builder.glossary.names import (
    acronym_definitions,
    CONNECTORS,
    demonym_places,
    NAME_LABELS,
    Occurrence,
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
# Second words of two-word titles ("Prime Minister", "Crown Prince", "Attorney General").
_TITLE_HEADS = frozenset({"minister", "secretary", "prince", "princess", "general", "director", "president"})
# Abbreviations whose final dot belongs to the name.
_DOTTED_ENDINGS = frozenset({"inc", "corp", "co", "ltd", "jr", "sr", "st", "bros", "plc"})
_EDGE_JUNK = "\"'“”‘’«»()[]{}<>,;:!?*•|/\\–—-"
_POSSESSIVE_END = re.compile(r"(?:['’]s|(?<=s)['’])$")
_INNER_POSSESSIVE = re.compile(r"['’]s\s+")
# "Hatay province": the model may take the lower-case place word after a name into it.
_TRAILING_PLACE_WORD = re.compile(
    r"(?<=\w)\s+(?:province|region|district|county|prefecture|governorate|municipality|oblast|city|town|village)$"
)
_LEADING_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")

# Labels the model gives quoted words and titles of works, and its vaguest ones.
_WORK_LABELS = frozenset({"WORK_OF_ART", "LAW"})
_VAGUE_LABELS = _WORK_LABELS | {"PRODUCT"}
_QUOTES = frozenset("\"'“”‘’«»")
# Event and place names run to a few words; more is a sentence in title case.
_MAX_EXTENSION_WORDS = 4


def find_candidates(
    articles: Sequence[Article], spans: dict[tuple[str, int], list[tuple[int, int, str]]]
) -> tuple[Occurrence, ...]:
    """Every clean name occurrence in the English paragraphs, sorted by position."""
    paragraphs = {(a.id, i): p for a in articles if a.is_english for i, p in enumerate(a.paragraphs)}
    raw: list[Occurrence] = []
    norp_words: set[str] = set()
    for (source, index), found in sorted(spans.items()):
        text = paragraphs.get((source, index))
        if text is None or looks_like_boilerplate(text):
            continue
        cleaned = []
        for start, end, label in found:
            if label == "NORP":
                norp_words.update(name_key(text[start:end]).split())
            if label in NAME_LABELS:
                cleaned.extend(_clean_span(source, index, text, start, end, label))
        raw.extend(_with_definitions(cleaned, source, index, text))
    kept = _drop_non_names(raw, lowercase_counts(paragraphs.values()), norp_words, paragraphs)
    return tuple(sorted(kept, key=lambda o: (o.source, o.paragraph, o.start, o.end)))


def _with_definitions(found: list[Occurrence], source: str, index: int, text: str) -> list[Occurrence]:
    """A spelled-out acronym is a name as the writer delimits it, whatever pieces the model
    made of it ("International Federation of Red Cross" + "Red Crescent Societies")."""
    for d in acronym_definitions(text):
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


def _clean_span(source: str, index: int, text: str, start: int, end: int, label: str) -> list[Occurrence]:
    """Trim one model span; split it at an inner possessive ("Japan's Coming of Age Day")."""
    start, end = _trim(text, start, end)
    if label == "PERSON":
        start = _after_titles(text, start, end)
    if start >= end:
        return []
    inner = _INNER_POSSESSIVE.search(text, start, end)
    if inner is None:
        return _keep_if_name(source, index, text, start, end, label)
    head = _keep_if_name(source, index, text, *_trim(text, start, inner.start()), label)
    tail_start = inner.end()
    tail_end = _extend_capitalised(text, end)
    # The tail is a name of its own whose kind the model did not judge ("Coming of Age Day").
    tail = _keep_if_name(source, index, text, *_trim(text, tail_start, tail_end), None)
    tail = [t for t in tail if len(t.text.split()) > 1]
    return head + tail


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while True:
        before = (start, end)
        while start < end and (text[start].isspace() or text[start] in _EDGE_JUNK):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGE_JUNK):
            end -= 1
        article = _LEADING_ARTICLE.match(text[start:end])
        if article:
            start += article.end()
        first = re.match(r"([A-Za-z]+)\.?\s+", text[start:end])
        if first and first.group(1).casefold() in _HONORIFICS:
            start += first.end()
        possessive = _POSSESSIVE_END.search(text[start:end])
        if possessive:
            end = start + possessive.start()
        if end > start and text[end - 1] == "." and not _dot_belongs(text[start:end]):
            end -= 1
        place_word = _TRAILING_PLACE_WORD.search(text[start:end])
        if place_word:
            end = start + place_word.start()
        bracket = text.find("(", start, end)
        if bracket > start and text.find(")", bracket, end) < 0:
            end = bracket   # "Market Regulation (SAMR": the acronym that follows is another name
        described = _SENTENCE_START_DESCRIPTION.match(text[start:end])
        if described and _starts_sentence(text, start):
            start += described.end()   # "Chipmaker Broadcom" at the start of a sentence
        if (start, end) == before:
            return start, end


def _starts_sentence(text: str, start: int) -> bool:
    return not text[:start].strip() or bool(re.search(r"[.!?:;\"“”—–-]\s*$", text[max(0, start - 5):start]))


def _after_titles(text: str, start: int, end: int) -> int:
    """Where a person's name starts once titles are left out ("President Xi Jinping",
    "Crown Prince Mohammed bin Salman", "Foreign Minister Sergei Lavrov")."""
    while True:
        words = list(re.finditer(r"\S+", text[start:end]))
        if len(words) < 2:
            return start
        first = words[0].group(0).rstrip(".").casefold()
        second = words[1].group(0).rstrip(".").casefold()
        if first in _TITLES:
            start += words[1].start()
        elif len(words) > 2 and second in _TITLE_HEADS and words[0].group(0)[0].isupper():
            start += words[2].start()   # "Foreign Minister", "Crown Prince", "Attorney General"
        else:
            return start


def _dot_belongs(name: str) -> bool:
    """ "U.S." and "Acme Inc." keep their final dot; "Moscow." does not."""
    if re.search(r"(?:^|[\s.])[A-Z]\.$", name):
        return True
    last = name.rstrip(".").split()[-1].casefold() if name.strip(". ") else ""
    return last in _DOTTED_ENDINGS


def _extend_capitalised(text: str, end: int) -> int:
    """Carry a name on over the capitalised words that follow it ("Victory" + " Day Parade")."""
    for _ in range(_MAX_EXTENSION_WORDS):
        following = re.match(r"[ \t]+[A-Z][\w’'-]*", text[end:])
        if following is None:
            break
        end += following.end()
    return end


def _keep_if_name(source: str, index: int, text: str, start: int, end: int, label: str | None) -> list[Occurrence]:
    surface = text[start:end]
    starts_like_a_name = surface[:1].isupper() or surface[:1].isdigit()
    if len(name_key(surface)) < 2 or not starts_like_a_name or not any(c.isalpha() for c in surface):
        return []
    if _is_shouting(surface):
        return []
    return [Occurrence(source, index, start, end, surface, label)]


def _is_shouting(surface: str) -> bool:
    """ "DAILY PLANET EXCLUSIVE": several long all-caps words come from promos and headlines."""
    long_words = [w for w in words(surface) if len(w) >= 3]
    return len(long_words) >= 2 and all(w.isupper() for w in long_words)


def _drop_non_names(
    raw: list[Occurrence], lowercase: Counter, norp_words: set[str], paragraphs: dict[tuple[str, int], str]
) -> list[Occurrence]:
    by_key: dict[str, list[Occurrence]] = {}
    for occurrence in raw:
        by_key.setdefault(name_key(occurrence.text), []).append(occurrence)
    single_words = {k for k in by_key if len(k.split()) == 1}
    names = {
        key: occurrences
        for key, occurrences in by_key.items()
        if not _is_common_word(occurrences, lowercase)
        and not _is_demonym(key, norp_words, single_words)
        and not _is_quoted_word(key, occurrences, paragraphs)
    }
    # Written as found (case kept): "UN" is not the "Un" of "Kim Jong Un".
    surfaces = {" ".join(o.text.split()) for occurrences in names.values() for o in occurrences}
    kept = []
    for key, occurrences in sorted(names.items()):
        kept.extend(o for o in occurrences if not _is_run_together(" ".join(o.text.split()), surfaces))
    return kept


def _is_quoted_word(key: str, occurrences: list[Occurrence], paragraphs: dict[tuple[str, int], str]) -> bool:
    """A single word the model could only call a product or a title ("failed to 'Ukrainise'
    the agenda"): a quoted coinage, not a name."""
    if " " in key or not all(o.label in _VAGUE_LABELS for o in occurrences):
        return False
    return all(o.label in _WORK_LABELS or _in_quotes(paragraphs[(o.source, o.paragraph)], o) for o in occurrences)


def _in_quotes(text: str, o: Occurrence) -> bool:
    return text[o.start - 1:o.start] in _QUOTES and text[o.end:o.end + 1] in _QUOTES


def _is_common_word(occurrences: list[Occurrence], lowercase: Counter) -> bool:
    """ "Defense" in "Defense Minister X": a single word the dossier mostly writes in lower case."""
    spelling = occurrences[0].text
    return is_common_word(spelling, lowercase) and lowercase[spelling.casefold()] >= len(occurrences)


def _is_demonym(key: str, norp_words: set[str], single_word_names: set[str]) -> bool:
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
