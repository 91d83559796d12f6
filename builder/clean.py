"""Clean stage: reduce every source to its article, and keep what was dropped with a reason.

Only `clean_sources` is public. Each raw line (for HTML: each line of the extracted text) is
judged on its own, using every signal we have: known phrases (comment prompts, share blurbs,
credits, ...), the line's shape (length, terminal punctuation, capitals), its position (before
the headline, after the last sentence), its neighbours (a caption's title, a reaction widget's
buttons) and lines that recur across sources of the dossier. Losing an article line is worse
than keeping a promo, so every rule that is not a known phrase is deliberately narrow.
"""
from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Sequence

from builder.cleaning.credits import byline_author, is_staff_line
from builder.cleaning.dates import find_date
from builder.cleaning.formats import Extracted, SourceLine, extract
from builder.cleaning.phrases import phrase_reason, photo_reason
from builder.model import Article, Metadata, RawSource, RemovedLine

log = logging.getLogger(__name__)

# Furniture is short: a line of more words is never judged by shape or repetition alone.
_SHORT_LINE_WORDS = 12
# A headline candidate shorter than this is more likely a section label ("World", "Now Reading").
_MIN_TITLE_WORDS = 3
# The headline sits near the top; we do not look for it further down than this many lines.
_TITLE_WINDOW = 15
# A "title" this long (or made of several sentences) is really the lead paragraph.
_MAX_TITLE_CHARS = 250
# Two sources sharing this many long lines are copies of one text, whose short lines
# (subheadings) are content, not site furniture.
_NEAR_COPY_SHARED_LINES = 2
_LONG_LINE_WORDS = 12
# Language detection needs some text; below this many characters we keep the default.
_MIN_LANGUAGE_CHARS = 200
_MIN_LANGUAGE_CONFIDENCE = 0.9
_DEFAULT_LANGUAGE = "en"
# A line this long is article prose: the body has begun.
_BODY_LINE_WORDS = 15
# A photo caption is a sentence or two.
_CAPTION_TEXT_WORDS = 40
_CAPTION_LABELS = frozenset({"image caption", "media caption", "photo caption", "video caption", "caption"})
_CLOCK_TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}(?:\s?(?:[ap]\.?m\.?))?\b|\b\d{1,2}\s?[ap]\.?m\.?(?=\W|$)", re.IGNORECASE)
_TIMESTAMP_WORDS = frozenset(
    "updated published posted last first modified created edited on at am pm ago hours hour hrs minutes mins min "
    "seconds days day weeks date dated time gmt utc bst cet edt est pdt pst ist jst msk "
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun".split())
_OUTSIDE_ARTICLE = "outside the article (page layout)"
# Two to four capitalised words, nothing else: how a bare author line looks.
_NAME_LINE = re.compile(r"[A-Z][\w.'’-]+(?: (?:[A-Z][\w.'’-]+|de|van|von|bin|al|da|le|la)){1,3}")
_SITE_SEPARATORS = re.compile(r"\s+(\||::|•|·|«|»|[-–—])\s+")
_SENTENCE_END = re.compile(r"[.!?…:;][\"”’'»)\]]*$|[\"”’»]$")
_HEADER_FIELD = re.compile(
    r"(?P<key>title|headline|date|published|author|by|byline|source|outlet|site|publication|url|link|language|lang)"
    r"\s?:\s?(?P<value>.+)", re.IGNORECASE)
_HEADER_ALIASES = {"headline": "title", "published": "date", "by": "author", "byline": "author", "source": "outlet",
                   "site": "outlet", "publication": "outlet", "link": "url", "lang": "language"}
_BREADCRUMB_SEPARATOR = re.compile(r"\s[›»>/|]\s|[›»]")
# Breadcrumb segments are section names: a few words each (the last may be the headline).
_BREADCRUMB_SEGMENT_WORDS = 4
_HOME_WORDS = frozenset({"home", "homepage", "start", "front page", "news"})


@dataclass
class _Judgement:
    """The verdicts on one source's lines, filled in rule by rule."""

    lines: tuple[SourceLine, ...]
    reasons: list[str | None]
    keys: tuple[str, ...]
    title_index: int | None = None
    datelines: set[int] = field(default_factory=set)

    def kept(self, index: int) -> bool:
        return self.reasons[index] is None and index != self.title_index

    def drop(self, index: int, reason: str) -> None:
        if self.reasons[index] is None and index != self.title_index:
            self.reasons[index] = reason


def clean_sources(raws: Sequence[RawSource]) -> tuple[Article, ...]:
    """One `Article` per raw source, in the same order."""
    extracted = [extract(raw) for raw in raws]
    furniture = _shared_furniture([ex.lines for ex in extracted])
    return tuple(_clean_one(raw, ex, furniture) for raw, ex in zip(raws, extracted))


# --- one source ------------------------------------------------------------------------

def _clean_one(raw: RawSource, ex: Extracted, furniture: frozenset[str]) -> Article:
    judged = _Judgement(ex.lines, [None] * len(ex.lines), tuple(_key(line.text) for line in ex.lines))
    header = _header_fields(judged)
    metadata = _merge(_merge(ex.hints, header), raw.metadata)   # the author's own metadata wins
    authors = _mark_known_furniture(judged)
    _mark_datelines(judged)
    _mark_context(judged)
    title, suffix_outlet = _choose_title(judged, metadata.title)
    if not title:
        title = PurePosixPath(raw.path).stem
    _mark_before_title(judged)
    _mark_author_lines(judged)
    _mark_repeats(judged, title)
    _mark_shared_furniture(judged, furniture)
    _mark_shouting_headlines(judged)
    _mark_footer(judged)
    _mark_after_credits(judged)
    _mark_comment_section(judged)
    paragraphs = _paragraphs(judged, ex.joinable)
    removed = _removed_in_order(judged, ex.dropped)
    return Article(
        id=raw.id, path=raw.path, sha256=raw.sha256, kind=raw.kind,
        title=title,
        outlet=metadata.outlet or suffix_outlet or _copyright_owner(judged),
        url=metadata.url,
        date=_publication_date(judged, metadata),
        language=metadata.language or _language(paragraphs),
        paragraphs=paragraphs,
        removed=removed,
        author=metadata.author or (authors[0] if authors else None),
    )


def _header_fields(judged: _Judgement) -> Metadata:
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


def _mark_known_furniture(judged: _Judgement) -> list[str]:
    """Known phrases, bylines and staff lines; returns the bylines' author names."""
    authors: list[str] = []
    for index, line in enumerate(judged.lines):
        if judged.reasons[index]:
            continue
        author = byline_author(line.text)
        if author:
            authors.append(author)
            judged.reasons[index] = "byline"
        elif is_staff_line(line.text):
            judged.reasons[index] = "editor and source line"
        elif _is_timestamp(line.text):
            judged.reasons[index] = "timestamp"
        else:
            judged.reasons[index] = phrase_reason(line.text)
    return authors


def _known_reason(text: str) -> str | None:
    """The reason a line is furniture judged on its own words, without context."""
    if byline_author(text):
        return "byline"
    if is_staff_line(text):
        return "editor and source line"
    if _is_timestamp(text):
        return "timestamp"
    return phrase_reason(text)


def _is_timestamp(text: str) -> bool:
    """A date and/or clock time with nothing but labels around it ("Sept 9, 2023 3:15 PM GMT Updated"),
    possibly beside a short outlet or section name ("Xinhua | Updated: 2023-09-10 09:12")."""
    if len(text) > 120:
        return False
    segments = [segment for segment in re.split(r"\s[|·•]\s", text) if segment.strip()]
    if len(segments) > 1:
        stamped = [_is_bare_timestamp(segment) for segment in segments]
        return any(stamped) and all(ok or len(seg.split()) <= 3 for ok, seg in zip(stamped, segments))
    return _is_bare_timestamp(text)


def _is_bare_timestamp(text: str) -> bool:
    found = find_date(text)
    rest = text[: found[1]] + " " + text[found[2]:] if found else text
    has_time = _CLOCK_TIME.search(rest) is not None
    if not found and not has_time:
        return False
    rest = _CLOCK_TIME.sub(" ", rest)
    leftover = [word for word in re.findall(r"[^\W\d_]+", rest) if word.lower() not in _TIMESTAMP_WORDS
                and not re.fullmatch(r"[A-Z]{2,5}", word)]
    return not leftover and (has_time or bool(rest.strip(" ,.|-–—·•")))


def _mark_datelines(judged: _Judgement) -> None:
    """A date alone on a line near the top is the source's dateline: kept, it is what the source
    states. Further down, a date alone belongs to a teaser or a comment: a timestamp."""
    body_started = False
    for index, line in enumerate(judged.lines):
        if judged.reasons[index] is None and _is_bare_date(line.text):
            if body_started or judged.datelines:
                judged.reasons[index] = "timestamp"
            else:
                judged.datelines.add(index)
        body_started = body_started or len(line.text.split()) >= _BODY_LINE_WORDS


def _is_bare_date(text: str) -> bool:
    if len(text) > 60:
        return False
    found = find_date(text)
    if not found:
        return False
    rest = (text[: found[1]] + text[found[2]:]).strip(" ,.|-–—")
    return not rest


def _mark_context(judged: _Judgement) -> None:
    """Rules that need a line's neighbours."""
    lines, reasons = judged.lines, judged.reasons
    for index, line in enumerate(lines):
        reason = reasons[index]
        if reason == "photo caption" and judged.keys[index] in _CAPTION_LABELS:
            _drop_caption_text(judged, index)
        elif reason == "video promo":
            _drop_run_after(judged, index, "video promo", _looks_like_headline, limit=3)
        elif reason == "reaction prompt":
            _drop_run_after(judged, index, "reaction button", lambda text: len(text.split()) <= 3)
        elif reason == "related stories" and len(line.text.split()) <= 4:
            _drop_run_after(judged, index, "related stories", _looks_like_headline, limit=5)
        elif reason in ("photo caption", "photo credit"):
            _drop_caption_neighbours(judged, index)


def _mark_author_lines(judged: _Judgement) -> None:
    """Run once the headline is known, so a short Title Case headline is never taken for a name."""
    for index in sorted(judged.datelines):
        _mark_name_beside_dateline(judged, index)
    for index, reason in enumerate(list(judged.reasons)):
        if reason == "byline":
            _drop_run_after(judged, index, "byline", _looks_like_affiliation, limit=1)


def _mark_name_beside_dateline(judged: _Judgement, dateline: int) -> None:
    """ "Dana Whitfield" / "Mar 14, 2024": a bare name next to the dateline is the byline."""
    for neighbour in (dateline - 1, dateline + 1):
        if 0 <= neighbour < len(judged.lines) and judged.kept(neighbour):
            text = judged.lines[neighbour].text
            if _NAME_LINE.fullmatch(text) and not judged.lines[neighbour].heading:
                judged.drop(neighbour, "byline")
                return


def _drop_run_after(judged: _Judgement, index: int, reason: str, accept, limit: int = 12) -> None:
    """Drop the lines that follow `index` in its block while `accept` says they belong to it."""
    block = judged.lines[index].block
    for follower in range(index + 1, min(len(judged.lines), index + 1 + limit)):
        line = judged.lines[follower]
        if line.block != block or follower == judged.title_index:
            return
        if judged.reasons[follower]:
            continue
        if not accept(line.text) or _ends_sentence(line.text):
            return
        judged.reasons[follower] = reason


def _drop_caption_neighbours(judged: _Judgement, index: int) -> None:
    """A short unpunctuated line glued to a caption or credit is the photo's own title."""
    block = judged.lines[index].block
    for neighbour in (index - 1, index + 1):
        if not 0 <= neighbour < len(judged.lines) or judged.reasons[neighbour]:
            continue
        line = judged.lines[neighbour]
        if line.block == block and len(line.text.split()) <= 6 and not _ends_sentence(line.text):
            judged.reasons[neighbour] = photo_reason(line.text) or "photo title"


def _drop_caption_text(judged: _Judgement, index: int) -> None:
    """ "Image caption," alone on its line labels the line that follows."""
    follower = index + 1
    if follower < len(judged.lines) and judged.reasons[follower] is None:
        if len(judged.lines[follower].text.split()) <= _CAPTION_TEXT_WORDS:
            judged.reasons[follower] = "photo caption"


def _looks_like_affiliation(text: str) -> bool:
    """ "BBC News", "China correspondent": what a byline's next line says about the author."""
    words = text.split()
    return len(words) <= 4 and words[0][:1].isupper() and not any(ch.isdigit() for ch in text)


def _looks_like_headline(text: str) -> bool:
    return 3 <= len(text.split()) <= 20 and not text.rstrip().endswith(".")


# --- the title -------------------------------------------------------------------------

def _choose_title(judged: _Judgement, given: str | None) -> tuple[str, str | None]:
    """(title, outlet named by a site-name suffix). Sets judged.title_index to the headline line."""
    if given:
        title, outlet = _split_site_suffix(given)
        wanted = {_key(given), _key(title)}
        for index in range(min(len(judged.lines), _TITLE_WINDOW)):
            if judged.reasons[index] is None and _key(_split_site_suffix(judged.lines[index].text)[0]) in wanted:
                judged.title_index = index
                break
        return title, outlet
    index = _headline_index(judged)
    if index is None:
        return "", None
    text = judged.lines[index].text
    if _is_lead_paragraph(text) and not _repeated_later(judged, index):
        # No headline line: name the article by its first sentence, keep the line as body.
        return _first_sentence(text), None
    judged.title_index = index
    return _split_site_suffix(text)


def _headline_index(judged: _Judgement) -> int | None:
    candidates = [i for i in range(min(len(judged.lines), _TITLE_WINDOW))
                  if judged.reasons[i] is None and i not in judged.datelines and not _is_breadcrumb(judged, i)]
    headline_like = [i for i in candidates if len(judged.lines[i].text.split()) >= _MIN_TITLE_WORDS
                     or judged.lines[i].heading]
    # Before the body starts, a line carrying a site-name suffix ("... | Site") is the page's
    # headline even when a tagline or a section name comes first.
    for index in headline_like:
        if len(judged.lines[index].text.split()) >= _BODY_LINE_WORDS:
            break
        if _split_site_suffix(judged.lines[index].text)[1]:
            return index
    if headline_like:
        return _repeated_headline(judged, headline_like) or headline_like[0]
    if candidates:
        return candidates[0]
    return next((i for i in range(len(judged.lines)) if judged.reasons[i] is None and i not in judged.datelines), None)


def _repeated_headline(judged: _Judgement, candidates: list[int]) -> int | None:
    """A page that prints its headline twice (share card, then article) names it by the repeat:
    a site name or tagline may come first. Only headline-shaped lines qualify, and only when
    the first candidate is not itself the repeated one (a repeated lead in the headline slot)."""
    first = candidates[0]
    if _repeated_later(judged, first):
        return None
    for index in candidates[1:]:
        text = judged.lines[index].text
        if len(text.split()) >= _BODY_LINE_WORDS:
            break
        if _repeated_later(judged, index) and not text.endswith(".") and len(text.split()) >= _MIN_TITLE_WORDS:
            return index
    return None


def _is_breadcrumb(judged: _Judgement, index: int) -> bool:
    """ "Home › World › ..." or "Home World <the headline>" (the headline follows on its own)."""
    text = judged.lines[index].text
    if len(text) > 300:
        return False
    segments = [segment.strip() for segment in _BREADCRUMB_SEPARATOR.split(text)]
    if len(segments) >= 2 and all(segments) and not _ends_sentence(text):
        short = all(len(segment.split()) <= _BREADCRUMB_SEGMENT_WORDS for segment in segments[:-1])
        if short and (len(segments) >= 3 or segments[0].lower() in _HOME_WORDS):
            return True
    key = judged.keys[index]
    for later in range(index + 1, min(len(judged.lines), index + 6)):
        tail = judged.keys[later]
        if len(tail.split()) >= _MIN_TITLE_WORDS and key.endswith(" " + tail):
            prefix = key[: -len(tail)].split()
            if len(prefix) <= 6:
                return True
    return False


def _is_lead_paragraph(text: str) -> bool:
    """Too long for a headline; two-sentence headlines ("X. Where is the money?") stay short."""
    sentences = re.findall(r"[.!?](?:\s|$)", text.rstrip() + " ")
    return len(text) > _MAX_TITLE_CHARS or (len(sentences) >= 2 and len(text.split()) >= _BODY_LINE_WORDS * 2)


def _repeated_later(judged: _Judgement, index: int) -> bool:
    return judged.keys[index] in judged.keys[index + 1:]


def _first_sentence(text: str) -> str:
    match = re.match(r"(.{20,}?[.!?])(?:\s|$)", text)
    sentence = match.group(1) if match else text
    if len(sentence) > _MAX_TITLE_CHARS:
        sentence = sentence[:_MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return sentence


def _split_site_suffix(title: str) -> tuple[str, str | None]:
    """ "Headline | Site" -> ("Headline", "Site"); a dash needs a short capitalised site name."""
    title = " ".join(title.split())
    parts = _SITE_SEPARATORS.split(title)
    if len(parts) < 3:
        return title, None
    head, separator, suffix = " ".join(parts[:-2]), parts[-2], parts[-1].strip()
    if not head or len(head.split()) < 2 or _ends_sentence(suffix) or not suffix:
        return title, None
    words = suffix.split()
    if separator in ("|", "::", "•", "·", "«", "»"):
        plausible = len(words) <= 6
    else:
        plausible = len(words) <= 4 and all(w[:1].isupper() or w[:1].isdigit() or "." in w for w in words)
    if not plausible:
        return title, None
    return head, suffix


# --- position, repetition, shape -------------------------------------------------------

def _mark_before_title(judged: _Judgement) -> None:
    """Whatever precedes the headline (except a dateline) is navigation: breadcrumbs, labels."""
    if judged.title_index is None:
        return
    for index in range(judged.title_index):
        if index in judged.datelines:
            continue
        judged.drop(index, "breadcrumb" if _is_breadcrumb(judged, index) else "navigation (before the headline)")


def _mark_repeats(judged: _Judgement, title: str) -> None:
    title_keys = {_key(title)}
    if judged.title_index is not None:
        title_keys.add(_key(judged.lines[judged.title_index].text))
    seen: set[str] = set()
    for index, line in enumerate(judged.lines):
        if not judged.kept(index):
            continue
        key = judged.keys[index]
        if key in title_keys or _key(_split_site_suffix(line.text)[0]) in title_keys:
            judged.drop(index, "repeated headline")
            _drop_share_card(judged, index)
        elif key in seen and len(key.split()) >= 3:
            judged.drop(index, "repeated paragraph")
        seen.add(key)


def _drop_share_card(judged: _Judgement, repeat: int) -> None:
    """Between a headline and its second copy sits the page's share card: buttons, labels."""
    if judged.title_index is None or repeat - judged.title_index > _TITLE_WINDOW:
        return
    for index in range(judged.title_index + 1, repeat):
        text = judged.lines[index].text
        if index not in judged.datelines and len(text.split()) <= 3 and not _ends_sentence(text):
            judged.drop(index, "navigation (between the headline's copies)")


def _mark_shared_furniture(judged: _Judgement, furniture: frozenset[str]) -> None:
    for index in range(len(judged.lines)):
        if judged.kept(index) and index not in judged.datelines and judged.keys[index] in furniture:
            judged.drop(index, "repeated across sources (site furniture)")


def _mark_shouting_headlines(judged: _Judgement) -> None:
    """An all-capitals line of several words inside the body is a promoted headline."""
    for index, line in enumerate(judged.lines):
        letters = [ch for ch in line.text if ch.isalpha()]
        if (judged.kept(index) and len(line.text.split()) >= 5 and len(letters) >= 15
                and sum(ch.isupper() for ch in letters) >= 0.9 * len(letters) and not line.text.endswith(".")):
            judged.drop(index, "related headline (all capitals)")


def _mark_footer(judged: _Judgement) -> None:
    """Short unpunctuated lines after the article's last sentence are the page's footer."""
    last_sentence = None
    for index, line in enumerate(judged.lines):
        if judged.kept(index) and _ends_sentence(line.text) and len(line.text.split()) >= 5:
            last_sentence = index
    if last_sentence is None:
        return
    for index in range(last_sentence + 1, len(judged.lines)):
        line = judged.lines[index]
        if (judged.kept(index) and index not in judged.datelines and len(line.text.split()) <= 10
                and not _ends_sentence(line.text)):
            judged.drop(index, "page footer (after the article)")


def _mark_after_credits(judged: _Judgement) -> None:
    """ "(Reporting by ...; Editing by ...)" ends an agency article: what follows is the page's."""
    credits = [i for i, reason in enumerate(judged.reasons) if reason == "editor and source line"]
    if not credits or credits[-1] < len(judged.lines) // 2:
        return
    for index in range(credits[-1] + 1, len(judged.lines)):
        if judged.kept(index) and len(judged.lines[index].text.split()) < _SHORT_LINE_WORDS:
            judged.drop(index, "page footer (after the article)")


def _mark_comment_section(judged: _Judgement) -> None:
    """Short lines after a comment prompt in the page's second half are readers' comments."""
    start = next((i for i, reason in enumerate(judged.reasons)
                  if reason == "comment prompt" and i >= len(judged.lines) // 2), None)
    if start is None:
        return
    for index in range(start + 1, len(judged.lines)):
        if judged.kept(index) and index not in judged.datelines and len(judged.lines[index].text.split()) < _SHORT_LINE_WORDS:
            judged.drop(index, "comment section")


def _shared_furniture(sources: list[tuple[SourceLine, ...]]) -> frozenset[str]:
    """Short unpunctuated lines met in two sources that are not copies of one text."""
    short_keys: list[set[str]] = []
    long_keys: list[set[str]] = []
    for lines in sources:
        short, long = set(), set()
        for line in lines:
            words = len(line.text.split())
            if words <= _SHORT_LINE_WORDS and not _ends_sentence(line.text):
                short.add(_key(line.text))
            elif words >= _LONG_LINE_WORDS:
                long.add(_key(line.text))
        short_keys.append(short)
        long_keys.append(long)
    holders: dict[str, list[int]] = defaultdict(list)
    for number, keys in enumerate(short_keys):
        for key in keys:
            holders[key].append(number)
    furniture = set()
    for key, numbers in holders.items():
        if any(len(long_keys[a] & long_keys[b]) < _NEAR_COPY_SHARED_LINES
               for position, a in enumerate(numbers) for b in numbers[position + 1:]):
            furniture.add(key)
    return frozenset(furniture)


# --- output ----------------------------------------------------------------------------

def _paragraphs(judged: _Judgement, joinable: bool) -> tuple[str, ...]:
    paragraphs: list[str] = []
    previous: int | None = None
    for index, line in enumerate(judged.lines):
        if not judged.kept(index):
            continue
        glued = (joinable and previous == index - 1 and judged.lines[previous].block == line.block
                 and not line.heading and not judged.lines[previous].heading and index not in judged.datelines)
        if glued:
            paragraphs[-1] = _join_wrapped(paragraphs[-1], line.text)
        else:
            paragraphs.append(line.text)
        previous = index
    return tuple(paragraphs)


def _removed_in_order(judged: _Judgement, dropped: tuple[tuple[int, str], ...]) -> tuple[RemovedLine, ...]:
    """Every dropped line in page order, what the HTML extractor left out included."""
    ordered = [(position, 0, number, RemovedLine(text, _known_reason(text) or _OUTSIDE_ARTICLE))
               for number, (position, text) in enumerate(dropped)]
    ordered += [(index, 1, 0, RemovedLine(line.text, reason))
                for index, (line, reason) in enumerate(zip(judged.lines, judged.reasons)) if reason]
    return tuple(item[-1] for item in sorted(ordered, key=lambda item: item[:3]))


def _join_wrapped(first: str, second: str) -> str:
    if first.endswith("-") and not first.endswith(" -") and second[:1].islower():
        return first + second           # a word hyphenated across the line break
    return f"{first} {second}"


def _publication_date(judged: _Judgement, metadata: Metadata) -> str | None:
    if metadata.date:
        found = find_date(metadata.date)
        if found:
            return found[0]
    for index in sorted(judged.datelines):
        found = find_date(judged.lines[index].text)
        if found:
            return found[0]
    for index, line in enumerate(judged.lines):
        if judged.reasons[index] == "timestamp":
            found = find_date(line.text)
            if found:
                return found[0]
    return None


def _copyright_owner(judged: _Judgement) -> str | None:
    for index, line in enumerate(judged.lines):
        if judged.reasons[index] != "copyright notice":
            continue
        owner = re.split(r"\s[|·•]\s|\.\s|\s[-–—]\s|(?i:powered by|all rights)", line.text)[0]
        owner = re.sub(r"(?i)©|\(c\)|copyright|\b(?:19|20)\d{2}\b|[-–,.]", " ", owner)
        owner = " ".join(owner.split())
        if owner and len(owner.split()) <= 5:
            return owner
    return None


@lru_cache(maxsize=1)
def _language_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _language(paragraphs: tuple[str, ...]) -> str:
    text = " ".join(paragraphs)[:20_000]
    if len(text) < _MIN_LANGUAGE_CHARS:
        return _DEFAULT_LANGUAGE
    language, confidence = _language_identifier().classify(text)
    return language if confidence >= _MIN_LANGUAGE_CONFIDENCE else _DEFAULT_LANGUAGE


def _merge(base: Metadata, top: Metadata) -> Metadata:
    names = ("title", "outlet", "url", "date", "author", "language")
    return Metadata(**{name: getattr(top, name) or getattr(base, name) for name in names})


def _ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.rstrip()))


def _key(text: str) -> str:
    """Comparison form of a line: case, quotes, dashes and spacing do not matter."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub(r"[\u2010-\u2015-]", " ", text.casefold())
    return " ".join(text.split()).strip(" .,!?…:;|")
