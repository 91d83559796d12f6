"""The user's corrections to the glossary, from `sources/glossary.yml`, applied last.

    ignore: [Currently, Exit]            # not entities (or one spelling to drop from an entity)
    entities:
      - name: United Nations             # the name to show
        aliases: [UN, U.N.]              # merge every entity known by any of these spellings
        type: ORG                        # PERSON | ORG | PLACE | EVENT | OTHER
        description: The world body.     # shown on the entity's page
      - name: Kim Yo Jong
        aliases: [Kim Yo-jong]
        split: true                      # take these spellings out of the entity they were
                                         # merged into, as an entity of their own
                                         # (here spellings compare exactly)

Spellings compare as names do (case, hyphens and dots aside). An entry whose spellings
name no entity is looked for in the text, so a name the model missed can be added; an
entry that matches neither is reported, naming the file.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path


from builder.errors import DossierError, describe_file_error
from builder.glossary.names import Occurrence, name_key
from builder.model import ENTITY_TYPES, Article
from builder.yaml_safe import load_yaml

log = logging.getLogger(__name__)

_ENTRY_FIELDS = frozenset({"name", "aliases", "type", "description", "split"})
_TOP_FIELDS = frozenset({"ignore", "entities"})


@dataclass(frozen=True)
class Draft:
    """An entity before its mentions are placed."""

    name: str
    type: str
    occurrences: tuple[Occurrence, ...]
    variant_keys: tuple[str, ...] = ()
    description: str | None = None


@dataclass(frozen=True)
class _Entry:
    name: str
    spellings: tuple[str, ...]     # the name and its aliases, as written
    type: str | None
    description: str | None
    split: bool

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(name_key(s) for s in self.spellings)


def apply_editorial(drafts: Sequence[Draft], path: Path, articles: Sequence[Article]) -> list[Draft]:
    """Apply the editorial file; report the entries that matched nothing."""
    ignore, entries = _read(path)
    drafts = _ignore(list(drafts), ignore, path)
    for entry in entries:
        if entry.split:
            drafts = _split(drafts, entry, path, articles)
        else:
            drafts = _merge(drafts, entry, path, articles)
    return drafts


def _read(path: Path) -> tuple[list[str], list[_Entry]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DossierError(f"{path}: cannot read the glossary file: {describe_file_error(error)}; "
                           "fix the file or remove it") from error
    try:
        data = load_yaml(text, str(path)) or {}     # no anchors or aliases: no "billion laughs"
    except DossierError as error:
        raise DossierError(f"{error}; fix the file or remove it") from None
    if not isinstance(data, dict):
        raise DossierError(f"{path}: expected a mapping with 'ignore' and/or 'entities', found {type(data).__name__}")
    for unknown in sorted(set(data) - _TOP_FIELDS):
        log.warning("%s: ignored unknown section %r (known: entities, ignore)", path, unknown)
    ignore = [str(n) for n in _as_list(data.get("ignore"), path, "ignore")]
    entries = [e for e in (_entry(raw, path) for raw in _as_list(data.get("entities"), path, "entities")) if e]
    return ignore, entries


def _as_list(value, path: Path, section: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise DossierError(f"{path}: '{section}' must be a list")
    return value


def _entry(raw, path: Path) -> _Entry | None:
    if isinstance(raw, str):
        raw = {"name": raw}
    if not isinstance(raw, dict) or not str(raw.get("name") or "").strip():
        log.warning("%s: skipped an entry without a name: %r", path, raw)
        return None
    name = str(raw["name"]).strip()
    for unknown in sorted(set(raw) - _ENTRY_FIELDS):
        log.warning("%s: entry %r: ignored unknown field %r", path, name, unknown)
    aliases = raw.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    kind = raw.get("type")
    if kind is not None and str(kind).upper() not in ENTITY_TYPES:
        log.warning("%s: entry %r: ignored unknown type %r (one of %s)", path, name, kind, ", ".join(ENTITY_TYPES))
        kind = None
    description = raw.get("description")
    return _Entry(
        name=name,
        spellings=tuple(dict.fromkeys([name, *(str(a).strip() for a in aliases if str(a).strip())])),
        type=str(kind).upper() if kind else None,
        description=str(description).strip() if description else None,
        split=bool(raw.get("split", False)),
    )


def _spellings(draft: Draft) -> set[str]:
    return {name_key(draft.name)} | {name_key(o.text) for o in draft.occurrences}


def _ignore(drafts: list[Draft], names: list[str], path: Path) -> list[Draft]:
    """Drop an entity named so; or, for one of its other spellings, that spelling only."""
    for name in names:
        key = name_key(name)
        hit = False
        kept = []
        for draft in drafts:
            if name_key(draft.name) == key:
                hit = True
                continue
            remaining = tuple(o for o in draft.occurrences if name_key(o.text) != key)
            hit = hit or len(remaining) < len(draft.occurrences)
            if remaining:
                kept.append(replace(draft, occurrences=remaining))
        if not hit:
            log.warning("%s: ignore %r matched no entity", path, name)
        drafts = kept
    return drafts


def _merge(drafts: list[Draft], entry: _Entry, path: Path, articles: Sequence[Article]) -> list[Draft]:
    """Merge every entity the entry names into one, renamed, retyped, described."""
    matched = [d for d in drafts if _spellings(d) & entry.keys]
    rest = [d for d in drafts if not _spellings(d) & entry.keys]
    if not matched:
        found = _found_in_text(entry, articles)
        if not found:
            log.warning("%s: entry %r matched no entity and is not in the text", path, entry.name)
            return drafts
        return rest + [Draft(entry.name, entry.type or "OTHER", found, (), entry.description)]
    occurrences = tuple(sorted({o for d in matched for o in d.occurrences}, key=_position))
    occurrences = tuple(sorted(set(occurrences) | set(_found_in_text(entry, articles)), key=_position))
    merged = Draft(
        name=entry.name,
        type=entry.type or _largest(matched).type,
        occurrences=occurrences,
        variant_keys=tuple(sorted({k for d in matched for k in d.variant_keys} - entry.keys)),
        description=entry.description or next((d.description for d in matched if d.description), None),
    )
    return rest + [merged]


def _split(drafts: list[Draft], entry: _Entry, path: Path, articles: Sequence[Article]) -> list[Draft]:
    """Take the entry's spellings out of the entities they were merged into. Spellings
    compare exactly here: a split is how "Kim Jong-un" is told apart from "Kim Jong Un"."""
    exact = {" ".join(s.split()) for s in entry.spellings}

    def is_mine(o: Occurrence) -> bool:
        return " ".join(o.text.split()) in exact

    taken: list[Occurrence] = []
    kinds = []
    kept = []
    for draft in drafts:
        mine = tuple(o for o in draft.occurrences if is_mine(o))
        if mine:
            taken.extend(mine)
            kinds.append(draft.type)
        remaining = tuple(o for o in draft.occurrences if not is_mine(o))
        if remaining:
            kept.append(replace(draft, occurrences=remaining))
    if not taken:
        taken = list(_found_in_text(entry, articles))
    if not taken:
        log.warning("%s: split %r matched no entity and is not in the text", path, entry.name)
        return drafts
    kind = entry.type or (kinds[0] if kinds else "OTHER")
    return kept + [Draft(entry.name, kind, tuple(sorted(set(taken), key=_position)), (), entry.description)]


def _found_in_text(entry: _Entry, articles: Sequence[Article]) -> tuple[Occurrence, ...]:
    """The entry's spellings as written in the paragraphs, on word boundaries."""
    found = []
    for spelling in entry.spellings:
        pattern = re.compile(r"(?<![\w-])" + re.escape(spelling) + r"(?![\w])")
        for article in articles:
            for index, paragraph in enumerate(article.paragraphs):
                for match in pattern.finditer(paragraph):
                    found.append(Occurrence(article.id, index, match.start(), match.end(), match.group(0), None))
    return tuple(sorted(set(found), key=_position))


def _largest(drafts: Sequence[Draft]) -> Draft:
    return sorted(drafts, key=lambda d: (-len(d.occurrences), d.name))[0]


def _position(o: Occurrence) -> tuple:
    return (o.source, o.paragraph, o.start, o.end, o.text)
