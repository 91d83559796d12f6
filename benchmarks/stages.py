"""Time and memory of each stage on its own, to see which one grows faster than the sources.

    python -m benchmarks.stages SOURCES_DIR [--cache DIR] [--limit-seconds 900] [--skip topics]

Runs the pipeline's stages in this process, one after the other, and prints for each the
seconds it took and how much the process's peak memory grew. Recognition answers come from
the cache (default: `docs/.dossier-cache` beside the sources folder, where a build of the
benchmark's project keeps it; build once first, or the entities stage includes the model's time). A stage still running after --limit-seconds is reported as such and the run
stops there: at 10,000 sources a quadratic stage would otherwise run for hours. A skipped
stage (--skip) gives an empty result, so the later stages can still be measured.
"""
from __future__ import annotations

import argparse
import os
import resource
import signal
import time
from pathlib import Path

from builder.cache import CACHE_FOLDER, cached_recognizer
from builder.clean import clean_sources
from builder.compare import compare_sources
from builder.entities import find_entities
from builder.export import export_dossier
from builder.model import Dossier
from builder.nlp import load_recognizer
from builder.read import read_sources
from builder.render import SiteOptions, render_site
from builder.timeline import build_timeline
from builder.topics import find_topics


class _TooLong(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", type=Path)
    parser.add_argument("--cache", type=Path, default=None, help="recognition cache folder")
    parser.add_argument("--limit-seconds", type=int, default=900)
    parser.add_argument("--skip", default="", help="comma-separated stages to replace by an empty result")
    args = parser.parse_args(argv)
    sources = args.sources
    cache = args.cache or sources.resolve().parent / "docs" / CACHE_FOLDER
    recognizer = cached_recognizer(load_recognizer, cache, jobs=os.cpu_count() or 1)
    state: dict = {}
    steps = (
        ("read", lambda: state.update(zip(("raws", "skipped"), read_sources(sources)))),
        ("clean", lambda: state.update(articles=clean_sources(state["raws"]))),
        ("entities", lambda: state.update(glossary=find_entities(state["articles"], recognizer))),
        ("compare", lambda: state.update(comparison=compare_sources(state["articles"], state["glossary"]))),
        ("topics", lambda: state.update(topics=find_topics(state["articles"], state["glossary"], state["comparison"]))),
        ("timeline", lambda: state.update(timeline=build_timeline(state["articles"], state["glossary"], state["comparison"]))),
        # dict(): the pages are rendered when read (the build renders each as it writes it)
        ("render", lambda: state.update(files=dict(render_site(_dossier(state), state["raws"], SiteOptions())))),
        ("export", lambda: state.update(json=export_dossier(_dossier(state)))),
    )
    signal.signal(signal.SIGALRM, _alarm)
    print(f"| stage | seconds | peak memory after |\n|---|---:|---:|  ({len(list(sources.iterdir()))} files)", flush=True)
    skipped = set(filter(None, args.skip.split(",")))
    state.update(topics=(), timeline=())
    for name, step in steps:
        if name in skipped:
            print(f"| {name} | skipped | |", flush=True)
            continue
        started = time.perf_counter()
        signal.alarm(args.limit_seconds)
        try:
            step()
        except _TooLong:
            print(f"| {name} | > {args.limit_seconds} (stopped) | {_peak_mb():,.0f} MB |", flush=True)
            return 1
        finally:
            signal.alarm(0)
        print(f"| {name} | {time.perf_counter() - started:.2f} | {_peak_mb():,.0f} MB |", flush=True)
    return 0


def _dossier(state: dict) -> Dossier:
    return Dossier(tuple(state["articles"]), state["glossary"], state["comparison"], tuple(state["topics"]),
                   tuple(state["timeline"]), tuple(state["skipped"]))


def _alarm(signum, frame):
    raise _TooLong()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    raise SystemExit(main())
