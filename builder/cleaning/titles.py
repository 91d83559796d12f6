"""Find the headline among the first lines, and cut the site name glued to it."""
from __future__ import annotations

import re

from builder.cleaning.dates import find_date
from builder.cleaning.judgement import (
    BODY_LINE_WORDS, Judgement, MIN_TITLE_WORDS, TITLE_WINDOW, ends_sentence, line_key,
)

# A "title" this long (or made of several sentences) is really the lead paragraph.
_MAX_TITLE_CHARS = 250
# A first line this short without a full stop reads as a headline even when the metadata
# names the article differently.
_MAX_UNPUNCTUATED_HEADLINE_WORDS = 20
_SITE_SEPARATORS = re.compile(r"\s+(\||::|•|·|«|»|[-–—])\s+")
_BREADCRUMB_SEPARATOR = re.compile(r"\s[›»>/|]\s|[›»]")
# Breadcrumb segments are section names: a few words each (the last may be the headline).
_BREADCRUMB_SEGMENT_WORDS = 4
_HOME_WORDS = frozenset({"home", "homepage", "start", "front page", "news"})


def choose_title(judged: Judgement, given: str | None) -> tuple[str, str | None]:
    """(title, outlet named by a site-name suffix). Sets judged.title_index to the headline line."""
    if given:
        title, outlet = split_site_suffix(given)
        wanted = {line_key(given), line_key(title)}
        for index in range(min(len(judged.lines), TITLE_WINDOW)):
            if judged.reasons[index] is None and line_key(split_site_suffix(judged.lines[index].text)[0]) in wanted:
                judged.title_index = index
                return title, outlet
        # The metadata corrects the headline: the page's own headline line is still no paragraph.
        index = _headline_index(judged)
        if index is not None and _is_own_headline(judged, index):
            judged.title_index = index
            outlet = outlet or split_site_suffix(judged.lines[index].text)[1]
        return title, outlet
    index = _headline_index(judged)
    if index is None:
        return "", None
    text = judged.lines[index].text
    if _is_lead_paragraph(text) and not _repeated_later(judged, index):
        # No headline line: name the article by its first sentence, keep the line as body.
        return _first_sentence(text), None
    judged.title_index = index
    return split_site_suffix(text)


def _is_own_headline(judged: Judgement, index: int) -> bool:
    """A heading, or a short unpunctuated first line: shaped like a headline, not like prose."""
    line = judged.lines[index]
    if line.heading:
        return True
    return (index == _first_unjudged(judged) and len(line.text.split()) <= _MAX_UNPUNCTUATED_HEADLINE_WORDS
            and not ends_sentence(line.text))


def _first_unjudged(judged: Judgement) -> int | None:
    return next((i for i, reason in enumerate(judged.reasons) if reason is None and i not in judged.datelines), None)


def _headline_index(judged: Judgement) -> int | None:
    candidates = [i for i in range(min(len(judged.lines), TITLE_WINDOW))
                  if judged.reasons[i] is None and i not in judged.datelines and not _is_breadcrumb(judged, i)]
    headline_like = [i for i in candidates if len(judged.lines[i].text.split()) >= MIN_TITLE_WORDS
                     or judged.lines[i].heading]
    # Before the body starts, a line carrying a site-name suffix ("... | Site") is the page's
    # headline even when a tagline or a section name comes first.
    for index in headline_like:
        if len(judged.lines[index].text.split()) >= BODY_LINE_WORDS:
            break
        head, outlet = split_site_suffix(judged.lines[index].text)
        if outlet and len(head.split()) >= MIN_TITLE_WORDS:
            return index
    if headline_like:
        return _repeated_headline(judged, headline_like) or headline_like[0]
    if candidates:
        return candidates[0]
    return next((i for i in range(len(judged.lines)) if judged.reasons[i] is None and i not in judged.datelines), None)


def _repeated_headline(judged: Judgement, candidates: list[int]) -> int | None:
    """A page that prints its headline twice (share card, then article) names it by the repeat:
    a site name or tagline may come first. Only headline-shaped lines qualify, and only when
    the first candidate is not itself the repeated one (a repeated lead in the headline slot)."""
    first = candidates[0]
    if _repeated_later(judged, first):
        return None
    for index in candidates[1:]:
        text = judged.lines[index].text
        if len(text.split()) >= BODY_LINE_WORDS:
            break
        if _repeated_later(judged, index) and not text.endswith(".") and len(text.split()) >= MIN_TITLE_WORDS:
            return index
    return None


def _is_breadcrumb(judged: Judgement, index: int) -> bool:
    """ "Home › World › ..." or "Home World <the headline>" (the headline follows on its own)."""
    text = judged.lines[index].text
    if len(text) > 300:
        return False
    if _has_breadcrumb_separators(text):
        return True
    key = judged.keys[index]
    for later in range(index + 1, min(len(judged.lines), index + 6)):
        tail = judged.keys[later]
        if len(tail.split()) >= MIN_TITLE_WORDS and key.endswith(" " + tail):
            prefix = key[: -len(tail)].split()
            if len(prefix) <= 6:
                return True
    return False


def _has_breadcrumb_separators(text: str) -> bool:
    """ "Home › World › Asia", "Politics | World | Asia": short segments between separators."""
    segments = [segment.strip() for segment in _BREADCRUMB_SEPARATOR.split(text)]
    if len(segments) < 2 or not all(segments) or ends_sentence(text):
        return False
    short = all(len(segment.split()) <= _BREADCRUMB_SEGMENT_WORDS for segment in segments[:-1])
    return short and (len(segments) >= 3 or segments[0].lower() in _HOME_WORDS)


def _is_lead_paragraph(text: str) -> bool:
    """Too long for a headline; two-sentence headlines ("X. Where is the money?") stay short."""
    sentences = re.findall(r"[.!?](?:\s|$)", text.rstrip() + " ")
    return len(text) > _MAX_TITLE_CHARS or (len(sentences) >= 2 and len(text.split()) >= BODY_LINE_WORDS * 2)


def _repeated_later(judged: Judgement, index: int) -> bool:
    return judged.keys[index] in judged.keys[index + 1:]


def _first_sentence(text: str) -> str:
    match = re.match(r"(.{20,}?[.!?])(?:\s|$)", text)
    sentence = match.group(1) if match else text
    if len(sentence) > _MAX_TITLE_CHARS:
        sentence = sentence[:_MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return sentence


def split_site_suffix(title: str) -> tuple[str, str | None]:
    """ "Headline | Site" -> ("Headline", "Site"); a dash needs a short capitalised site name."""
    title = " ".join(title.split())
    parts = _SITE_SEPARATORS.split(title)
    if len(parts) < 3:
        return title, None
    head, separator, suffix = " ".join(parts[:-2]), parts[-2], parts[-1].strip()
    if not head or len(head.split()) < 2 or ends_sentence(suffix) or not suffix:
        return title, None
    words = suffix.split()
    if find_date(suffix) or not any(ch.isalpha() for ch in suffix):
        return title, None      # "Avalon Herald | 12 March 2024": a dateline, not a headline
    if separator in ("|", "::", "•", "·", "«", "»"):
        plausible = len(words) <= 6
    else:
        plausible = len(words) <= 4 and all(w[:1].isupper() or w[:1].isdigit() or "." in w for w in words)
    if not plausible:
        return title, None
    return head, suffix


def mark_before_title(judged: Judgement) -> None:
    """Whatever precedes the headline (except a dateline) is navigation: breadcrumbs, labels."""
    if judged.title_index is None:
        return
    for index in range(judged.title_index):
        if index in judged.datelines:
            continue
        judged.drop(index, "breadcrumb" if _is_breadcrumb(judged, index) else "navigation (before the headline)")
    # Some pages print the breadcrumb under the headline, before the article starts.
    for index in range(judged.title_index + 1, min(len(judged.lines), judged.title_index + TITLE_WINDOW)):
        text = judged.lines[index].text
        if len(text.split()) >= BODY_LINE_WORDS:
            break
        if len(text) <= 300 and _has_breadcrumb_separators(text):
            judged.drop(index, "breadcrumb")
