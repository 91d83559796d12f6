"""The command line, exactly as CONTRACT.md fixes it:

    python -m builder build --sources DIR --docs DIR [--strict] [--quiet]

plus options that change how fast, never what: `--jobs N` (recognition workers, default one per
core), `--no-cache` (ignore and leave alone `.dossier-cache/`) and `--server [MINUTES]` (build in
a process that stays running for the next build; see builder/server.py; `dossier stop-server`
ends it). On a terminal, a build of many sources shows a progress bar on stderr: the stage it is
in, and the paragraphs recognised.

This is the boundary where a `DossierError` becomes a one-line error and exit 1; every
warning the stages log (a skipped file, a malformed sidecar) is counted, and `--strict`
turns any of them into exit 1 for CI.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from builder import __version__
from builder.errors import DossierError, one_line
from builder.server import DEFAULT_IDLE_MINUTES

log = logging.getLogger("builder")

# A build of this many sources takes a minute or more: worth a bar. Below, it would only flicker.
_PROGRESS_MIN_FILES = 200


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
    """On a terminal and for many sources, a tqdm bar on stderr: one over the stages, and one
    over the paragraphs while names are recognised (the long wait of a first build). Log lines
    go through tqdm meanwhile, so they do not tear the bar."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar = None
        self._what = self._description = ""
        self._redirect = None

    def update(self, what: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        kind = "paragraphs" if what == "recognising names" else "stages"
        if self._bar is None or kind != self._what:
            self._close_bar()
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit=kind[:-1], file=sys.stderr, leave=False, dynamic_ncols=True)
            self._what, self._description = kind, ""
        self._bar.update(done - self._bar.n)
        description = what if kind == "paragraphs" else f"building: {what}"
        if description != self._description:
            self._bar.set_description(description)   # drawn at once: a new stage is news
            self._description = description

    def __enter__(self) -> "_ProgressBar":
        if self.enabled:
            from tqdm.contrib.logging import logging_redirect_tqdm

            self._redirect = logging_redirect_tqdm(loggers=[logging.getLogger()])
            self._redirect.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._close_bar()
        if self._redirect is not None:
            self._redirect.__exit__(*exc)

    def _close_bar(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _many_sources(folder: Path) -> bool:
    """Enough files for a build to take a while; counting stops at the threshold."""
    count = 0
    for _root, _dirs, files in os.walk(folder):
        count += len(files)
        if count >= _PROGRESS_MIN_FILES:
            return True
    return False


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes, 1 or more, got {text}")
    return value


def _minutes(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected minutes, more than 0, got {text}")
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
    build.add_argument("--server", type=_minutes, nargs="?", const=DEFAULT_IDLE_MINUTES, default=None, metavar="MINUTES",
                       help="build in a process that stays running, holding this build for the next --server build "
                            f"of the same docs folder; it exits after MINUTES idle (default {DEFAULT_IDLE_MINUTES:g})")
    stop = commands.add_parser("stop-server", help="stop the build server of a docs folder (see build --server)")
    stop.add_argument("--docs", type=Path, default=Path("docs"), help="its MkDocs docs folder (default: docs)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLineFormatter("%(levelname)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING if getattr(args, "quiet", False) else logging.INFO, handlers=[handler])
    if args.command == "stop-server":
        return _stop_server(args.docs)
    counter = _WarningCounter()
    log.addHandler(counter)
    try:
        if not args.sources.is_dir():
            raise DossierError(f"{args.sources}: no such folder; pass the folder of sources with --sources DIR")
        if args.server is not None and not args.cache:
            raise DossierError("--server keeps the last build for the next, --no-cache keeps nothing: pass one of them")
        with _ProgressBar(enabled=not args.quiet and sys.stderr.isatty() and _many_sources(args.sources)) as bar:
            report = _build(args, bar.update if bar.enabled else None)
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


def _build(args: argparse.Namespace, progress):
    if args.server is not None:
        from builder.server import ServerUnavailable, build_on_server

        try:
            report = build_on_server(args.sources, args.docs, args.jobs, args.server, progress)
            log.info("built by the build server (pid %d), which now waits for the next build; "
                     "stop it with: python -m builder stop-server --docs %s", report.server_pid, args.docs)
            return report
        except ServerUnavailable as error:
            log.warning("%s; building in this process instead", error)
    from builder.pipeline import BuildOptions, build   # heavy imports only once the arguments are good

    return build(args.sources, args.docs, options=BuildOptions(jobs=args.jobs, cache=args.cache, progress=progress))


def _stop_server(docs: Path) -> int:
    from builder.server import stop_server

    pid = stop_server(docs)
    log.info("%s", f"stopped the build server of {docs} (pid {pid})" if pid else f"no build server runs for {docs}")
    return 0
