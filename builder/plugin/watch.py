"""`mkdocs serve` watches docs/ for the user's edits, not for the builder's own writes.

MkDocs watches docs/ and rebuilds at any change in it. The builder writes its pages there during
a build (the plugin's on_pre_build), so every rebuild set off a second one, an echo (0.5 s at
1,000 sources, writing nothing) and a second reload of the browser. `watch_docs` replaces MkDocs'
own watch of docs/ with one that asks for a rebuild unless the builds made the change: a file
the builder wrote still as it left it (same inode, size and modification time), a file it
removed still absent, or its hidden bookkeeping (the manifest, the cache, temporary files).
Anything else (a hand-written page edited, added or removed; a generated page edited by hand)
rebuilds as before.
"""
from __future__ import annotations

import logging
import os
import threading
from typing import Callable, Iterable

import watchdog.events

from builder import paths
from builder.cache import CACHE_FOLDER
from builder.output import MANIFEST, TEMPORARY_PREFIX

log = logging.getLogger("mkdocs.plugins.dossier")

_State = tuple[int, int, int] | None    # (inode, size, mtime in ns); None: absent


class DocsWatch:
    """The filter between docs/ and the server's rebuild. The plugin tells it when a build
    starts and what it wrote when it ends; a change seen while a build runs is judged when it
    ends, against what that build wrote."""

    def __init__(self, docs: str, ask_for_rebuild: Callable[[], None]) -> None:
        self._docs = docs
        self._ask_for_rebuild = ask_for_rebuild
        self._lock = threading.Lock()
        self._left: dict[str, _State] = {}     # docs/-relative path: as the builder left it
        self._building = False
        self._held: list[tuple[str, ...]] = []  # changes seen during a build

    def build_started(self) -> None:
        with self._lock:
            self._building = True

    def build_finished(self, written: Iterable[str], removed: Iterable[str]) -> None:
        """Called whether the build succeeded or not (with nothing written if it failed)."""
        left = {rel: _state(os.path.join(self._docs, rel)) for rel in written}
        left.update((rel, None) for rel in removed)
        with self._lock:
            self._left.update(left)
            self._building = False
            held, self._held = self._held, []
            foreign = [change for change in held if not self._all_own(change)]
        if foreign:
            log.debug("dossier: docs/ changed during the build: %s", foreign[0])
            self._ask_for_rebuild()

    def changed(self, *changed_paths: str) -> None:
        """One file event: its path, and where it moved to if it moved."""
        with self._lock:
            if self._building:
                self._held.append(changed_paths)
                return
            own = self._all_own(changed_paths)
        if not own:
            self._ask_for_rebuild()

    def _all_own(self, changed_paths: tuple[str, ...]) -> bool:
        return all(self._own(path) for path in changed_paths)

    def _own(self, path: str) -> bool:
        rel = os.path.relpath(path, self._docs).replace(os.sep, "/")
        if rel.startswith("../"):
            return False
        if _bookkeeping(rel):
            return True
        return rel in self._left and _state(path) == self._left[rel]


def watch_docs(server, docs_dir: str) -> DocsWatch | None:
    """Replace the server's watch of docs_dir with a DocsWatch on the server's own observer;
    None (MkDocs' watch kept, echo and all) if this MkDocs cannot be asked for a rebuild."""
    if not _can_ask_for_rebuild(server):
        log.info("dossier: this MkDocs version's server has no known way to ask for a rebuild: "
                 "each rebuild will be followed by a second one")
        return None
    docs = os.path.abspath(docs_dir)
    watch = DocsWatch(docs, lambda: _ask_for_rebuild(server))
    server.unwatch(docs)   # first: unscheduling a path drops every handler on it
    server.observer.schedule(_Handler(watch), docs, recursive=True)
    # MkDocs' "Watching paths for changes" line no longer names docs/: this says it still is.
    shown = os.path.relpath(docs) if not os.path.relpath(docs).startswith("..") else docs
    log.info("dossier: watching '%s' for edits, leaving out the builder's own writes", shown)
    return watch


class _Handler(watchdog.events.FileSystemEventHandler):
    def __init__(self, watch: DocsWatch) -> None:
        self._watch = watch

    def on_any_event(self, event) -> None:
        if event.is_directory:   # as MkDocs' own handler: a folder changes when its files do
            return
        if event.event_type in ("opened", "closed", "closed_no_write"):
            return               # reads (inotify observers only): nothing changed
        dest = getattr(event, "dest_path", "")
        self._watch.changed(*(p for p in (os.fsdecode(event.src_path), os.fsdecode(dest)) if p))


def _bookkeeping(rel: str) -> bool:
    """The builder's hidden files, which MkDocs never publishes: the manifest, the cache, and
    a file being written under a temporary name (moved onto its target, it is judged there)."""
    top, _, rest = rel.partition("/")
    if rel == MANIFEST or top == CACHE_FOLDER:
        return True
    name = rel.rpartition("/")[2]
    return name.startswith(TEMPORARY_PREFIX) and (not rest or top in paths.OWNED_FOLDERS)


def _state(path: str) -> _State:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_ino, found.st_size, found.st_mtime_ns


# MkDocs (1.6) has no public way to ask its LiveReloadServer for a rebuild: the two functions
# below do what the callback of its own `watch()` does (mkdocs/livereload/__init__.py), and are
# the only use of its private attributes. tests/test_serve_echo.py fails if MkDocs changes them.
_SERVER_PRIVATES = ("_rebuild_cond", "_want_rebuild")


def _can_ask_for_rebuild(server) -> bool:
    return all(hasattr(server, name) for name in _SERVER_PRIVATES) and hasattr(server, "observer")


def _ask_for_rebuild(server) -> None:
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()
