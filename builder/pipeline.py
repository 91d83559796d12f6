"""The whole build, read top to bottom: first gather everything, then write.

Each stage is one module with one public function; they pass frozen records
(`builder.model`) and never touch the disk, except `read` (the sources) and `output`
(the generated files), so a build interrupted before the last step leaves the site as it was.
The one exception is the cache (`builder.cache`, `docs/.dossier-cache/`: inside --docs, which
is all the builder may write to, and hidden from MkDocs by its dot): recognised names per
paragraph, which hold whatever the build does next, and the last build, which is reused only when
its inputs and the files it wrote are exactly as they were.
"""
from __future__ import annotations

import gc
import itertools
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from builder.cache import CACHE_FOLDER, cached_recognizer, last_build, replay, source_memo, warnings_caught
from builder.clean import clean_sources
from builder.compare import compare_sources
from builder.entities import find_entities
from builder.export import export_dossier
from builder.model import Dossier, Outline
from builder.nlp import load_recognizer
from builder.output import MANIFEST, WriteReport, write_generated
from builder.read import read_sources
from builder.render import SiteOptions, render_site
from builder.timeline import build_timeline
from builder.topics import find_topics

log = logging.getLogger(__name__)

GLOSSARY_FILE = "glossary.yml"   # editorial corrections to the glossary, beside the sources
TOPICS_FILE = "topics.yml"       # editorial corrections to the topics
# A serving process keeps the last build's per-source results in memory only up to
# this many sources: the results alone take about half a gigabyte per 1,000 sources (measured:
# unpickled, the 1,000-source benchmark's kept results take 465 MB), which a 10,000-source dossier
# cannot add to its peak. Above it a preview reads them from the cache file, as the command line does.
SERVING_IN_MEMORY_SOURCES = 2500
# A collection threshold no build reaches: allocations between two cycle collections.
_NO_COLLECTION = 2**30
# A serving process walks everything it holds once every this many builds (see _settle_heap).
_FULL_COLLECTION_EVERY = 10
_serving_builds = itertools.count()


@dataclass(frozen=True)
class BuildOptions:
    jobs: int | None = None            # worker processes for recognition; None: one per core
    cache: bool = True                 # keep recognition results between builds
    cache_folder: Path | None = None   # None: `.dossier-cache/` inside the docs folder
    # Told (what, done, total) as the build goes: ("compare", 3, 9) when the fourth of nine
    # stages starts, ("recognising names", 640, 10000) as paragraphs are recognised.
    progress: Callable[[str, int, int], None] | None = None
    # The process builds again and again (mkdocs serve, at every edit): the last build's results
    # stay in memory for the next, which then takes unchanged sources' results from there.
    serving: bool = False
    # A build server getting ready for the next build (builder/server.py), when it can keep the
    # build in memory: it does not answer with the last build's files when nothing changed, and
    # computes again the results that fill what the stages keep (source_memo's `filling`), so
    # that it holds every stage's work.
    preparing: bool = False

    def workers(self) -> int:
        return max(1, self.jobs or os.cpu_count() or 1)

    def cache_in(self, docs: Path) -> Path | None:
        if not self.cache:
            return None
        # Inside docs/: the contract lets a build write nowhere else. MkDocs publishes no
        # dot-folder, and the cache writes only what is new, so `mkdocs serve` does not loop.
        return self.cache_folder or Path(docs) / CACHE_FOLDER


@dataclass(frozen=True)
class BuildReport:
    outline: Outline
    written: WriteReport
    seconds: float
    stage_seconds: tuple[tuple[str, float], ...] = ()
    dossier: Dossier | None = None     # None when the last build was reused: its outline is all that is kept
    kept: bool = False                 # a serving process keeps this build in memory for the next

    def summary(self) -> str:
        o = self.outline
        return (
            f"{len(o.sources)} sources read, {o.skipped} skipped, {o.entities} entities, "
            f"{o.shared_quotes} shared quotations, {o.discrepancies} discrepancies, {len(o.topics)} topics, "
            f"{o.timeline} timeline entries; {self.written.describe()} in {self.seconds:.1f} s"
        )

    def timings(self) -> str:
        return "stage times: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in self.stage_seconds)


def build(sources: Path, docs: Path, site: SiteOptions | None = None, options: BuildOptions | None = None) -> BuildReport:
    """Run every stage on the sources folder and write the generated pages under docs."""
    options, site = options or BuildOptions(), site or SiteOptions()
    started = time.perf_counter()
    clock = _Stopwatch(options.progress)
    with clock("read"):
        raws, skipped = read_sources(sources)
    editorial = (_editorial(sources, GLOSSARY_FILE), _editorial(sources, TOPICS_FILE))
    in_memory = options.serving and len(raws) <= SERVING_IN_MEMORY_SOURCES
    if not in_memory:
        forget_last_build()
    previous = last_build(options.cache_in(docs), docs, raws, skipped, editorial, site)
    preparing = options.preparing and in_memory
    if previous and not preparing and (kept := previous.recall()):
        return _reused(kept, started, clock, in_memory)

    recognizer = cached_recognizer(load_recognizer, options.cache_in(docs), options.workers(), clock.recognised,
                                   in_memory)
    memo = source_memo(options.cache_in(docs), in_memory, filling=preparing)
    with warnings_caught() as warnings, _cycle_collector_paused():
        with clock("clean"):
            articles = clean_sources(raws, memo, options.workers())
        with clock("entities"):
            glossary = find_entities(articles, recognizer, editorial[0], memo)
        with clock("compare"):
            comparison = compare_sources(articles, glossary, memo)
        with clock("topics"):
            topics = find_topics(articles, glossary, comparison, editorial[1], memo)
        with clock("timeline"):
            timeline = build_timeline(articles, glossary, comparison, memo)
        dossier = Dossier(tuple(articles), glossary, comparison, tuple(topics), tuple(timeline), tuple(skipped))

        with clock("render"):    # the pages themselves are rendered as they are written
            files = render_site(dossier, raws, site, options.cache_in(docs), memo)
        with clock("export"):
            files["dossier.json"] = export_dossier(dossier, keep=in_memory)
        with clock("write"):
            written = write_generated(docs, files)
        outline = Outline.of(dossier)
        if in_memory:
            _settle_heap()   # while the collector is still paused: see _settle_heap
    if previous:
        previous.keep(outline, warnings, MANIFEST)
    return BuildReport(outline, written, time.perf_counter() - started, clock.laps(), dossier, in_memory)


def last_build_state() -> dict[str, tuple[object, str, Callable[[], object]]]:
    """Where a serving process keeps its last build for the next: {what: (owner, attribute, a
    maker of its value when nothing is kept)}. The cache's in-memory entries (builder.cache), and
    what each stage keeps in its own module-level state, only when `cache.keeps_last_build`
    says the build may (each checks exactly that what it kept still holds before using it)."""
    from builder import cache, entities, output, render
    from builder.compare import align, claims, discrepancies, quotes, similarity
    from builder.glossary import mentions, typing
    from builder.topics import lexicon, terms

    return {
        "cache entries": (cache._InMemory, "_kept", dict),
        "merge of names": (entities._LastMerge, "merge", _nothing), "spellings": (mentions._Entities, "_last", _nothing),
        "source readings": (entities._LastSources, "sources", dict), "reading sums": (entities._LastSources, "sums", _nothing),
        "aliases": (entities._LastSpellings, "last", dict), "mentions": (mentions._LastMentions, "last", _nothing),
        "searches": (typing._Searched, "_last", dict),
        "near-copies": (similarity, "_kept", _nothing), "quotation groups": (quotes, "_kept_groups", dict),
        "numbered statements": (align, "_kept_numbered", dict), "located facts": (discrepancies, "_kept_located", dict),
        "discrepancy parts": (discrepancies, "_kept_parts", dict),
        "corroboration": (claims, "_kept", _nothing),
        "term tallies": (terms._Tallies, "readings", dict), "term forms": (terms._Tallies, "display", dict),
        "term frequencies": (terms._Tallies, "frequencies", dict), "term numbers": (terms._Tallies, "numbers", dict),
        "numbered readings": (terms._Tallies, "by_number", dict), "paragraph units": (terms._Tallies, "units", dict),
        "word roles": (lexicon._KeptHits, "hits", dict), "nouns": (lexicon._KeptHits, "nouns", Counter),
        "verbs": (lexicon._KeptHits, "verbs", Counter),
        "pair counts": (render._KeptPairCounts, "counts", dict),
        "pair rankings": (render._KeptPairCounts, "rankings", dict),
        "mentions digest": (render._KeptPairCounts, "mentions", bytes),
        "neighbour items": (render._KeptNeighbourItems, "items", dict),
        "neighbour links": (render._KeptNeighbourItems, "links", tuple),
        "paragraph digests": (render._KeptParagraphs, "last", dict),
        "compare sections": (render._KeptSections, "texts", dict), "written texts": (output._KeptText, "last", dict),
    }


def forget_last_build() -> None:
    """Let go of whatever an earlier build of this process kept for the next: a build that keeps
    nothing (the command line, or a preview whose dossier grew past SERVING_IN_MEMORY_SOURCES)
    would otherwise leave it held, a gigabyte at 2,500 sources, for as long as the process runs."""
    for owner, attribute, empty in last_build_state().values():
        setattr(owner, attribute, empty())


def _nothing() -> None:
    return None


def _reused(kept, started: float, clock: _Stopwatch, in_memory: bool) -> BuildReport:
    """The previous build's outline, its warnings said again (so --strict judges it alike)."""
    outline, warnings, files = kept
    log.info("sources, editorial files and builder unchanged since the last build: its %d files are kept", files)
    replay(warnings)
    return BuildReport(outline, WriteReport((), files, (), ()), time.perf_counter() - started, clock.laps(), kept=in_memory)


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """The stages build millions of small records that form no reference cycles; Python's cycle
    collector would walk all of them again and again as they pile up (measured on 1,000 sources:
    compare and topics a third slower). Reference counting still frees what the stages drop;
    the few cycles made meanwhile wait for the collector's next ordinary run. Paused by its
    threshold, not only by gc.disable(): loading the spaCy model re-enables the collector
    (msgpack, which reads the model, switches it off and on again)."""
    was_enabled, thresholds = gc.isenabled(), gc.get_threshold()
    gc.disable()
    gc.set_threshold(_NO_COLLECTION)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if was_enabled:
            gc.enable()
        else:
            gc.disable()


def _settle_heap() -> None:
    """In a serving process, after a build: freeze what the process holds out of the cycle
    collector's reach, and every _FULL_COLLECTION_EVERY builds first collect over everything.

    The kept results are about a million objects at 1,000 sources, and every build adds enough
    new ones that Python's full collection, which walks them all (1.1 s measured), came every
    other build, in this build or in MkDocs' rebuild after it. Frozen, they are walked no more.
    Frozen objects are still freed by reference counting when the next build drops them:
    records form no cycles, and the one cycle a build made that held its results (the render
    stage's view and its template environment) is gone (builder.render holds the view weakly).
    What a build leaves in cycles is therefore small (measured at 1,000 sources: ~500 objects,
    the templates' compiled code) and waits, frozen, for the full collection; the ~200,000
    objects each build adds are not walked once more after every build (0.1-0.25 s measured).

    Called before the stages' pause of the collector ends: un-paused, it would first make a
    collection of its own over everything the build made."""
    if next(_serving_builds) % _FULL_COLLECTION_EVERY == 0:
        gc.unfreeze()
        gc.collect()
    gc.freeze()


def _editorial(sources: Path, name: str) -> Path | None:
    path = sources / name
    return path if path.is_file() else None


class _Stopwatch:
    """Seconds spent in each stage, for the log and the benchmarks; and the progress callback
    told of each stage as it starts."""

    STAGES = ("read", "clean", "entities", "compare", "topics", "timeline", "render", "export", "write")

    def __init__(self, progress: Callable[[str, int, int], None] | None = None) -> None:
        self._laps: list[tuple[str, float]] = []
        self._progress = progress

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        if self._progress:
            self._progress(stage, self.STAGES.index(stage), len(self.STAGES))
        started = time.perf_counter()
        yield
        self._laps.append((stage, time.perf_counter() - started))
        log.debug("%s: %.2f s", stage, self._laps[-1][1])

    def recognised(self, done: int, total: int) -> None:
        if self._progress:
            self._progress("recognising names", done, total)

    def laps(self) -> tuple[tuple[str, float], ...]:
        return tuple(self._laps)
