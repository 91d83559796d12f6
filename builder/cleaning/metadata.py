"""Metadata of an article: header fields, publication date, outlet from the copyright line, language."""
from __future__ import annotations

import re

from builder.cleaning.credits import byline_outlet
from builder.cleaning.dates import find_date
from builder.cleaning.judgement import BODY_LINE_WORDS, Judgement
from builder.cleaning.language import language_identifier
from builder.model import Metadata

# Language detection needs some text; below this many characters we keep the default.
_MIN_LANGUAGE_CHARS = 200
_MIN_LANGUAGE_CONFIDENCE = 0.9
_DEFAULT_LANGUAGE = "en"
# A few thousand characters settle the language; more only costs time.
_LANGUAGE_SAMPLE_CHARS = 5000
# A wire dateline: capitalised place names, then the date, then an agency tag or a dash.
_WIRE_DATELINE = re.compile(r"[A-Z][A-Za-z .'-]{1,40}(?:, [A-Z][A-Za-z.' -]{1,30}){0,2}(?:,| [-–—])? $")
_WIRE_DATELINE_END = r"\s?(?:\(?/?[A-Za-z ]{2,30}/?\)?\s?)?(?:--|—|–|-)\s"
_WIRE_DATELINE_CHARS = 120
_STAMP_LABEL = re.compile(r"(?i)(?:last )?(?:updated|published|posted|modified)(?: on)?:?")
_HEADER_FIELD = re.compile(
    r"(?P<key>title|headline|date|published|author|by|byline|source|outlet|site|publication|url|link|language|lang)"
    r"\s?:\s?(?P<value>.+)", re.IGNORECASE)
_HEADER_ALIASES = {"headline": "title", "published": "date", "by": "author", "byline": "author", "source": "outlet",
                   "site": "outlet", "publication": "outlet", "link": "url", "lang": "language"}


def header_fields(judged: Judgement) -> Metadata:
    """ "Title: ...", "Date: ..." lines some scrapers put at the very top: metadata, not article."""
    values: dict[str, str] = {}
    for index, line in enumerate(judged.lines):
        match = _HEADER_FIELD.fullmatch(line.text)
        if not match or index != len(values):
            break
        name = match.group("key").lower()
        name = _HEADER_ALIASES.get(name, name)
        value = match.group("value").strip()
        if name == "date":
            found = find_date(value)
            value = found[0] if found else ""
        values.setdefault(name, value)
        judged.reasons[index] = "metadata header"
    return Metadata(**{name: value for name, value in values.items() if value})


def publication_date(judged: Judgement, metadata: Metadata) -> str | None:
    if metadata.date:
        found = find_date(metadata.date)
        if found:
            return found[0]
    for index in sorted(judged.datelines):
        found = find_date(judged.lines[index].text)
        if found:
            return found[0]
    for index, line in enumerate(judged.lines):
        if judged.reasons[index] in ("timestamp", "byline and timestamp"):
            found = find_date(line.text)
            if found:
                return found[0]
    return _wire_dateline_date(judged)


def _wire_dateline_date(judged: Judgement) -> str | None:
    """ "SPRINGFIELD, Ill., March 12, 2024 /PRNewswire/ -- ...": the date opening the first paragraph."""
    first = next((i for i in range(len(judged.lines)) if judged.kept(i)
                  and len(judged.lines[i].text.split()) >= BODY_LINE_WORDS), None)
    if first is None:
        return None
    opening = judged.lines[first].text[:_WIRE_DATELINE_CHARS]
    found = find_date(opening)
    if found and _WIRE_DATELINE.match(opening[: found[1]]) and re.match(_WIRE_DATELINE_END, opening[found[2]:]):
        return found[0]
    return None


def outlet_named_in_head(judged: Judgement) -> str | None:
    """The outlet a page names beside its byline or dateline, before the article starts:
    "By Jane Doe, Business Daily", "Avalon Herald | 12 March 2024"."""
    for index, line in enumerate(judged.lines):
        if len(line.text.split()) >= BODY_LINE_WORDS:
            return None
        reason = judged.reasons[index]
        outlet = None
        if reason == "byline":
            outlet = byline_outlet(line.text)
        elif reason == "timestamp":
            outlet = _outlet_beside_stamp(line.text)
        if outlet:
            return outlet
    return None


def _outlet_beside_stamp(text: str) -> str | None:
    segments = [segment.strip() for segment in re.split(r"\s[|·•]\s", text)]
    names = [s for s in segments if s and not find_date(s) and not re.search(r"\d", s)
             and len(s.split()) <= 4 and all(word[:1].isupper() for word in s.split())]
    return names[0] if len(segments) > 1 and names and not _STAMP_LABEL.fullmatch(names[0]) else None


def copyright_owner(judged: Judgement) -> str | None:
    for index, line in enumerate(judged.lines):
        if judged.reasons[index] != "copyright notice":
            continue
        owner = re.split(r"\s[|·•]\s|\.\s|\s[-–—]\s|(?i:powered by|all rights)", line.text)[0]
        owner = re.sub(r"(?i)©|\(c\)|copyright|\b(?:19|20)\d{2}\b|[-–,.]", " ", owner)
        owner = " ".join(owner.split())
        if owner and len(owner.split()) <= 5 and not any(ch.isdigit() or ch in ":/@" for ch in owner):
            return owner
    return None


def detect_language(paragraphs: tuple[str, ...]) -> str:
    text = " ".join(paragraphs)[:_LANGUAGE_SAMPLE_CHARS]
    if len(text) < _MIN_LANGUAGE_CHARS:
        return _DEFAULT_LANGUAGE
    language, confidence = language_identifier().classify(text)
    return language if confidence >= _MIN_LANGUAGE_CONFIDENCE else _DEFAULT_LANGUAGE


def merge_metadata(base: Metadata, top: Metadata) -> Metadata:
    names = ("title", "outlet", "url", "date", "author", "language")
    return Metadata(**{name: getattr(top, name) or getattr(base, name) for name in names})
