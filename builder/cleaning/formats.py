"""Turn a source of any kind into plain-text lines plus the metadata its format carries.

Plain text is split into lines as is. Markdown loses its inline syntax (a reader and the later
stages want words, not asterisks and link targets). HTML goes through trafilatura, a
maintained article extractor, whose text output then gets the same line-level clean-up.
"""
from __future__ import annotations

import html as _html
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from builder.cleaning.credits import author_names, byline_author
from builder.cleaning.phrases import photo_reason
from builder.model import Metadata, RawSource
from builder.read import MAX_TEXT_CHARS

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceLine:
    text: str          # stripped raw line (for markdown and HTML: the plain-text rendering)
    block: int         # lines of one block follow each other without a blank line between
    heading: bool = False   # a markdown/HTML heading: a title candidate, never a wrapped continuation
    image: bool = False     # a markdown image alone on its line: the text is its description


@dataclass(frozen=True)
class Extracted:
    lines: tuple[SourceLine, ...]
    hints: Metadata            # what the format itself says (HTML meta tags)
    joinable: bool             # True when consecutive lines of a block belong to one paragraph
    # HTML: page text the extractor left out, as (index of the line it precedes, text).
    dropped: tuple[tuple[int, str], ...] = ()


def extract(raw: RawSource) -> Extracted:
    if raw.kind == "html":
        return _from_html(raw)
    if raw.kind == "markdown":
        return Extracted(_markdown_lines(raw.text), Metadata(), joinable=True)
    return Extracted(_text_lines(raw.text), Metadata(), joinable=False)


def _text_lines(text: str) -> tuple[SourceLine, ...]:
    lines: list[SourceLine] = []
    block = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            block += 1
            continue
        lines.append(SourceLine(stripped, block))
    width = _wrap_width(lines)
    return _unwrap(lines, width) if width else tuple(lines)


# A wrapped line is filled to nearly the full width; a shorter one ends its paragraph.
_FULL_LINE_SHARE = 0.6
# Text wrapped for reading is filled to 60-80 columns; narrower "wrapping" is a list of short lines.
_MIN_WRAP_WIDTH = 40
_MAX_WRAP_WIDTH = 100
_MIN_WRAPPED_LINES = 5


def _wrap_width(lines: list[SourceLine]) -> int | None:
    """The column the text was hard-wrapped at, or None when lines are whole paragraphs."""
    inner = sorted(len(line.text) for line, after in zip(lines, lines[1:]) if after.block == line.block)
    if len(inner) < _MIN_WRAPPED_LINES:
        return None
    width = inner[max(0, int(len(inner) * 0.9) - 1)]
    if not _MIN_WRAP_WIDTH <= width <= _MAX_WRAP_WIDTH:
        return None
    filled = sum(1 for length in inner if length >= 0.7 * width)
    return width if filled >= 0.75 * len(inner) else None


def _unwrap(lines: list[SourceLine], width: int) -> tuple[SourceLine, ...]:
    """Join the lines of each wrapped paragraph, so every later rule sees whole paragraphs."""
    merged: list[SourceLine] = []
    for line in lines:
        previous = merged[-1] if merged else None
        last = previous.text.rsplit("\n", 1)[-1] if previous is not None else ""
        if (previous is not None and previous.block == line.block
                and len(last) >= _FULL_LINE_SHARE * width and not _stands_alone(last)):
            merged[-1] = SourceLine(_join_wrapped(previous.text, line.text), line.block)
        else:
            merged.append(line)
    return tuple(SourceLine(re.sub(r"(?<=\w-)\n(?=[a-z])", "", line.text).replace("\n", " "), line.block)
                 for line in merged)


def _stands_alone(raw_line: str) -> bool:
    """A photo caption or credit, or a byline, on a line filled to the width: glued to the
    paragraph under it, the whole paragraph would be judged (and dropped) as the caption."""
    reason = photo_reason(raw_line)
    if reason == "photo credit" or byline_author(raw_line):
        return True
    return reason == "photo caption" and raw_line.rstrip()[-1:] in tuple('.!?)"”’')


def _join_wrapped(first: str, second: str) -> str:
    """Keep a newline between the parts so the next fill test looks at the last raw line only."""
    return f"{first}\n{second}"


# --- markdown --------------------------------------------------------------------------

_MD_IMAGE = re.compile(r"!\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)")
_MD_LINK = re.compile(r"\[([^\]\n]{1,500})\]\((?:[^)\n]{0,1000})\)")
_MD_REF_LINK = re.compile(r"\[([^\]\n]{1,500})\]\[[^\]\n]{0,100}\]")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~)(?=\S)([^\n]{0,2000}?\S)\1")
_MD_CODE = re.compile(r"`([^`\n]{1,1000})`")
_MD_HEADING = re.compile(r"#{1,6}\s+(.*?)\s*#*\s*")
_MD_LIST = re.compile(r"(?:[-*+]|\d{1,3}[.)])\s+")
_MD_RULE = re.compile(r"(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,}|={3,}")
_MD_REF_DEFINITION = re.compile(r"\[[^\]]{1,100}\]:\s*\S+.*")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,20}(?:\s[^<>]{0,1000})?/?>")


def _markdown_lines(text: str) -> tuple[SourceLine, ...]:
    lines: list[SourceLine] = []
    block = 0
    in_fence = False
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("```") or stripped.startswith("~~~"):
            in_fence = not in_fence
            block += 1
            continue
        if not stripped or _MD_RULE.fullmatch(stripped) or _MD_REF_DEFINITION.fullmatch(stripped):
            block += 1
            continue
        heading = _MD_HEADING.fullmatch(stripped)
        if heading and not in_fence:
            block += 1
            plain = _markdown_inline(heading.group(1))
            if plain:
                lines.append(SourceLine(plain, block, heading=True))
            block += 1
            continue
        image = False
        if not in_fence:
            stripped = re.sub(r"^(?:>\s?)+", "", stripped)
            if _MD_LIST.match(stripped):
                block += 1      # each list item is its own paragraph
                stripped = _MD_LIST.sub("", stripped, count=1)
            image = _MD_IMAGE.fullmatch(stripped) is not None
            stripped = _markdown_inline(stripped)
        if stripped:
            lines.append(SourceLine(stripped, block, image=image))
    return tuple(lines)


def _markdown_inline(text: str) -> str:
    text = _MD_IMAGE.sub(lambda m: m.group(1), text)
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = _MD_REF_LINK.sub(lambda m: m.group(1), text)
    text = _MD_CODE.sub(lambda m: m.group(1), text)
    for _ in range(2):     # nested emphasis: ***x*** or **_x_**
        text = _MD_EMPHASIS.sub(lambda m: m.group(2), text)
    text = _HTML_TAG.sub("", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|>~])", r"\1", text)   # markdown escapes
    return _html.unescape(text).strip()


# --- html ------------------------------------------------------------------------------

def _from_html(raw: RawSource) -> Extracted:
    document = _trafilatura_document(raw)
    text = (document or {}).get("text") or ""
    if not text.strip():
        text = "\n".join(_visible_lines(raw.text, without=_CHROME_TAGS))
    # trafilatura's output is already plain text (entities resolved): only spacing is tidied,
    # so a literal "<" in the article survives. Its paragraphs follow each other like the
    # lines of one block of text.
    article = [" ".join(line.split()) for line in text.split("\n")]
    lines = _capped(raw.path, tuple(SourceLine(line, 0) for line in article if line))
    dropped = _outside_article(_visible_lines(raw.text, without=()), lines)
    return Extracted(lines, _html_hints(document or {}), joinable=False, dropped=dropped)


def _capped(path: str, lines: tuple[SourceLine, ...]) -> tuple[SourceLine, ...]:
    """The same cap on article text as text and Markdown sources get when read: an HTML file
    within the byte cap can still hold millions of characters of paragraphs."""
    total = 0
    for count, line in enumerate(lines):
        total += len(line.text) + 1
        if total > MAX_TEXT_CHARS:
            log.warning("%s: truncated to its first %d characters of article text", path, MAX_TEXT_CHARS)
            return lines[:count]
    return lines


def _trafilatura_document(raw: RawSource) -> dict | None:
    import trafilatura

    try:
        with _extractor_logs_muted():
            document = trafilatura.bare_extraction(
                raw.text, include_comments=False, with_metadata=True, include_tables=True,
                include_images=False, include_links=False, favor_recall=True,
                # Dates from the page's markup only: the extensive text search guesses from any year
                # it sees, a copyright notice's included.
                date_extraction_params={"extensive_search": False, "original_date": True},
            )
    except Exception as exc:   # the extractor must never take the build down with it
        log.warning("%s: HTML extraction failed (%s); falling back to the page text", raw.path, exc)
        return None
    if document is None:
        return None
    return document.as_dict() if hasattr(document, "as_dict") else dict(document)


# trafilatura and the libraries it calls log their own parse problems ("empty HTML tree: None")
# at ERROR, without the file's name and outside the builder's warning count; what matters to
# the reader (no article text) is reported by the clean stage itself, naming the file.
_EXTRACTOR_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext")


@contextmanager
def _extractor_logs_muted() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in _EXTRACTOR_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
_CHROME_TAGS = ("nav", "header", "footer", "aside", "form")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote button dd details div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul option label".split())


def _visible_lines(markup: str, without: tuple[str, ...]) -> list[str]:
    """The page's visible text, one line per block element, inline links kept inline."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(list(_INVISIBLE_TAGS + without)):
        tag.decompose()
    for tag in soup.find_all("br"):
        tag.replace_with("\n")
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = (" ".join(line.split()) for line in soup.get_text().split("\n"))
    return [line for line in lines if line]


# How far ahead of the current article line a page line is looked for: keeps the alignment
# linear in the page's size while tolerating the extractor reordering a few lines.
_ALIGN_WINDOW = 3


def _outside_article(page: list[str], article: tuple[SourceLine, ...]) -> tuple[tuple[int, str], ...]:
    """Page lines the extractor left out, each with the article line it came before."""
    keys = [_fold(line.text) for line in article]
    dropped: list[tuple[int, str]] = []
    position = 0
    for line in page:
        key = _fold(line)
        window = range(position, min(len(keys), position + _ALIGN_WINDOW))
        match = next((i for i in window if key == keys[i] or _part_of(key, keys[i]) or _part_of(keys[i], key)), None)
        if match is not None:
            position = match + 1 if key == keys[match] or keys[match] in key else match
        else:
            dropped.append((position, line))
    return tuple(dropped)


# A page line this short ("|", "OK", a table cell) is only part of an article line as whole
# words: found inside another word ("ok" in "took") or as bare punctuation it proves nothing, and
# the alignment would jump ahead and list article lines as left out.
_MIN_PART_CHARS = 12


def _part_of(part: str, whole: str) -> bool:
    if len(part) >= _MIN_PART_CHARS:
        return part in whole
    return (any(ch.isalnum() for ch in part) and part in whole
            and re.search(rf"(?<!\w){re.escape(part)}(?!\w)", whole) is not None)


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _html_hints(document: dict) -> Metadata:
    def clean(value: object) -> str | None:
        text = " ".join(str(value).split()) if value else ""
        return text or None

    return Metadata(
        title=clean(document.get("title")),
        outlet=clean(document.get("sitename")),
        url=clean(document.get("url")),
        date=clean(document.get("date")),
        author=author_names(clean(document.get("author")) or ""),
        language=clean(document.get("language")),
    )
