"""The command line, exactly as CONTRACT.md fixes it:

    python -m builder build --sources DIR --docs DIR [--strict] [--quiet]

plus options that change how fast, never what: `--jobs N` (recognition workers, default one per
core) and `--no-cache` (ignore and leave alone `.dossier-cache/`). On a terminal, a build of many
sources shows a progress bar on stderr while the model reads them.

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
from builder.errors import DossierError, one_line

log = logging.getLogger("builder")

# About ten seconds of recognition on one core: below that a bar only flickers.
_PROGRESS_MIN_PARAGRAPHS = 2000


class _OneLineFormatter(logging.Formatter):
    def formatMessage(self, record: logging.LogRecord) -> str:
        return one_line(super().formatMessage(record))


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class _ProgressBar:
    """A tqdm bar on stderr while paragraphs are recognised, only on a terminal and only when
    there are enough of them for the wait to be noticeable."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._bar = None

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total < _PROGRESS_MIN_PARAGRAPHS:
            return
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="paragraph", desc="recognising names", file=sys.stderr, leave=False)
        self._bar.update(done - self._bar.n)

    def __enter__(self) -> "_ProgressBar":
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.close()


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes, 1 or more, got {text}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dossier", description="Build a research-dossier site from a folder of sources.")
    parser.add_argument("--version", action="version", version=f"dossier {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="read the sources and write the generated pages and dossier.json")
    build.add_argument("--sources", type=Path, default=Path("sources"), help="folder of raw sources (default: sources)")
    build.add_argument("--docs", type=Path, default=Path("docs"), help="MkDocs docs folder to write into (default: docs)")
    build.add_argument("--strict", action="store_true", help="exit 1 when any warning was logged")
    build.add_argument("--quiet", action="store_true", help="log only warnings and errors")
    build.add_argument("--jobs", type=_positive, default=None, metavar="N",
                       help="worker processes for entity recognition (default: one per core)")
    build.add_argument("--no-cache", dest="cache", action="store_false",
                       help="recognise every paragraph afresh; do not read or write DOCS/.dossier-cache/")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLineFormatter("%(levelname)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, handlers=[handler])
    counter = _WarningCounter()
    log.addHandler(counter)
    try:
        if not args.sources.is_dir():
            raise DossierError(f"{args.sources}: no such folder; pass the folder of sources with --sources DIR")
        from builder.pipeline import BuildOptions, build   # heavy imports only once the arguments are good

        with _ProgressBar(enabled=not args.quiet) as bar:
            report = build(args.sources, args.docs, options=BuildOptions(jobs=args.jobs, cache=args.cache, progress=bar.update))
    except DossierError as error:
        log.error("%s", error)
        return 1
    except KeyboardInterrupt:
        log.error("interrupted; the previous site is left as it was")
        return 130
    finally:
        log.removeHandler(counter)
    log.info("%s", report.timings())
    log.info("%s", report.summary())
    if args.strict and counter.count:
        log.error("--strict: %d warning%s", counter.count, "s" if counter.count != 1 else "")
        return 1
    return 0
