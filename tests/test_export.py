"""dossier.json: the contract's shape, offsets that point at the mention, byte-stable output."""
import json

from builder.export import export_dossier
from tests.dossiers import quake_dossier

CONTRACT_KEYS = {"schema", "sources", "entities", "quotes", "discrepancies", "unique_claims", "similarity", "topics", "timeline"}


def test_every_contract_field_is_present_with_its_type():
    data = json.loads(export_dossier(quake_dossier()))
    assert CONTRACT_KEYS <= set(data)
    assert data["schema"] == 1
    source = data["sources"][0]
    for key, kind in {"id": str, "path": str, "sha256": str, "title": str, "paragraphs": list, "removed": list, "page": str}.items():
        assert isinstance(source[key], kind), key
    assert source["page"] == "sources/one.md"
    entity = data["entities"][0]
    assert set(entity) >= {"id", "name", "type", "aliases", "mentions", "page"}
    assert set(data["quotes"][0]["occurrences"][0]) >= {"source", "paragraph", "text"}
    assert set(data["discrepancies"][0]["variants"][0]) >= {"value", "sources", "evidence"}
    assert data["similarity"] == {"sources": ["one", "two"], "matrix": [[1.0, 0.4], [0.4, 1.0]]}
    assert set(data["topics"][0]) >= {"id", "label", "keywords", "sources", "page"}
    assert set(data["timeline"][0]) >= {"date", "text", "sources"}


def test_mention_offsets_point_at_the_mention_in_its_paragraph():
    data = json.loads(export_dossier(quake_dossier()))
    paragraphs = {s["id"]: s["paragraphs"] for s in data["sources"]}
    for entity in data["entities"]:
        for m in entity["mentions"]:
            assert paragraphs[m["source"]][m["paragraph"]][m["start"]:m["end"]] in entity["aliases"]


def test_the_same_dossier_gives_the_same_bytes():
    assert export_dossier(quake_dossier()) == export_dossier(quake_dossier())
