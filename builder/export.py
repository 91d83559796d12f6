"""`dossier.json`: the whole dossier as data, exactly in the shape of CONTRACT.md (schema 1).

Fields beyond the contract are added, never renamed. Every list is already sorted by the
stage that made it, and keys are written sorted, so the same sources give the same bytes.

Beyond the contract, "similarity" also carries:
- "neighbours": {source id: [[other source id, similarity], ...]}: each source's most alike
  sources (at most model.SIMILARITY_NEIGHBOURS), most alike first, ties by id; pairs that share
  no vocabulary are left out.
- "dense_limit": model.DENSE_SIMILARITY_LIMIT: up to this many sources "matrix" holds every
  pair; above it "matrix" is [] (it grows with the square) and "neighbours" is what there is.

The text is exactly `json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)`, written
faster: the standard library's indented writer is pure Python, one generator step per value,
and at a thousand sources the evidence and mention lists alone are over a million values.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from typing import Callable, Sequence

from builder.model import DENSE_SIMILARITY_LIMIT, Dossier, Entity, Evidence, Similarity
from builder.paths import page_of_entity, page_of_source, page_of_topic

SCHEMA = 1


def export_dossier(dossier: Dossier) -> str:
    comparison = dossier.comparison
    data = {
        "schema": SCHEMA,
        "sources": [
            {
                "id": a.id,
                "path": a.path,
                "sha256": a.sha256,
                "title": a.title,
                "outlet": a.outlet,
                "url": a.url,
                "date": a.date,
                "author": a.author,
                "language": a.language,
                "paragraphs": list(a.paragraphs),
                "removed": [r.text for r in a.removed],
                "removed_reasons": [r.reason for r in a.removed],
                "page": page_of_source(a.id),
            }
            for a in dossier.articles
        ],
        "skipped": [{"path": path, "reason": reason} for path, reason in dossier.skipped],
        "entities": [_entity(e) for e in dossier.glossary.entities],
        "quotes": [
            {
                "id": q.id,
                "text": q.text,
                "speaker": q.speaker,
                "occurrences": _records_of(("paragraph", "source", "speaker", "text"), q.occurrences),
            }
            for q in comparison.quotes
        ],
        "discrepancies": [
            {
                "id": d.id,
                "about": d.about,
                "kind": d.kind,
                "score": d.score,
                "variants": [
                    {"value": v.value, "sources": list(v.sources), "evidence": _evidence(v.evidence)}
                    for v in d.variants
                ],
            }
            for d in comparison.discrepancies
        ],
        "unique_claims": _records_of(("paragraph", "source", "text"), comparison.unique_claims),
        "similarity": _similarity(comparison.similarity),
        "corroboration": [
            {"source": c.source, "paragraph": c.paragraph, "supporting": _evidence(c.supporting)}
            for c in comparison.corroboration
            if c.supporting
        ],
        "groups": [
            {"kind": g.kind, "label": g.label, "sources": list(g.sources), "evidence": list(g.evidence)}
            for g in comparison.groups
        ],
        "topics": [
            {
                "id": t.id,
                "label": t.label,
                "keywords": list(t.keywords),
                "sources": list(t.sources),
                "paragraphs": _evidence(t.paragraphs),
                "page": page_of_topic(t.id),
            }
            for t in dossier.topics
        ],
        "timeline": [
            {
                "date": t.date,
                "end": t.end,
                "text": t.text,
                "sources": list(t.sources),
                "evidence": _evidence(t.evidence),
                "inferred": t.inferred,
                "conflict": t.conflict,
            }
            for t in dossier.timeline
        ],
    }
    return _write(data) + "\n"


def _entity(e: Entity) -> dict:
    return {
        "id": e.id,
        "name": e.name,
        "type": e.type,
        "aliases": list(e.aliases),
        "variant_spellings": list(e.variant_spellings),
        "description": e.description,
        "mentions": _records_of(("end", "paragraph", "source", "start"), e.mentions),
        "page": page_of_entity(e.id),
    }


def _similarity(similarity: Similarity) -> dict:
    return {
        "sources": list(similarity.sources),
        "matrix": _Records(None, similarity.matrix),
        "neighbours": {source: _Records(None, row) for source, row in zip(similarity.sources, similarity.neighbours)},
        "dense_limit": DENSE_SIMILARITY_LIMIT,
    }


def _evidence(items: tuple[Evidence, ...]) -> _Records:
    return _records_of(("paragraph", "source"), items)


def _records_of(fields: tuple[str, ...], items) -> _Records:
    """Records of the attributes of these names (two or more), written under the same names."""
    return _Records(fields, items, attrgetter(*fields))


# --- writing: json.dumps(indent=1, sort_keys=True, ensure_ascii=False), byte for byte --------
#
# One pass lays the text out as a %-template, a "%s" where each scalar goes, and collects the
# scalars in order; the C encoder then writes all of them in one call and one `%` puts them in
# place. Python steps are spent per container, not per value.

@dataclass(frozen=True)
class _Records:
    """A list of records of one shape, scalars only: objects with these keys (sorted, as they
    are written) or, with keys None, arrays. `values(row)` gives a row's values in key order;
    without it each row is that tuple already."""

    keys: tuple[str, ...] | None
    rows: Sequence
    values: Callable[[object], tuple] | None = None

    def __post_init__(self) -> None:
        assert self.keys is None or (len(self.keys) > 1 and list(self.keys) == sorted(self.keys)), self.keys


_CONTAINERS = (dict, list, tuple, _Records)
# A NUL character never stands unescaped in the encoder's output (a string writes it as
# \u0000), so it can separate the values.
_SEPARATED = json.JSONEncoder(ensure_ascii=False, separators=("\x00", ":")).encode
_STRING = json.encoder.encode_basestring   # the C function the encoder itself calls on a string


def _write(data) -> str:
    template: list[str] = []
    values: list = []
    _lay_out(data, 0, template, values)
    if not values:
        return "".join(template).replace("%%", "%")
    return "".join(template) % tuple(_SEPARATED(values)[1:-1].split("\x00"))


def _lay_out(value, depth: int, template: list[str], values: list) -> None:
    kind = type(value)
    inner = " " * (depth + 1)
    if kind is dict:
        if not value:
            template.append("{}")
            return
        template.append("{\n")
        for n, key in enumerate(sorted(value)):
            template.append(f"{',' + chr(10) if n else ''}{inner}{_key(key)}: ")
            _lay_out_item(value[key], depth + 1, template, values)
        template.append("\n" + " " * depth + "}")
    elif kind is list or kind is tuple:
        if not value:
            template.append("[]")
        elif not any(type(v) in _CONTAINERS for v in value):
            template.append("[\n" + inner + (",\n" + inner).join(["%s"] * len(value)) + "\n" + " " * depth + "]")
            values.extend(value)
        else:
            template.append("[\n")
            for n, item in enumerate(value):
                template.append(",\n" + inner if n else inner)
                _lay_out_item(item, depth + 1, template, values)
            template.append("\n" + " " * depth + "]")
    elif kind is _Records:
        _lay_out_records(value, depth, template, values)
    else:
        template.append("%s")
        values.append(value)


def _lay_out_item(value, depth: int, template: list[str], values: list) -> None:
    if type(value) in _CONTAINERS:
        _lay_out(value, depth, template, values)
    else:
        template.append("%s")
        values.append(value)


def _lay_out_records(records: _Records, depth: int, template: list[str], values: list) -> None:
    rows = records.rows
    if not rows:
        template.append("[]")
        return
    if records.values is not None:
        width = len(records.keys)
        values.extend(chain.from_iterable(map(records.values, rows)))
    else:
        width = len(records.keys) if records.keys is not None else len(rows[0])
        if set(map(len, rows)) != {width}:
            raise ValueError(f"records of {width} values expected")
        values.extend(chain.from_iterable(rows))
    item, field = " " * (depth + 1), " " * (depth + 2)
    if records.keys is None:
        opening, closing, cells = "[", "]", [field + "%s"] * width
    else:
        opening, closing, cells = "{", "}", [f"{field}{_key(key)}: %s" for key in records.keys]
    row = item + opening + "\n" + ",\n".join(cells) + "\n" + item + closing
    template.append("[\n" + ",\n".join([row] * len(rows)) + "\n" + " " * depth + "]")


# A few dozen field names written hundreds of thousands of times, and one key per source in
# "neighbours": bounded, a pure function of the string.
@lru_cache(maxsize=1 << 14)
def _key(key: str) -> str:
    """A key as the template holds it: JSON-encoded, a '%' doubled."""
    return _STRING(key).replace("%", "%%")
