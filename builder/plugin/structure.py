"""The explicit navigation the plugin hands MkDocs: sections, not every page.

MkDocs renders the whole navigation into every page; with thousands of generated pages the
default (every file in the sidebar) makes the build quadratic. Sections link to their
index pages; source and topic pages are listed only for small dossiers (the same limit).
"""
from __future__ import annotations

from pathlib import Path

from builder import paths
from builder.model import Outline
from builder.render import safe_title


def navigation(outline: Outline, docs: Path, nav_sources: int) -> list:
    nav: list = []
    if (docs / paths.HOME).is_file():
        nav.append({"Home": paths.HOME})
    sources: list = [{"All sources": f"{paths.SOURCES}/index.md"}]
    if len(outline.sources) <= nav_sources:
        sources += [{safe_title(_short(title)): paths.page_of_source(id)} for id, title in outline.sources]
    nav.append({"Sources": sources})
    nav.append({"Glossary": f"{paths.ENTITIES}/index.md"})
    nav.append({"Compare": f"{paths.COMPARE}/index.md"})
    topics: list = [{"All topics": f"{paths.TOPICS}/index.md"}]
    if len(outline.topics) <= nav_sources:
        topics += [{safe_title(_short(label)): paths.page_of_topic(id)} for id, label in outline.topics]
    nav.append({"Topics": topics})
    nav.append({"Timeline": f"{paths.TIMELINE}/index.md"})
    if (docs / paths.ABOUT).is_file():
        nav.append({"About": paths.ABOUT})
    return nav


def _short(title: str, width: int = 48) -> str:
    return title if len(title) <= width else title[: width - 1].rsplit(" ", 1)[0] + "…"
