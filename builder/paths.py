"""Where every generated page lives under docs/, and how pages link to each other.

The builder owns exactly the folders in `OWNED_FOLDERS` (plus `dossier.json`); everything
else under docs/ is the user's. Links inside generated pages are raw HTML, which MkDocs
does not rewrite, so they are computed here for MkDocs' directory URLs
(`sources/x.md` is served at `sources/x/`).
"""
from __future__ import annotations

import posixpath
from functools import lru_cache

SOURCES, ENTITIES, COMPARE, TOPICS, TIMELINE, RAW, OVERVIEW = (
    "sources", "entities", "compare", "topics", "timeline", "raw", "overview",
)
OWNED_FOLDERS = (SOURCES, ENTITIES, COMPARE, TOPICS, TIMELINE, RAW, OVERVIEW)
DOSSIER_JSON = "dossier.json"
HOME = "index.md"
ABOUT = "about.md"
OVERVIEW_SNIPPET = f"{OVERVIEW}/at-a-glance.md"   # included into the hand-written home page
CACHE_FOLDER = ".dossier-cache"   # inside docs/, the builder's own (builder.cache); MkDocs publishes no dot-folder


def page_of_source(source_id: str) -> str:
    return _page(SOURCES, source_id)


def page_of_entity(entity_id: str) -> str:
    return _page(ENTITIES, entity_id)


def page_of_topic(topic_id: str) -> str:
    return _page(TOPICS, topic_id)


def page_of_quote(quote_id: str) -> str:
    return _page(f"{COMPARE}/quotes", quote_id)


def page_of_discrepancy(discrepancy_id: str) -> str:
    return _page(f"{COMPARE}/discrepancies", discrepancy_id)


def _page(folder: str, ident: str) -> str:
    # A source file "index.txt" (or an entity or topic called "Index") must not take the place
    # of the folder's own index page; ids are [a-z0-9-] slugs, so "_index" is never one.
    return f"{folder}/{'_index' if ident == 'index' else ident}.md"


def raw_copy_of(source_id: str) -> str:
    # Always .txt: a raw .html source served as HTML would run its scripts, and a raw .md
    # would become a page. As text/plain the browser shows it and runs nothing.
    return f"{RAW}/{source_id}.txt"


def anchor_of_paragraph(index: int) -> str:
    """Paragraph anchors are 1-based, as a reader cites them: paragraphs[0] is #p1."""
    return f"p{index + 1}"


def url_of(page: str, directory_urls: bool = True) -> str:
    """The URL path MkDocs serves a docs/ file at, relative to the site root."""
    if not page.endswith(".md"):
        return page
    stem = page[: -len(".md")]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def href(from_page: str, to_page: str, anchor: str | None = None, directory_urls: bool = True) -> str:
    """A relative link from one docs/ page to another (or to a static file), for raw HTML."""
    rel = _relative(_folder_of(from_page, directory_urls), _target_of(to_page, directory_urls))
    return rel + "#" + anchor if anchor else rel


# Pages link thousands of times to the same few thousand targets from the same few folders:
# each page's folder and each target are worked out once. Pure functions of strings, bounded.
@lru_cache(maxsize=1 << 14)
def _folder_of(page: str, directory_urls: bool) -> tuple[tuple[str, ...] | None, str]:
    """(segments of the folder a page's relative links start from, that folder)."""
    here = url_of(page, directory_urls)
    folder = here.rstrip("/") if directory_urls else posixpath.dirname(here)
    return _segments(folder), folder


@lru_cache(maxsize=1 << 16)
def _target_of(page: str, directory_urls: bool) -> tuple[tuple[str, ...] | None, str, str, str]:
    """(segments of the target's URL, those joined, the URL itself, "/" when it is a folder)."""
    target = url_of(page, directory_urls)
    parts = _segments(target.rstrip("/"))
    return parts, "/".join(parts or ()), target, "/" if target.endswith("/") or target == "" else ""


def _segments(path: str) -> tuple[str, ...] | None:
    """A path's segments; None where plain segment work would not match posixpath.relpath
    (an absolute path, '..')."""
    parts = tuple(part for part in path.split("/") if part and part != ".")
    return None if path.startswith("/") or ".." in parts else parts


def _relative(folder: tuple[tuple[str, ...] | None, str], target: tuple[tuple[str, ...] | None, str, str, str]) -> str:
    """posixpath.relpath(target, folder) on segments, without asking the file system for the
    working directory twice per link as relpath does."""
    base, base_path = folder
    parts, joined, url, slash = target
    if base is None or parts is None:
        return posixpath.relpath(url.rstrip("/") or ".", base_path or ".") + slash
    common = 0
    if base and parts and base[0] == parts[0]:   # most links leave the folder at its first segment
        for a, b in zip(base, parts):
            if a != b:
                break
            common += 1
        joined = "/".join(parts[common:])
    ups = len(base) - common
    rel = "../" * ups + joined if joined else "/".join([".."] * ups)
    return (rel or ".") + slash
