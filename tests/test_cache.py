"""The recognition cache: answers equal to the model's, only unseen paragraphs sent to it,
invalidated by a new builder or model, harmless when broken or unwritable, and a worker
pool that gives exactly the serial answers."""
from __future__ import annotations

import logging
import sqlite3

import pytest

import builder.cache as cache
from builder.cache import CACHE_FOLDER, cached_recognizer
from tests.conftest import ROOT
from tests.fake_recognizer import FakeRecognizer

LABELS = {"Marta Ilves": "PERSON", "Tallinn": "GPE", "Baltic Port Authority": "ORG", "Monday": "DATE"}
PARAGRAPHS = [
    "Marta Ilves said on Monday that Tallinn would rebuild the quay.",
    "The Baltic Port Authority disagreed.",
    "Nobody else commented.",
]


class CountingLoader:
    """Hands out one fake model and remembers every text it was asked about."""

    def __init__(self) -> None:
        self.model = FakeRecognizer(LABELS)
        self.loads = 0

    def __call__(self):
        self.loads += 1
        return self.model

    @property
    def seen(self) -> list[str]:
        return self.model.seen


def load_fake_for_workers():
    """Module-level, so that spawned pool workers can import it."""
    return FakeRecognizer(LABELS)


def test_cached_answers_are_the_models_answers(tmp_path):
    loader = CountingLoader()
    first = cached_recognizer(loader, tmp_path / CACHE_FOLDER)(PARAGRAPHS)
    again = cached_recognizer(loader, tmp_path / CACHE_FOLDER)(PARAGRAPHS)
    assert first == again == FakeRecognizer(LABELS)(PARAGRAPHS)
    assert first[0][0] == (0, 11, "PERSON")


def test_a_second_run_sends_only_unseen_paragraphs_to_the_model(tmp_path):
    loader = CountingLoader()
    cached_recognizer(loader, tmp_path)(PARAGRAPHS)
    changed = PARAGRAPHS[:2] + ["Marta Ilves left Tallinn on Monday."]
    cached_recognizer(loader, tmp_path)(changed)
    assert loader.seen == PARAGRAPHS + ["Marta Ilves left Tallinn on Monday."]


def test_the_model_is_not_even_loaded_when_everything_is_cached(tmp_path):
    loader = CountingLoader()
    cached_recognizer(loader, tmp_path)(PARAGRAPHS)
    cached_recognizer(loader, tmp_path)(list(reversed(PARAGRAPHS)))
    assert loader.loads == 1


def test_a_paragraph_repeated_across_sources_is_recognised_once(tmp_path):
    loader = CountingLoader()
    found = cached_recognizer(loader, None)([PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[0]])
    assert loader.seen == PARAGRAPHS[:2]
    assert found[0] == found[2]


def test_a_new_builder_version_invalidates_the_cache(tmp_path, monkeypatch):
    loader = CountingLoader()
    cached_recognizer(loader, tmp_path)(PARAGRAPHS)
    monkeypatch.setattr(cache, "__version__", "999.0")
    cached_recognizer(loader, tmp_path)(PARAGRAPHS)
    assert loader.seen == PARAGRAPHS + PARAGRAPHS


def test_a_new_model_version_invalidates_the_cache(tmp_path, monkeypatch):
    loader = CountingLoader()
    cached_recognizer(loader, tmp_path)(PARAGRAPHS)
    real_version = cache.importlib.metadata.version
    monkeypatch.setattr(cache.importlib.metadata, "version",
                        lambda name: "9.9.9" if name == "spacy" else real_version(name))
    cached_recognizer(loader, tmp_path)(PARAGRAPHS)
    assert loader.seen == PARAGRAPHS + PARAGRAPHS


def test_without_a_cache_folder_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cached_recognizer(CountingLoader(), None)(PARAGRAPHS)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_cache_place_only_costs_time_never_a_warning(tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    loader = CountingLoader()
    with caplog.at_level(logging.INFO):
        found = cached_recognizer(loader, blocker / CACHE_FOLDER)(PARAGRAPHS)
    assert found == FakeRecognizer(LABELS)(PARAGRAPHS)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_corrupt_cache_file_is_started_afresh(tmp_path):
    cached_recognizer(CountingLoader(), tmp_path)(PARAGRAPHS)
    (tmp_path / "recognition.sqlite3").write_bytes(b"this is not a database" * 100)
    loader = CountingLoader()
    assert cached_recognizer(loader, tmp_path)(PARAGRAPHS) == FakeRecognizer(LABELS)(PARAGRAPHS)
    assert cached_recognizer(loader, tmp_path)(PARAGRAPHS) == FakeRecognizer(LABELS)(PARAGRAPHS)
    assert loader.seen == PARAGRAPHS      # the second run was served by the rebuilt cache


def test_entries_unused_for_a_month_are_pruned_once_they_outnumber_live_ones(tmp_path, monkeypatch):
    now = [1_700_000_000.0]
    monkeypatch.setattr(cache.time, "time", lambda: now[0])
    for round_ in range(4):
        cached_recognizer(CountingLoader(), tmp_path)([f"Round {round_}: {p}" for p in PARAGRAPHS])
    assert entries(tmp_path) == 4 * len(PARAGRAPHS)      # all recent: nothing pruned yet
    now[0] += 31 * 86400
    cached_recognizer(CountingLoader(), tmp_path)([f"Round 3: {p}" for p in PARAGRAPHS])
    assert entries(tmp_path) == len(PARAGRAPHS)


def test_two_dossiers_sharing_a_cache_folder_do_not_evict_each_other(tmp_path):
    big = [f"Story {n}: {p}" for n in range(10) for p in PARAGRAPHS]
    cached_recognizer(CountingLoader(), tmp_path)(big)
    cached_recognizer(CountingLoader(), tmp_path)(PARAGRAPHS)     # a small dossier beside it
    loader = CountingLoader()
    cached_recognizer(loader, tmp_path)(big)
    assert loader.seen == []


def entries(folder) -> int:
    with sqlite3.connect(folder / "recognition.sqlite3") as db:
        return db.execute("SELECT COUNT(*) FROM recognition").fetchone()[0]


def test_the_cache_folder_explains_itself_and_keeps_out_of_git(tmp_path):
    cached_recognizer(CountingLoader(), tmp_path / CACHE_FOLDER)(PARAGRAPHS)
    assert "Safe to delete" in (tmp_path / CACHE_FOLDER / "README.txt").read_text()
    assert (tmp_path / CACHE_FOLDER / ".gitignore").read_text().strip() == "*"


def test_progress_reports_reach_the_total(tmp_path):
    reports = []
    cached_recognizer(CountingLoader(), None, progress=lambda done, total: reports.append((done, total)))(PARAGRAPHS)
    assert reports[-1] == (len(PARAGRAPHS), len(PARAGRAPHS))


def test_a_worker_pool_gives_the_serial_answers_in_order(monkeypatch):
    monkeypatch.setattr(cache, "_POOL_MIN_TEXTS", 1)
    monkeypatch.setattr(cache, "_CHUNK", 2)     # several chunks, so order across workers matters
    texts = [f"{p} ({n})" for n in range(5) for p in PARAGRAPHS]
    serial = cached_recognizer(load_fake_for_workers, None, jobs=1)(texts)
    pooled = cached_recognizer(load_fake_for_workers, None, jobs=2)(texts)
    assert pooled == serial


def test_the_real_model_in_a_pool_gives_the_serial_answers(monkeypatch):
    """spaCy batches differently in each worker; its answers must not depend on the batch."""
    from builder.nlp import load_recognizer

    paragraphs = [p for path in sorted((ROOT / "sources").glob("*.txt"))
                  for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    monkeypatch.setattr(cache, "_POOL_MIN_TEXTS", 1)
    monkeypatch.setattr(cache, "_CHUNK", 7)
    serial = cached_recognizer(load_recognizer, None, jobs=1)(paragraphs)
    pooled = cached_recognizer(load_recognizer, None, jobs=2)(paragraphs)
    assert pooled == serial
    assert any(spans for spans in serial)


# --- per-source results ------------------------------------------------------------------------

def _counted(log_calls):
    def compute(index):
        log_calls.append(index)
        if index == 1:
            logging.getLogger("builder.clean").warning("sources/b.txt: no article text found")
        return {"index": index}
    return compute


def test_a_kept_result_is_not_computed_again_and_equals_the_computed_one(tmp_path):
    first_calls, second_calls = [], []
    first = cache.source_memo(tmp_path)("clean", ["a", "b", "c"], _counted(first_calls))
    second = cache.source_memo(tmp_path)("clean", ["c", "a", "d"], _counted(second_calls))
    assert first == [{"index": 0}, {"index": 1}, {"index": 2}]
    assert first_calls == [0, 1, 2]
    assert second_calls == [2]                      # only "d" is new
    assert second == [{"index": 2}, {"index": 0}, {"index": 2}]


def test_a_filling_memo_computes_again_only_the_results_that_fill_kept_state(tmp_path):
    cache.source_memo(tmp_path)("clean", ["a"], lambda i: "kept")
    cache.source_memo(tmp_path)("topics found", ["a"], lambda i: "kept")
    filling = cache.source_memo(tmp_path, filling=True)
    assert filling("clean", ["a"], lambda i: "computed", fills=False) == ["kept"]
    assert filling("topics found", ["a"], lambda i: "computed", fills=True) == ["computed"]
    assert cache.source_memo(tmp_path)("topics found", ["a"], lambda i: "again", fills=True) == ["computed"]


def test_a_kept_result_gives_its_warning_again(tmp_path, caplog):
    cache.source_memo(tmp_path)("clean", ["a", "b"], _counted([]))
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        cache.source_memo(tmp_path)("clean", ["a", "b"], _counted(calls := []))
    assert calls == []
    assert [r.getMessage() for r in caplog.records] == ["sources/b.txt: no article text found"]


def test_kinds_and_builder_code_keep_results_apart(tmp_path, monkeypatch):
    cache.source_memo(tmp_path)("extract", ["a"], lambda i: "extracted")
    assert cache.source_memo(tmp_path)("clean", ["a"], lambda i: "cleaned") == ["cleaned"]
    monkeypatch.setattr(cache, "_code_fingerprint", lambda: "an edited builder")
    assert cache.source_memo(tmp_path)("extract", ["a"], lambda i: "extracted again") == ["extracted again"]


def test_without_a_cache_folder_every_result_is_computed(tmp_path):
    calls = []
    assert cache.source_memo(None)("clean", ["a", "a"], _counted(calls)) == [{"index": 0}, {"index": 1}]
    assert calls == [0, 1]
    assert list(tmp_path.iterdir()) == []


def test_an_unreadable_kept_result_is_computed_afresh(tmp_path):
    cache.source_memo(tmp_path)("clean", ["a"], lambda i: "kept")
    with sqlite3.connect(tmp_path / cache._DATABASE) as db:
        db.execute("UPDATE results SET value = ?", (b"not a pickle",))
    assert cache.source_memo(tmp_path)("clean", ["a"], lambda i: "computed") == ["computed"]


def _many(calls):
    """Computes several results at once, as builder.workers does: warnings come back unlogged."""
    def many(indices):
        calls.append(list(indices))
        return [({"index": i}, (("builder.clean", logging.WARNING, f"sources/{i}.txt: odd"),) if i % 2 else ())
                for i in indices]
    return many


def test_results_computed_together_are_kept_and_warn_in_key_order(tmp_path, caplog):
    calls = []
    with caplog.at_level(logging.WARNING):
        first = cache.source_memo(tmp_path)("clean", ["a", "b", "a", "c"], many=_many(calls))
    assert calls == [[0, 1, 3]]                     # each missing key once, first occurrence
    assert first == [{"index": 0}, {"index": 1}, {"index": 0}, {"index": 3}]
    assert [r.getMessage() for r in caplog.records] == ["sources/1.txt: odd", "sources/3.txt: odd"]
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        second = cache.source_memo(tmp_path)("clean", ["c", "d", "b"], many=_many(calls))
    assert calls[1:] == [[1]]                       # only "d" is new
    assert second == [{"index": 3}, {"index": 1}, {"index": 1}]
    assert [r.getMessage() for r in caplog.records] == ["sources/3.txt: odd", "sources/1.txt: odd", "sources/1.txt: odd"]


def test_without_a_cache_folder_results_computed_together_warn_in_order(caplog):
    calls = []
    with caplog.at_level(logging.WARNING):
        assert cache.source_memo(None)("clean", ["a", "b"], many=_many(calls)) == [{"index": 0}, {"index": 1}]
    assert calls == [[0, 1]]
    assert [r.getMessage() for r in caplog.records] == ["sources/1.txt: odd"]


def test_the_cache_is_pruned_at_most_once_a_day(tmp_path, monkeypatch):
    now = [1_700_000_000.0]
    monkeypatch.setattr(cache.time, "time", lambda: now[0])
    recognize = cached_recognizer(CountingLoader(), tmp_path)
    recognize(PARAGRAPHS)                                   # looks once today: nothing stale
    with sqlite3.connect(tmp_path / "recognition.sqlite3") as db:      # made stale meanwhile
        db.execute("UPDATE recognition SET used = used - 100")
    recognize(PARAGRAPHS[:1])
    assert entries(tmp_path) == len(PARAGRAPHS)            # no second look the same day
    now[0] += 86400
    recognize(PARAGRAPHS[:1])
    assert entries(tmp_path) == 1                          # the next day's look drops them


# --- a process that builds again and again (mkdocs serve) --------------------------------

@pytest.fixture
def forget_what_is_kept_in_memory(monkeypatch):
    monkeypatch.setattr(cache._InMemory, "_kept", {})


def test_in_memory_the_last_calls_results_are_the_same_objects_and_sqlite_is_not_read(
        tmp_path, monkeypatch, forget_what_is_kept_in_memory):
    first = cache.source_memo(tmp_path, in_memory=True)("clean", ["a", "b"], _counted([]))
    reads = []
    real_read = cache._Store.get_results
    monkeypatch.setattr(cache._Store, "get_results", lambda store, keys: reads.append(keys) or real_read(store, keys))
    second = cache.source_memo(tmp_path, in_memory=True)("clean", ["b", "c"], _counted(calls := []))
    assert second[0] is first[1]
    assert calls == [1]                             # only "c" is new
    assert len(reads) == 1 and len(reads[0]) == 1   # and only "c" was looked for in SQLite


def test_in_memory_only_the_last_calls_results_are_kept(tmp_path, forget_what_is_kept_in_memory):
    memo = cache.source_memo(tmp_path, in_memory=True)
    memo("clean", ["a", "b"], _counted([]))
    memo("clean", ["c"], _counted([]))
    assert len(cache._InMemory._kept[(tmp_path / "recognition.sqlite3", "clean")]) == 1


def test_a_single_build_keeps_nothing_in_memory(tmp_path, forget_what_is_kept_in_memory):
    cache.source_memo(tmp_path)("clean", ["a", "b"], _counted([]))
    cached_recognizer(CountingLoader(), tmp_path)(PARAGRAPHS)
    assert cache._InMemory._kept == {}


def test_in_memory_recognition_answers_without_reading_sqlite(tmp_path, monkeypatch, forget_what_is_kept_in_memory):
    first = cached_recognizer(CountingLoader(), tmp_path, in_memory=True)(PARAGRAPHS)
    monkeypatch.setattr(cache._Store, "get", lambda store, keys: pytest.fail(f"SQLite read for {keys}"))
    loader = CountingLoader()
    assert cached_recognizer(loader, tmp_path, in_memory=True)(PARAGRAPHS[:1]) == first[:1]
    assert loader.loads == 0


def test_strings_joined_for_a_digest_are_told_apart_even_when_they_hold_the_separator():
    lists = [[], [""], ["", ""], ["a", "b"], ["a\x1fb"], ["a\x1f", "b"], ["['a\\x1fb']"], ["ab"]]
    assert len({cache.unambiguous_join(strings) for strings in lists}) == len(lists)
    assert len({cache.paragraphs_digest(strings) for strings in lists}) == len(lists)
