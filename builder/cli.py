"""The command line, exactly as CONTRACT.md fixes it:

    python -m builder build --sources DIR --docs DIR [--strict] [--quiet]

This is the boundary where a `DossierError` becomes a one-line error and exit 1; every
warning the stages log (a skipped file, a malformed sidecar) is counted, and `--strict`
turns any of them into exit 1 for CI.
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from builder import __version__
from builder.errors import DossierError

log = logging.getLogger("builder")


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dossier", description="Build a research-dossier site from a folder of sources.")
    parser.add_argument("--version", action="version", version=f"dossier {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="read the sources and write the generated pages and dossier.json")
    build.add_argument("--sources", type=Path, default=Path("sources"), help="folder of raw sources (default: sources)")
    build.add_argument("--docs", type=Path, default=Path("docs"), help="MkDocs docs folder to write into (default: docs)")
    build.add_argument("--strict", action="store_true", help="exit 1 when any warning was logged")
    build.add_argument("--quiet", action="store_true", help="log only warnings and errors")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    counter = _WarningCounter()
    log.addHandler(counter)
    try:
        if not args.sources.is_dir():
            raise DossierError(f"{args.sources}: no such folder; pass the folder of sources with --sources DIR")
        from builder.pipeline import build   # heavy imports (spaCy) only once the arguments are good

        report = build(args.sources, args.docs)
    except DossierError as error:
        log.error("%s", error)
        return 1
    except KeyboardInterrupt:
        log.error("interrupted; the previous site is left as it was")
        return 130
    finally:
        log.removeHandler(counter)
    log.info("%s", report.summary())
    if args.strict and counter.count:
        log.error("--strict: %d warning%s", counter.count, "s" if counter.count != 1 else "")
        return 1
    return 0
