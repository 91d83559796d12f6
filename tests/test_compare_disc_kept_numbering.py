"""A serving process's rebuild takes each unchanged source's numbered statements and located
facts from its last build (align._numbered, discrepancies._located_facts) and compares alike."""
from __future__ import annotations

from dataclasses import replace

from builder.cache import source_memo
from builder.compare import align, compare_sources, discrepancies
from builder.compare.align import align_statements
from tests.test_compare import article, glossary_for

_NAMES = {"Varna": ("varna", "PLACE")}


def _reports():
    tolls = {"a-wire": ("6.1", "Monday", "12"), "b-daily": ("6.3", "Monday", "14"),
             "c-post": ("6.1", "Tuesday", "12"), "d-news": ("6.1", "Monday", "15")}
    return [article(source, f"A magnitude {magnitude} quake struck the port of Varna on {day}, killing {toll} people.",
                    "Rescue teams searched the collapsed warehouses of the old harbour.")
            for source, (magnitude, day, toll) in tolls.items()]


def _statements_of(alignment, source: str):
    return [s for s in alignment.statements if s.source == source]


def test_a_serving_rebuild_takes_the_unchanged_sources_numbered_statements_again(tmp_path):
    articles = _reports()
    memo = source_memo(tmp_path / "cache", in_memory=True)
    first = align_statements(articles, glossary_for(articles, _NAMES), memo)
    # the last source gains a paragraph: every source before it keeps its first number
    edited = [*articles[:-1], replace(articles[-1], paragraphs=articles[-1].paragraphs + ("Schools stayed shut.",))]
    warm = align_statements(edited, glossary_for(edited, _NAMES), memo)
    assert warm == align_statements(edited, glossary_for(edited, _NAMES))
    for source in ("b-daily", "c-post"):   # numbered from past 0: copies unless kept
        assert all(a is b for a, b in zip(_statements_of(first, source), _statements_of(warm, source), strict=True))
    # the first source gains a paragraph: the others move, and are numbered afresh
    moved = [replace(articles[0], paragraphs=articles[0].paragraphs + ("Schools stayed shut.",)), *articles[1:]]
    shifted = align_statements(moved, glossary_for(moved, _NAMES), memo)
    assert shifted == align_statements(moved, glossary_for(moved, _NAMES))
    assert [s.index for s in shifted.statements] == list(range(len(shifted.statements)))


def test_a_serving_rebuild_takes_the_unchanged_sources_located_facts_again_and_compares_alike(tmp_path):
    articles = _reports()
    memo = source_memo(tmp_path / "cache", in_memory=True)
    compare_sources(articles, glossary_for(articles, _NAMES), memo)
    kept = dict(discrepancies._kept_located)
    assert len(kept) == len(articles) and all(facts for facts, _ in kept.values())
    edited = [*articles[:-1], replace(articles[-1], paragraphs=("A magnitude 6.4 quake struck Varna on Monday.",))]
    again = compare_sources(edited, glossary_for(edited, _NAMES), memo)
    rebuilt = dict(discrepancies._kept_located)
    assert again == compare_sources(edited, glossary_for(edited, _NAMES))
    assert again.discrepancies
    unchanged = [key for key in kept if key in rebuilt]
    assert len(unchanged) == len(articles) - 1 and all(rebuilt[key] is kept[key] for key in unchanged)


def test_a_command_line_build_keeps_no_numbered_statements_nor_located_facts(tmp_path):
    articles = _reports()
    compare_sources(articles, glossary_for(articles, _NAMES), source_memo(tmp_path / "serving", in_memory=True))
    assert align._kept_numbered and discrepancies._kept_located
    compare_sources(articles, glossary_for(articles, _NAMES), source_memo(tmp_path / "cache"))
    assert not align._kept_numbered and not discrepancies._kept_located


def test_a_serving_rebuild_moves_the_located_facts_of_sources_after_an_edit_rather_than_locating_them(
        tmp_path, monkeypatch):
    articles = _reports()
    memo = source_memo(tmp_path / "cache", in_memory=True)
    compare_sources(articles, glossary_for(articles, _NAMES), memo)
    # the first source gains a sentence: every source after it is numbered one further
    moved = [replace(articles[0], paragraphs=articles[0].paragraphs + ("Schools stayed shut.",)), *articles[1:]]
    located_for: list[set[str]] = []
    locate = discrepancies.locate_facts
    monkeypatch.setattr(discrepancies, "locate_facts",
                        lambda statements: located_for.append({s.source for s in statements}) or locate(statements))
    again = compare_sources(moved, glossary_for(moved, _NAMES), memo)
    assert located_for == [{"a-wire"}]
    located = [item for facts, _ in discrepancies._kept_located.values() for item in facts]
    monkeypatch.setattr(discrepancies, "locate_facts", locate)
    assert again == compare_sources(moved, glossary_for(moved, _NAMES))
    alignment = align_statements(moved, glossary_for(moved, _NAMES))
    assert {item.source for item in located} == {a.id for a in moved}
    for item in located:   # each moved fact's statement is the one now at its number
        assert item.statement == alignment.statements[item.statement.index]
        assert item.fact in item.statement.facts
