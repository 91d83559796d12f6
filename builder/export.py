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

It is written in pieces ("units": a source, an entity, a timeline entry, one source's unique
claims, ...), each the text of a key that holds every value the piece shows, as plain tuples.
A process that builds again and again (`mkdocs serve`) keeps the last export's pieces by a
digest of their keys, and writes again only the pieces whose records changed: an edit of one
source changes a few hundred of the ~40,000 pieces of a 1,000-source dossier.
"""
from __future__ import annotations

import json
import weakref
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import chain, groupby
from operator import attrgetter, itemgetter
from typing import Callable, Iterator, Sequence

from builder.cache import pickled_digests
from builder.model import DENSE_SIMILARITY_LIMIT, Dossier
from builder.paths import page_of_entity, page_of_source, page_of_topic

SCHEMA = 1


def export_dossier(dossier: Dossier, keep: bool = False) -> str | bytes:
    """The text of dossier.json. `keep`: the process exports again and again (`mkdocs serve`),
    so this export's pieces are kept for the next, encoded, and the text comes as its UTF-8
    bytes, ready to write (~31 MB at 1,000 sources: encoding it whole again on every build
    cost more than joining the pieces); the pipeline says so only up to the size it keeps a
    serving build's results in memory (above it, ~300 MB of text at 10,000 sources would only
    add to the peak). Without it nothing is kept and the text is written at once, as a str."""
    document = {name: section(dossier) for name, section in _SECTIONS.items()}
    document["similarity"] = _similarity(dossier)
    return _Pieces.written(document, keep, dossier)


def piece_digests(dossier: Dossier) -> dict[tuple[str, str], bytes]:
    """{(kind, name): digest} of the dossier.json pieces that hold one record each, a digest of
    every value the piece shows: ("source", id), ("entity", id), ("quote", id), ("discrepancy", id), ("topic", id),
    and one source's unique claims and the corroboration of its paragraphs ("claims", source id),
    ("corroboration", source id; only paragraphs some other source supports). A name given
    twice holds its pieces' digests one after the other. The page keys (builder.render) hold
    these rather than the records again: the export of the same dossier object (`keep`) has
    made them already, and otherwise they are made here (and kept for this dossier only)."""
    named = _Named.of(dossier)
    if named is None:
        sections = [(name, _SECTIONS[name](dossier)) for name in _NAMED_SECTIONS]
        keys = [key for _, items in sections for key in items.keys]
        named = _Named.keep(dossier, keys, pickled_digests(keys))
    return named


# --- the document's sections: lists of pieces' keys --------------------------------------------

def _sources(dossier: Dossier) -> _Items:
    return _Items([("source", *_ARTICLE(a), tuple(map(_TEXT, a.removed)), tuple(map(_REASON, a.removed)))
                   for a in dossier.articles])


def _entities(dossier: Dossier) -> _Items:
    return _Items([("entity", e.id, e.name, e.type, e.aliases, e.variant_spellings, e.description,
                    _columns(_MENTION_FIELDS, e.mentions)) for e in dossier.glossary.entities])


def _quotes(dossier: Dossier) -> _Items:
    return _Items([("quote", q.id, q.text, q.speaker, _columns(_OCCURRENCE_FIELDS, q.occurrences))
                   for q in dossier.comparison.quotes])


def _discrepancies(dossier: Dossier) -> _Items:
    return _Items([("discrepancy", d.id, d.about, d.kind, d.score,
                    tuple([(v.value, v.sources, _evidence_columns(v.evidence)) for v in d.variants]))
                   for d in dossier.comparison.discrepancies])


def _unique_claims(dossier: Dossier) -> _Items:
    return _Items([("claims", _columns(_CLAIM_FIELDS, tuple(claims)))
                   for _, claims in groupby(dossier.comparison.unique_claims, _SOURCE)])


def _corroboration(dossier: Dossier) -> _Items:
    return _Items([("corroboration", tuple([(c.paragraph, c.source, _evidence_columns(c.supporting))
                                            for c in corroborations if c.supporting]))
                   for _, corroborations in groupby(dossier.comparison.corroboration, _SOURCE)])


def _groups(dossier: Dossier) -> _Items:
    return _Items([("groups", tuple([(g.kind, g.label, g.sources, g.evidence) for g in dossier.comparison.groups]))])


def _topics(dossier: Dossier) -> _Items:
    return _Items([("topic", t.id, t.label, t.keywords, t.sources, _evidence_columns(t.paragraphs))
                   for t in dossier.topics])


def _timeline(dossier: Dossier) -> _Items:
    return _Items([("timeline", t.date, t.end, t.text, t.sources, _evidence_columns(t.evidence),
                    t.inferred, t.conflict) for t in dossier.timeline])


def _similarity(dossier: Dossier) -> dict:
    similarity = dossier.comparison.similarity
    return {
        "sources": _Whole(("similarity sources", similarity.sources)),
        "matrix": _Whole(("matrix", similarity.matrix)),
        "neighbours": _Items([("neighbours", source, row) for source, row in zip(similarity.sources,
                                                                                   similarity.neighbours)], "{}"),
        "dense_limit": _Whole(("dense limit", DENSE_SIMILARITY_LIMIT)),
    }


_SECTIONS: dict[str, Callable[[Dossier], object]] = {
    "schema": lambda dossier: _Whole(("schema", SCHEMA)),
    "sources": _sources,
    "skipped": lambda dossier: _Items([("skipped", tuple(dossier.skipped))]),
    "entities": _entities,
    "quotes": _quotes,
    "discrepancies": _discrepancies,
    "unique_claims": _unique_claims,
    "corroboration": _corroboration,
    "groups": _groups,
    "topics": _topics,
    "timeline": _timeline,
}
# The sections whose pieces piece_digests names, and each name: an id, or the source of a
# source's group (a group of claims is columns (paragraph, source, text); of corroboration,
# rows (paragraph, source, supporting)).
_NAMED_SECTIONS = ("sources", "entities", "quotes", "discrepancies", "unique_claims", "corroboration", "topics")
_NAME_OF: dict[str, Callable[[tuple], str | None]] = {
    "source": itemgetter(1), "entity": itemgetter(1), "quote": itemgetter(1), "discrepancy": itemgetter(1), "topic": itemgetter(1),
    "claims": lambda key: key[1][1][0],
    "corroboration": lambda key: key[1][0][1] if key[1] else None,
}


class _Named:
    """piece_digests of the last dossier asked about (or exported with `keep`), while that very
    object lives: a build's page keys ask about the dossier its export has just digested."""

    dossier: Callable[[], Dossier | None] = lambda: None
    digests: dict[tuple[str, str], bytes] = {}

    @classmethod
    def of(cls, dossier: Dossier) -> dict[tuple[str, str], bytes] | None:
        return cls.digests if cls.dossier() is dossier else None

    @classmethod
    def keep(cls, dossier: Dossier, keys: Sequence[tuple], digests: Sequence[bytes]) -> dict[tuple[str, str], bytes]:
        named: dict[tuple[str, str], bytes] = {}
        for key, digest in zip(keys, digests):
            name_of = _NAME_OF.get(key[0])
            name = name_of(key) if name_of else None
            if name is not None:
                named[key[0], name] = named.get((key[0], name), b"") + digest
        cls.dossier, cls.digests = weakref.ref(dossier), named
        return named


# --- the document: objects (dicts, keys sorted as they are written) of pieces ----------------

@dataclass(frozen=True)
class _Whole:
    """A value written as one piece."""
    key: tuple


@dataclass(frozen=True)
class _Items:
    """A list (or with brackets "{}", an object) whose items (entries) are written in pieces,
    each piece the items of its key, written without the brackets; a piece of no items adds
    nothing."""
    keys: list[tuple]
    brackets: str = "[]"


def _gather(node, depth: int, pieces: list[tuple[tuple, int, bool]]) -> None:
    """(key, depth, whole) of each piece, in the order the text holds them."""
    if type(node) is dict:
        for name in sorted(node):
            _gather(node[name], depth + 1, pieces)
    elif type(node) is _Whole:
        pieces.append((node.key, depth, True))
    else:
        pieces.extend([(key, depth, False) for key in node.keys])


Piece = Callable[[tuple, int, bool, list], bool]


def _assemble(node, depth: int, out: list[str], piece: Piece) -> None:
    """The document's text (or template) in `out`: `piece(key, depth, whole, out)` adds each
    piece's, in `_gather`'s order, and says whether it added any (a piece of no items does not).
    The names are the document's own, with no '%' to double for a template."""
    if type(node) is dict:
        out.append("{\n")
        for n, name in enumerate(sorted(node)):
            out.append(f"{',' + chr(10) if n else ''}{' ' * (depth + 1)}{_STRING(name)}: ")
            _assemble(node[name], depth + 1, out, piece)
        out.append("\n" + " " * depth + "}")
    elif type(node) is _Whole:
        piece(node.key, depth, True, out)
    else:
        opening = len(out)
        out.append(node.brackets[0] + "\n")
        for key in node.keys:
            out.append(",\n")
            if not piece(key, depth, False, out):
                out.pop()
        if len(out) == opening + 1:
            out[opening] = node.brackets
        else:
            out[opening + 1] = ""          # no comma before the first item
            out.append("\n" + " " * depth + node.brackets[1])


# --- the pieces' keys: every value a piece shows, as plain tuples ------------------------------
# A list of records is kept as columns (a tuple of each field's values), in the order the fields
# are written: hundreds of thousands of little row tuples would cost more to make and to digest.

_ARTICLE = attrgetter("id", "path", "sha256", "title", "outlet", "url", "date", "author", "language", "paragraphs")
_TEXT, _REASON = attrgetter("text"), attrgetter("reason")
_PARAGRAPH, _SOURCE = attrgetter("paragraph"), attrgetter("source")
_MENTION_FIELDS = ("end", "paragraph", "source", "start")
_OCCURRENCE_FIELDS = ("paragraph", "source", "speaker", "text")
_CLAIM_FIELDS = ("paragraph", "source", "text")
_EVIDENCE_FIELDS = ("paragraph", "source")
_GETTERS = {fields: tuple(map(attrgetter, fields)) for fields in (_MENTION_FIELDS, _OCCURRENCE_FIELDS, _CLAIM_FIELDS)}


def _columns(fields: tuple[str, ...], records: Sequence) -> tuple[tuple, ...]:
    return tuple([tuple(map(getter, records)) for getter in _GETTERS[fields]])


def _evidence_columns(evidence: Sequence) -> tuple[tuple, tuple]:
    return tuple(map(_PARAGRAPH, evidence)), tuple(map(_SOURCE, evidence))


# --- a piece's data, made from its key alone (so the key holds all it shows) -----------------
# A list section's piece is a list of its items (written without the brackets); the others'
# ("whole" sections) is the section's value.

def _source_data(key: tuple) -> list:
    _, id, path, sha256, title, outlet, url, date, author, language, paragraphs, removed, reasons = key
    return [{
        "id": id, "path": path, "sha256": sha256, "title": title, "outlet": outlet, "url": url,
        "date": date, "author": author, "language": language, "paragraphs": list(paragraphs),
        "removed": list(removed), "removed_reasons": list(reasons), "page": page_of_source(id),
    }]


def _entity_data(key: tuple) -> list:
    _, id, name, type, aliases, variant_spellings, description, mentions = key
    return [{
        "id": id, "name": name, "type": type, "aliases": list(aliases), "variant_spellings": list(variant_spellings),
        "description": description, "mentions": _Records(_MENTION_FIELDS, mentions), "page": page_of_entity(id),
    }]


def _quote_data(key: tuple) -> list:
    _, id, text, speaker, occurrences = key
    return [{"id": id, "text": text, "speaker": speaker, "occurrences": _Records(_OCCURRENCE_FIELDS, occurrences)}]


def _discrepancy_data(key: tuple) -> list:
    _, id, about, kind, score, variants = key
    return [{"id": id, "about": about, "kind": kind, "score": score,
             "variants": [{"value": value, "sources": list(sources), "evidence": _Records(_EVIDENCE_FIELDS, evidence)}
                          for value, sources, evidence in variants]}]


def _corroboration_data(key: tuple) -> list:
    return [{"paragraph": paragraph, "source": source, "supporting": _Records(_EVIDENCE_FIELDS, supporting)}
            for paragraph, source, supporting in key[1]]


def _groups_data(key: tuple) -> list:
    return [{"kind": kind, "label": label, "sources": list(sources), "evidence": list(evidence)}
            for kind, label, sources, evidence in key[1]]


def _topic_data(key: tuple) -> list:
    _, id, label, keywords, sources, paragraphs = key
    return [{"id": id, "label": label, "keywords": list(keywords), "sources": list(sources),
             "paragraphs": _Records(_EVIDENCE_FIELDS, paragraphs), "page": page_of_topic(id)}]


def _timeline_data(key: tuple) -> list:
    _, date, end, text, sources, evidence, inferred, conflict = key
    return [{"date": date, "end": end, "text": text, "sources": list(sources),
             "evidence": _Records(_EVIDENCE_FIELDS, evidence), "inferred": inferred, "conflict": conflict}]


_DATA: dict[str, Callable[[tuple], object]] = {
    "schema": lambda key: key[1],
    "similarity sources": lambda key: list(key[1]),
    "matrix": lambda key: _Records(None, key[1]),
    "neighbours": lambda key: {key[1]: _Records(None, key[2])},
    "dense limit": lambda key: key[1],
    "source": _source_data,
    "skipped": lambda key: [{"path": path, "reason": reason} for path, reason in key[1]],
    "entity": _entity_data,
    "quote": _quote_data,
    "discrepancy": _discrepancy_data,
    "claims": lambda key: _Records(_CLAIM_FIELDS, key[1]),
    "corroboration": _corroboration_data,
    "groups": _groups_data,
    "topic": _topic_data,
    "timeline": _timeline_data,
}


class _Pieces:
    """The last export's pieces, kept for the next (see the module's doc)."""

    _kept: dict[bytes, bytes] = {}

    @classmethod
    def written(cls, document: dict, keep: bool, dossier: Dossier) -> str | bytes:
        """The document's text, from the pieces kept and the pieces written again; without
        `keep`, written at once, and nothing kept. With it, the named pieces' digests are kept
        for the dossier's page keys (piece_digests)."""
        kept = cls._kept
        cls._kept = {}   # let go before the new texts are made, whatever happens
        if not keep:
            del kept
            return _written_at_once(document)
        pieces: list[tuple[tuple, int, bool]] = []
        _gather(document, 0, pieces)
        keys = [key for key, _, _ in pieces]
        digests = pickled_digests(keys)
        _Named.keep(dossier, keys, digests)
        missing = [n for n, digest in enumerate(digests) if digest not in kept]
        made = dict(zip(missing, [text.encode() for text in _written_apart([pieces[n] for n in missing])]))
        texts = [made[n] if n in made else kept[digest] for n, digest in enumerate(digests)]
        # One join of every piece: the text is ~31 MB at 1,000 sources, and each concatenation of
        # a section's text would copy it again. The pieces are bytes, the text around them
        # (names, brackets, commas, indents) plain ASCII.
        out: list[str | bytes] = []
        _assemble(document, 0, out, partial(_take, iter(texts)))
        out.append("\n")
        cls._kept = dict(zip(digests, texts))
        return b"".join([part if type(part) is bytes else part.encode() for part in out])


def _take(texts: Iterator[bytes], key: tuple, depth: int, whole: bool, out: list[str | bytes]) -> bool:
    text = next(texts)
    if text:
        out.append(text)
    return bool(text)


# --- writing: json.dumps(indent=1, sort_keys=True, ensure_ascii=False), byte for byte --------
#
# One pass lays the text out as a %-template, a "%s" where each scalar goes, and collects the
# scalars in order; the C encoder then writes all of them in one call and one `%` puts them in
# place. Python steps are spent per container, not per value.

@dataclass(frozen=True)
class _Records:
    """A list of records of one shape, scalars only: with `keys`, objects with these keys
    (sorted, as they are written) whose values are `data`'s columns, one per key; with keys
    None, arrays, `data` their rows."""

    keys: tuple[str, ...] | None
    data: Sequence

    def __post_init__(self) -> None:
        assert self.keys is None or (len(self.keys) > 1 and list(self.keys) == sorted(self.keys)), self.keys


_CONTAINERS = (dict, list, tuple, _Records)
# A NUL character never stands unescaped in the encoder's output (a string writes it as
# \u0000), so it can separate the values.
_SEPARATED = json.JSONEncoder(ensure_ascii=False, separators=("\x00", ":")).encode
_STRING = json.encoder.encode_basestring   # the C function the encoder itself calls on a string


def _written_at_once(document: dict) -> str:
    """The document's text, laid out in one template and written by one C encoding."""
    template: list[str] = []
    values: list = []
    _assemble(document, 0, template, partial(_lay_out_piece, values=values))
    template.append("\n")
    return _filled("".join(template), values)


def _written_apart(pieces: list[tuple[tuple, int, bool]]) -> list[str]:
    """Each piece's text as it stands in the document, all laid out in one template and written
    by one C encoding; a NUL separates them in the template."""
    template: list[str] = []
    values: list = []
    for key, depth, whole in pieces:
        _lay_out_piece(key, depth, whole, template, values)
        template.append("\x00")
    return _filled("".join(template), values).split("\x00")[:-1]


def _lay_out_piece(key: tuple, depth: int, whole: bool, template: list[str], values: list) -> bool:
    """A piece of the document (its key; the depth of the value it is or is items of; whether
    it is a whole value): whether it has any text."""
    start = len(template)
    _lay_out_item(_DATA[key[0]](key), depth, template, values)
    if whole:
        return True
    if template[start] in ("[]", "{}"):   # no items
        del template[start:]
        return False
    template[start] = template[start][2:]                    # the items alone: no "[\n" ...
    template[-1] = template[-1][:-(depth + 2)]               # ... nor "\n   ]"
    return True


def _filled(template: str, values: list) -> str:
    if not values:
        return template.replace("%%", "%")
    return template % tuple(_SEPARATED(values)[1:-1].split("\x00"))


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
    if records.keys is None:
        rows = records.data
        count = len(rows)
        width = len(rows[0]) if rows else 0
        if set(map(len, rows)) - {width}:
            raise ValueError(f"records of {width} values expected")
        values.extend(chain.from_iterable(rows))
    else:
        columns = records.data
        count, width = len(columns[0]), len(records.keys)
        if len(columns) != width or set(map(len, columns)) - {count}:
            raise ValueError(f"{width} columns of {count} values expected")
        values.extend(chain.from_iterable(zip(*columns)))
    if not count:
        template.append("[]")
        return
    item, field = " " * (depth + 1), " " * (depth + 2)
    if records.keys is None:
        opening, closing, cells = "[", "]", [field + "%s"] * width
    else:
        opening, closing, cells = "{", "}", [f"{field}{_key(key)}: %s" for key in records.keys]
    row = item + opening + "\n" + ",\n".join(cells) + "\n" + item + closing
    template.append("[\n" + ",\n".join([row] * count) + "\n" + " " * depth + "]")


# A few dozen field names written hundreds of thousands of times, and one key per source in
# "neighbours": bounded, a pure function of the string.
@lru_cache(maxsize=1 << 14)
def _key(key: str) -> str:
    """A key as the template holds it: JSON-encoded, a '%' doubled."""
    return _STRING(key).replace("%", "%%")
