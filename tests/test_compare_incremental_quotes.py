"""Incremental quotations, corroboration and similarity (builder/compare: quotes.py, claims.py,
similarity.py): a rebuild with a warm memo after an edit gives what a build without memo gives,
and reads again only the sources that changed."""
from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.cache import no_memo, source_memo
from builder.compare import quotes as quotes_module
from builder.compare.align import align_statements
from builder.compare.claims import corroborate
from builder.compare.quotes import group_quotations
from builder.compare.similarity import compare_whole_sources
from conftest import spying_memo
from test_compare import article, glossary_for

_NAMES = {"Ines Varga": ("ines-varga", "PERSON"), "Varga": ("ines-varga", "PERSON"),
          "Pavel Orlov": ("pavel-orlov", "PERSON"), "Harbour Authority": ("harbour-authority", "ORG")}


def _port_strike() -> list:
    """Four outlets on a dock strike: a shared quotation, a paraphrase without marks, a wire copy."""
    wire = ("Dock workers walked off the job at the northern harbour on Tuesday, halting container traffic "
            "for the second time this year. The Harbour Authority said ships were waiting offshore.")
    return [
        article("dock-daily", wire, 'Union leader Ines Varga said: "We will stay out until the pay offer is fair '
                "and the night shifts are safe.\"", "Pavel Orlov, the port director, called the strike "
                "“deeply regrettable for every trader on the coast”."),
        article("coast-news", wire + " Talks resumed late in the evening.",
                "“We will stay out until the pay offer is fair,” Varga told reporters outside the gate."),
        article("harbour-post", "The strike stopped cranes along the whole quay, the Harbour Authority confirmed.",
                "Speaking at the gate, Ines Varga said, we will stay out until the pay offer is fair and the night "
                "shifts are made safe for every crew."),
        article("trade-wire", "Freight rates rose after the stoppage, brokers said.",
                'Pavel Orlov said the dispute was "deeply regrettable for every trader on the coast" and urged talks.'),
    ]


def _edits(articles: list) -> dict[str, list]:
    first = articles[0]
    return {
        "append": [replace(first, paragraphs=first.paragraphs + ('Orlov added: "The port must open again soon."',))]
        + articles[1:],
        "number": [articles[0], replace(articles[1], paragraphs=tuple(p.replace("second", "third")
                                                                      for p in articles[1].paragraphs))]
        + articles[2:],
        "remove": articles[:2] + articles[3:],
        "add": articles + [replace(articles[1], id="coast-copy", path="coast-copy.txt")],
    }


def _compare_mine(articles, memo):
    glossary = glossary_for(articles, _NAMES)
    alignment = align_statements(tuple(articles), glossary)
    similarity, near_copies, _ = compare_whole_sources(tuple(articles), memo)
    quotes = group_quotations(tuple(articles), glossary, alignment, memo)
    corroboration, claims = corroborate(tuple(articles), alignment, near_copies, quotes, memo)
    return similarity, near_copies, quotes, corroboration, claims


def test_each_edit_rebuilt_with_a_warm_memo_equals_a_build_without_memo(tmp_path):
    base = _port_strike()
    for name, edited in _edits(base).items():
        memo = source_memo(tmp_path / name, in_memory=True)
        _compare_mine(base, memo)
        assert _compare_mine(edited, memo) == _compare_mine(edited, no_memo), name
        assert _compare_mine(edited, memo) == _compare_mine(edited, no_memo), name   # and once more, all kept


def test_a_rebuild_reads_again_only_the_sources_that_changed(tmp_path):
    base = _port_strike()
    memo = source_memo(tmp_path / "memo", in_memory=True)
    _compare_mine(base, memo)
    computed: list = []
    edited = _edits(base)["append"]
    _compare_mine(edited, spying_memo(memo, computed))
    assert sorted(computed) == [("source quotations", 0), ("source vocabulary", 0)]


def test_a_rebuild_makes_again_only_the_quotations_of_groups_whose_occurrences_changed(tmp_path, monkeypatch):
    base = _port_strike()
    memo = source_memo(tmp_path / "memo", in_memory=True)
    _compare_mine(base, memo)
    chosen: list = []
    representative = quotes_module._representative
    monkeypatch.setattr(quotes_module, "_representative", lambda group: chosen.append(group) or representative(group))
    for name, edited_source in (("number", "coast-news"), ("append", "dock-daily")):
        edited = _edits(base)[name]
        fresh = _compare_mine(edited, no_memo)[2]
        chosen.clear()
        assert _compare_mine(edited, memo)[2] == fresh
        # the sources read again give new occurrences: their groups alone are made again
        assert chosen and all(edited_source in [q.source for q in group] for group in chosen), name
        assert len(chosen) == sum(edited_source in quote.sources for quote in fresh), name


def test_a_source_is_read_for_quotations_again_when_the_people_named_in_it_change(tmp_path):
    articles = _port_strike()
    memo = source_memo(tmp_path / "memo", in_memory=True)
    glossary = glossary_for(articles, _NAMES)
    group_quotations(tuple(articles), glossary, align_statements(tuple(articles), glossary), memo)
    fewer = glossary_for(articles, {k: v for k, v in _NAMES.items() if k != "Pavel Orlov"})
    computed: list = []
    quotes = group_quotations(tuple(articles), fewer, align_statements(tuple(articles), fewer),
                              spying_memo(memo, computed))
    # Pavel Orlov is named in dock-daily and trade-wire only
    assert sorted(index for _, index in computed) == [0, 3]
    assert quotes == group_quotations(tuple(articles), fewer, align_statements(tuple(articles), fewer))


def test_shared_quotation_found_across_outlets_with_its_speaker():
    quotes = _compare_mine(_port_strike(), no_memo)[2]
    shared = {q.text: sorted(q.sources) for q in quotes if len(q.sources) > 1}
    assert ["coast-news", "dock-daily", "harbour-post"] in shared.values()
    assert ["dock-daily", "trade-wire"] in shared.values()


def test_copies_of_one_wire_text_support_a_paragraph_once_by_the_first_copy():
    articles = _port_strike()
    copy = replace(articles[0], id="dock-copy", path="dock-copy.txt")
    _, near_copies, _, corroboration, _ = _compare_mine([copy] + articles, no_memo)
    assert [group.sources for group in near_copies] == [("dock-copy", "dock-daily", "coast-news")]
    supporting = {(r.source, r.paragraph): [(e.source, e.paragraph) for e in r.supporting] for r in corroboration}
    # Orlov's quotation in dock-copy and dock-daily: one report, named by its first copy by id
    assert supporting[("trade-wire", 1)] == [("dock-copy", 2)]
    assert supporting[("harbour-post", 1)] == [("coast-news", 1)]
    assert supporting[("dock-daily", 0)] == []


_STEMS = st.frozensets(st.sampled_from("abcdefghij"), min_size=1, max_size=7)
_SPEAKERS = st.sampled_from([None, "p-1", "p-2", "org-1"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_STEMS, _SPEAKERS), min_size=2, max_size=6),
       st.dictionaries(st.sampled_from("abcdefghij"), st.floats(min_value=0.1, max_value=5.0)))
def test_pairs_decided_on_arrays_follow_the_rule_for_one_pair(quotations, weights):
    found = [quotes_module._Found(f"s{i}", 0, 0, 1, "text", speaker, speaker, stems)
             for i, (stems, speaker) in enumerate(quotations)]
    persons = frozenset({"p-1", "p-2"})
    pairs = [(a, b) for a in range(len(found)) for b in range(a + 1, len(found))]
    got = quotes_module._same_statements(found, pairs, weights, persons).tolist()
    assert got == [_same_statement(found[a], found[b], weights, persons) for a, b in pairs]


def _same_statement(a, b, weights, persons) -> bool:
    """The rule for one pair, written out as the scalar code had it."""
    if a.speaker_id in persons and b.speaker_id in persons and a.speaker_id != b.speaker_id:
        if min(len(a.stems), len(b.stems)) < quotes_module._MIN_STEMS_OTHER_SPEAKER:
            return False
        threshold = quotes_module._SAME_STATEMENT_OTHER_SPEAKER
    elif a.speaker_id and a.speaker_id == b.speaker_id:
        threshold = quotes_module._SAME_STATEMENT_SAME_SPEAKER
    else:
        threshold = quotes_module._SAME_STATEMENT
    return quotes_module._similarity(a.stems, b.stems, weights) >= threshold
