"""Writing the generated files into docs/ without ever harming a file the builder did not write.

- Only paths inside the builder's own folders (`paths.OWNED_FOLDERS`) and `dossier.json`.
- A manifest (`docs/.dossier-manifest.json`) records every file the builder wrote and its
  hash. A file that is in the way but not in the manifest is the user's: it is left alone,
  with a warning. A generated file that is no longer produced is deleted only if it still
  has the content the builder gave it.
- A file whose content did not change is not touched, so `mkdocs serve`, which watches
  docs/, does not rebuild in a loop.
- Each file is written to a temporary name beside it and moved into place, so no reader
  ever sees half a page; the manifest is written before (listing old and new files) and
  after the files, so a build interrupted halfway still owns everything it wrote.
"""
from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import stat
import tempfile
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from builder import __version__
from builder.cache import keeps_last_build, no_memo
from builder.errors import DossierError
from builder.paths import DOSSIER_JSON, OWNED_FOLDERS

log = logging.getLogger(__name__)

MANIFEST = ".dossier-manifest.json"
TEMPORARY_PREFIX = ".tmp-"   # a file being written beside its target, then moved onto it
# The names `tempfile.mkstemp(prefix=TEMPORARY_PREFIX)` gives: a build killed between writing a
# temporary file and moving it into place leaves one behind, and only names of exactly this shape
# are removed by the next build (in the builder's folders, or a .json beside the manifest).
_STALE_TEMPORARY = re.compile(re.escape(TEMPORARY_PREFIX) + r"[a-z0-9_]{8}(\.[A-Za-z0-9]+)?")


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    unchanged: int
    deleted: tuple[str, ...]
    left_alone: tuple[str, ...]   # user files in the way, or generated files the user edited

    def describe(self) -> str:
        return f"{len(self.written)} files written, {self.unchanged} unchanged, {len(self.deleted)} removed"


def write_generated(docs: Path, files: MutableMapping[str, str | bytes]) -> WriteReport:
    """Make docs/ hold exactly `files` in the builder's folders, touching nothing else.

    `files` is emptied as it is read: each page is let go once it is staged, so a dossier's pages
    are never held twice (as text and as bytes), nor all at once when `files` renders each page
    as it is read (`render.Pages`); at 10,000 sources they are about a gigabyte.

    When `files` also says what some pages depend on (`content_keys()`, and the `memo` to keep
    their digests in: render.Pages), a page whose key the memo knows is not even rendered when
    docs/ still holds the content the memo has the digest of (the manifest's hash and the file's
    size, the same proof an unchanged page is given)."""
    for rel in files:
        _check_owned(rel)
    docs.mkdir(parents=True, exist_ok=True)
    previous = _read_manifest(docs)
    _remove_stale_temporaries(docs)

    # Two phases, so a build interrupted while writing leaves the previous site as it was:
    # every changed file is first written whole under a temporary name beside its target
    # (the slow part), and only then are they all moved into place, one rename each.
    stage = _Staging(docs, previous)
    try:
        keys = files.content_keys() if hasattr(files, "content_keys") else {}
        if keys:
            _stage_keyed(stage, files, keys)
        _stage_plain(stage, files, keeps_last_build(getattr(files, "memo", no_memo)))
    except BaseException:
        stage.discard()
        raise
    for rel in sorted(stage.in_the_way):
        log.warning("docs/%s: not written: a file the builder did not generate is in its place; "
                    "move it out of the builder's folder", rel)
    hashes, left_alone = stage.hashes, sorted(stage.in_the_way)
    staged = sorted(stage.staged)

    # Write-ahead: claim every new path before the first one appears.
    claimed = {**previous, **{rel: h for rel, h in hashes.items() if rel not in previous}}
    if claimed != previous:
        _write_manifest(docs, claimed)
    for rel, temporary in staged:
        target = docs / rel
        if target.is_symlink():
            target.unlink()   # never write through a link to somewhere else
        os.replace(temporary, target)
    written = [rel for rel, _ in staged]

    deleted = []
    for rel in sorted(set(previous) - set(hashes)):
        target = docs / rel
        if not target.is_file() or target.is_symlink():
            continue
        if _sha256(target.read_bytes()) != previous[rel]:
            log.warning("docs/%s: kept: no longer generated, but edited since the builder wrote it", rel)
            left_alone.append(rel)
            continue
        target.unlink()
        deleted.append(rel)
    _remove_empty_folders(docs)

    final = {rel: h for rel, h in hashes.items() if rel not in left_alone}
    final.update({rel: previous[rel] for rel in left_alone if rel in previous})
    if final != previous or not (docs / MANIFEST).exists():
        _write_manifest(docs, final)   # untouched when nothing changed: `mkdocs serve` watches docs/
    return WriteReport(tuple(written), stage.unchanged, tuple(deleted), tuple(sorted(left_alone)))


class _Staging:
    """The first phase: each file compared with what docs/ holds, and written beside its
    target under a temporary name when it changed."""

    def __init__(self, docs: Path, previous: dict[str, str]) -> None:
        self.docs = docs
        self.root = os.path.join(docs, "")   # docs/ and a separator: a page's path is added to it (thousands)
        self.previous = previous
        self.hashes: dict[str, str] = {}
        self.staged: list[tuple[str, Path]] = []
        self.in_the_way: list[str] = []    # user files where a generated one would go (warned of by the caller)
        self.unchanged = 0

    def add(self, rel: str, data: str | bytes) -> tuple[str, int]:
        """Stage one file unless docs/ already holds it; its (sha256, size)."""
        content = data.encode("utf-8") if isinstance(data, str) else data
        del data
        digest = self.hashes[rel] = _sha256(content)
        found = _lstat(self.root + rel)   # one look at what is there (a link is not followed)
        if found is not None:
            if rel not in self.previous:
                self.in_the_way.append(rel)
                return digest, len(content)
            if self.previous[rel] == digest and _same_file(found, len(content)):
                self.unchanged += 1
                return digest, len(content)
        self.staged.append((rel, _temporary_beside(self.docs / rel, content)))
        return digest, len(content)

    def known(self, rel: str, digest: str, size: int) -> bool:
        """Whether docs/ holds the file of this digest and size as the builder left it (then it
        counts as unchanged)."""
        if self.previous.get(rel) != digest:
            return False
        found = _lstat(self.root + rel)
        if found is None or not _same_file(found, size):
            return False
        self.hashes[rel] = digest
        self.unchanged += 1
        return True

    def discard(self) -> None:
        for _, temporary in self.staged:
            temporary.unlink(missing_ok=True)


def _stage_keyed(stage: _Staging, files, keys: dict[str, str]) -> None:
    """The pages that say what they depend on: those the memo knows and docs/ holds are left as
    they are, unread; the others are read (rendered) and staged, and their digests kept."""
    rels = sorted(keys)
    read: set[str] = set()

    def read_and_stage(index: int) -> tuple[str, int]:
        read.add(rels[index])
        return stage.add(rels[index], files.pop(rels[index]))

    # The memo computes (stages) the pages it does not know, one at a time, in order.
    known = files.memo("page", [keys[rel] for rel in rels], read_and_stage)
    for rel, (digest, size) in zip(rels, known):
        if rel in read:
            continue
        if stage.known(rel, digest, size):
            del files[rel]
        else:                             # known, but docs/ does not hold it (deleted, edited): write it
            stage.add(rel, files.pop(rel))


class _KeptText:
    """A serving process's last build's plain text files (the raw copies): {path: (text, sha256,
    size of its UTF-8)}. A text equal to the last one (one memcmp) has its digest and size
    without being encoded and hashed again: a thousand unchanged raw copies on each rebuild."""

    last: dict[str, tuple[str, str, int]] = {}


def _stage_plain(stage: _Staging, files, keeping: bool) -> None:
    """The files without a key, in order; a text the last build wrote is taken as known when it
    is equal to it and docs/ still holds it as written."""
    last, kept = _KeptText.last, {}
    _KeptText.last = {}               # let go while this build stages (a failed build keeps nothing)
    for rel in sorted(files):
        data = files.pop(rel)
        if not keeping or not isinstance(data, str):
            stage.add(rel, data)
            continue
        before = last.get(rel)
        if before is not None and before[0] == data and stage.known(rel, before[1], before[2]):
            kept[rel] = before
        else:
            kept[rel] = (data, *stage.add(rel, data))
    _KeptText.last = kept


def _check_owned(rel: str) -> None:
    segments = rel.split("/")
    if len(segments) > 1 and segments[0] in OWNED_FOLDERS and all(segments) and "." not in segments \
            and ".." not in segments:
        return   # plainly inside (the parts PurePosixPath finds, without its parsing: thousands of pages)
    parts = PurePosixPath(rel).parts
    inside = rel == DOSSIER_JSON or (len(parts) > 1 and parts[0] in OWNED_FOLDERS)
    if not inside or ".." in parts or rel.startswith("/"):
        raise DossierError(f"internal error: refusing to write {rel!r} outside the builder's folders")


def _read_manifest(docs: Path) -> dict[str, str]:
    path = docs / MANIFEST
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        return {str(k): str(v) for k, v in files.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise DossierError(
            f"docs/{MANIFEST}: unreadable ({error}); it lists the files the builder generated. "
            "Delete it and the builder's folders in docs/ to start afresh."
        ) from error


def _write_manifest(docs: Path, files: dict[str, str]) -> None:
    data = {"builder": __version__, "files": dict(sorted(files.items()))}
    _atomic_write(docs / MANIFEST, (json.dumps(data, indent=1) + "\n").encode("utf-8"))


def _temporary_beside(target: Path, data: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=TEMPORARY_PREFIX, suffix=target.suffix)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _atomic_write(target: Path, data: bytes) -> None:
    temporary = _temporary_beside(target, data)
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _remove_stale_temporaries(docs: Path) -> None:
    candidates = [p for p in docs.glob(f"{TEMPORARY_PREFIX}*.json")]
    for folder in OWNED_FOLDERS:
        if (docs / folder).is_dir() and not (docs / folder).is_symlink():
            candidates += (docs / folder).rglob(f"{TEMPORARY_PREFIX}*")
    for path in sorted(candidates):
        if _STALE_TEMPORARY.fullmatch(path.name) and path.is_file() and not path.is_symlink():
            path.unlink()


def _lstat(path: str) -> os.stat_result | None:
    """What is at the path, a link itself rather than what it points to; None when nothing is
    (the errors Path.exists and Path.is_symlink read as "not there")."""
    try:
        return os.lstat(path)
    except OSError as error:
        if error.errno in _NOT_THERE:
            return None
        raise


_NOT_THERE = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)


def _same_file(found: os.stat_result, size: int) -> bool:
    """A regular file (not a link) of the data's size: the manifest's hash vouches for the rest."""
    return stat.S_ISREG(found.st_mode) and found.st_size == size


def _remove_empty_folders(docs: Path) -> None:
    for folder in OWNED_FOLDERS:
        root = docs / folder
        if not root.is_dir() or root.is_symlink():
            continue
        # Deepest first, so a folder emptied by removing its empty subfolders goes too; os.walk
        # lists each folder once and, like the glob it replaced, enters no linked folder.
        for path, _, _ in os.walk(root, topdown=False):
            if path != str(root) and not _has_entries(path):
                os.rmdir(path)
        if not any(root.iterdir()):
            root.rmdir()


def _has_entries(folder: str) -> bool:
    with os.scandir(folder) as entries:
        return next(entries, None) is not None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
