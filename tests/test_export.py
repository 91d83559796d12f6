"""dossier.json: the contract's shape, offsets that point at the mention, byte-stable output."""
import json
import math
from dataclasses import replace

import pytest

from builder.export import export_dossier
from builder.model import DENSE_SIMILARITY_LIMIT, Claim, Similarity
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
    assert data["similarity"]["sources"] == ["one", "two"] and data["similarity"]["matrix"] == [[1.0, 0.4], [0.4, 1.0]]
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


def with_similarity(dossier, similarity):
    return replace(dossier, comparison=replace(dossier.comparison, similarity=similarity))


def test_similarity_gives_each_sources_nearest_neighbours_and_the_dense_limit():
    similarity = Similarity(("a", "b", "c"), ((1.0, 0.5, 0.0), (0.5, 1.0, 0.25), (0.0, 0.25, 1.0)),
                            ((("b", 0.5),), (("a", 0.5), ("c", 0.25)), (("b", 0.25),)))
    data = json.loads(export_dossier(with_similarity(quake_dossier(), similarity)))
    assert data["similarity"]["neighbours"] == {"a": [["b", 0.5]], "b": [["a", 0.5], ["c", 0.25]], "c": [["b", 0.25]]}
    assert data["similarity"]["dense_limit"] == DENSE_SIMILARITY_LIMIT == 500


def test_above_the_dense_limit_the_matrix_is_empty_and_the_neighbours_remain():
    similarity = Similarity(("a", "b", "c"), (), ((("c", 0.125),), (), (("a", 0.125),)))
    data = json.loads(export_dossier(with_similarity(quake_dossier(), similarity)))
    assert data["similarity"]["matrix"] == []
    assert data["similarity"]["neighbours"] == {"a": [["c", 0.125]], "b": [], "c": [["a", 0.125]]}


AWKWARD = ' 100% %s %(x)s "quoted" back\\slash \x00 nul \x1f tab\t new\nline \u2028 é 😀 ]\x00[ },\n {'


@pytest.mark.parametrize("hostile", ["", AWKWARD])
def test_the_text_is_exactly_the_standard_librarys_indented_sorted_json(hostile):
    d = quake_dossier(hostile)
    odd = (Claim("two" + hostile, 7, hostile), Claim("two", -1, ""))
    similarity = Similarity(("one", "two"), ((1.0, 1e-05), (1e-05, 1.0)), ((("two", 1e-05),), (("one" + hostile, math.inf),)))
    d = replace(d, comparison=replace(d.comparison, unique_claims=odd, similarity=similarity))
    text = export_dossier(d)
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    data = json.loads(text)
    assert data["unique_claims"][0] == {"paragraph": 7, "source": "two" + hostile, "text": hostile}
    assert data["similarity"]["neighbours"]["two"] == [["one" + hostile, math.inf]]
