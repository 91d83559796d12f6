"""A serving process's rebuild takes what each group's discrepancy is made of from its last
build when the group's facts are the same (discrepancies._KeptParts), and compares alike."""
from __future__ import annotations

from dataclasses import replace

from builder.cache import source_memo
from builder.compare import compare_sources, discrepancies
from tests.test_compare import article, glossary_for

_NAMES = {"Varna": ("varna", "PLACE"), "Ruse": ("ruse", "PLACE")}


def _reports():
    reports = {"a-wire": ("6.1", "Monday", "12", "40"), "b-daily": ("6.3", "Monday", "14", "40"),
               "c-post": ("6.1", "Tuesday", "12", "45"), "d-news": ("6.1", "Monday", "15", "40")}
    return [article(source, f"A magnitude {magnitude} quake struck the port of Varna on {day}, killing {toll} people.",
                    f"The old ferry to Ruse carried {cars} cars across the river before the bridge was built.")
            for source, (magnitude, day, toll, cars) in reports.items()]


def _counting_parts(monkeypatch) -> list[int]:
    made: list[int] = []
    parts = discrepancies._parts
    monkeypatch.setattr(discrepancies, "_parts", lambda items: made.append(len(items)) or parts(items))
    return made


def test_a_serving_rebuild_makes_no_discrepancy_again_whose_facts_are_the_same(tmp_path, monkeypatch):
    articles = [*_reports(), article("e-notes", "Tourists queued at the museum of the old town all afternoon.")]
    memo = source_memo(tmp_path / "cache", in_memory=True)
    first = compare_sources(articles, glossary_for(articles, _NAMES), memo)
    assert len(first.discrepancies) >= 3 and discrepancies._kept_parts
    # a source no group holds changes: every word weight and sentence score changes with it,
    # but each group's facts stay the same, so no group's parts are made again
    edited = [*articles[:-1], article("e-notes", "Tourists queued at the museum of the old town until dusk.")]
    made = _counting_parts(monkeypatch)
    again = compare_sources(edited, glossary_for(edited, _NAMES), memo)
    assert made == [] and len(again.discrepancies) == len(first.discrepancies)
    assert again == compare_sources(edited, glossary_for(edited, _NAMES))
    # an edit of a source in the groups: its groups are made again, alike
    changed = [*articles[:3], replace(articles[3], paragraphs=(
        articles[3].paragraphs[0], "The old ferry to Ruse carried 48 cars across the river before the bridge was built.")),
        edited[-1]]
    again = compare_sources(changed, glossary_for(changed, _NAMES), memo)
    assert made and again == compare_sources(changed, glossary_for(changed, _NAMES))


def test_a_command_line_build_keeps_no_discrepancy_parts(tmp_path):
    articles = _reports()
    compare_sources(articles, glossary_for(articles, _NAMES), source_memo(tmp_path / "serving", in_memory=True))
    assert discrepancies._kept_parts
    compare_sources(articles, glossary_for(articles, _NAMES), source_memo(tmp_path / "cache"))
    assert not discrepancies._kept_parts
