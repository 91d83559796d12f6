"""The MkDocs side: build on every `mkdocs build` / `mkdocs serve` run, supply the navigation,
and watch the sources folder during `mkdocs serve`."""
from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, InclusionLevel

from builder import paths

from builder.errors import DossierError, one_line
from builder.plugin.config import DossierConfig
from builder.plugin.search import searchable_part
from builder.plugin.structure import navigation
from builder.plugin.theme import SharedFrame
from builder.plugin.watch import DocsWatch, watch_docs

log = logging.getLogger("mkdocs.plugins.dossier")

STYLESHEET = "assets/dossier/dossier.css"
ASSETS = Path(__file__).resolve().parent.parent / "assets"
TAGS_LISTING = "<!-- material/tags"     # where Material's tags plugin puts a listing


class _Forward(logging.Handler):
    """Pass the builder's warnings to MkDocs' logger, so `mkdocs build --strict` counts them."""

    def emit(self, record: logging.LogRecord) -> None:
        log.log(record.levelno, "%s", one_line(record.getMessage()))


class DossierPlugin(BasePlugin[DossierConfig]):
    serving = False
    docs_watch: DocsWatch | None = None   # `mkdocs serve`'s watch of docs/ (see on_serve)

    def on_startup(self, *, command, dirty):
        # `mkdocs serve` builds again at every edit in this one process: the builder then keeps
        # its last build in memory for the next.
        self.serving = command == "serve"

    def on_config(self, config):
        self.sources = Path(config.config_file_path).parent / self.config.sources
        self.docs = Path(config.docs_dir)
        self._html: dict[str, str] = {}
        self._builder_pages: set[str] = set()
        self._whole: dict[str, str] = {}
        self._generated: set[str] = set()     # pages whose HTML the builder wrote
        self._in_nav: set[str] = set()
        self._frame = SharedFrame()
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        return config

    def on_pre_build(self, config):
        from builder.pipeline import BuildOptions, build   # spaCy is imported only when a build runs
        from builder.render import SiteOptions

        if not self.sources.is_dir():
            raise PluginError(f"dossier: {self.sources}: no such folder; set `sources:` under the dossier plugin in mkdocs.yml")
        builder_log = logging.getLogger("builder")
        forward = _Forward(level=logging.WARNING)
        builder_log.addHandler(forward)
        builder_log.propagate = False
        if self.docs_watch:
            self.docs_watch.build_started()
        report = None
        try:
            options = BuildOptions(jobs=self.config.jobs or None, cache=self.config.cache, serving=self.serving)
            report = build(self.sources, self.docs, SiteOptions(directory_urls=config.use_directory_urls), options)
        except DossierError as error:
            raise PluginError(f"dossier: {error}") from error
        finally:
            builder_log.removeHandler(forward)
            builder_log.propagate = True
            if self.docs_watch:
                self.docs_watch.build_finished(report.written.written if report else (),
                                               report.written.deleted if report else ())
        log.info("dossier: %s", report.summary())
        config.nav = navigation(report.outline, self.docs, self.config.nav_sources)

    def on_files(self, files, config):
        # The overview is a snippet the home page includes, not a page of its own: its links
        # are computed for the home page and would be wrong anywhere else.
        for file in files:
            if file.src_uri.startswith(f"{paths.OVERVIEW}/"):
                file.inclusion = InclusionLevel.EXCLUDED
        files.append(File.generated(config, STYLESHEET, abs_src_path=str(ASSETS / "dossier.css")))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        # A generated page is HTML already, escaped by the builder's templates: Markdown would
        # only copy it through, parsing every tag on the way (at 1,000 sources, a third of
        # `mkdocs build`). So it skips Markdown, and its HTML comes back as the page's content.
        if _builder_html(page.file.src_uri, markdown):
            self._html[page.file.src_uri] = markdown
            return ""
        return markdown

    def on_page_content(self, html, page, config, files):
        if page.file.src_uri in self._html:
            self._builder_pages.add(page.file.src_uri)
            self._generated.add(page.file.src_uri)
            return self._html.pop(page.file.src_uri)
        return html

    # Material's search reads page.content in its own on_page_context (priority 0): before it,
    # a generated page's content is cut down to what search keeps (see builder.plugin.search);
    # after it, the whole page comes back for the theme.
    @event_priority(50)
    def _searchable_content(self, context, page, config, nav):
        if page.file.src_uri in self._builder_pages:
            self._builder_pages.discard(page.file.src_uri)
            self._whole[page.file.src_uri] = page.content
            page.content = searchable_part(page.content)
        return context

    @event_priority(-100)
    def _whole_content(self, context, page, config, nav):
        if page.file.src_uri in self._whole:
            page.content = self._whole.pop(page.file.src_uri)
        shareable = page.file.src_uri in self._generated and page.file.src_uri not in self._in_nav
        context["dossier_shared"] = self._frame.for_page(page.url, shareable)
        return context

    on_page_context = CombinedEvent(_searchable_content, _whole_content)

    def on_nav(self, nav, config, files):
        self._in_nav = {page.file.src_uri for page in nav.pages}
        return nav

    def on_env(self, env, config, files):
        # The frame around a generated page outside the navigation is rendered once per folder
        # (see builder.plugin.theme).
        self._frame.install(env, config.theme.custom_dir)
        # `mkdocs serve` makes a new theme environment for every rebuild, which compiled Material's
        # templates again each time (0.35-0.4 s of a rebuild at 1,000 sources): compiled once per process.
        env.bytecode_cache = _theme_templates_compiled()
        return env

    def on_serve(self, server, config, builder):
        server.watch(str(self.sources))
        # MkDocs' own watch of docs/ saw the builder's writes there as edits: each rebuild set
        # off a second one. This one leaves them out (see builder.plugin.watch).
        self.docs_watch = watch_docs(server, config.docs_dir)
        return server


@lru_cache(maxsize=1)
def _theme_templates_compiled():
    """The process's compiled theme templates (see DossierPlugin.on_env)."""
    from builder.render import InMemoryBytecode   # imported when a build runs, as the builder is

    return InMemoryBytecode()


def _builder_html(src_uri: str, markdown: str) -> bool:
    """A page the builder wrote, all of it HTML: any page in its folders but one where Material's
    tags plugin writes a listing (the topics index), which needs Markdown."""
    return src_uri.partition("/")[0] in paths.OWNED_FOLDERS and TAGS_LISTING not in markdown
