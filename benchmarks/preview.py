"""The rebuild a reader of `mkdocs serve` waits for: one process builds again and again.

    python -m benchmarks.preview --sources S --docs D

`mkdocs serve` runs the builder (through the plugin) in one long-lived process, so Python's
start-up, the imports and loading the spaCy model are paid once, not at every edit. This
builds once, then changes one source and builds twice more (the first of those loads the model
for the new paragraph, as the first edit of a preview session does), and reports the last one:
the steady state of editing a source while the preview runs. MkDocs' own rebuild of the site
comes on top (see `--dirty` in the README).
"""
from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from benchmarks.generate import change_one_source
from builder.pipeline import BuildOptions, build

RESULT = "preview rebuild: {seconds:.2f} s"
SERVING = BuildOptions(serving=True)    # as the plugin under `mkdocs serve`


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("--docs", type=Path, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    build(args.sources, args.docs, options=SERVING)
    for edit in ("first", "second"):
        seconds, timings = _edit_and_build(args.sources, args.docs, edit)
    print(RESULT.format(seconds=seconds))
    print(f"INFO: {timings}")
    return 0


def _edit_and_build(sources: Path, docs: Path, edit: str) -> tuple[float, str]:
    """Only figures come back: like the plugin, which keeps no dossier between two builds, the
    previous dossier is gone before the next build starts."""
    change_one_source(sources, stamp=f"(preview {edit} edit {time.time_ns()})")
    report = build(sources, docs, options=SERVING)
    return report.seconds, report.timings()


if __name__ == "__main__":
    raise SystemExit(main())
