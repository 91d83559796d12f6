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
"""
from __future__ import annotations

import re
from functools import lru_cache

# An opening tag carrying data-search-exclude, headings aside (see above).
_EXCLUDED_ELEMENT = re.compile(
    r"<(?![hH][1-6][\s>])([a-zA-Z][a-zA-Z0-9-]*)(?=[\s>])[^>]*\sdata-search-exclude(?=[\s=/>])[^>]*>")


def searchable_part(html: str) -> str:
    """`html` without the elements marked data-search-exclude (their tails kept).

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
    return "".join(kept)


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
