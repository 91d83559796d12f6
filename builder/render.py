"""Render the dossier as MkDocs pages: the one place where source text meets markup.

Sources are untrusted web text. Every generated page is YAML front matter (written by
`yaml.safe_dump` from escaped values) followed by raw HTML blocks from Jinja templates with
autoescaping on. Python-Markdown passes raw HTML blocks through untouched, so nothing a
source says is ever read as Markdown, HTML, a Jinja expression or a MkDocs/Material marker:
`<script>` arrives as the text "<script>", `[x](javascript:...)` as those characters.
Markup is only ever added here, around text that `markupsafe.escape` has already escaped.
The pictures are inline SVG from the same autoescaped templates: their labels and `<title>`
tooltips are escaped text like everything else, and their geometry is numbers computed here.

Titles are the one value MkDocs and Material print without escaping (page and nav titles),
so they are handed over HTML-escaped, which shows the same characters to the reader.
"""
from __future__ import annotations

import datetime
import difflib
import heapq
import html
import logging
import os
import re
import tempfile
import time
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from itertools import chain, groupby, permutations, repeat
from operator import attrgetter, itemgetter, neg
from pathlib import Path
from typing import Sequence
from urllib.parse import urlparse

import yaml
from jinja2 import BytecodeCache, Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from builder import paths
from builder.cache import UNUSED_DAYS, Memo, keeps_last_build, no_memo, pickled_digests
from builder.export import piece_digests
from builder.model import (
    DENSE_SIMILARITY_LIMIT, SIMILARITY_NEIGHBOURS, Article, Dossier, Entity, Evidence, Quote, RawSource,
)

log = logging.getLogger(__name__)

# Pages stay readable and the build stays linear at thousands of sources: past these sizes
# a page shows the strongest items and says how many more there are (all are in dossier.json).
MATRIX_MAX_SOURCES = 30        # a dense heat map beyond this is unreadable; show neighbours
NEIGHBOURS_SHOWN = 5
MENTIONS_PER_ENTITY_PAGE = 400
OVERVIEW_ITEMS = 10            # per list on the home page
KWIC_CONTEXT = 70              # characters of context either side of a mention
LABEL_WIDTH = 30               # a source's label in charts: about what fits beside a bar
BARS_MAX_SOURCES = 40          # corroboration bars beyond this make a page-long chart
COOCCURRENCE_ENTITIES = 12     # a 12×12 triangle still fits the content column at 12 px text
TIMELINE_MAX_BUCKETS = 36      # more columns than this and the date labels collide
TIMELINE_DOTS_STACKED = 6      # dots per column before the rest is summed up as "+n"
TOOLTIP_WIDTH = 160            # characters of an event's text in a timeline dot's tooltip
# Lists under one item that grow with the dossier (the other sources reporting a paragraph, a
# value's sources, a quotation's wordings on the compare page, who quoted it, an event's sources):
# eight outlet names fill about two lines of the content column, enough to see who reports it;
# a dossier of a few dozen sources seldom reaches it, while at 1,000 sources one paragraph had
# 134 citations under it. Past it a list names the first eight (dossier order, as compare ranks
# them) and says how many more, linked to the page with all of them where there is one.
SOURCES_PER_ITEM = 8
# The compare page lists every source's single-source statements up to this many sources (as the
# heat map); past it, how many each source has, linked to the list on its own page (1,000
# synthetic sources made 23,000 such statements: 6 MB on one page).
UNIQUE_LISTED_MAX_SOURCES = 30
# A topic page quotes its paragraphs for reading: fifty is a long page already (about 4,000
# words, past the largest topic of a sample dossier); the rest are found by the topic's tag.
TOPIC_PARAGRAPHS_SHOWN = 50
# Material weighs a match in a page's tags (source pages carry their topics, whose labels are
# often entity names) a thousand times a title match: an entity page, indexed by its title
# section only, needs this much to come first when a reader searches one of its spellings.
ENTITY_SEARCH_BOOST = 5000


@dataclass(frozen=True)
class SiteOptions:
    directory_urls: bool = True     # MkDocs' use_directory_urls: decides how raw HTML links look


def render_site(dossier: Dossier, raws: Sequence[RawSource], site: SiteOptions,
                cache_folder: Path | None = None, memo: Memo = no_memo) -> Pages:
    """Every generated page, as {path under docs/: content}, each rendered when it is read.
    With a cache folder the compiled templates are kept there for the next run. With a memo,
    each page also says what its content depends on (`Pages.content_keys`), so that the
    writer can leave a page the last build wrote alone without rendering it again."""
    view = _View(dossier, site, cache_folder)
    keys = view.keys = _PageKeys(view) if memo is not no_memo else None
    view.keeping = keys is not None and keeps_last_build(memo)   # kept for a serving process's next build
    files = Pages(memo)

    def add(path: str, template: str, key: Callable[..., str] | None = None, **record) -> None:
        render = partial(view.page, template, path, **record)
        files.add(path, render, partial(key, path, *record.values()) if keys and key else None)

    # The overview is included into the home page, so its links start from the home page.
    files.add(paths.OVERVIEW_SNIPPET, partial(view.page, "overview.md.j2", paths.HOME),
              partial(keys.overview, paths.HOME) if keys else None)
    add(f"{paths.SOURCES}/index.md", "sources_index.md.j2", keys and keys.sources_index)
    for article in dossier.articles:
        add(paths.page_of_source(article.id), "source.md.j2", keys and keys.source, article=article)
    add(f"{paths.ENTITIES}/index.md", "glossary.md.j2", keys and keys.glossary)
    for entity in dossier.glossary.entities:
        add(paths.page_of_entity(entity.id), "entity.md.j2", keys and keys.entity, entity=entity)
    add(f"{paths.COMPARE}/index.md", "compare.md.j2")
    for quote in view.shared_quotes:
        add(paths.page_of_quote(quote.id), "quote.md.j2", keys and keys.quote, quote=quote)
    for discrepancy in dossier.comparison.discrepancies:
        add(paths.page_of_discrepancy(discrepancy.id), "discrepancy.md.j2", keys and keys.discrepancy,
            discrepancy=discrepancy)
    add(f"{paths.TOPICS}/index.md", "topics.md.j2", keys and keys.topics_index)
    for topic in dossier.topics:
        add(paths.page_of_topic(topic.id), "topic.md.j2", keys and keys.topic, topic=topic)
    add(f"{paths.TIMELINE}/index.md", "timeline.md.j2", keys and keys.timeline)
    for raw in raws:
        files[paths.raw_copy_of(raw.id)] = raw.text
    return files


class Pages(MutableMapping):
    """{path: content} whose pages are rendered only when read, and again each time: the writer
    reads each once and lets it go, so a dossier's pages (about 600 MB of text at 10,000
    sources) are never all in memory at once. A plain string (or bytes) can be stored too.

    A page may also say what its content depends on (`content_keys`): with the `memo` the
    pages came with, the writer (builder.output) keeps each page's digest under that key, and
    a later build whose page has the same key is the same page, not rendered again."""

    def __init__(self, memo: Memo = no_memo) -> None:
        self._pages: dict[str, Callable[[], str] | str | bytes] = {}
        self._keys: dict[str, Callable[[], tuple]] = {}
        self.memo = memo

    def add(self, path: str, render: Callable[[], str], key: Callable[[], tuple] | None = None) -> None:
        """A page rendered by `render()`; `key()` a tree of tuples, lists, strings and numbers
        of everything its text depends on (the records it shows, what it links to and how), if
        it can say."""
        self[path] = render
        if key is not None:
            self._keys[path] = key

    def content_keys(self) -> dict[str, str]:
        """{path: key} of the pages that say what they depend on: the hex digest of what each
        page's `key()` gives (all pickled by one pickler)."""
        paths = list(self._keys)
        return dict(zip(paths, [digest.hex() for digest in pickled_digests([self._keys[path]() for path in paths])]))

    def __getitem__(self, path: str) -> str:
        page = self._pages[path]
        return page if isinstance(page, (str, bytes)) else page()

    def __setitem__(self, path: str, page: Callable[[], str] | str | bytes) -> None:
        self._pages[path] = page
        self._keys.pop(path, None)   # a page put in another's place: its key is not this one's

    def __delitem__(self, path: str) -> None:
        del self._pages[path]
        self._keys.pop(path, None)

    def __contains__(self, path: object) -> bool:
        return path in self._pages   # without rendering the page, as Mapping's would

    def __iter__(self) -> Iterator[str]:
        return iter(self._pages)

    def __len__(self) -> int:
        return len(self._pages)


def safe_title(text: str) -> str:
    """A title for MkDocs' navigation and <title>, which print it unescaped."""
    return html.escape(" ".join(text.split()), quote=True)


class InMemoryBytecode(BytecodeCache):
    """Templates compiled once per process: compiling takes longer than rendering a small
    dossier, and `mkdocs serve` renders on every change. Keyed by the template's checksum.
    One per environment configuration (Jinja's compiled code depends on its options): the
    builder's pages have one, the theme's templates under `mkdocs serve` another (plugin)."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key + bucket.checksum in self._store:
            bucket.bytecode_from_string(self._store[bucket.key + bucket.checksum])

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key + bucket.checksum] = bucket.bytecode_to_string()


_COMPILED = InMemoryBytecode()


# Kept template files are named by the template's name and the path it was loaded from (Jinja's
# bucket key; an edited template replaces its own file), so each other install of the builder a
# dossier is built with (a checkout, a worktree, a venv) and each renamed template leaves files
# behind: 13 per install, 39 in a folder built by three. The rule: a file is used when a build
# loads or writes it, and its mtime says when (a load refreshes it once it is a day old: one
# fstat per template per process, no write on a rebuild); when a build writes a new file (it
# compiled, which costs far more than listing the folder, and a warm rebuild never does), files
# unused for UNUSED_DAYS (the stores' rule, builder.cache) are removed. A file in use is at
# most a day older than its last use, so it stays; one removed is compiled again when needed.
_TOUCH_SECONDS = 24 * 60 * 60
_UNUSED_SECONDS = UNUSED_DAYS * _TOUCH_SECONDS


class _KeptBytecode(BytecodeCache):
    """The process's compiled templates, else those a previous run kept in the cache folder:
    compiling every template takes about 0.13 s, a tenth of rendering 1,000 sources. One file
    per template, replaced when the template changes (Jinja checks the source's checksum and
    its own and Python's version before using a file, and compiles afresh when they differ);
    files no build has used for a month are removed when a new one is written (see above)."""

    def __init__(self, folder: Path | None) -> None:
        self._folder = folder
        self._pruned = False   # the folder is looked through at most once per build

    def load_bytecode(self, bucket) -> None:
        _COMPILED.load_bytecode(bucket)
        if bucket.code is not None or self._folder is None:
            return
        path = self._folder / self._name(bucket)
        try:
            with path.open("rb") as stream:
                bucket.load_bytecode(stream)
                used = os.fstat(stream.fileno()).st_mtime
        except FileNotFoundError:
            return
        except Exception:   # unreadable or damaged in any way: compile afresh, never fail the build
            bucket.reset()
            return
        if bucket.code is not None:
            _COMPILED.dump_bytecode(bucket)
            self._touch(path, used)

    def dump_bytecode(self, bucket) -> None:
        _COMPILED.dump_bytecode(bucket)
        if self._folder is None:
            return
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=self._folder, prefix=".tmp-")
            with os.fdopen(handle, "wb") as stream:
                stream.write(bucket.bytecode_to_string())
            os.replace(name, self._folder / self._name(bucket))
        except OSError as error:   # a cache that cannot be written costs time, never the build
            log.debug("%s: compiled templates not kept: %s", self._folder, error)
            return
        self._prune()

    @staticmethod
    def _touch(path: Path, used: float) -> None:
        """Marks a loaded file as used, at most once a day (a rebuild loop writes nothing)."""
        if time.time() - used < _TOUCH_SECONDS:
            return
        try:
            os.utime(path)
        except OSError as error:   # read-only: the file may be pruned, and is then compiled again
            log.debug("%s: not marked as used: %s", path, error)

    def _prune(self) -> None:
        """Removes the kept template files no build has loaded or written for `UNUSED_DAYS`."""
        if self._pruned:
            return
        self._pruned = True
        oldest = time.time() - _UNUSED_SECONDS
        gone = 0
        for path in sorted(self._folder.glob("template-*.jinja")):
            try:
                if path.stat().st_mtime < oldest:
                    path.unlink()
                    gone += 1
            except OSError:   # removed meanwhile by a concurrent build, or not ours to remove
                continue
        if gone:
            log.info("%s: removed %d compiled templates unused for %d days", self._folder, gone, UNUSED_DAYS)

    @staticmethod
    def _name(bucket) -> str:
        return f"template-{bucket.key}.jinja"


# --- pictures: geometry only; the templates draw it (_pictures.j2) ----------------------

@dataclass(frozen=True)
class _HeatCell:
    x: int
    y: int
    value: str            # as printed, e.g. "0.25"
    shade: str            # fill-opacity, "0.00".."1.00"
    strong: bool          # dark enough that the value is printed in the background colour
    self: bool            # the diagonal: a source against itself
    tooltip: str


@dataclass(frozen=True)
class _RowLabel:
    x: int
    y: int
    text: str
    target: str           # docs/ page the label links to
    tooltip: str


@dataclass(frozen=True)
class _Heatmap:
    width: int
    height: int
    cell: int
    rows: tuple[_RowLabel, ...]
    columns: tuple[tuple[int, str], ...]   # (x of the column's centre, its number)
    cells: tuple[_HeatCell, ...]
    strongest: str                         # the most similar pair, in words
    scale_max: str                         # the value that gets the darkest colour


@dataclass(frozen=True)
class _PairCell:
    x: int                 # top-left corner
    y: int
    count: int             # paragraphs naming both; 0 draws an empty cell
    shade: str             # fill-opacity
    strong: bool           # dark enough that the count is printed in the background colour
    tooltip: str


@dataclass(frozen=True)
class _Cooccurrence:
    width: int
    height: int
    cell: int
    rows: tuple[_RowLabel, ...]
    diagonal: tuple[tuple[int, int, str], ...]   # (x, y, number) where row meets its own column
    cells: tuple[_PairCell, ...]
    pairs: tuple[tuple[Entity, Entity, int], ...]   # strongest first, for the text alternative


@dataclass(frozen=True)
class _Dot:
    x: int
    y: int
    kind: str              # "stated" | "inferred" | "conflict"
    anchor: str            # the entry's row on the timeline page
    tooltip: str


@dataclass(frozen=True)
class _Column:
    x: int
    label: str
    count: int
    more: int              # dots not drawn
    more_y: int


@dataclass(frozen=True)
class _Strip:
    width: int
    height: int
    axis_y: int
    columns: tuple[_Column, ...]
    dots: tuple[_Dot, ...]
    segments: tuple[tuple[int, int, bool], ...]   # (x1, x2, is a gap in time)
    rotate_labels: bool
    summary: str


@dataclass(frozen=True)
class _Bar:
    y: int
    source: str
    label: str
    paragraphs: int
    by_many: int           # paragraphs reported by two or more other sources
    by_one: int            # by exactly one other source
    widths: tuple[int, int, int]   # of the three segments, in px
    caption: str


@dataclass(frozen=True)
class _Bars:
    width: int
    height: int
    label_width: int
    bar_width: int
    bars: tuple[_Bar, ...]
    more: int              # sources not drawn
    summary: str


class _View:
    """Lookups the templates need, computed once per build (collect across pages, render once)."""

    def __init__(self, dossier: Dossier, site: SiteOptions, cache_folder: Path | None = None):
        self.dossier = dossier
        self.site = site
        self.articles = {a.id: a for a in dossier.articles}
        self.number = {a.id: i + 1 for i, a in enumerate(dossier.articles)}
        self.entities = {e.id: e for e in dossier.glossary.entities}
        comparison = dossier.comparison
        self.shared_quotes = tuple(q for q in comparison.quotes if q.shared)
        self.quote_number = {q.id: i + 1 for i, q in enumerate(self.shared_quotes)}

        self.topics_of: dict[str, list] = defaultdict(list)
        for topic in dossier.topics:
            for source in topic.sources:
                self.topics_of[source].append(topic)
        self._tooltips: dict[str, str] = {}
        self._cite_label_cache: dict[str, tuple[Markup, Markup]] = {}
        self._source_label_cache: dict[str, tuple[Markup, Markup]] = {}
        self._entity_titles: dict[str, str] = {}
        self._cite_openings: dict[tuple, tuple[str, str]] = {}
        # Links and the small pieces of markup built around them, kept for every page of a kind
        # (see _scope): a big dossier's pages link the same targets hundreds of thousands of times.
        self._links: dict[tuple, str] = {}
        self._headings: dict[tuple, str] = {}
        self._words: dict[str, int] = {}
        self._source_counts: dict[str, int] = {}
        self._mentions_of_source: dict[str, dict[int, list[tuple[int, int, Entity]]]] = {}
        self._source_links: dict[tuple, str] = {}
        self._entity_openings: dict[tuple, str] = {}
        self._scope_page: str | None = None
        self._scope_kind: tuple[str, bool] = ("", False)
        self._scope_own = ""
        # The same pieces for the page being rendered, by source or entity id: a page cites and
        # links the same few again and again, and a lookup by id is cheaper than by kind.
        self._here_page: str | None = None
        self._here_cites: dict[str, tuple[str, str]] = {}
        self._here_entities: dict[str, str] = {}
        self._similarity_row = {s: i for i, s in enumerate(comparison.similarity.sources)}
        self.keys: _PageKeys | None = None   # what pages and sections depend on, when a memo keeps pages
        self.keeping = False   # what this build draws is kept for the next (with keys only)

        self.env = Environment(
            loader=PackageLoader("builder", "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=_KeptBytecode(cache_folder),
            # A view renders one build: its templates cannot change meanwhile, so they are not
            # checked on disk for every page (the next build's view loads them afresh).
            auto_reload=False,
        )
        # The templates see the view and the dossier through weak references: the environment
        # and its templates form reference cycles, and strong ones would keep the whole build
        # (the dossier, and the view's tuple per mention: ~140k objects at 1,000 sources) alive
        # until the cycle collector ran, which a serving process leaves to every tenth build
        # (builder.pipeline._settle_heap).
        self.env.globals.update(view=weakref.proxy(self), dossier=weakref.proxy(dossier), paths=paths,
                                max=max, min=min, len=len, sorted=sorted, entity_search_boost=ENTITY_SEARCH_BOOST,
                                neighbours_kept=SIMILARITY_NEIGHBOURS, dense_limit=DENSE_SIMILARITY_LIMIT)
        self.env.filters["front_matter"] = _front_matter

    # -- lookups made when first read: a rebuild that renders a few pages needs few of them --

    @cached_property
    def mentions(self) -> dict[tuple[str, int], list[tuple[int, int, Entity]]]:
        """(source, paragraph) -> (start, end, entity) of each mention there (a tuple per mention:
        ~140k at 1,000 sources)."""
        mentions = defaultdict(list)
        for entity in self.dossier.glossary.entities:
            for m in entity.mentions:
                mentions[(m.source, m.paragraph)].append((m.start, m.end, entity))
        return mentions

    @cached_property
    def quotes_at(self) -> dict[tuple[str, int], list[Quote]]:
        return self._quotations_by_paragraph[0]

    @cached_property
    def wordings_at(self) -> dict[tuple[str, int], list[tuple[str, Quote]]]:
        return self._quotations_by_paragraph[1]

    @cached_property
    def _quotations_by_paragraph(self) -> tuple[dict, dict]:
        quotes_at, wordings_at = defaultdict(list), defaultdict(list)
        for quote in self.shared_quotes:
            for o in quote.occurrences:
                if quote not in quotes_at[(o.source, o.paragraph)]:
                    quotes_at[(o.source, o.paragraph)].append(quote)
                wordings_at[(o.source, o.paragraph)].append((o.text, quote))
        return quotes_at, wordings_at

    @cached_property
    def support(self) -> dict[tuple[str, int], object]:
        return {(c.source, c.paragraph): c for c in self.dossier.comparison.corroboration}

    @cached_property
    def claims_of(self) -> dict[str, list]:
        claims_of = defaultdict(list)
        for claim in self.dossier.comparison.unique_claims:
            claims_of[claim.source].append(claim)
        return claims_of

    @cached_property
    def unique_at(self) -> set[tuple[str, int]]:
        return {(claim.source, claim.paragraph) for claim in self.dossier.comparison.unique_claims}

    @cached_property
    def entity_counts(self) -> Counter:
        return Counter({e.id: len(e.mentions) for e in self.dossier.glossary.entities})

    # -- pages -------------------------------------------------------------------------

    @property
    def sources_per_item(self) -> int:
        return SOURCES_PER_ITEM

    @property
    def topic_paragraphs_shown(self) -> int:
        return TOPIC_PARAGRAPHS_SHOWN

    @property
    def unique_listed_max_sources(self) -> int:
        return UNIQUE_LISTED_MAX_SOURCES

    def page(self, template: str, here: str, **context) -> str:
        return self.env.get_template(template).render(here=here, **context)

    def kept(self, section: str, here: str, caller: Callable[[], str]) -> Markup:
        """A section of a page (the body of a `{% call view.kept(...) %}` block), as this process
        rendered it last when what it shows is the same (`_PageKeys.section`): the compare page
        is rendered on every build, and its long lists of quotations and discrepancies change
        far less often than its counts. Only when pages are kept (a memo), one text a section."""
        if not self.keeping:
            return caller()
        digest = pickled_digests([self.keys.section(section, here)])[0]
        found = _KeptSections.texts.get(section)
        if found is not None and found[0] == digest:
            return Markup(found[1])
        text = caller()
        _KeptSections.texts[section] = (digest, str(text))
        return text

    def link(self, here: str, target: str, anchor: str | None = None) -> str:
        scope = self._scope(here, target)
        if scope is None:
            return paths.href(here, target, anchor, self.site.directory_urls)
        key = (scope, target)
        rel = self._links.get(key)
        if rel is None:
            rel = paths.href(here, target, None, self.site.directory_urls)
            if _plain_target(target):
                self._links[key] = rel
        return rel + "#" + anchor if anchor else rel   # as paths.href adds an anchor

    def _scope(self, here: str, target: str) -> tuple[str, bool] | None:
        """The kind of page `here` is, under which a link from it to `target` is the same for
        every page of that kind; None when the link is here's own (to itself or below it).

        A relative link is a function of the folder a page's links start from and the target.
        That folder is the page's own (D/x/ for D/x.md with directory URLs) or the folder it
        stands in (D/, for D/index.md or with .html URLs): for a target neither D/x.md itself nor
        below D/x/, the path from D/x/ is the path from D/ with one more "../", whatever x is.
        So every page directly in D, index.md apart, links a target outside itself alike."""
        if here != self._scope_page:   # pages are rendered one at a time: their kind, once each
            folder, _, name = here.rpartition("/")
            self._scope_page, self._scope_kind = here, (folder, name == "index.md")
            self._scope_own = here.removesuffix(".md") + "/"
        if target == here or target.startswith(self._scope_own):
            return None
        return self._scope_kind

    def cite(self, here: str, evidence: Evidence) -> str:
        return self.link(here, paths.page_of_source(evidence.source), paths.anchor_of_paragraph(evidence.paragraph))

    # -- small links, built here rather than by template macros: the pages of a big dossier
    # hold hundreds of thousands of them. Every value is escaped as the templates escape it.

    def cite_link(self, here: str, evidence: Evidence) -> Markup:
        """A citation: the source's outlet and the paragraph's number, linked to the paragraph."""
        return Markup(self._cite_html(here, evidence))

    def cite_links(self, here: str, evidence: Sequence[Evidence], separator: str) -> Markup:
        return Markup(_escaped(separator).join([self._cite_html(here, e) for e in evidence]))

    def _cite_html(self, here: str, evidence: Evidence) -> str:
        if here != self._here_page:
            self._new_page(here)
        found = self._here_cites.get(evidence.source)
        if found is None:
            found = self._here_cites[evidence.source] = self._cite_pieces(here, evidence.source)
        opening, closing = found
        anchor = _escaped(paths.anchor_of_paragraph(evidence.paragraph))
        return f"{opening}{anchor}{closing}{evidence.paragraph + 1}</a>"

    def _cite_pieces(self, here: str, source: str) -> tuple[str, str]:
        """A citation of the source from this page, around the paragraph's anchor and number."""
        target = paths.page_of_source(source)
        key = (self._scope(here, target), source)
        found = self._cite_openings.get(key)
        if found is None:
            title, outlet = self._cite_labels(source)
            found = (f'<a class="dossier-cite" href="{_escaped(self.link(here, target))}#', f'" title="{title}">{outlet} ¶')
            if key[0] is not None:   # a page citing itself keeps nothing for the others
                self._cite_openings[key] = found
        return found

    def _new_page(self, here: str) -> None:
        self._here_page, self._here_cites, self._here_entities = here, {}, {}

    def _capped_cites_html(self, here: str, evidence: Sequence[Evidence], separator: str,
                           more_target: str | None = None, more_anchor: str | None = None) -> str:
        """Citations of the first SOURCES_PER_ITEM sources (every paragraph of each), then how
        many more sources there are, linked to `more_target` (the page listing all) if given."""
        shown, hidden = _first_sources(evidence, SOURCES_PER_ITEM)
        cites = _escaped(separator).join([self._cite_html(here, e) for e in shown])
        if hidden <= 0:
            return cites
        return f"{cites}{_escaped(separator)}{self.more(here, hidden, 'source', more_target, more_anchor)}"

    def capped_source_links(self, here: str, sources: Sequence[str], separator: str,
                            more_target: str | None = None, more_anchor: str | None = None) -> Markup:
        """Links to the first SOURCES_PER_ITEM sources, then how many more there are."""
        links = self.source_links(here, sources[:SOURCES_PER_ITEM], separator)
        return self._with_more(here, links, separator, len(sources) - SOURCES_PER_ITEM, "source",
                               more_target, more_anchor)

    def more(self, here: str, hidden: int, noun: str, target: str | None = None, anchor: str | None = None) -> Markup:
        """"and 25 more sources", linked to the page that lists them all if there is one; nothing
        when nothing is hidden."""
        if hidden <= 0:
            return Markup("")
        words = f"and {_counted(hidden, noun, 'more ')}"
        if target is None:
            return Markup(f'<span class="dossier-more">{words}</span>')
        return Markup(f'<a class="dossier-more" href="{_escaped(self.link(here, target, anchor))}">{words}</a>')

    def _with_more(self, here: str, shown: Markup, separator: str, hidden: int, noun: str,
                   target: str | None, anchor: str | None) -> Markup:
        if hidden <= 0:
            return shown
        return Markup(f"{shown}{_escaped(separator)}{self.more(here, hidden, noun, target, anchor)}")

    def source_link(self, here: str, source: str, anchor: str | None = None) -> Markup:
        """A source named by its outlet, its headline as the tooltip."""
        if anchor is None:
            return Markup(self._source_link_html(here, source))
        title, outlet = self._source_labels(source)
        return Markup(f'<a href="{_escaped(self.link(here, paths.page_of_source(source), anchor))}" '
                      f'title="{title}">{outlet}</a>')

    def source_links(self, here: str, sources: Sequence[str], separator: str) -> Markup:
        return Markup(_escaped(separator).join([self._source_link_html(here, s) for s in sources]))

    def _source_link_html(self, here: str, source: str) -> str:
        target = paths.page_of_source(source)
        key = (self._scope(here, target), source)
        found = self._source_links.get(key)
        if found is None:
            title, outlet = self._source_labels(source)
            found = f'<a href="{_escaped(self.link(here, target))}" title="{title}">{outlet}</a>'
            if key[0] is not None:
                self._source_links[key] = found
        return found

    def variant_rows(self, here: str, variants, capped_to: str | None) -> Markup:
        """The table rows of a discrepancy's values: each value, its sources and its paragraphs;
        with `capped_to` (the discrepancy's page), the first sources of each and how many more."""
        rows = []
        for v in variants:
            if capped_to is None:
                sources, cites = self.source_links(here, v.sources, ", "), self.cite_links(here, v.evidence, ", ")
            else:
                sources = self.capped_source_links(here, v.sources, ", ", capped_to)
                cites = self._capped_cites_html(here, v.evidence, ", ", capped_to)
            rows.append(f"<tr><td><strong>{_escaped(v.value)}</strong></td><td>{sources}</td><td>{cites}</td></tr>\n")
        return Markup("".join(rows))

    def source_heading(self, here: str, source: str) -> Markup:
        """A source as a heading: its outlet and its headline, or the headline alone when that is all it has."""
        key = (self._scope(here, paths.page_of_source(source)), source)
        heading = self._headings.get(key)
        if heading is None:
            heading = self._source_heading(here, source)
            if key[0] is not None:
                self._headings[key] = heading
        return heading

    def _source_heading(self, here: str, source: str) -> Markup:
        headline = escape(self.short_title(source))
        href = escape(self.link(here, paths.page_of_source(source)))
        if self.label(source) == self.short_title(source, 30):
            return Markup(f'<a href="{href}">{headline}</a>')
        if self.short_title(source) == self.short_title(source, 10_000):
            # the whole headline is printed beside the link: no tooltip repeating it (an entity
            # page has a heading like this for each of hundreds of sources)
            return Markup(f'<a href="{href}">{escape(self.outlet(source))}</a>: {headline}')
        return Markup(f"{self.source_link(here, source)}: {headline}")

    def entity_link(self, here: str, entity: Entity) -> Markup:
        return Markup(f"{self._entity_opening(here, entity)}{_escaped(entity.name)}</a>")

    def mention_groups(self, here: str, groups) -> Markup:
        """An entity's mentions under a heading per source, keyword in context, each linked to
        its paragraph; a source's list cut short says how many more it has."""
        out = []
        for source, mentions, count in groups:
            if not mentions:
                continue
            out.append(f'<h3 id="in-{_escaped(source)}" data-search-exclude>{self.source_heading(here, source)}</h3>\n'
                       f'<ul class="dossier-kwic">\n')
            page = _escaped(self.link(here, paths.page_of_source(source)))   # every mention's source
            paragraphs = self.articles[source].paragraphs
            for m in mentions:
                left, word, right = _kwic(paragraphs[m.paragraph], m.start, m.end)
                anchor = _escaped(paths.anchor_of_paragraph(m.paragraph))
                out.append(f'<li><a href="{page}#{anchor}">¶{m.paragraph + 1}</a> '
                           f'{_escaped(left)}<mark>{_escaped(word)}</mark>{_escaped(right)}</li>\n')
            out.append("</ul>\n")
            if count > len(mentions):
                out.append(f'<p class="dossier-meta">and {count - len(mentions)} more in this source</p>')
        return Markup("".join(out))

    def _cite_labels(self, source: str) -> tuple[Markup, Markup]:
        """(headline, outlet) of a source as a citation shows them, escaped once per source. The
        tooltip is the headline as a heading shows it, cut at 60 characters: a page cites the same
        sources again and again, and the paragraph's number is the link's own text."""
        if source not in self._cite_label_cache:
            self._cite_label_cache[source] = (escape(self.short_title(source)), escape(self.outlet(source)))
        return self._cite_label_cache[source]

    def _source_labels(self, source: str) -> tuple[Markup, Markup]:
        """(headline, outlet) of a source as a link to it shows them, escaped once per source."""
        if source not in self._source_label_cache:
            title = self.articles[source].title if source in self.articles else source
            self._source_label_cache[source] = (escape(title), escape(self.outlet(source)))
        return self._source_label_cache[source]

    # -- source pages ------------------------------------------------------------------

    def source_body(self, here: str, article: Article) -> Markup:
        """Every paragraph of a source: its anchor and permalink, its text, the note under it.
        Built here rather than by a template loop: a big dossier has hundreds of thousands."""
        out = []
        for n in range(len(article.paragraphs)):
            anchor = _escaped(paths.anchor_of_paragraph(n))
            out.append(f'<div id="{anchor}" class="dossier-paragraph">\n'
                       f'<a class="dossier-permalink" data-search-exclude href="#{anchor}" '
                       f'title="Link to this paragraph, to cite it">¶{n + 1}</a>\n'
                       f'<p>{self._paragraph_html(here, article, n)}</p>\n'
                       f'{self._paragraph_notes(here, article.id, n)}</div>\n')
        return Markup("".join(out))

    def claim_items(self, source: str) -> Markup:
        """The list items of a source's statements that no other source reports, each linked to its paragraph."""
        return Markup("".join(f'<li><a href="#{_escaped(paths.anchor_of_paragraph(c.paragraph))}">¶{c.paragraph + 1}</a> '
                              f'{_escaped(c.text)}</li>\n' for c in self.claims_of[source]))

    def removed_rows(self, article: Article) -> Markup:
        """The table rows of the lines removed from a source, with the reason for each."""
        return Markup("".join(f"<tr><td>{_escaped(r.reason)}</td><td><code>{_escaped(r.text)}</code></td></tr>\n"
                              for r in article.removed))

    def _paragraph_html(self, here: str, article: Article, index: int) -> str:
        """The paragraph's text, escaped; shared quotations marked with their group and
        every entity mention linked to its glossary entry."""
        text = article.paragraphs[index]
        wordings = self.wordings_at.get((article.id, index))
        if not wordings:   # most paragraphs quote nothing shared: their mentions alone
            mentions = _without_overlaps([(s, e, entity) for s, e, entity in self._mentions_at(article.id, index)
                                          if 0 <= s < e <= len(text)])
            return self._linked(here, text, 0, len(text), mentions)
        quoted = _without_overlaps(_find_wordings(text, wordings))
        # A mention across a quotation's edge cannot be linked inside the marked quotation; it
        # yields before overlaps are settled, so that a mention it overlaps still gets its link.
        mentions = _without_overlaps((s, e, entity) for s, e, entity in self._mentions_at(article.id, index)
                                     if 0 <= s < e <= len(text) and not _crosses(s, e, quoted))
        out, cursor = [], 0
        for start, end, quote in quoted:
            tooltip = _escaped(self.quote_tooltip(quote, article.id))
            out.append(self._linked(here, text, cursor, start, mentions))
            out.append(f'<span class="dossier-quoted" title="{tooltip}">{self._linked(here, text, start, end, mentions)}</span>')
            # The quotation's tooltip is on its text just before; the link says where it leads.
            number = self.quote_number[quote.id]
            out.append(f'<a class="dossier-quote-ref" href="{_escaped(self.link(here, paths.page_of_quote(quote.id)))}" '
                       f'title="Q{number}: every wording side by side"><sup>Q{number}</sup></a>')
            cursor = end
        out.append(self._linked(here, text, cursor, len(text), mentions))
        return "".join(out)

    def _mentions_at(self, source: str, index: int) -> list[tuple[int, int, Entity]] | tuple:
        """self.mentions.get((source, index), ()), without gathering every source's mentions when
        the page keys hold them by source already: a rebuild renders a few source pages, and
        `mentions` makes a tuple for each of a big dossier's ~140k. The same tuples in the same
        order: the keys' list is the glossary's order too, entity by entity."""
        if self.keys is None or "mentions" in self.__dict__:
            return self.mentions.get((source, index), ())
        by_paragraph = self._mentions_of_source.get(source)
        if by_paragraph is None:
            by_paragraph = self._mentions_of_source[source] = defaultdict(list)
            entities = self.entities
            for _, paragraph, start, end, entity_id in self.keys._mentions_in.get(source, ()):
                by_paragraph[paragraph].append((start, end, entities[entity_id]))
        return by_paragraph.get(index, ())

    def _linked(self, here: str, text: str, lo: int, hi: int, mentions) -> str:
        """text[lo:hi], escaped, with the mentions that lie wholly inside it linked."""
        out, cursor = [], lo
        for start, end, entity in mentions:
            if start < cursor or end > hi:
                continue   # outside this stretch
            out.append(_escaped(text[cursor:start]))
            out.append(f"{self._entity_opening(here, entity)}{_escaped(text[start:end])}</a>")
            cursor = end
        out.append(_escaped(text[cursor:hi]))
        return "".join(out)

    def _entity_opening(self, here: str, entity: Entity) -> str:
        """The opening tag of a link to an entity's page, with its glossary line as tooltip."""
        if here != self._here_page:
            self._new_page(here)
        opening = self._here_entities.get(entity.id)
        if opening is None:
            opening = self._here_entities[entity.id] = self._entity_opening_of_kind(here, entity)
        return opening

    def _entity_opening_of_kind(self, here: str, entity: Entity) -> str:
        target = paths.page_of_entity(entity.id)
        key = (self._scope(here, target), entity.id)
        opening = self._entity_openings.get(key)
        if opening is None:
            opening = (f'<a class="dossier-entity dossier-{_escaped(entity.type.lower())}" '
                       f'href="{_escaped(self.link(here, target))}" title="{self._entity_title(entity)}">')
            if key[0] is not None:
                self._entity_openings[key] = opening
        return opening

    def _entity_title(self, entity: Entity) -> str:
        if entity.id not in self._entity_titles:
            self._entity_titles[entity.id] = _escaped(self.entity_tooltip(entity))
        return self._entity_titles[entity.id]

    def entity_tooltip(self, entity: Entity) -> str:
        """The entity's glossary line: name, type, reach, other spellings, description."""
        if entity.id not in self._tooltips:   # once per entity: a big dossier links it thousands of times
            self._tooltips[entity.id] = self._glossary_line(entity)
        return self._tooltips[entity.id]

    def _glossary_line(self, entity: Entity) -> str:
        n = self.source_count(entity)
        aliases = [a for a in entity.aliases if a != entity.name]
        also = f"; also {', '.join(aliases[:4])}" if aliases else ""
        described = f". {entity.description}" if entity.description else ""
        return f"{entity.name} ({self.type_word(entity.type)}, {n} source{'s' if n != 1 else ''}){also}{described}"

    def quote_tooltip(self, quote: Quote, here_source: str | None = None) -> str:
        others = [s for s in quote.sources if s != here_source]
        named = ", ".join(self.label(s) for s in others[:SOURCES_PER_ITEM])
        if len(others) > SOURCES_PER_ITEM:
            named += f" and {_counted(len(others) - SOURCES_PER_ITEM, 'source', 'more ')}"
        said = f" ({quote.speaker})" if quote.speaker else ""
        return f"Shared quotation Q{self.quote_number[quote.id]}{said}, also quoted by {named}"

    def _paragraph_notes(self, here: str, source: str, index: int) -> str:
        """The line under a paragraph (and its line break): which other sources report it, with a
        badge counting them, and whether a statement in it is reported by this source alone."""
        support = self.support.get((source, index))
        count = support.count if support else 0   # as support_of, counting the sources once
        only = self.only_here(source, index)
        if not (count or only):
            return ""
        notes = []
        if count:
            notes.append(f'<span class="dossier-badge dossier-badge-{"many" if count > 1 else "one"}" '
                         f'title="Also reported by {count} other source{"s" if count != 1 else ""}">✓ {count}</span> '
                         f'also in {self._capped_cites_html(here, support.supporting, " · ")}')
        if only:
            notes.append('<a class="dossier-badge dossier-badge-only" href="#only-here" '
                         'title="A statement in this paragraph is reported by no other source">only in this source</a>')
        return f'<p class="dossier-notes" data-search-exclude>{" · ".join(notes)}</p>\n'

    def support_of(self, source: str, index: int):
        support = self.support.get((source, index))
        return support if support and support.count else None

    def only_here(self, source: str, index: int) -> bool:
        return (source, index) in self.unique_at

    # -- sources in charts and citations -----------------------------------------------

    def label(self, source: str) -> str:
        """A short name for a source: its outlet, else its web address' host, else its headline."""
        article = self.articles.get(source)
        if article is None:
            return source
        if article.outlet:
            return article.outlet
        host = _host(article.url)
        return host or self.short_title(source, LABEL_WIDTH)

    def outlet(self, source: str) -> str:
        return self.label(source)

    def named(self, text: str) -> str:
        """Text from the comparison (an explanation, what a discrepancy is about) with each source
        id in it replaced by the source's label, which a reader can recognise."""
        if self._source_ids is None:
            return text
        if self._source_ids is _WORD_RUN:
            # An id stands alone between characters that are not word characters or hyphens, so
            # when every id is made of those it is a whole run of them: look each run up.
            return _WORD_RUN.sub(lambda m: self.label(m.group(0)) if m.group(0) in self.articles else m.group(0), text)
        return self._source_ids.sub(lambda m: self.label(m.group(0)), text)

    @cached_property
    def _source_ids(self) -> re.Pattern | None:
        ids = sorted(self.articles, key=lambda i: (-len(i), i))   # longest first: no id eats a longer one
        if not ids:
            return None
        if all(_WORD_RUN.fullmatch(i) for i in ids):
            return _WORD_RUN   # one pass over the text, however many sources (an alternation tries each)
        return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ids)) + r")(?![\w-])")

    def short_title(self, source: str, width: int = 60) -> str:
        title = self.articles[source].title if source in self.articles else source
        return _shorten(title, width)

    def words(self, article: Article) -> int:
        words = self._words.get(article.id)
        if words is None:   # the source's page and the sources' table both print it
            words = self._words[article.id] = sum(len(p.split()) for p in article.paragraphs)
        return words

    def count_words(self, article: Article, words: int) -> None:
        """The article's words, counted already (by the page keys, paragraph by paragraph)."""
        self._words[article.id] = words

    def source_count(self, entity: Entity) -> int:
        """len(entity.sources), worked out once per entity: the glossary, charts and tooltips ask often."""
        count = self._source_counts.get(entity.id)
        if count is None:
            count = self._source_counts[entity.id] = len(set(map(_SOURCE, entity.mentions)))   # len(entity.sources), in C
        return count

    # -- entity pages ------------------------------------------------------------------

    def unlisted(self, groups) -> list:
        """The groups of mentions_by_source whose mentions the page has no room left for."""
        return [group for group in groups if not group[1]]

    def mentions_by_source(self, entity: Entity) -> list[tuple[str, list]]:
        """The entity's mentions grouped by source, at most MENTIONS_PER_ENTITY_PAGE in all,
        with how many each source has (a source's list may be cut short)."""
        grouped: dict[str, list] = defaultdict(list)
        for m in entity.mentions:
            grouped[m.source].append(m)
        shown, budget = [], MENTIONS_PER_ENTITY_PAGE
        for source in sorted(grouped):
            shown.append((source, grouped[source][:max(0, budget)], len(grouped[source])))
            budget -= len(grouped[source])
        return shown

    def co_occurring(self, entity: Entity, limit: int = 10) -> list[tuple[Entity, int]]:
        return [(self.entities[i], -n) for n, i in self.ranked_together(entity.id, limit)]

    def ranked_together(self, entity_id: str, limit: int = 10) -> list[tuple[int, str]]:
        """co_occurring's entities as (-paragraphs, id): the ids alone, for the page keys."""
        rankings = self._rankings
        ranked = rankings.get((entity_id, limit))
        if ranked is None:
            counts = self._pair_counts.get(entity_id, {})
            # most paragraphs first, then by id: as sorted(...)[:limit], without a key function (an
            # entity named everywhere has hundreds of neighbours)
            ranked = rankings[entity_id, limit] = heapq.nsmallest(limit, zip(map(neg, counts.values()), counts))
        return ranked

    @cached_property
    def _rankings(self) -> dict[tuple[str, int], list[tuple[int, str]]]:
        """co_occurring's rankings, by entity id and limit: a pure function of the pair counts,
        so those of the last build while its counts are used again."""
        counts = self._pair_counts
        return _KeptPairCounts.rankings if counts is _KeptPairCounts.counts else {}

    @cached_property
    def _pair_counts(self) -> dict[str, dict[str, int]]:
        """For each entity, in how many paragraphs each other entity is named too. When pages
        are kept, the counts of the last build are used again if every mention is the same
        (an edit that changes no mention: the counts cost more than the mentions' digest)."""
        if self.keeping:
            mentions = self.keys.mentions_digest
            if _KeptPairCounts.mentions == mentions:
                return _KeptPairCounts.counts
        pairs: list[tuple[str, str]] = []
        for found in self.mentions.values():
            if len(found) < 2:
                continue
            ids = sorted({e.id for _, _, e in found})
            if len(ids) > 1:
                pairs.extend(permutations(ids, 2))   # every other entity of the paragraph, once
        counted: dict[str, dict[str, int]] = defaultdict(dict)
        for (a, b), n in Counter(pairs).items():    # counted in C, in the order first met
            counted[a][b] = n
        counts = dict(counted)
        if self.keeping:
            _KeptPairCounts.mentions, _KeptPairCounts.counts, _KeptPairCounts.rankings = mentions, counts, {}
        return counts

    def glossary_items(self, here: str, entities: Sequence[Entity]) -> Markup:
        """The glossary's list items: each entity linked, how many sources name it, its first
        other spellings (and how many more, linked to its page), its description."""
        out = []
        for e in entities:
            n = self.source_count(e)
            item = (f'<li>{self._entity_opening(here, e)}{_escaped(e.name)}</a> '
                    f'<span class="dossier-count" title="named in {n} source{"s" if n != 1 else ""}">{n}</span>')
            others = [a for a in e.aliases if a != e.name]
            if others:
                more = ""
                if len(others) > SOURCES_PER_ITEM:
                    more = f" {self.more(here, len(others) - SOURCES_PER_ITEM, 'spelling', paths.page_of_entity(e.id))}"
                item += f" <small>also {_escaped(', '.join(others[:SOURCES_PER_ITEM]))}{more}</small>"
            if e.description:
                item += f'<br><small class="dossier-description">{_escaped(e.description)}</small>'
            out.append(item + "</li>\n")
        return Markup("".join(out))

    def entities_by_type(self) -> list[tuple[str, list[Entity]]]:
        groups: dict[str, list[Entity]] = defaultdict(list)
        for e in self.dossier.glossary.entities:
            groups[e.type].append(e)
        order = ("PERSON", "ORG", "PLACE", "EVENT", "OTHER")
        return [(t, sorted(groups[t], key=lambda e: (e.name.casefold(), e.id))) for t in order if groups.get(t)]

    def type_name(self, entity_type: str) -> str:
        """The heading for a type's entries: "People", "Organisations", ..."""
        return _TYPE_NAMES.get(entity_type, entity_type.capitalize())

    def type_word(self, entity_type: str) -> str:
        """One entity's type in words: "person", "organisation", ..."""
        return _TYPE_WORDS.get(entity_type, entity_type.lower())

    def top_entities(self, limit: int) -> list[Entity]:
        ranked = sorted(self.dossier.glossary.entities, key=lambda e: (-self.source_count(e), -len(e.mentions), e.name))
        return ranked[:limit]

    # -- comparison --------------------------------------------------------------------

    def word_diff(self, base: str, other: str) -> Markup:
        """`other` with the words it adds marked <ins> and the words of `base` it lacks <del>."""
        a, b = base.split(), other.split()
        out = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=[_fold(w) for w in a], b=[_fold(w) for w in b], autojunk=False).get_opcodes():
            if op == "equal":
                out.append(_escaped(" ".join(b[j1:j2])))
                continue
            if i2 > i1:
                out.append(f"<del>{_escaped(' '.join(a[i1:i2]))}</del>")
            if j2 > j1:
                out.append(f"<ins>{_escaped(' '.join(b[j1:j2]))}</ins>")
        return Markup(" ".join(out))

    def highlighted(self, text: str, value: str) -> Markup:
        """`text`, escaped, with the first place it states `value` marked (a value's note in
        brackets, such as "(inferred)", is not looked for)."""
        needle = re.sub(r"\s*\([^)]*\)\s*$", "", value).strip()
        start = text.casefold().find(needle.casefold()) if len(needle) > 1 else -1
        if start < 0 or len(text.casefold()) != len(text):   # casefold changed lengths: offsets unsafe
            return escape(text)
        end = start + len(needle)
        return Markup(f"{_escaped(text[:start])}<mark>{_escaped(text[start:end])}</mark>{_escaped(text[end:])}")

    def variant_paragraphs(self, here: str, discrepancy) -> Markup:
        """Under each value of a discrepancy, its first paragraphs quoted with the value marked
        and cited, then how many more paragraphs give it (all are cited in the table)."""
        out = []
        for v in discrepancy.variants:
            shown = v.evidence[:SOURCES_PER_ITEM]
            value = _escaped(v.value)
            for ev in shown:
                text = self.highlighted(self.articles[ev.source].paragraphs[ev.paragraph], v.value)
                out.append(f'<blockquote><p><strong>{value}</strong>: {text}</p><p><a href="{_escaped(self.cite(here, ev))}">'
                           f'{_escaped(self.outlet(ev.source))} ¶{ev.paragraph + 1}</a></p></blockquote>\n')
            if len(shown) < len(v.evidence):
                out.append(f'<p class="dossier-meta">{self.more(here, len(v.evidence) - len(shown), "paragraph")} giving '
                           f'<strong>{value}</strong>, each cited in the table above</p>\n')
        return Markup("".join(out))

    def neighbour_items(self, here: str) -> Markup:
        """A list item per source: the source, then its nearest neighbours and their similarity.
        When pages are kept, the items of the last build are used again while every source's
        links are the same (the page, the site options, every source's card): an item is then
        a function of its source, its neighbours and their similarities as printed."""
        kept: dict[tuple, str] = {}
        links = (here, self.keys.site, self.keys._all_source_cards) if self.keeping else None
        if links is not None and _KeptNeighbourItems.links == links:
            kept = _KeptNeighbourItems.items
        made: dict[tuple, str] = {}
        out = []
        for source in self.dossier.comparison.similarity.sources:
            shown = self.neighbours(source)
            values = [_escaped('%.2f' % value) for _, value in shown]
            key = (source, tuple(map(_FIRST, shown)), tuple(values))
            item = kept.get(key)
            if item is None:
                near = ", ".join([f"{self._source_link_html(here, other)} {value}"
                                  for (other, _), value in zip(shown, values)])
                item = f"<li>{self._source_link_html(here, source)}: {near}</li>\n"
            made[key] = item
            out.append(item)
        if links is not None:
            _KeptNeighbourItems.links, _KeptNeighbourItems.items = links, made
        return Markup("".join(out))

    def unique_count_items(self, here: str) -> Markup:
        """A list item per source with statements no other source reports: how many, linked to its list."""
        out = []
        for a in self.dossier.articles:
            n = len(self.claims_of.get(a.id, ()))
            if n:
                href = _escaped(self.link(here, paths.page_of_source(a.id), "only-here"))
                out.append(f'<li id="only-{_escaped(a.id)}">{self._source_link_html(here, a.id)}: '
                           f'<a href="{href}">{n} statement{"s" if n != 1 else ""}</a></li>\n')
        return Markup("".join(out))

    def source_rows(self, here: str) -> Markup:
        """The sources table's rows: headline linked to its page, outlet, date, words, language, raw file."""
        out = []
        for a in self.dossier.articles:
            page = _escaped(self.link(here, paths.page_of_source(a.id)))
            raw = _escaped(self.link(here, paths.raw_copy_of(a.id)))
            out.append(f'<tr><td><a href="{page}">{_escaped(a.title)}</a></td><td>{_escaped(a.outlet or "—")}</td>'
                       f'<td>{_escaped(a.date or "—")}</td><td>{self.words(a)}</td><td>{_escaped(str(a.language))}</td>'
                       f'<td><a href="{raw}">{_escaped(a.path)}</a></td></tr>\n')
        return Markup("".join(out))

    def timeline_rows(self, here: str) -> Markup:
        """The timeline table's rows: date (and whether inferred or in conflict), event, citations."""
        out = []
        for number, t in enumerate(self.dossier.timeline, 1):
            conflict = ' class="dossier-conflict"' if t.conflict else ""
            end = f"–{_escaped(t.end)}" if t.end else ""
            notes = ("<br><small>inferred</small>" if t.inferred else "") + \
                    ("<br><small>conflicting dates</small>" if t.conflict else "")
            out.append(f'<tr id="t{number}"{conflict}><td><strong>{_escaped(t.date)}{end}</strong>{notes}</td>'
                       f'<td>{_escaped(t.text)}</td><td>{self._capped_cites_html(here, t.evidence, ", ")}</td></tr>\n')
        return Markup("".join(out))

    def similarity_rows(self):
        sim = self.dossier.comparison.similarity
        return list(zip(sim.sources, sim.matrix))

    def neighbours(self, source: str) -> tuple[tuple[str, float], ...]:
        """The sources most alike to this one, most alike first (compare ranks them)."""
        row = self._similarity_row.get(source)
        near = self.dossier.comparison.similarity.neighbours
        return near[row][:NEIGHBOURS_SHOWN] if row is not None and row < len(near) else ()

    def has_full_matrix(self) -> bool:
        return bool(self.dossier.comparison.similarity.matrix)

    def heat(self, value: float) -> str:
        """A CSS class for a similarity value, in steps a reader can tell apart."""
        return f"dossier-heat-{min(9, int(value * 10))}"

    # -- pictures ----------------------------------------------------------------------

    @cached_property
    def heatmap(self) -> _Heatmap | None:
        sim = self.dossier.comparison.similarity
        if not 1 < len(sim.sources) <= MATRIX_MAX_SOURCES or not sim.matrix:
            return None
        return _heatmap(sim.sources, sim.matrix, self.label, self.short_title)

    @cached_property
    def cooccurrence(self) -> _Cooccurrence | None:
        chosen = self.cooccurrence_chosen
        if len(chosen) < 2:
            return None
        return _cooccurrence(chosen, self._pair_counts, self.entity_tooltip)

    @cached_property
    def cooccurrence_chosen(self) -> list[Entity]:
        """The entities the glossary's picture of names named together shows."""
        connected = [e for e in self.top_entities(len(self.entities)) if self._pair_counts.get(e.id)]
        return connected[:COOCCURRENCE_ENTITIES]

    @cached_property
    def timeline_strip(self) -> _Strip | None:
        if not self.dossier.timeline:
            return None
        return _strip(self.dossier.timeline, self.label)

    @cached_property
    def corroboration_bars(self) -> _Bars | None:
        articles = [a for a in self.dossier.articles if a.paragraphs]
        if not articles:
            return None
        return _bars(articles, self.support_of, self.label)


# --- what each page depends on, for the memo (see Pages) ---------------------------------

_EVIDENCE = attrgetter("source", "paragraph")
_MENTION = attrgetter("source", "paragraph", "start", "end", "text")
_OCCURRENCE = attrgetter("source", "paragraph", "text", "speaker")
_SOURCE, _PARAGRAPH, _START, _END = attrgetter("source"), attrgetter("paragraph"), attrgetter("start"), attrgetter("end")
_FIRST, _THIRD, _FIFTH = itemgetter(0), itemgetter(2), itemgetter(4)


class _PageKeys:
    """For each page of a kind that has one, what the page's text depends on, as a tree of
    tuples, strings and numbers digested by `Pages.content_keys` (all pages' in one pickling):
    the records it shows and, of every other record it names (a source it cites, an entity it
    links, a quotation it marks), what that name, link and tooltip are made of; the page's own
    path (its links are relative to it) and the site options. The templates and this code are
    in the memo's own key (builder.cache). Every page's key is made on every build, so a record
    many pages show (an article, a paragraph, a source's link) is digested once, and the pages
    hold its digest.

    A key that misses something its page shows would let the page go stale, unseen: whatever
    a page's template, or a _View method it calls, reads must be in the key of its kind
    (tests/test_render_incremental.py renders edited dossiers both ways and compares)."""

    def __init__(self, view: _View) -> None:
        self.view = weakref.proxy(view)    # the view holds its keys: no reference cycle (see _View.env)
        self.site = repr(view.site)

    # -- pages -------------------------------------------------------------------------

    def source(self, here: str, article: Article) -> tuple:
        view, source = self.view, article.id
        mentions = self._mentions_in.get(source, ())
        wordings = self._wordings_in.get(source, ())
        # A paragraph's note shows who supports it (each supporting paragraph's source and
        # number; a paragraph of a big dossier has a hundred of them), and the page lists the
        # source's unique claims: dossier.json's pieces of both, digested by the export.
        # The sources it cites are shown by their links, which all sources' cards stand for: a
        # page of a big dossier cites hundreds, and a source's title or outlet seldom changes.
        return ("source", here, self.site, self._article_digests[source],
                [t.label for t in view.topics_of.get(source, ())], mentions, wordings,
                self._pieces.get(("corroboration", source)), self._pieces.get(("claims", source)),
                list(map(self._entity_cards.__getitem__, sorted(set(map(_FIFTH, mentions))))),
                list(map(self._quote_cards.__getitem__, sorted(set(map(_THIRD, wordings))))),
                self._all_source_cards)

    def entity(self, here: str, entity: Entity) -> tuple:
        mentions = entity.mentions
        named_in = list(map(_SOURCE, mentions))
        sources = sorted(set(named_in))
        self.view._source_counts.setdefault(entity.id, len(sources))   # source_count's, made here anyway
        # The mentions the page quotes (mentions_by_source: by source, at most
        # MENTIONS_PER_ENTITY_PAGE): each in its paragraph, the paragraph's digest standing for it.
        # Mentions come sorted by source (model.Entity): then the stable sort by source keeps them.
        in_order = named_in == sorted(named_in)
        shown = (mentions if in_order else sorted(mentions, key=_SOURCE))[:MENTIONS_PER_ENTITY_PAGE]
        quoted = list(map(self._paragraph_at.get, zip(map(_SOURCE, shown), map(_PARAGRAPH, shown))))
        together = [(i, -n) for n, i in self.view.ranked_together(entity.id)]   # co_occurring's, by id
        # The entity's record (its names, description, every mention's place, so its sources
        # too): its dossier.json piece.
        return ("entity", here, self.site, self._pieces["entity", entity.id],
                quoted, list(map(self._source_cards.get, sources)),
                together, list(map(self._entity_cards.__getitem__, map(_FIRST, together))))

    def quote(self, here: str, quote: Quote) -> tuple:
        sources = quote.sources
        return ("quote", here, self.site, self._pieces["quote", quote.id], list(map(self._source_cards.get, sources)))

    def discrepancy(self, here: str, discrepancy) -> tuple:
        variants, sources = [], set()
        for v in discrepancy.variants:
            evidence = list(map(_EVIDENCE, v.evidence))
            variants.append([self._paragraph(s, n) for s, n in evidence[:SOURCES_PER_ITEM]])
            sources.update(v.sources)
            sources.update(map(_FIRST, evidence))
        return ("discrepancy", here, self.site, self._pieces["discrepancy", discrepancy.id],
                self.view.named(discrepancy.about), variants, list(map(self._source_cards.get, sorted(sources))))

    def topic(self, here: str, topic) -> tuple:
        evidence = list(map(_EVIDENCE, topic.paragraphs))
        shown = evidence[:TOPIC_PARAGRAPHS_SHOWN]
        return ("topic", here, self.site, self._pieces["topic", topic.id],
                [self._paragraph(s, n) for s, n in shown],
                list(map(self._source_cards.get, sorted({s for s, _ in shown}))))

    def topics_index(self, here: str) -> tuple:
        return ("topics", here, self.site, [(t.id, t.label, len(t.sources), t.keywords) for t in self.view.dossier.topics])

    def glossary(self, here: str) -> tuple:
        view = self.view
        entries = [(e.id, e.name, e.type, e.aliases, e.description, view.source_count(e), len(e.mentions),
                    view.entity_tooltip(e)) for e in view.dossier.glossary.entities]
        chosen = [e.id for e in view.cooccurrence_chosen]
        counts = view._pair_counts
        pairs = [[counts.get(a, {}).get(b, 0) for b in chosen] for a in chosen]
        return ("glossary", here, self.site, entries, chosen, pairs)

    def sources_index(self, here: str) -> tuple:
        dossier, view = self.view.dossier, self.view
        self._paragraph_digests   # counts the words, of changed paragraphs only
        return ("sources", here, self.site,
                [(a.id, a.title, a.outlet, a.date, view.words(a), a.language, a.path) for a in dossier.articles],
                dossier.skipped)

    def timeline(self, here: str) -> tuple:
        return ("timeline", here, self.site, self._timeline)

    def overview(self, here: str) -> tuple:
        """The home page's summary: counts, the first sources, the timeline's strip, the bars
        of the first sources, the most named entities, the topics, the first discrepancies."""
        view, dossier = self.view, self.view.dossier
        comparison, articles, cards = dossier.comparison, dossier.articles, self._source_cards
        self._paragraph_digests   # counts the words, of changed paragraphs only
        bars = view.corroboration_bars
        capped = SOURCES_PER_ITEM
        return ("overview", here, self.site,
                (len(articles), len(dossier.glossary.entities), len(view.shared_quotes), len(comparison.discrepancies),
                 len(dossier.topics), len(dossier.timeline), len(dossier.skipped)),
                any(a.outlet for a in articles), any(a.date for a in articles),
                [(a.id, a.outlet, a.date, view.words(a), a.path, cards.get(a.id)) for a in articles[:50]],
                self._timeline, repr(bars), [cards.get(b.source) for b in bars.bars] if bars else None,
                [(e.id, self._entity_cards[e.id], view.source_count(e), len(e.mentions)) for e in view.top_entities(15)],
                [(t.id, t.label, len(t.sources)) for t in dossier.topics],
                [(d.id, view.named(d.about), len(d.variants),
                  [(v.value, v.sources[:capped], len(v.sources), list(map(cards.get, v.sources[:capped])))
                   for v in d.variants[:capped]]) for d in comparison.discrepancies[:10]],
                [(view.named(g.label), g.sources[:capped], len(g.sources), list(map(cards.get, g.sources[:capped])))
                 for g in comparison.groups])

    # -- sections of a page kept apart (_View.kept) -------------------------------------

    def section(self, name: str, here: str) -> tuple:
        """What a section shows: its records, the links of every source (citations, names in
        the text), the page's path, the site options and the templates that draw it."""
        view, comparison = self.view, self.view.dossier.comparison
        if name == "compare quotations":
            shown = [(q.id, q.text, q.speaker, list(map(_OCCURRENCE, q.occurrences))) for q in view.shared_quotes]
        elif name == "compare discrepancies":
            shown = [(d.id, d.about, [(v.value, v.sources, tuple(map(_SOURCE, v.evidence)), tuple(map(_PARAGRAPH, v.evidence)))
                                      for v in d.variants]) for d in comparison.discrepancies]
        else:
            raise ValueError(f"no key for the section {name!r}")
        return (name, here, self.site, shown, self._all_source_cards, self._templates)

    # -- what a page shows of the records it names ---------------------------------------

    @cached_property
    def _templates(self) -> tuple[str, ...]:
        """The text of the templates kept sections are drawn by: a serving process keeps their
        text across builds, and a template may be edited meanwhile."""
        env = self.view.env
        return tuple(env.loader.get_source(env, name)[0] for name in ("compare.md.j2", "_macros.j2"))

    @cached_property
    def _timeline(self) -> bytes:
        """A digest of the timeline: its entries and the sources they cite (the timeline's page
        and the home page's strip show them)."""
        entries, sources = [], set()
        for t in self.view.dossier.timeline:
            evidence = list(map(_EVIDENCE, t.evidence))
            entries.append((t.date, t.end, t.text, t.sources, evidence, t.inferred, t.conflict))
            sources.update(t.sources)
            sources.update(map(_FIRST, evidence))
        return pickled_digests([(entries, list(map(self._source_cards.get, sorted(sources))))])[0]

    @cached_property
    def _paragraph_digests(self) -> dict[str, tuple[bytes, ...]]:
        """Each source's paragraphs, digested one by one (the pages that quote a paragraph hold
        its digest), and their words counted; the digests and counts of the last build are kept
        by the paragraph's text (a lookup by a string is exact, and cheaper than its digest), so
        that a rebuild digests and counts the changed paragraphs only."""
        articles = self.view.dossier.articles
        flat = list(chain.from_iterable(a.paragraphs for a in articles))
        known = _KeptParagraphs.last if self.view.keeping else {}
        new = list(dict.fromkeys([p for p in flat if p not in known]))
        made = dict(zip(new, zip(pickled_digests(new), [len(p.split()) for p in new])))
        kept = {p: known[p] if p in known else made[p] for p in flat}
        _KeptParagraphs.last = kept if self.view.keeping else {}
        found, start = {}, 0
        for a in articles:
            end = start + len(a.paragraphs)
            digests, words = zip(*map(kept.__getitem__, flat[start:end])) if end > start else ((), ())
            found[a.id] = digests
            self.view.count_words(a, sum(words))
            start = end
        return found

    @cached_property
    def _article_digests(self) -> dict[str, tuple[bytes, str]]:
        """What stands for each whole article (its page shows all of it): its dossier.json
        piece's digest (every field but its kind, every paragraph, every line removed) and its kind."""
        pieces = self._pieces
        return {a.id: (pieces["source", a.id], a.kind) for a in self.view.dossier.articles}

    @cached_property
    def _source_cards(self) -> dict[str, bytes]:
        """A digest of what a link to a source, a citation of it or its label in a chart is made
        of (a source that is not in the dossier is shown by its id, which keys hold anyway: None)."""
        articles = self.view.dossier.articles
        return dict(zip([a.id for a in articles], pickled_digests([(a.title, a.outlet, a.url) for a in articles])))

    @cached_property
    def _entity_cards(self) -> dict[str, bytes]:
        """A digest of what a link to an entity is made of: its name, type and glossary line (the tooltip)."""
        entities, view = self.view.dossier.glossary.entities, self.view
        return dict(zip([e.id for e in entities],
                        pickled_digests([(e.id, e.name, e.type, view.entity_tooltip(e)) for e in entities])))

    @cached_property
    def mentions_digest(self) -> bytes:
        """A digest of every mention: where it is and of which entity. Each entity's dossier.json
        piece holds all its mentions (and more), digested already: their digests, in the
        glossary's order, stand for them (rather than pickling ~140k mentions again)."""
        pieces = self._pieces
        return pickled_digests([[(e.id, pieces["entity", e.id]) for e in self.view.dossier.glossary.entities]])[0]

    @cached_property
    def _paragraph_at(self) -> dict[tuple[str, int], bytes]:
        """The digest of each paragraph, by (source, index)."""
        return {(source, index): digest for source, digests in self._paragraph_digests.items()
                for index, digest in enumerate(digests)}

    @cached_property
    def _all_source_cards(self) -> bytes:
        """A digest of every source's card, by id."""
        return pickled_digests([list(self._source_cards.items())])[0]

    @cached_property
    def _quote_cards(self) -> dict[str, bytes]:
        """A digest of what a shared quotation's mark in a paragraph is made of: its number, its
        speaker and the sources quoting it (the tooltip names them)."""
        quotes, number, cards = self.view.shared_quotes, self.view.quote_number, self._source_cards
        made = [(q.id, number[q.id], q.speaker, q.sources) for q in quotes]
        return dict(zip([q.id for q in quotes], pickled_digests(
            [(*card, list(map(cards.get, card[3]))) for card in made])))

    def _paragraph(self, source: str, index: int) -> bytes | None:
        """A digest of the paragraph (None: no such paragraph)."""
        paragraphs = self._paragraph_digests.get(source, ())
        return paragraphs[index] if 0 <= index < len(paragraphs) else None

    # -- the view's lookups by (source, paragraph), gathered by source --------------------

    @cached_property
    def _pieces(self) -> dict[tuple[str, str], bytes]:
        """The digests of the dossier.json pieces of entities, quotations, discrepancies, topics
        and each source's claims and corroboration (every value of the record, as a page shows it)."""
        return piece_digests(self.view.dossier)

    @cached_property
    def _mentions_in(self) -> dict[str, list[tuple[str, int, int, int, str]]]:
        """(source, paragraph, start, end, entity id) of the mentions a source's paragraphs link,
        by source, in the glossary's order (the view's: entity by entity, each's in its order).
        Made by columns and one stable sort by source alone, in C."""
        found: list[tuple[str, int, int, int, str]] = []
        for entity in self.view.dossier.glossary.entities:
            mentions = entity.mentions
            found.extend(zip(map(_SOURCE, mentions), map(_PARAGRAPH, mentions), map(_START, mentions),
                             map(_END, mentions), repeat(entity.id)))
        found.sort(key=_FIRST)
        return {source: list(items) for source, items in groupby(found, _FIRST)}

    @cached_property
    def _wordings_in(self) -> dict[str, list[tuple[int, str, str]]]:
        """(paragraph, wording, quotation id) of the shared quotations a source's paragraphs mark."""
        found: dict[str, list] = defaultdict(list)
        for (source, paragraph), wordings in self.view.wordings_at.items():
            found[source].extend([(paragraph, text, quote.id) for text, quote in wordings])
        return {source: sorted(items) for source, items in found.items()}


class _KeptPairCounts:
    """The last pair counts (_View._pair_counts) made when pages are kept, and the digest of
    the mentions they were counted from, with the rankings co_occurring made of them."""

    mentions: bytes = b""
    counts: dict[str, dict[str, int]] = {}
    rankings: dict[tuple[str, int], list[tuple[int, str]]] = {}


class _KeptNeighbourItems:
    """neighbour_items' items of this process's last compare page, by source, neighbours and
    similarities printed, and what every link was made of (page, site options, sources' cards)."""

    links: tuple = ()
    items: dict[tuple, str] = {}


class _KeptSections:
    """The sections of pages this process rendered last (_View.kept): {name: (key digest, text)}."""

    texts: dict[str, tuple[bytes, str]] = {}


class _KeptParagraphs:
    """The digest and words of each paragraph of the last build's page keys, by its text (the
    words are a by-product: a source's page and the sources' table print them)."""

    last: dict[str, tuple[bytes, int]] = {}


_WORD_RUN = re.compile(r"[\w-]+")
_TYPE_NAMES = {"PERSON": "People", "ORG": "Organisations", "PLACE": "Places", "EVENT": "Events", "OTHER": "Other"}
_TYPE_WORDS = {"PERSON": "person", "ORG": "organisation", "PLACE": "place", "EVENT": "event", "OTHER": "other"}


def _kwic(text: str, start: int, end: int) -> tuple[str, str, str]:
    """Keyword in context: (left, text[start:end], right), cut at word boundaries."""
    left = text[max(0, start - KWIC_CONTEXT):start]
    right = text[end:end + KWIC_CONTEXT]
    if start > KWIC_CONTEXT:
        left = "…" + left.split(" ", 1)[-1]
    if end + KWIC_CONTEXT < len(text):
        right = right.rsplit(" ", 1)[0] + "…"
    return left, text[start:end], right


def _plain_target(target: str) -> bool:
    """A target made of plain segments, whose link _scope's reasoning covers (paths.href hands a
    path with ".." or a leading "/" to posixpath.relpath instead)."""
    return not target.startswith("/") and ".." not in target.split("/")


def _find_wordings(text: str, wordings) -> list[tuple[int, int, Quote]]:
    """Where each quotation's wording stands in the paragraph (first place; trailing punctuation
    such as a comma inside the quotation marks may or may not be part of the wording)."""
    found = []
    for wording, quote in wordings:
        core = wording.strip().rstrip(",.;:!?").strip()
        if len(core) < 2:
            continue
        start = text.find(core)
        if start >= 0:
            found.append((start, start + len(core), quote))
    return found


def _crosses(start: int, end: int, ranges) -> bool:
    return any(start < r_start < end or start < r_end < end for r_start, r_end, _ in ranges)


def _without_overlaps(ranges) -> list:
    """The ranges sorted by start (longest first on ties), each dropped that overlaps an earlier one."""
    ranges = list(ranges)
    if len(ranges) < 2:   # one range overlaps nothing (a paragraph often names one entity)
        return ranges
    kept, cursor = [], 0
    for start, end, item in sorted(ranges, key=lambda r: (r[0], -r[1], getattr(r[2], "id", ""))):
        if start >= cursor:
            kept.append((start, end, item))
            cursor = end
    return kept


def _heatmap(sources, matrix, label, title) -> _Heatmap:
    n = len(sources)
    cell, label_width, top = 46, 240, 28
    off = [(matrix[i][j], i, j) for i in range(n) for j in range(n) if i < j]
    # Similarities between different texts are small numbers; the darkest colour goes to the
    # most similar pair, so the differences between pairs show (the printed value is exact).
    scale = max((v for v, _, _ in off), default=0.0) or 1.0
    best_value, best_i, best_j = max(off, key=lambda t: (t[0], -t[1], -t[2]))
    cells = []
    for i in range(n):
        for j in range(n):
            value = matrix[i][j]
            shade = 0.0 if i == j else max(0.04, min(1.0, value / scale))
            cells.append(_HeatCell(
                x=label_width + j * cell, y=top + i * cell, value=f"{value:.2f}", shade=f"{shade:.2f}",
                strong=shade > 0.65, self=i == j,
                tooltip=(f"{label(sources[i])}: itself" if i == j else
                         f"{label(sources[i])} and {label(sources[j])}: {value:.2f} of their wording shared"),
            ))
    rows = tuple(_RowLabel(label_width - 8, top + i * cell + cell // 2, f"{i + 1}. {_shorten(label(s), LABEL_WIDTH)}",
                           paths.page_of_source(s), title(s, 200)) for i, s in enumerate(sources))
    columns = tuple((label_width + j * cell + cell // 2, str(j + 1)) for j in range(n))
    return _Heatmap(
        width=label_width + n * cell + 4, height=top + n * cell + 4, cell=cell, rows=rows, columns=columns,
        cells=tuple(cells), strongest=f"{label(sources[best_i])} and {label(sources[best_j])} ({best_value:.2f})",
        scale_max=f"{scale:.2f}",
    )


def _cooccurrence(chosen: list[Entity], counts, tooltip) -> _Cooccurrence:
    k = len(chosen)
    cell, label_width = 34, 210
    peak = max(counts.get(a.id, {}).get(b.id, 0) for a in chosen for b in chosen if a.id != b.id) or 1
    rows = tuple(_RowLabel(label_width - 8, i * cell + cell // 2, f"{i + 1}. {_shorten(e.name, 26)}",
                           paths.page_of_entity(e.id), tooltip(e)) for i, e in enumerate(chosen))
    diagonal = tuple((label_width + i * cell + cell // 2, i * cell + cell // 2, str(i + 1)) for i in range(k))
    cells, pairs = [], []
    for i, a in enumerate(chosen):
        for j, b in enumerate(chosen[:i]):
            n = counts.get(a.id, {}).get(b.id, 0)
            # Shaded like the similarity map: the pair named together most often is darkest.
            shade = 0.12 + 0.88 * n / peak if n else 0.0
            cells.append(_PairCell(label_width + j * cell, i * cell, n, f"{shade:.2f}", shade > 0.65,
                                   f"{a.name} and {b.name}: named together in {n} paragraph{'s' if n != 1 else ''}"))
            if n:
                pairs.append((a, b, n))
    pairs.sort(key=lambda p: (-p[2], p[0].name, p[1].name))
    return _Cooccurrence(label_width + k * cell + 4, k * cell + 4, cell, rows, diagonal, tuple(cells), tuple(pairs))


def _bucket_grain(dates: list[str]) -> str:
    """The coarsest unit that still spreads the events out: days within a month, months within
    a year, years, or decades when there are too many years for the strip."""
    years = {d[:4] for d in dates}
    if len(years) > TIMELINE_MAX_BUCKETS:
        return "decade"
    if len(years) > 1:
        return "year"
    months = {d[:7] for d in dates if len(d) >= 7}
    return "day" if len(months) == 1 and all(len(d) == 10 for d in dates) else "month"


def _bucket(date: str, grain: str) -> tuple[float, str]:
    """(position on an ordinal scale where neighbours differ by 1, label) of a date's column."""
    year = int(date[:4])
    if grain == "decade":
        return year // 10, f"{year // 10 * 10}s"
    if grain == "year" or len(date) < 7:
        # A year-only date in a strip of months stands before the year's first month.
        return (year, date[:4]) if grain == "year" else (year * 12 - 0.5, date[:4])
    month = int(date[5:7])
    if grain == "month" or len(date) < 10:
        return year * 12 + month - 1, f"{_MONTHS[month - 1]} {year}"
    day = datetime.date.fromisoformat(date[:10])
    return day.toordinal(), f"{day.day} {_MONTHS[month - 1]}"


# Spelled out here rather than by strftime, whose month names follow the machine's locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _drawable(date: str) -> bool:
    """A date the strip can place: YYYY, YYYY-MM or YYYY-MM-DD that exists in the calendar."""
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
        return False
    try:
        datetime.date(int(date[:4]), int(date[5:7] or 1), int(date[8:10] or 1))
    except ValueError:
        return False
    return True


def _strip(timeline, label) -> _Strip | None:
    # Anchors count every entry of the timeline table; the strip draws those it can place.
    placed = [(index, entry) for index, entry in enumerate(timeline) if _drawable(entry.date)]
    if not placed:
        return None
    entries = dict(placed)
    grain = _bucket_grain([t.date for _, t in placed])
    columns: dict[float, list[int]] = defaultdict(list)
    labels: dict[float, str] = {}
    for index, entry in placed:
        position, text = _bucket(entry.date, grain)
        columns[position].append(index)
        labels[position] = text
    order = sorted(columns)
    width, margin, step_max, dot_gap = 760, 40, 110, 15
    step = min(step_max, (width - 2 * margin) / max(1, len(order) - 1)) if len(order) > 1 else 0
    first_x = (width - step * (len(order) - 1)) / 2
    tallest = min(TIMELINE_DOTS_STACKED, max(len(m) for m in columns.values()))
    axis_y = 24 + tallest * dot_gap   # room for the tallest stack (and its "+n"), no more
    rotate = step < 56 and len(order) > 1
    drawn_columns, dots, segments = [], [], []
    for c, position in enumerate(order):
        x = round(first_x + c * step)
        members = columns[position]
        for k, index in enumerate(members[:TIMELINE_DOTS_STACKED]):
            entry = entries[index]
            kind = "conflict" if entry.conflict else "inferred" if entry.inferred else "stated"
            when = entry.date + (f"–{entry.end}" if entry.end else "")
            names = sorted({label(s) for s in entry.sources})[:SOURCES_PER_ITEM]
            who = ", ".join(names)
            if unnamed := sum(1 for s in entry.sources if label(s) not in names):
                who += f" and {_counted(unnamed, 'source', 'more ')}"
            dots.append(_Dot(x, axis_y - 12 - k * dot_gap, kind, f"t{index + 1}",
                             f"{when}{' (inferred)' if entry.inferred else ''}: {_shorten(entry.text, TOOLTIP_WIDTH)} — {who}"))
        more = max(0, len(members) - TIMELINE_DOTS_STACKED)
        drawn_columns.append(_Column(x, labels[position], len(members), more, axis_y - 12 - tallest * dot_gap))
        if c:
            segments.append((round(first_x + (c - 1) * step), x, position - order[c - 1] > 1))
    if len(order) == 1:
        segments.append((round(first_x) - 30, round(first_x) + 30, False))
    first, last = min(t.date[:4] for t in entries.values()), max(t.date[:4] for t in entries.values())
    span = first if first == last else f"{first} to {last}"
    busiest = max(order, key=lambda p: (len(columns[p]), -p))
    summary = (f"{len(entries)} dated event{'s' if len(entries) != 1 else ''} from {span}, "
               f"most in {labels[busiest]} ({len(columns[busiest])})")
    return _Strip(width, axis_y + (64 if rotate else 34), axis_y, tuple(drawn_columns), tuple(dots),
                  tuple(segments), rotate, summary)


def _bars(articles: list[Article], support_of, label) -> _Bars:
    label_width, bar_width, row = 230, 330, 26
    shown = articles[:BARS_MAX_SOURCES]
    bars, covered_total, paragraphs_total = [], 0, 0
    for i, article in enumerate(shown):
        n = len(article.paragraphs)
        counts = [support_of(article.id, p).count if support_of(article.id, p) else 0 for p in range(n)]
        many, one = sum(1 for c in counts if c >= 2), sum(1 for c in counts if c == 1)
        w_many = round(bar_width * many / n)
        w_one = round(bar_width * (many + one) / n) - w_many
        covered_total += many + one
        paragraphs_total += n
        bars.append(_Bar(
            y=28 + i * row, source=article.id, label=_shorten(label(article.id), LABEL_WIDTH), paragraphs=n,
            by_many=many, by_one=one, widths=(w_many, w_one, bar_width - w_many - w_one),
            caption=f"{many + one} of {n} ¶ ({round(100 * (many + one) / n)}%)",
        ))
    summary = (f"{covered_total} of {paragraphs_total} paragraphs "
               f"({round(100 * covered_total / max(1, paragraphs_total))}%) are reported by at least one other source")
    return _Bars(label_width + bar_width + 150, 28 + len(bars) * row + 4, label_width, bar_width, tuple(bars),
                 len(articles) - len(shown), summary)


def _first_sources(evidence: Sequence[Evidence], limit: int) -> tuple[list[Evidence], int]:
    """The evidence of the first `limit` sources it names (in its order, every paragraph of
    each), and how many other sources it names."""
    sources = dict.fromkeys([e.source for e in evidence])   # in the order they are first named
    if len(sources) <= limit:
        return list(evidence), 0
    kept = set(list(sources)[:limit])
    return [e for e in evidence if e.source in kept], len(sources) - limit


def _counted(n: int, noun: str, before: str = "") -> str:
    """"3 more sources", "1 more source"."""
    return f"{n} {before}{noun}{'s' if n != 1 else ''}"


def _escaped_in_python(text: str) -> str:
    """markupsafe.escape(text) for a str, as a str: the same five replacements, without making a
    Markup object of every piece of a page."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")


try:
    # The C function markupsafe.escape itself runs on a str (MarkupSafe 2.1 and later), without
    # the Markup around its result: a quarter of the time of the five replacements, and a big
    # dossier's pages escape millions of pieces. A test pins that both give the same text.
    from markupsafe._speedups import _escape_inner as _escaped
except ImportError:   # MarkupSafe built without its C speedups, or a later one that moved it
    _escaped = _escaped_in_python


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlparse(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _fold(word: str) -> str:
    return re.sub(r"[^\w]", "", word.casefold().replace("-", ""))


def _front_matter(fields: dict) -> Markup:
    """A YAML front-matter block. Values are escaped for MkDocs, which prints titles raw."""
    clean = {}
    for key, value in fields.items():
        if key == "title":
            clean[key] = safe_title(value)
        elif key == "tags":
            clean[key] = [_tag(v) for v in value]
        else:
            clean[key] = value
    body = _simple_yaml(clean)
    if body is None:
        body = yaml.safe_dump(clean, allow_unicode=True, sort_keys=True, width=10_000)
    return Markup(f"---\n{body}---\n")


# yaml.safe_dump spends most of a millisecond per page setting up its emitter, and a big dossier
# has thousands of pages. Nearly every page's front matter is a few one-line strings, a list of
# them or a small int mapping: those are written here exactly as safe_dump writes them (a test
# compares both on hostile text); anything else goes to safe_dump.
_YAML_LINE = re.compile("[ -~\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010fffe]{1,1000}")
_YAML_STR = "tag:yaml.org,2002:str"
_YAML_RESOLVER = yaml.resolver.Resolver()


def _simple_yaml(fields: dict) -> str | None:
    """`fields` as yaml.safe_dump(..., allow_unicode=True, sort_keys=True, width=10_000) writes
    it, or None where that takes more than this knows."""
    lines = []
    for key in sorted(fields):
        value, name = fields[key], _yaml_scalar(key)
        if name is None:
            return None
        if type(value) is str:
            text = _yaml_scalar(value)
            if text is None:
                return None
            lines.append(f"{name}: {text}")
        elif type(value) is list and value and all(type(item) is str for item in value):
            items = [_yaml_scalar(item) for item in value]
            if None in items:
                return None
            lines.append(f"{name}:")
            lines.extend(f"- {item}" for item in items)
        elif type(value) is dict and value and all(type(k) is str and type(v) is int for k, v in value.items()):
            keys = sorted(value)
            names = [_yaml_scalar(k) for k in keys]
            if None in names:
                return None
            lines.append(f"{name}:")
            lines.extend(f"  {n}: {value[k]}" for n, k in zip(names, keys))
        else:
            return None
    return "\n".join(lines) + "\n" if lines else None


# Pages repeat the same keys and tags (a topic's label on every source about it). Bounded: a
# pure function of the string, and a dossier's distinct tags and keys are a few hundred.
@lru_cache(maxsize=1 << 12)
def _yaml_scalar(text: str) -> str | None:
    """A one-line string as the emitter writes it: plain where YAML reads it back as that
    string, else in single quotes; None for anything else (breaks, control or unpaired
    characters, edge spaces, lines long enough to be folded)."""
    if not _YAML_LINE.fullmatch(text) or text[0] == " " or text[-1] == " ":
        return None
    if _yaml_plain(text):
        return text
    return "'" + text.replace("'", "''") + "'"


def _yaml_plain(text: str) -> bool:
    """PyYAML's rules for a plain scalar in block context, for one line without edge spaces."""
    if text.startswith(("---", "...")) or text[0] in "#,[]{}&*!|>'\"%@`":
        return False
    if text[0] in "?-" and (len(text) == 1 or text[1] == " "):
        return False
    if ": " in text or text.endswith(":") or " #" in text:
        return False
    return _YAML_RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _YAML_STR


def _tag(label: str) -> str:
    # Material prints tag names unescaped in several places; a tag is plain words.
    return re.sub(r"[<>&\"'`]", "", " ".join(label.split()))
