"""What Material's search plugin is given to read on a generated page.

Material's search parses every page's HTML with Python's `html.parser`, tag by tag; on a
big dossier that is half of `mkdocs build` (1,000 sources: 25 of 51 s under a profiler).
Most of the tags on the builder's pages sit inside elements marked `data-search-exclude`
(paragraph notes, permalinks, the removed-boilerplate table), which the parser walks only to
throw away. So the search plugin is handed the page with those elements already cut out,
and the theme then gets the whole page back. The index comes out the same: every generated
page of a 1,000-source dossier gave the same sections, and tests/test_site.py checks the sample.

A marked heading is kept: Material reads it as "leave this whole section out of the index",
which cutting the heading alone would undo. One difference is on purpose: inside a marked
element, Material's parser starts indexing again after a nested element of the same name
closes (it tells elements apart by name only); here the whole marked element is left out.

The inline elements left that hold only text (an entity's link, a date's span, a quotation's
mark) are replaced by their text: the parser indexes only their text, yet handled each of their
tags in Python, more than half of what it still spent on a source page (2.0 -> 0.9 ms; the same
sections on 900 pages of a 10,000-source dossier). An element it reads is never unwrapped: a
permalink (`headerlink`, whose text it leaves out of a heading), a marked one, one of the tags
it keeps in the text (p, code, pre, lists, sub, sup), any block element; nor one beside text
that is only white space, which the parser would collapse differently once joined.
"""
from __future__ import annotations

import re
from functools import lru_cache

# An opening tag carrying data-search-exclude, headings aside (see above).
_EXCLUDED_ELEMENT = re.compile(
    r"<(?![hH][1-6][\s>])([a-zA-Z][a-zA-Z0-9-]*)(?=[\s>])[^>]*\sdata-search-exclude(?=[\s=/>])[^>]*>")


# An inline element holding only text, whose text is all Material's search reads of it (none of
# these is kept in the index's text or holds a heading), unless it is marked for search.
_INLINE_ELEMENT = re.compile(
    r"<(a|abbr|b|cite|del|em|i|ins|mark|q|s|small|span|strong|time|u)(?=[\s>])"
    r"(?![^>]*(?:headerlink|linenodiv|data-search))[^>]*>([^<]*)</\1>")
# Nested inline elements (a mark in a link) come out one level per pass.
_INLINE_PASSES = 3


def searchable_part(html: str) -> str:
    """`html` without the elements marked data-search-exclude (their tails kept) and without
    the inline tags around text (the text kept).

    Made for the builder's own pages, whose HTML is well formed; if an element's end cannot be
    found the page is given back whole, which costs only time."""
    kept, at = [], 0
    while match := _EXCLUDED_ELEMENT.search(html, at):
        end = _element_end(html, match.group(1), match.end())
        if end < 0:
            return html
        kept.append(html[at:match.start()])
        at = end
    kept.append(html[at:])
    return _without_inline_tags("".join(kept))


def _without_inline_tags(html: str) -> str:
    """`html` with inline elements that hold only text replaced by their text, where the parser
    reads exactly the same: it collapses a run of white space it is given as one piece of text,
    so an element is unwrapped only if its text and the text on either side of it (up to the
    next tag) are each empty or more than white space."""
    for _ in range(_INLINE_PASSES):
        unwrapped = _INLINE_ELEMENT.sub(lambda match: _unwrapped(match, html), html)
        if unwrapped == html:
            break
        html = unwrapped
    return html


def _unwrapped(match: re.Match[str], html: str) -> str:
    text = match.group(2)
    before = html[html.rfind(">", 0, match.start()) + 1:match.start()]
    after_end = html.find("<", match.end())
    after = html[match.end():after_end if after_end >= 0 else len(html)]
    if text.isspace() or not text or before.isspace() or after.isspace():
        return match.group(0)
    return text


def _element_end(html: str, tag: str, inside: int) -> int:
    """Where the element whose opening tag ends at `inside` ends: after its matching closing tag."""
    depth, tags = 1, _same_tags(tag.lower())
    for found in tags.finditer(html, inside):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            return found.end()
    return -1


@lru_cache(maxsize=64)
def _same_tags(tag: str) -> re.Pattern[str]:
    """Opening or closing tags named `tag` (void and self-closed ones never open a level)."""
    return re.compile(rf"<(/?){re.escape(tag)}(?=[\s/>])(?:[^>]*[^/>])?>", re.IGNORECASE)
