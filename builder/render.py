"""Render the dossier as MkDocs pages: the one place where source text meets markup.

Sources are untrusted web text. Every generated page is YAML front matter (written by
`yaml.safe_dump` from escaped values) followed by raw HTML blocks from Jinja templates with
autoescaping on. Python-Markdown passes raw HTML blocks through untouched, so nothing a
source says is ever read as Markdown, HTML, a Jinja expression or a MkDocs/Material marker:
`<script>` arrives as the text "<script>", `[x](javascript:...)` as those characters.
Markup is only ever added here, around text that `markupsafe.escape` has already escaped.

Titles are the one value MkDocs and Material print without escaping (page and nav titles),
so they are handed over HTML-escaped, which shows the same characters to the reader.
"""
from __future__ import annotations

import difflib
import html
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Sequence

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from builder import paths
from builder.model import Article, Dossier, Entity, Evidence, Quote, RawSource

# Pages stay readable and the build stays linear at thousands of sources: past these sizes
# a page shows the strongest items and says how many more there are (all are in dossier.json).
MATRIX_MAX_SOURCES = 30        # a dense heat map beyond this is unreadable; show neighbours
NEIGHBOURS_SHOWN = 5
MENTIONS_PER_ENTITY_PAGE = 400
OVERVIEW_ITEMS = 10            # per list on the home page
KWIC_CONTEXT = 70              # characters of context either side of a mention


@dataclass(frozen=True)
class SiteOptions:
    directory_urls: bool = True     # MkDocs' use_directory_urls: decides how raw HTML links look


def render_site(dossier: Dossier, raws: Sequence[RawSource], site: SiteOptions) -> dict[str, str]:
    """Every generated page, as {path under docs/: content}."""
    view = _View(dossier, site)
    files: dict[str, str] = {}
    files[paths.OVERVIEW_SNIPPET] = view.page("overview.md.j2", paths.OVERVIEW_SNIPPET)
    files[f"{paths.SOURCES}/index.md"] = view.page("sources_index.md.j2", f"{paths.SOURCES}/index.md")
    for article in dossier.articles:
        page = paths.page_of_source(article.id)
        files[page] = view.page("source.md.j2", page, article=article)
    files[f"{paths.ENTITIES}/index.md"] = view.page("glossary.md.j2", f"{paths.ENTITIES}/index.md")
    for entity in dossier.glossary.entities:
        page = paths.page_of_entity(entity.id)
        files[page] = view.page("entity.md.j2", page, entity=entity)
    files[f"{paths.COMPARE}/index.md"] = view.page("compare.md.j2", f"{paths.COMPARE}/index.md")
    for quote in view.shared_quotes:
        page = paths.page_of_quote(quote.id)
        files[page] = view.page("quote.md.j2", page, quote=quote)
    for discrepancy in dossier.comparison.discrepancies:
        page = paths.page_of_discrepancy(discrepancy.id)
        files[page] = view.page("discrepancy.md.j2", page, discrepancy=discrepancy)
    files[f"{paths.TOPICS}/index.md"] = view.page("topics.md.j2", f"{paths.TOPICS}/index.md")
    for topic in dossier.topics:
        page = paths.page_of_topic(topic.id)
        files[page] = view.page("topic.md.j2", page, topic=topic)
    files[f"{paths.TIMELINE}/index.md"] = view.page("timeline.md.j2", f"{paths.TIMELINE}/index.md")
    for raw in raws:
        files[paths.raw_copy_of(raw.id)] = raw.text
    return files


def safe_title(text: str) -> str:
    """A title for MkDocs' navigation and <title>, which print it unescaped."""
    return html.escape(" ".join(text.split()), quote=True)


class _View:
    """Lookups the templates need, computed once per build (collect across pages, render once)."""

    def __init__(self, dossier: Dossier, site: SiteOptions):
        self.dossier = dossier
        self.site = site
        self.articles = {a.id: a for a in dossier.articles}
        self.entities = {e.id: e for e in dossier.glossary.entities}
        comparison = dossier.comparison
        self.shared_quotes = tuple(q for q in comparison.quotes if len(q.sources) > 1)

        self.mentions: dict[tuple[str, int], list[tuple[int, int, Entity]]] = defaultdict(list)
        for entity in dossier.glossary.entities:
            for m in entity.mentions:
                self.mentions[(m.source, m.paragraph)].append((m.start, m.end, entity))
        self.quotes_at: dict[tuple[str, int], list[Quote]] = defaultdict(list)
        for quote in self.shared_quotes:
            for o in quote.occurrences:
                if quote not in self.quotes_at[(o.source, o.paragraph)]:
                    self.quotes_at[(o.source, o.paragraph)].append(quote)
        self.support = {(c.source, c.paragraph): c for c in comparison.corroboration}
        self.topics_of: dict[str, list] = defaultdict(list)
        for topic in dossier.topics:
            for source in topic.sources:
                self.topics_of[source].append(topic)
        self.claims_of: dict[str, list] = defaultdict(list)
        for claim in comparison.unique_claims:
            self.claims_of[claim.source].append(claim)
        self.entity_counts = Counter({e.id: len(e.mentions) for e in dossier.glossary.entities})

        self.env = Environment(
            loader=PackageLoader("builder", "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.globals.update(view=self, dossier=dossier, paths=paths, max=max, min=min, len=len, sorted=sorted)
        self.env.filters["front_matter"] = _front_matter

    # -- pages -------------------------------------------------------------------------

    def page(self, template: str, here: str, **context) -> str:
        return self.env.get_template(template).render(here=here, **context)

    def link(self, here: str, target: str, anchor: str | None = None) -> str:
        return paths.href(here, target, anchor, self.site.directory_urls)

    def cite(self, here: str, evidence: Evidence) -> str:
        return self.link(here, paths.page_of_source(evidence.source), paths.anchor_of_paragraph(evidence.paragraph))

    # -- source pages ------------------------------------------------------------------

    def paragraph_html(self, here: str, article: Article, index: int) -> Markup:
        """The paragraph's text, escaped, with every entity mention linked to its entry."""
        text = article.paragraphs[index]
        out, cursor = [], 0
        for start, end, entity in sorted(self.mentions.get((article.id, index), ())):
            if start < cursor or end > len(text):
                continue   # overlapping or stale offsets: keep the text, drop the link
            out.append(escape(text[cursor:start]))
            out.append(Markup('<a class="dossier-entity dossier-{}" href="{}" title="{}">{}</a>').format(
                entity.type.lower(), self.link(here, paths.page_of_entity(entity.id)),
                self.entity_tooltip(entity), text[start:end]))
            cursor = end
        out.append(escape(text[cursor:]))
        return Markup("").join(out)

    def entity_tooltip(self, entity: Entity) -> str:
        n = len(entity.sources)
        aliases = [a for a in entity.aliases if a != entity.name]
        also = f"; also {', '.join(aliases[:4])}" if aliases else ""
        return f"{entity.name} ({entity.type.lower()}, {n} source{'s' if n != 1 else ''}){also}"

    def support_of(self, source: str, index: int):
        return self.support.get((source, index))

    # -- entity pages ------------------------------------------------------------------

    def kwic(self, mention) -> tuple[str, str, str]:
        """Keyword in context: (left, mention, right), cut at word boundaries."""
        text = self.articles[mention.source].paragraphs[mention.paragraph]
        left = text[max(0, mention.start - KWIC_CONTEXT):mention.start]
        right = text[mention.end:mention.end + KWIC_CONTEXT]
        if mention.start > KWIC_CONTEXT:
            left = "…" + left.split(" ", 1)[-1]
        if mention.end + KWIC_CONTEXT < len(text):
            right = right.rsplit(" ", 1)[0] + "…"
        return left, text[mention.start:mention.end], right

    def co_occurring(self, entity: Entity, limit: int = 10) -> list[tuple[Entity, int]]:
        places = {(m.source, m.paragraph) for m in entity.mentions}
        counts: Counter = Counter()
        for place in places:
            for other in {e.id for _, _, e in self.mentions.get(place, ()) if e.id != entity.id}:
                counts[other] += 1
        return [(self.entities[i], n) for i, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]

    def entities_by_type(self) -> list[tuple[str, list[Entity]]]:
        groups: dict[str, list[Entity]] = defaultdict(list)
        for e in self.dossier.glossary.entities:
            groups[e.type].append(e)
        order = ("PERSON", "ORG", "PLACE", "EVENT", "OTHER")
        return [(t, sorted(groups[t], key=lambda e: (e.name.casefold(), e.id))) for t in order if groups.get(t)]

    def top_entities(self, limit: int) -> list[Entity]:
        ranked = sorted(self.dossier.glossary.entities, key=lambda e: (-len(e.sources), -len(e.mentions), e.name))
        return ranked[:limit]

    # -- comparison --------------------------------------------------------------------

    def word_diff(self, base: str, other: str) -> Markup:
        """`other` with the words it adds marked <ins> and the words of `base` it lacks <del>."""
        a, b = base.split(), other.split()
        out = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=[_fold(w) for w in a], b=[_fold(w) for w in b], autojunk=False).get_opcodes():
            if op == "equal":
                out.append(escape(" ".join(b[j1:j2])))
                continue
            if i2 > i1:
                out.append(Markup("<del>{}</del>").format(" ".join(a[i1:i2])))
            if j2 > j1:
                out.append(Markup("<ins>{}</ins>").format(" ".join(b[j1:j2])))
        return Markup(" ").join(out)

    def similarity_rows(self):
        sim = self.dossier.comparison.similarity
        return list(zip(sim.sources, sim.matrix))

    def neighbours(self, source: str) -> list[tuple[str, float]]:
        sim = self.dossier.comparison.similarity
        if source not in sim.sources:
            return []
        row = sim.matrix[sim.sources.index(source)]
        ranked = sorted(((v, s) for s, v in zip(sim.sources, row) if s != source), key=lambda vs: (-vs[0], vs[1]))
        return [(s, v) for v, s in ranked[:NEIGHBOURS_SHOWN]]

    def heat(self, value: float) -> str:
        """A CSS class for a similarity value, in steps a reader can tell apart."""
        return f"dossier-heat-{min(9, int(value * 10))}"

    def short_title(self, source: str, width: int = 60) -> str:
        title = self.articles[source].title if source in self.articles else source
        return title if len(title) <= width else title[: width - 1].rsplit(" ", 1)[0] + "…"

    def outlet(self, source: str) -> str:
        article = self.articles.get(source)
        return (article.outlet if article and article.outlet else source)

    def words(self, article: Article) -> int:
        return sum(len(p.split()) for p in article.paragraphs)


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
    body = yaml.safe_dump(clean, allow_unicode=True, sort_keys=True, width=10_000)
    return Markup(f"---\n{body}---\n")


def _tag(label: str) -> str:
    # Material prints tag names unescaped in several places; a tag is plain words.
    return re.sub(r"[<>&\"'`]", "", " ".join(label.split()))

