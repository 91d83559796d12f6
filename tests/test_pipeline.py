"""The whole build: cached and parallel builds give exactly the uncached serial output, a
rebuild recognises only what changed and rewrites nothing unchanged, the cache lives beside
the sources (never in docs/), and the report names every stage."""
from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

import builder.pipeline as pipeline
from benchmarks.generate import change_one_source, write_dossier
from builder.cache import CACHE_FOLDER
from builder.errors import DossierError
from builder.pipeline import BuildOptions, build
from tests.fake_recognizer import FakeRecognizer

SOURCES = 8
STAGES = ("read", "clean", "entities", "compare", "topics", "timeline", "render", "export", "write")


class FakeModel:
    """Labels every run of two capitalised words as a person: enough for the glossary and
    comparison stages to have work, without spaCy's seconds of loading."""

    def __init__(self, sources: Path) -> None:
        text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(sources.iterdir()))
        names = set(re.findall(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", text))
        self.recognizer = FakeRecognizer({name: "PERSON" for name in names})

    def __call__(self):
        return self.recognizer

    @property
    def seen(self) -> list[str]:
        return self.recognizer.seen


@pytest.fixture
def project(tmp_path, monkeypatch):
    sources = tmp_path / "sources"
    write_dossier(sources, SOURCES, seed=3)
    model = FakeModel(sources)
    monkeypatch.setattr(pipeline, "load_recognizer", model)
    return tmp_path, model


def snapshot(docs: Path) -> dict[str, bytes]:
    """Every file the build published (the cache folder inside docs is no output)."""
    return {str(p.relative_to(docs)): p.read_bytes() for p in sorted(docs.rglob("*"))
            if p.is_file() and CACHE_FOLDER not in p.relative_to(docs).parts}


def test_a_cached_build_writes_exactly_what_an_uncached_one_does(project):
    root, _ = project
    build(root / "sources", root / "plain", options=BuildOptions(cache=False))
    build(root / "sources", root / "cold", options=BuildOptions(cache=True))
    build(root / "sources", root / "warm", options=BuildOptions(cache=True))
    plain = snapshot(root / "plain")
    assert len(plain) > SOURCES
    assert snapshot(root / "cold") == plain
    assert snapshot(root / "warm") == plain


def test_changing_one_source_recognises_only_that_sources_new_paragraph(project):
    root, model = project
    build(root / "sources", root / "docs")
    before = len(model.seen)
    changed = change_one_source(root / "sources", stamp="(test)")
    build(root / "sources", root / "docs")
    new = model.seen[before:]
    assert len(new) == 1 and "(test)" in new[0], new
    assert changed.suffix in (".txt", ".md", ".html")


def test_a_rebuild_after_one_change_equals_a_fresh_build(project):
    root, _ = project
    build(root / "sources", root / "docs")
    change_one_source(root / "sources", stamp="(test)")
    build(root / "sources", root / "docs")
    build(root / "sources", root / "fresh", options=BuildOptions(cache=False))
    assert snapshot(root / "docs") == snapshot(root / "fresh")


def test_an_unchanged_rebuild_rewrites_no_file(project):
    root, _ = project
    build(root / "sources", root / "docs")
    report = build(root / "sources", root / "docs")
    assert report.written.written == ()
    assert report.written.unchanged > SOURCES


def test_the_cache_sits_in_a_hidden_folder_inside_docs_and_nowhere_else(project):
    """The contract: a build writes nowhere outside --docs. MkDocs publishes no dot-folder."""
    root, _ = project
    before = {p for p in root.rglob("*") if "docs" not in p.relative_to(root).parts}
    build(root / "sources", root / "docs")
    assert (root / "docs" / CACHE_FOLDER / "recognition.sqlite3").is_file()
    assert {p for p in root.rglob("*") if "docs" not in p.relative_to(root).parts} == before


def test_no_cache_option_leaves_no_cache_behind(project):
    root, _ = project
    build(root / "sources", root / "docs", options=BuildOptions(cache=False))
    assert not list(root.rglob(CACHE_FOLDER))


def test_a_cache_folder_can_be_chosen(project):
    root, _ = project
    build(root / "sources", root / "docs", options=BuildOptions(cache_folder=root / "elsewhere"))
    assert (root / "elsewhere" / "recognition.sqlite3").is_file()
    assert not (root / "docs" / CACHE_FOLDER).exists()


def test_the_report_times_every_stage_in_order(project):
    root, _ = project
    report = build(root / "sources", root / "docs")
    assert tuple(stage for stage, _ in report.stage_seconds) == STAGES
    assert all(seconds >= 0 for _, seconds in report.stage_seconds)
    assert report.timings().startswith("stage times: read ")
    assert f"{SOURCES} sources read, 0 skipped" in report.summary()


def test_jobs_default_to_one_per_core_and_never_below_one(monkeypatch):
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 6)
    assert BuildOptions().workers() == 6
    assert BuildOptions(jobs=3).workers() == 3
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: None)
    assert BuildOptions().workers() == 1


def test_the_command_line_passes_jobs_and_no_cache_to_the_build(tmp_path, monkeypatch):
    from builder import cli

    seen = {}

    def fake_build(sources, docs, site=None, options=None):
        seen["options"] = options
        raise DossierError("stop here")

    monkeypatch.setattr(pipeline, "build", fake_build)
    (tmp_path / "src").mkdir()
    assert cli.main(["build", "--sources", str(tmp_path / "src"), "--docs", str(tmp_path / "docs"),
                     "--jobs", "3", "--no-cache", "--quiet"]) == 1
    assert seen["options"].jobs == 3 and seen["options"].cache is False


def test_the_command_line_refuses_zero_jobs(tmp_path, capsys):
    from builder import cli

    with pytest.raises(SystemExit):
        cli.main(["build", "--sources", str(tmp_path), "--jobs", "0"])
    assert "1 or more" in capsys.readouterr().err


# --- reusing the last build when nothing it depends on changed ---------------------------------

def test_an_unchanged_rebuild_reuses_the_last_build_without_running_a_stage(project):
    root, model = project
    first = build(root / "sources", root / "docs")
    seen = len(model.seen)
    again = build(root / "sources", root / "docs")
    assert [stage for stage, _ in again.stage_seconds] == ["read"]
    assert again.outline == first.outline and again.summary().split(";")[0] == first.summary().split(";")[0]
    assert again.written.written == () and again.written.unchanged == first.written.unchanged + len(first.written.written)
    assert len(model.seen) == seen


def test_a_deleted_generated_page_makes_the_next_build_run_and_restore_it(project):
    root, _ = project
    build(root / "sources", root / "docs")
    page = next((root / "docs" / "sources").glob("*.md"))
    content = page.read_bytes()
    page.unlink()
    report = build(root / "sources", root / "docs")
    assert "clean" in dict(report.stage_seconds)
    assert page.read_bytes() == content


def test_a_changed_source_or_editorial_file_makes_the_next_build_run(project):
    root, _ = project
    build(root / "sources", root / "docs")
    (root / "sources" / "glossary.yml").write_text("hide: []\n", encoding="utf-8")
    assert "clean" in dict(build(root / "sources", root / "docs").stage_seconds)
    change_one_source(root / "sources", stamp="(again)")
    assert "clean" in dict(build(root / "sources", root / "docs").stage_seconds)


def test_a_change_to_the_builders_code_makes_the_next_build_run(project, monkeypatch):
    import builder.cache as cache

    root, _ = project
    build(root / "sources", root / "docs")
    monkeypatch.setattr(cache, "_code_fingerprint", lambda: "an edited builder")
    assert "clean" in dict(build(root / "sources", root / "docs").stage_seconds)


def test_the_last_builds_warnings_are_given_again_when_it_is_reused(project, monkeypatch, caplog):
    import logging

    root, _ = project
    real_compare = pipeline.compare_sources

    def compare_with_a_warning(*args):
        logging.getLogger("builder.compare").warning("sources/x.txt: a warning from a stage")
        return real_compare(*args)

    monkeypatch.setattr(pipeline, "compare_sources", compare_with_a_warning)
    build(root / "sources", root / "docs")
    caplog.clear()
    with caplog.at_level(logging.INFO):
        report = build(root / "sources", root / "docs")
    assert [stage for stage, _ in report.stage_seconds] == ["read"]
    warnings = [(r.name, r.getMessage()) for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [("builder.compare", "sources/x.txt: a warning from a stage")]


def test_a_damaged_last_build_file_is_ignored(project):
    root, _ = project
    build(root / "sources", root / "docs")
    (root / "docs" / CACHE_FOLDER / "last-build.pickle").write_bytes(b"not a pickle")
    assert "clean" in dict(build(root / "sources", root / "docs").stage_seconds)


def test_progress_is_told_each_stage_in_order_and_the_paragraphs_recognised(project):
    root, _ = project
    events = []
    build(root / "sources", root / "docs", options=BuildOptions(progress=lambda *event: events.append(event)))
    stages = [what for what, _, _ in events if what != "recognising names"]
    assert stages == list(STAGES)
    assert [done for what, done, _ in events if what != "recognising names"] == list(range(len(STAGES)))
    recognised = [(done, total) for what, done, total in events if what == "recognising names"]
    assert recognised and recognised[-1][0] == recognised[-1][1] > 0


def test_the_progress_bar_names_the_stage_and_counts_paragraphs(capsys):
    from builder.cli import _ProgressBar

    with _ProgressBar(enabled=True) as bar:
        bar.update("compare", 3, 9)
        bar.update("recognising names", 500, 1000)
    shown = capsys.readouterr().err
    assert "building: compare" in shown and "3/9" in shown
    assert "recognising names" in shown and "500/1000" in shown
    with _ProgressBar(enabled=False) as bar:
        bar.update("compare", 3, 9)
    assert capsys.readouterr().err == ""


def test_a_bar_is_only_worth_it_for_many_sources(tmp_path):
    from builder import cli

    for n in range(cli._PROGRESS_MIN_FILES - 1):
        (tmp_path / f"{n}.txt").write_text("x")
    assert not cli._many_sources(tmp_path)
    (tmp_path / "one-more.txt").write_text("x")
    assert cli._many_sources(tmp_path)


def test_the_cycle_collector_stays_paused_through_the_stages_and_is_restored_after(project, monkeypatch):
    import gc

    root, _ = project
    seen = []
    real_entities, real_compare = pipeline.find_entities, pipeline.compare_sources

    def entities_that_reenable_the_collector(*args):
        gc.enable()                      # as loading the spaCy model does (msgpack)
        return real_entities(*args)

    def compare_watched(*args):
        seen.append(gc.get_count()[0] < gc.get_threshold()[0] and gc.get_threshold()[0] >= 2**20)
        return real_compare(*args)

    monkeypatch.setattr(pipeline, "find_entities", entities_that_reenable_the_collector)
    monkeypatch.setattr(pipeline, "compare_sources", compare_watched)
    before = (gc.isenabled(), gc.get_threshold())
    build(root / "sources", root / "docs")
    assert seen == [True]
    assert (gc.isenabled(), gc.get_threshold()) == before


def test_the_last_build_keeps_its_outline_and_not_its_records(project):
    from builder.model import Article, Outline

    root, _ = project
    first = build(root / "sources", root / "docs")
    kept = pickle.loads((root / "docs" / CACHE_FOLDER / "last-build.pickle").read_bytes())
    assert sorted(kept) == ["docs", "inputs", "outline", "warnings"]
    assert kept["outline"] == first.outline == Outline.of(first.dossier)
    assert [title for _, title in first.outline.sources] == [a.title for a in first.dossier.articles]
    assert not any(isinstance(value, Article) for value in _walk(kept))


def _walk(value):
    yield value
    if isinstance(value, (tuple, list)):
        for item in value:
            yield from _walk(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)


# --- a process that builds again and again (mkdocs serve) --------------------------------------

SERVING = BuildOptions(serving=True)


@pytest.fixture
def serving_project(project, monkeypatch):
    import builder.cache as cache

    monkeypatch.setattr(cache._InMemory, "_kept", {})
    return project


def test_serving_rebuilds_after_changes_equal_fresh_builds(serving_project):
    root, _ = serving_project
    build(root / "sources", root / "docs", options=SERVING)
    for stamp in ("(first edit)", "(second edit)"):
        change_one_source(root / "sources", stamp=stamp)
        build(root / "sources", root / "docs", options=SERVING)
        build(root / "sources", root / root.name / stamp, options=BuildOptions(cache=False))
        assert snapshot(root / "docs") == snapshot(root / root.name / stamp)


def test_a_command_line_build_after_serving_reuses_the_served_build(serving_project):
    root, model = serving_project
    first = build(root / "sources", root / "docs", options=SERVING)
    again = build(root / "sources", root / "docs", options=SERVING)
    assert [stage for stage, _ in again.stage_seconds] == ["read"]
    seen = len(model.seen)
    later = build(root / "sources", root / "docs")   # then `mkdocs build`, in a new process
    assert [stage for stage, _ in later.stage_seconds] == ["read"]
    assert later.outline == first.outline and len(model.seen) == seen


def test_serving_does_not_reuse_a_last_build_whose_pages_were_touched(serving_project):
    root, _ = serving_project
    build(root / "sources", root / "docs", options=SERVING)
    page = next((root / "docs" / "sources").glob("*.md"))
    content = page.read_bytes()
    page.write_text("edited by hand", encoding="utf-8")
    assert "clean" in dict(build(root / "sources", root / "docs", options=SERVING).stage_seconds)
    assert page.read_bytes() == content


def _last_build_state() -> dict[str, object]:
    return {what: getattr(owner, name) for what, (owner, name, _) in pipeline.last_build_state().items()}


@pytest.fixture
def no_last_build_state():
    pipeline.forget_last_build()
    yield
    pipeline.forget_last_build()


def test_only_a_serving_build_of_a_dossier_it_can_afford_keeps_the_last_build(
        serving_project, monkeypatch, no_last_build_state):
    root, _ = serving_project
    build(root / "sources", root / "docs")                       # the command line: one build, then the process ends
    assert not any(_last_build_state().values()), _last_build_state()
    change_one_source(root / "sources", stamp="(edit)")
    build(root / "sources", root / "docs", options=SERVING)
    kept = _last_build_state()
    assert kept["cache entries"] and kept["merge of names"] is not None and kept["paragraph digests"] \
        and kept["compare sections"] and kept["numbered statements"] and kept["term tallies"]
    # The dossier grows past what a serving process keeps: what it kept is let go, not held on.
    monkeypatch.setattr(pipeline, "SERVING_IN_MEMORY_SOURCES", SOURCES - 1)
    change_one_source(root / "sources", stamp="(second edit)")
    build(root / "sources", root / "docs", options=SERVING)
    assert not any(_last_build_state().values()), _last_build_state()


def test_a_preparing_build_after_an_unchanged_one_fills_what_the_stages_keep(serving_project, no_last_build_state):
    """A build server's first build may answer with the last build's files; its preparing build
    then holds every stage's work, also where a whole result is taken from the cache (the
    topics found, the discrepancies), whose computing is what fills the stages' kept state."""
    root, _ = serving_project
    build(root / "sources", root / "docs")                              # the command line
    assert [stage for stage, _ in build(root / "sources", root / "docs", options=SERVING).stage_seconds] == ["read"]
    assert not _last_build_state()["term tallies"]
    prepared = build(root / "sources", root / "docs", options=BuildOptions(serving=True, preparing=True))
    assert "compare" in dict(prepared.stage_seconds) and not prepared.written.written
    kept = _last_build_state()
    assert kept["term tallies"] and kept["located facts"] and kept["cache entries"]


def test_serving_keeps_results_in_memory_only_up_to_a_size(serving_project, monkeypatch):
    import builder.cache as cache

    root, _ = serving_project
    monkeypatch.setattr(pipeline, "SERVING_IN_MEMORY_SOURCES", SOURCES - 1)
    build(root / "sources", root / "docs", options=SERVING)
    assert cache._InMemory._kept == {}
    monkeypatch.setattr(pipeline, "SERVING_IN_MEMORY_SOURCES", SOURCES)
    change_one_source(root / "sources", stamp="(edit)")
    build(root / "sources", root / "docs", options=SERVING)
    assert cache._InMemory._kept


def test_a_serving_build_freezes_what_it_holds_and_walks_it_only_every_few_builds(serving_project, monkeypatch):
    """Walking the ~200,000 objects a build adds at 1,000 sources cost 0.1-0.25 s of every
    preview rebuild: the collector runs only at the periodic full collection."""
    import gc
    import itertools

    root, _ = serving_project
    monkeypatch.setattr(pipeline, "_FULL_COLLECTION_EVERY", 3)
    monkeypatch.setattr(pipeline, "_serving_builds", itertools.count())
    collections, collect = [], gc.collect
    monkeypatch.setattr(gc, "collect", lambda *generation: collections.append(generation) or collect(*generation))
    made = []
    try:
        for edit in range(4):
            change_one_source(root / "sources", stamp=f"(edit {edit})")
            build(root / "sources", root / "docs", options=SERVING)
            made.append(len(collections))
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert made == [1, 1, 1, 2]


def test_cycles_that_die_after_being_frozen_are_collected_by_the_periodic_full_collection(serving_project, monkeypatch):
    import gc
    import weakref

    root, _ = serving_project
    monkeypatch.setattr(pipeline, "_FULL_COLLECTION_EVERY", 1)
    alive = _Cycle()
    try:
        build(root / "sources", root / "docs", options=SERVING)
        assert gc.is_tracked(alive) and gc.get_freeze_count() > 0    # frozen with the rest
        dead = weakref.ref(alive)
        del alive
        change_one_source(root / "sources", stamp="(edit)")
        build(root / "sources", root / "docs", options=SERVING)
        assert dead() is None
    finally:
        gc.unfreeze()


class _Cycle:
    def __init__(self) -> None:
        self.me = self
