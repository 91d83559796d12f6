"""Parts of Material's page frame rendered once per folder for the builder's pages, not per page.

MkDocs renders Material's whole frame around every page: the tabs, the sidebar navigation, the
footer, the header's palette toggle and search box, the configuration script. At 10,000
sources that is 26,000 times, and the frame cost more than the pages' own content (under a
profiler, the navigation alone ~55 s of a 330 s build, the header ~20 s, the tabs ~11 s).

A builder page outside the navigation (every generated page of a big dossier, see
structure.py) cannot change those parts: no navigation entry is its own or its ancestor, so none
is marked active; it has no previous or next page for the footer; and the only thing that
differs between two such pages of one folder is the links, which MkDocs writes relative to the
page's address, and which are the same for every page one level down in the same folder (the
builder's pages are all `folder/name/`, or `folder/name.html`). So those parts are rendered for
the first such page of each folder and copied into the others (the header with each page's own
title put in); every other page (hand-written
ones, pages in the navigation, a small dossier's source pages) is rendered as Material does.

How: Material's partials are overridden by templates that wrap the original in
`{% call dossier_shared(name) %}`, and `dossier_shared` is, for a page that qualifies, a
function that renders the original once per (folder, name). A theme `custom_dir` holding a
template of the same name keeps precedence (the part is then rendered per page as usual).
"""
from __future__ import annotations

import posixpath
from pathlib import Path

import jinja2
from markupsafe import Markup

# Material's partials whose output depends only on the site and the page's folder for a page
# outside the navigation (checked against Material 9.x: they read `page` only for the active
# entry, the previous/next page and links made relative by the `url` filter).
SHARED_PARTIALS = (
    "partials/tabs.html",
    "partials/nav.html",
    "partials/footer.html",
    "partials/logo.html",
    "partials/palette.html",
    "partials/search.html",
)
# The header differs between two such pages only by the page's title, which is put in a copy of
# the header rendered for the folder (see SharedFrame._titled).
HEADER = "partials/header.html"
_HEADER_TITLE = 'data-md-component="header-topic"'
# main.html only extends base.html in Material (it exists to be overridden); its config block
# is the script holding the site's base address (relative) and the translations.
SHARED_BLOCKS = ("config",)

ORIGINAL = "dossier-original/"


def _partial_override(name: str) -> str:
    return f'{{% call dossier_shared("{name}") %}}{{% include "{ORIGINAL}{name}" %}}{{% endcall %}}'


def _header_override() -> str:
    # The title exactly as Material's header.html chooses and writes it (escaped or not, as the
    # environment does: MkDocs' does not escape).
    title = "{{ page.meta.title if page.meta and page.meta.title else page.title }}"
    return (f'{{% set dossier_header_title %}}{title}{{% endset %}}'
            f'{{% call dossier_shared("{HEADER}", dossier_header_title) %}}{{% include "{ORIGINAL}{HEADER}" %}}'
            '{% endcall %}')


def _main_override() -> str:
    blocks = "".join(f'{{% block {block} %}}{{% call dossier_shared("block {block}") %}}{{{{ super() }}}}'
                     f'{{% endcall %}}{{% endblock %}}' for block in SHARED_BLOCKS)
    return '{% extends "base.html" %}' + blocks


def _render_per_page(name: str, title=None, *, caller) -> Markup:
    return caller()


class SharedFrame:
    """The parts rendered so far in one build, by (folder, part)."""

    def __init__(self) -> None:
        self._rendered: dict[tuple[str, str], Markup | tuple[str, str] | None] = {}

    def install(self, env: jinja2.Environment, custom_dir: str | None) -> None:
        """Put the overrides in front of the theme's templates and forget the last build's parts
        (a new environment is made for every build)."""
        self._rendered = {}
        overrides = {name: _partial_override(name) for name in SHARED_PARTIALS}
        overrides[HEADER] = _header_override()
        overrides["main.html"] = _main_override()
        if custom_dir:   # the site's own templates win: no override for a name it defines
            overrides = {name: source for name, source in overrides.items() if not (Path(custom_dir) / name).is_file()}
        original = env.loader
        env.loader = jinja2.ChoiceLoader([
            jinja2.FunctionLoader(lambda name: overrides.get(name)),
            original,
            jinja2.PrefixLoader({ORIGINAL.rstrip("/"): original}),
        ])
        env.globals["dossier_shared"] = _render_per_page

    def for_page(self, url: str, shareable: bool):
        """The `dossier_shared` a page's templates call: shared parts for a `shareable` page (a
        builder page outside the navigation), Material's rendering for any other."""
        if not shareable:
            return _render_per_page
        folder = _folder_of(url)

        def shared(name: str, title=None, *, caller) -> Markup:
            key = (folder, name)
            if title is not None:
                return self._titled(key, str(title), caller)
            if key not in self._rendered:
                self._rendered[key] = caller()
            return self._rendered[key]
        return shared

    def _titled(self, key: tuple[str, str], title: str, caller) -> Markup:
        """The header: the folder's copy split around the title of the page it was rendered for,
        and this page's title put in; rendered per page if that title cannot be found where
        Material puts it."""
        if key not in self._rendered:
            html = caller()
            self._rendered[key] = _split_at_title(html, title)
            return html
        split = self._rendered[key]
        if split is None:
            return caller()
        return Markup(split[0] + title + split[1])


def _split_at_title(html: str, title: str) -> tuple[str, str] | None:
    """The header before and after the title: the text of the first element inside Material's
    header-topic element (white space aside), never an attribute's value that happens to match."""
    topic = html.find(_HEADER_TITLE)
    inner = html.find("<", html.find(">", topic) + 1) if topic >= 0 else -1
    text = html.find(">", inner) + 1 if inner >= 0 else 0
    at = text + len(html[text:]) - len(html[text:].lstrip())
    if not text or not title.strip() or not html.startswith(title, at):
        return None
    return str(html[:at]), str(html[at + len(title):])   # str: Markup + str would escape again


def _folder_of(url: str) -> str:
    """What a page's relative links depend on besides the target: the folder holding it, and
    whether addresses end in a slash (`sources/abc/`) or a file name (`sources/abc.html`)."""
    style = "/" if url.endswith("/") else ".html"
    return posixpath.dirname(url.rstrip("/")) + style
