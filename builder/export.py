"""`dossier.json`: the whole dossier as data, exactly in the shape of CONTRACT.md (schema 1).

Fields beyond the contract are added, never renamed. Every list is already sorted by the
stage that made it, and keys are written sorted, so the same sources give the same bytes.
"""
from __future__ import annotations

import json

from builder.model import Dossier, Entity, Evidence
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
                "occurrences": [
                    {"source": o.source, "paragraph": o.paragraph, "text": o.text, "speaker": o.speaker}
                    for o in q.occurrences
                ],
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
        "unique_claims": [{"source": c.source, "paragraph": c.paragraph, "text": c.text} for c in comparison.unique_claims],
        "similarity": {
            "sources": list(comparison.similarity.sources),
            "matrix": [list(row) for row in comparison.similarity.matrix],
        },
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
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _entity(e: Entity) -> dict:
    return {
        "id": e.id,
        "name": e.name,
        "type": e.type,
        "aliases": list(e.aliases),
        "variant_spellings": list(e.variant_spellings),
        "description": e.description,
        "mentions": [{"source": m.source, "paragraph": m.paragraph, "start": m.start, "end": m.end} for m in e.mentions],
        "page": page_of_entity(e.id),
    }


def _evidence(items: tuple[Evidence, ...]) -> list[dict]:
    return [{"source": e.source, "paragraph": e.paragraph} for e in items]
