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
    # a source no group holds changes: every word weight and sentence score changes with it,
    # but each group's facts stay the same
    edited = [*articles[:-1], article("e-notes", "Tourists queued at the museum of the old town until dusk.")]
    # then a source in every group gains a paragraph: its statements that were, are as they were
    grown = [*edited[:3], replace(edited[3], paragraphs=edited[3].paragraphs + ("Schools stayed shut.",)), edited[4]]
    # then a figure in one group changes
    changed = [*edited[:3], replace(edited[3], paragraphs=(
        edited[3].paragraphs[0], "The old ferry to Ruse carried 48 cars across the river before the bridge was built.")),
        edited[4]]
    # (a build without a serving memo keeps nothing: the fresh builds come first)
    fresh = [compare_sources(a, glossary_for(a, _NAMES)) for a in (edited, grown, changed)]
    memo = source_memo(tmp_path / "cache", in_memory=True)
    first = compare_sources(articles, glossary_for(articles, _NAMES), memo)
    assert len(first.discrepancies) >= 3 and discrepancies._kept_parts
    made = _counting_parts(monkeypatch)
    for dossier, expected, remade in zip((edited, grown, changed), fresh, ([], [], [4])):
        made.clear()
        assert compare_sources(dossier, glossary_for(dossier, _NAMES), memo) == expected
        assert made == remade


def test_a_command_line_build_keeps_no_discrepancy_parts(tmp_path):
    articles = _reports()
    compare_sources(articles, glossary_for(articles, _NAMES), source_memo(tmp_path / "serving", in_memory=True))
    assert discrepancies._kept_parts
    compare_sources(articles, glossary_for(articles, _NAMES), source_memo(tmp_path / "cache"))
    assert not discrepancies._kept_parts
