"""The whole build, read top to bottom: first gather everything, then write.

Each stage is one module with one public function; they pass frozen records
(`builder.model`) and never touch the disk, except `read` (the sources) and `output`
(the generated files), so a build interrupted before the last step leaves the site as it was.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from builder.clean import clean_sources
from builder.compare import compare_sources
from builder.entities import find_entities
from builder.export import export_dossier
from builder.model import Dossier
from builder.nlp import load_recognizer
from builder.output import WriteReport, write_generated
from builder.read import read_sources
from builder.render import SiteOptions, render_site
from builder.timeline import build_timeline
from builder.topics import find_topics

log = logging.getLogger(__name__)

GLOSSARY_FILE = "glossary.yml"   # editorial corrections to the glossary, beside the sources
TOPICS_FILE = "topics.yml"       # editorial corrections to the topics


@dataclass(frozen=True)
class BuildReport:
    dossier: Dossier
    written: WriteReport
    seconds: float

    def summary(self) -> str:
        d = self.dossier
        shared = sum(1 for q in d.comparison.quotes if len(q.sources) > 1)
        return (
            f"{len(d.articles)} sources read, {len(d.skipped)} skipped, "
            f"{len(d.glossary.entities)} entities, {shared} shared quotations, "
            f"{len(d.comparison.discrepancies)} discrepancies, {len(d.topics)} topics, "
            f"{len(d.timeline)} timeline entries; {self.written.describe()} in {self.seconds:.1f} s"
        )


def build(sources: Path, docs: Path, site: SiteOptions | None = None) -> BuildReport:
    """Run every stage on the sources folder and write the generated pages under docs."""
    started = time.perf_counter()
    raws, skipped = read_sources(sources)
    articles = clean_sources(raws)
    glossary = find_entities(articles, load_recognizer(), _editorial(sources, GLOSSARY_FILE))
    comparison = compare_sources(articles, glossary)
    topics = find_topics(articles, glossary, comparison, _editorial(sources, TOPICS_FILE))
    timeline = build_timeline(articles, glossary)
    dossier = Dossier(tuple(articles), glossary, comparison, tuple(topics), tuple(timeline), tuple(skipped))

    files = render_site(dossier, raws, site or SiteOptions())
    files["dossier.json"] = export_dossier(dossier)
    written = write_generated(docs, files)
    return BuildReport(dossier, written, time.perf_counter() - started)


def _editorial(sources: Path, name: str) -> Path | None:
    path = sources / name
    return path if path.is_file() else None
