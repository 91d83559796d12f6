"""dossier.json: the contract's shape, offsets that point at the mention, byte-stable output."""
import json
import math
from dataclasses import replace

import pytest

from builder import export
from builder.export import export_dossier
from builder.model import DENSE_SIMILARITY_LIMIT, Claim, Evidence, RemovedLine, Similarity
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


# --- a process that exports again and again writes again only the pieces that changed -------

def edits():
    """Each kind of record changed in one place: (what, the edited dossier)."""
    d = quake_dossier()
    one, two = d.articles
    city, person = d.glossary.entities[1], d.glossary.entities[0]
    c = d.comparison
    return [
        ("a paragraph", replace(d, articles=(replace(one, paragraphs=(one.paragraphs[0], "Changed.")), two))),
        ("a removed line's reason", replace(d, articles=(one, replace(two, removed=(RemovedLine("x", "ad"),))))),
        ("a mention", replace(d, glossary=replace(d.glossary, entities=(
            person, replace(city, mentions=city.mentions[:1]))))),
        ("a quotation's speaker", replace(d, comparison=replace(c, quotes=(replace(c.quotes[0], speaker=None),)))),
        ("a variant's evidence", replace(d, comparison=replace(c, discrepancies=(replace(c.discrepancies[0], variants=(
            c.discrepancies[0].variants[0], replace(c.discrepancies[0].variants[1], evidence=(Evidence("two", 1),)))),)))),
        ("a score that is an integer", replace(d, comparison=replace(c, discrepancies=(replace(c.discrepancies[0], score=1),)))),
        ("a claim", replace(d, comparison=replace(c, unique_claims=(Claim("one", 1, "Other."),)))),
        ("a claim of another source", replace(d, comparison=replace(c, unique_claims=c.unique_claims + (Claim("two", 0, "x"),)))),
        ("a corroboration", replace(d, comparison=replace(c, corroboration=(replace(c.corroboration[0], supporting=()),
                                                                            c.corroboration[1])))),
        ("a neighbour", with_similarity(d, Similarity(("one", "two"), (), ((("two", 0.5),), ())))),
        ("a group", replace(d, comparison=replace(c, groups=()))),
        ("a topic's paragraphs", replace(d, topics=(replace(d.topics[0], paragraphs=(Evidence("two", 0),)),))),
        ("a timeline entry", replace(d, timeline=(replace(d.timeline[0], inferred=True),))),
        ("a skipped file", replace(d, skipped=())),
    ]


@pytest.mark.parametrize("what, edited", edits(), ids=[what for what, _ in edits()])
def test_an_export_after_an_edit_gives_the_bytes_of_a_fresh_export(what, edited, monkeypatch):
    export_dossier(quake_dossier(), keep=True)
    again = export_dossier(edited, keep=True)   # its UTF-8 bytes, ready to write
    fresh = export_dossier(edited)    # nothing kept: all written at once, a str
    assert again == fresh.encode("utf-8")
    assert fresh == json.dumps(json.loads(fresh), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    assert again != export_dossier(quake_dossier()).encode("utf-8"), f"{what}: the edit should show in dossier.json"


def written_again(monkeypatch) -> list[tuple]:
    """The keys of the pieces the next exports write (rather than take from the last export)."""
    keys: list[tuple] = []
    real = export._written_apart

    def spy(pieces):
        keys.extend(key for key, _, _ in pieces)
        return real(pieces)
    monkeypatch.setattr(export, "_written_apart", spy)
    return keys


def test_an_edited_paragraph_writes_again_only_its_sources_piece(monkeypatch):
    d = quake_dossier()
    export_dossier(d, keep=True)
    keys = written_again(monkeypatch)
    one = d.articles[0]
    export_dossier(replace(d, articles=(replace(one, paragraphs=(one.paragraphs[0], "Changed.")), d.articles[1])),
                   keep=True)
    assert [key[:2] for key in keys] == [("source", "one")]
    keys.clear()
    export_dossier(d, keep=True)   # equal records in new objects are the same pieces
    assert [key[:2] for key in keys] == [("source", "one")]
    keys.clear()
    export_dossier(quake_dossier(), keep=True)
    assert keys == []


def test_an_export_not_told_to_keep_keeps_nothing_for_the_next(monkeypatch):
    export_dossier(quake_dossier(), keep=True)
    export_dossier(quake_dossier())
    assert export._Pieces._kept == {}
    keys = written_again(monkeypatch)
    export_dossier(quake_dossier(), keep=True)     # so every piece is written again
    assert ("source", "one") in [key[:2] for key in keys] and export._Pieces._kept


def test_values_json_tells_apart_are_different_pieces():
    d = quake_dossier()
    toll = d.comparison.discrepancies[0]

    def scored(score):
        return replace(d, comparison=replace(d.comparison, discrepancies=(replace(toll, score=score),)))
    texts = [json.loads(export_dossier(scored(score)))["discrepancies"][0]["score"] for score in (1.0, 1, True, 1.0)]
    assert [type(t) for t in texts] == [float, int, bool, float]


# --- the digests of the pieces that hold one record, shared with the page keys -----------------

def test_piece_digests_of_the_dossier_just_exported_are_the_exports_own(monkeypatch):
    d = quake_dossier()
    export_dossier(d, keep=True)
    digested = []
    real = export.pickled_digests
    monkeypatch.setattr(export, "pickled_digests", lambda keys: digested.append(keys) or real(keys))
    named = export.piece_digests(d)
    assert not digested, "the export of this very dossier digested its pieces already"
    assert {kind for kind, _ in named} == {"source", "entity", "quote", "discrepancy", "claims", "corroboration", "topic"}
    # an equal dossier in new objects is digested again, to the same digests
    assert export.piece_digests(quake_dossier()) == named and digested


def test_piece_digests_change_with_the_record_they_name_and_only_it():
    d = quake_dossier()
    before = export.piece_digests(d)
    city = d.glossary.entities[0]
    edited = replace(d, glossary=replace(d.glossary, entities=(replace(city, mentions=city.mentions[1:]),)
                                         + d.glossary.entities[1:]))
    export_dossier(d, keep=True)   # the export of another dossier is not taken for the edited one's
    after = export.piece_digests(edited)
    assert [name for name in before if before[name] != after[name]] == [("entity", city.id)]
    claims = replace(d, comparison=replace(d.comparison, unique_claims=d.comparison.unique_claims + (
        Claim("two", 0, "Another claim."),)))
    changed = export.piece_digests(claims)
    assert changed[("claims", "two")] != before.get(("claims", "two"))
    assert {name: digest for name, digest in changed.items() if name != ("claims", "two")} == \
        {name: digest for name, digest in before.items() if name != ("claims", "two")}
