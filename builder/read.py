"""Read stage: turn the files of the sources folder into decoded `RawSource` records.

Only `read_sources` is public. Everything that cannot be read is skipped with one WARNING
naming the file and the reason, and returned in `skipped` so the site can list it too.
"""
from __future__ import annotations

import codecs
import datetime as _dt
import hashlib
import logging
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


from builder.cleaning.dates import parse_date
from builder.errors import DossierError
from builder.model import Metadata, RawSource
from builder.yaml_safe import load_yaml

log = logging.getLogger(__name__)

# Extension -> kind of source. Anything else is skipped as "unsupported".
_KINDS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
_SIDECAR_EXTENSIONS = (".yml", ".yaml")
# Editorial files other stages read; they sit at the top of the folder and are not sources.
_EDITORIAL_FILES = frozenset({"glossary.yml", "glossary.yaml", "topics.yml", "topics.yaml"})
# Per-file cap. A scraped article is a few tens of kB; 5 MB leaves room for huge pages while
# keeping memory bounded and every later stage fast even on a file of one enormous line.
MAX_BYTES = 5 * 1024 * 1024
# Text and Markdown files are the article itself. Past this many characters (~50,000 words,
# several times the longest feature) a "source" is a dump, and the later stages, which cost
# about 10 s per 100,000 characters (recognition, timeline, topics), would hold the build up for
# many minutes. HTML keeps only the byte cap: its markup shrinks to a fraction once reduced to text.
MAX_TEXT_CHARS = 300_000
# Share of control characters (besides tab/newline) above which decoded "text" is really binary.
_MAX_CONTROL_SHARE = 0.01
# UTF-16 without a BOM is recognised by its shape: text puts NULs in the high byte of every
# ASCII character (spaces and punctuation at least, ~15% of units even in Cyrillic or Greek)
# and almost never in the low byte; binary data scatters NULs over both. Below these shares
# bytes with NULs are binary.
_MIN_HIGH_NUL_SHARE = 0.1
_MIN_NUL_CONCENTRATION = 0.95
_METADATA_FIELDS = ("title", "outlet", "url", "date", "author", "language")
_FIELD_ALIASES = {"site": "outlet", "site_name": "outlet", "source": "outlet", "publisher": "outlet",
                  "link": "url", "published": "date", "pubdate": "date", "lang": "language", "by": "author"}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_ID_FALLBACK_LENGTH = 8
# Metadata blocks whose parsed YAML a process keeps (_parsed_yaml): every front matter and sidecar of
# a 10,000-source dossier, a few hundred bytes each.
_PARSED_YAML_KEPT = 20_000


@dataclass(frozen=True)
class _Candidate:
    path: Path
    rel: str          # POSIX path relative to the folder


def read_sources(folder: Path) -> tuple[tuple[RawSource, ...], tuple[tuple[str, str], ...]]:
    """(sources sorted by id, skipped as (relative path, reason) sorted by path)."""
    folder = Path(folder)
    root = folder.resolve()
    skipped: list[tuple[str, str]] = []
    sources_found, sidecars = _walk(folder, root, skipped)
    used_sidecars: set[str] = set()
    seen_sha: dict[str, str] = {}
    taken_ids: set[str] = set()
    sources: list[RawSource] = []
    for cand in sources_found:
        raw = _read_one(cand, sidecars, used_sidecars, seen_sha, skipped)
        if raw is None:
            continue
        ident = _unique_id(_slug(cand.rel, raw.sha256), taken_ids)
        taken_ids.add(ident)
        sources.append(RawSource(id=ident, path=raw.path, sha256=raw.sha256, kind=raw.kind, text=raw.text,
                                 encoding=raw.encoding, metadata=raw.metadata))
    for rel in sorted(set(sidecars) - used_sidecars):
        _skip(skipped, rel, "metadata file without a matching source")
    return tuple(sorted(sources, key=lambda s: s.id)), tuple(sorted(skipped))


# --- walking ---------------------------------------------------------------------------

def _walk(folder: Path, root: Path, skipped: list) -> tuple[list[_Candidate], dict[str, Path]]:
    """Every candidate source (sorted by path) and every sidecar keyed by its relative path."""
    sources: list[_Candidate] = []
    sidecars: dict[str, Path] = {}
    visited_dirs = {root}
    pending = [(folder, "")]
    while pending:
        directory, prefix = pending.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            _skip(skipped, prefix.rstrip("/") or ".", f"unreadable folder ({_os_reason(exc)})")
            continue
        for entry in entries:
            rel = prefix + entry.name
            if _ignored_silently(entry.name, rel):
                continue
            path = Path(entry.path)
            if entry.is_symlink() and not _inside(path, root):
                _skip(skipped, rel, _bad_symlink_reason(path))
                continue
            if entry.is_dir():
                real = path.resolve()
                if real not in visited_dirs:      # a symlinked folder must not loop us
                    visited_dirs.add(real)
                    pending.append((path, rel + "/"))
                continue
            if not entry.is_file():
                _skip(skipped, rel, "not a regular file")
                continue
            suffix = Path(entry.name).suffix.lower()
            if suffix in _SIDECAR_EXTENSIONS:
                sidecars[rel] = path
            elif suffix in _KINDS:
                sources.append(_Candidate(path, rel))
            else:
                _skip(skipped, rel, f"unsupported file type ({suffix or 'no extension'})")
    return sorted(sources, key=lambda c: c.rel), sidecars


def _ignored_silently(name: str, rel: str) -> bool:
    """Hidden files, editor backups and the editorial files are not sources, and not news."""
    if name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#")):
        return True
    return "/" not in rel and name.lower() in _EDITORIAL_FILES


def _bad_symlink_reason(path: Path) -> str:
    try:
        path.resolve(strict=True)
    except (OSError, RuntimeError):     # a missing target, or a link that leads back to itself
        return "broken symlink (its target does not exist or loops)"
    return "symlink pointing outside the sources folder"


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):   # outside, broken or a symlink loop
        return False
    return True


# --- one file --------------------------------------------------------------------------

def _read_one(cand: _Candidate, sidecars: dict[str, Path], used_sidecars: set[str],
              seen_sha: dict[str, str], skipped: list) -> RawSource | None:
    try:
        with open(cand.path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        _skip(skipped, cand.rel, f"unreadable ({_os_reason(exc)})")
        return None
    sha = hashlib.sha256(data).hexdigest()
    over_byte_cap = len(data) > MAX_BYTES
    if over_byte_cap:
        sha = _full_sha256(cand.path) or sha
        data = data[:MAX_BYTES]
    if sha in seen_sha:
        _skip(skipped, cand.rel, f"duplicate of {seen_sha[sha]}")
        return None
    seen_sha[sha] = cand.rel
    decoded = _decode(data)
    if decoded is None:
        _skip(skipped, cand.rel, "not text (binary)")
        return None
    text, encoding = decoded
    text = _normalise_newlines(text)
    kind = _KINDS[Path(cand.rel).suffix.lower()]
    if kind != "html" and len(text) > MAX_TEXT_CHARS:   # one warning per file, whichever cap cut it
        text = _cut_near(text, MAX_TEXT_CHARS)
        log.warning("%s: truncated to its first %d characters of text (the file is longer)", cand.rel, len(text))
    elif over_byte_cap:
        log.warning("%s: truncated to the first %d bytes (file is larger)", cand.rel, MAX_BYTES)
    metadata = Metadata()
    if kind == "markdown":
        text, metadata = _split_front_matter(text, cand.rel)
    metadata = _apply_sidecar(metadata, cand.rel, sidecars, used_sidecars)
    if not text.strip():
        _skip(skipped, cand.rel, "empty (no text)")
        return None
    return RawSource(id="", path=cand.rel, sha256=sha, kind=kind, text=text, encoding=encoding,
                     metadata=metadata)


def _cut_near(text: str, limit: int) -> str:
    """`text` cut at the last line break (else space) in the second half of the first `limit` characters."""
    for separator in ("\n", " "):
        cut = text.rfind(separator, limit // 2, limit)
        if cut >= 0:
            return text[:cut]
    return text[:limit]


def _full_sha256(path: Path) -> str | None:
    """The sha256 of the whole file, read in chunks so memory stays bounded."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _skip(skipped: list, rel: str, reason: str) -> None:
    log.warning("%s: skipped: %s", rel, reason)
    skipped.append((rel, reason))


# --- decoding --------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),   # before UTF-16: same prefix
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode(data: bytes) -> tuple[str, str] | None:
    """(text, encoding), or None when the bytes are not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data.decode(encoding, errors="replace")
            return (text, encoding) if _looks_like_text(text) else None
    if b"\x00" not in data:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
                # The cap cut a multi-byte character in half: drop the fragment.
                return data[: exc.start].decode("utf-8"), "utf-8"
        mixed = _decode_mixed_utf8(data)
        if mixed is not None:
            return mixed
    return _decode_legacy(data)


def _cp1252_for_invalid_utf8(exc: UnicodeDecodeError) -> tuple[str, int]:
    return exc.object[exc.start:exc.end].decode("cp1252", errors="replace"), exc.end


# A codec error handler keeps mixed decoding one linear pass, however many bad bytes there are.
codecs.register_error("dossier-cp1252", _cp1252_for_invalid_utf8)
_UTF8_DECODED = re.compile(r"[^\x00-\x7f\udc80-\udcff]")


def _decode_mixed_utf8(data: bytes) -> tuple[str, str] | None:
    """Scraped pages pasted together mix UTF-8 with stray cp1252 bytes (the web's legacy
    default): when some bytes are real UTF-8 sequences, decode those as UTF-8 and only the
    invalid bytes as cp1252, instead of reading the whole file in one wrong code page."""
    if not _UTF8_DECODED.search(data.decode("utf-8", errors="surrogateescape")):
        return None   # no UTF-8 sequence at all: a legacy code page, for the detector
    text = data.decode("utf-8", errors="dossier-cp1252")
    return (text, "utf-8+cp1252") if _looks_like_text(text) else None


def _decode_legacy(data: bytes) -> tuple[str, str] | None:
    """Ask charset-normalizer, the maintained detector, for anything not plain UTF-8."""
    from charset_normalizer import from_bytes

    if b"\x00" in data:
        # Detectors happily call short binary "UTF-16"; without a BOM only the shape decides.
        encoding = _bomless_wide_encoding(data)
        if encoding is None:
            return None   # NUL bytes in an 8-bit encoding: a binary file that merely decodes
    else:
        matches = from_bytes(data)
        best = matches.best()
        if best is None:
            return None
        encoding = _preferred_encoding(matches, best)
    text = data.decode(encoding, errors="replace")
    return (text, encoding) if _looks_like_text(text) else None


def _bomless_wide_encoding(data: bytes) -> str | None:
    """utf-32-le/be or utf-16-le/be when the NULs sit where such text puts them, else None."""
    if len(data) % 4 == 0:
        for encoding, top, second in (("utf-32-le", 3, 2), ("utf-32-be", 0, 1)):
            # Every code point is below 0x110000: top byte NUL, second byte at most 0x10.
            if not data[top::4].strip(b"\x00") and max(data[second::4], default=0) <= 0x10:
                return encoding
    if len(data) % 2:
        return None
    for encoding, high, low in (("utf-16-le", 1, 0), ("utf-16-be", 0, 1)):
        high_nuls, low_nuls = data[high::2].count(0), data[low::2].count(0)
        if (high_nuls >= _MIN_HIGH_NUL_SHARE * (len(data) // 2)
                and high_nuls >= _MIN_NUL_CONCENTRATION * (high_nuls + low_nuls)):
            return encoding
    return None


# When bytes decode equally well in several code pages (a few accented letters and curly quotes
# fit cp1250 as well as cp1252), the Western ones are by far the likeliest for news text.
_PREFERRED_LEGACY = ("cp1252", "iso8859_1", "iso8859_15")


def _preferred_encoding(matches, best) -> str:
    # Ties on mess alone: coherence is a language guess that is noise on a short article.
    tied = [m for m in matches if m.chaos == best.chaos]
    for preferred in _PREFERRED_LEGACY:
        if any(preferred in m.could_be_from_charset for m in tied):
            return preferred
    return best.encoding


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    sample = text[:100_000]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    return controls / len(sample) <= _MAX_CONTROL_SHARE


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- metadata --------------------------------------------------------------------------

def _split_front_matter(text: str, rel: str) -> tuple[str, Metadata]:
    """Markdown text without its leading `---` YAML block, and the metadata the block gives."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return text, Metadata()
    body = text[match.end():]
    # The block's YAML starts on the file's second line: shift yaml's line numbers by one.
    mapping = _load_yaml(match.group(1) or "", rel, line_offset=1)
    return body, _metadata_from(mapping, rel)


def _apply_sidecar(metadata: Metadata, rel: str, sidecars: dict[str, Path], used: set[str]) -> Metadata:
    stem = rel[: -len(Path(rel).suffix)]
    for extension in _SIDECAR_EXTENSIONS:
        sidecar_rel = stem + extension
        if sidecar_rel not in sidecars:
            continue
        used.add(sidecar_rel)
        try:
            content = sidecars[sidecar_rel].read_bytes()[:MAX_BYTES]
        except OSError as exc:
            log.warning("%s: metadata ignored: unreadable (%s)", sidecar_rel, _os_reason(exc))
            continue
        text = content.decode("utf-8-sig", errors="replace")
        overrides = _metadata_from(_load_yaml(text, sidecar_rel, line_offset=0), sidecar_rel)
        metadata = _merge(metadata, overrides)
    return metadata


def _load_yaml(text: str, rel: str, line_offset: int) -> dict:
    loaded, error = _parsed_yaml(text, rel, line_offset)
    if error is not None:
        detail = error.split(": not readable YAML: ", 1)[-1]
        log.warning("%s: metadata ignored: malformed YAML at %s", rel, detail)
        return {}
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        log.warning("%s: metadata ignored: expected a mapping of fields, got %s", rel, type(loaded).__name__)
        return {}
    return loaded


@lru_cache(maxsize=_PARSED_YAML_KEPT)
def _parsed_yaml(text: str, rel: str, line_offset: int) -> tuple[object, str | None]:
    """(what the YAML holds, None) or (None, why it cannot be read). Kept by the process: a
    serving process reads every source again at each edit, and parsing the front matter of a
    hundred Markdown sources cost more than reading all 1,000 files (0.08 s). The result is
    only read, never changed, so sharing it between builds is safe."""
    try:
        return load_yaml(text, rel, line_offset), None   # no anchors or aliases: no "billion laughs"
    except DossierError as error:
        return None, str(error)


def _metadata_from(mapping: dict, rel: str) -> Metadata:
    values: dict[str, str] = {}
    for key in sorted(mapping, key=str):
        name = str(key).strip().lower()
        name = _FIELD_ALIASES.get(name, name)
        if name not in _METADATA_FIELDS or name in values and str(key).lower() != name:
            continue
        value = _field_value(name, mapping[key], rel)
        if value:
            values[name] = value
    return Metadata(**values)


def _field_value(name: str, value: object, rel: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        # Never turned into text: YAML anchors let a few lines nest lists a billion items deep
        # ("billion laughs"), which str() would spell out until memory runs out.
        log.warning("%s: metadata %s ignored: a list or mapping, expected a single value", rel, name)
        return None
    if name == "date":
        date = _normalise_date(value)
        if date is None:
            log.warning("%s: metadata date %r ignored: not a date (expected YYYY-MM-DD)", rel, value)
        return date
    text = " ".join(str(value).split())
    if name == "language":
        text = text.lower().replace("_", "-").split("-")[0]
    return text or None


def _normalise_date(value: object) -> str | None:
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return parse_date(str(value))


def _merge(base: Metadata, top: Metadata) -> Metadata:
    """`top`'s fields win where given."""
    return Metadata(**{name: getattr(top, name) or getattr(base, name) for name in _METADATA_FIELDS})


# --- ids -------------------------------------------------------------------------------

def _slug(rel: str, sha: str) -> str:
    """ASCII slug of the path without its extension; never empty."""
    stem = rel[: -len(Path(rel).suffix)] if Path(rel).suffix else rel
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or f"source-{sha[:_ID_FALLBACK_LENGTH]}"


def _unique_id(slug: str, taken: set[str]) -> str:
    """Paths are visited in sorted order, so the numbering of colliding slugs is deterministic."""
    if slug not in taken:
        return slug
    number = 2
    while f"{slug}-{number}" in taken:
        number += 1
    return f"{slug}-{number}"
