"""`mkdocs serve`: one edit, one rebuild. The builder's own writes into docs/ set off no second
rebuild (an "echo", and a second browser reload), while the user's edits to docs/ still rebuild.

The first tests start a real server on a temporary copy of the project and count the server's
"Detected file changes" lines (MkDocs logs one as soon as a rebuild is asked for); the rest
drive builder.plugin.watch directly.
"""
from __future__ import annotations

import threading
import time

import pytest
from mkdocs.livereload import LiveReloadServer

from builder.plugin import watch as docs_watch
from tests.test_serve import CHANGE_SECONDS, Server, _free_port, _get, served_sample

# MkDocs polls docs/ every 0.5 s and waits 0.1 s for changes to settle: an echo of a rebuild
# is asked for within ~0.6 s of its end. Three seconds leave room on a loaded machine.
ECHO_SECONDS = 3.0
DETECTED = "Detected file changes"
RELOADED = "Reloading browsers"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from served_sample(tmp_path_factory, "echo")


def _rebuilds_after(server: Server, change, shown, what: str) -> int:
    """How many rebuilds one change sets off: counted until ECHO_SECONDS after it shows."""
    detected, reloaded = server.log().count(DETECTED), server.log().count(RELOADED)
    change()
    took = server.wait_for(lambda: shown() and server.log().count(RELOADED) > reloaded, CHANGE_SECONDS, what)
    time.sleep(ECHO_SECONDS)
    rebuilds = server.log().count(DETECTED) - detected
    print(f"{what}: shown after {took:.1f} s, {rebuilds} rebuild(s)")
    return rebuilds


def test_editing_a_source_rebuilds_once_not_again_for_the_pages_it_wrote(server):
    path = sorted(p.name for p in server.project.sources.glob("*.txt"))[0]
    source = server.project.sources / path
    marker = "The inspection report was published on Monday evening."

    def edit():
        source.write_text(source.read_text(encoding="utf-8").rstrip() + f"\n\n{marker}\n", encoding="utf-8")

    assert _rebuilds_after(server, edit, lambda: marker in (server.source_page(path) or ""), "a source edit") == 1


def test_editing_a_hand_written_page_in_docs_still_rebuilds(server):
    page = server.project.root / "docs" / "about.md"
    marker = "Readers may write to the desk with corrections."

    def edit():
        page.write_text(page.read_text(encoding="utf-8").rstrip() + f"\n\n{marker}\n", encoding="utf-8")

    assert _rebuilds_after(server, edit, lambda: marker in _get(server.url + "about/")[1], "an about.md edit") == 1


def test_adding_a_hand_written_page_in_docs_still_rebuilds(server):
    page = server.project.root / "docs" / "method.md"
    shown = lambda: "We read every article twice." in _get(server.url + "method/")[1]  # noqa: E731
    rebuilds = _rebuilds_after(server, lambda: page.write_text("# Method\n\nWe read every article twice.\n",
                                                               encoding="utf-8"), shown, "a new docs page")
    assert rebuilds == 1


def test_editing_mkdocs_yml_still_rebuilds(server):
    config = server.project.root / "mkdocs.yml"

    def edit():
        config.write_text(config.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")

    assert _rebuilds_after(server, edit, lambda: True, "a mkdocs.yml edit") == 1


# The filter itself, without a server.

class _Rebuilds:
    def __init__(self):
        self.asked = 0

    def __call__(self):
        self.asked += 1


@pytest.fixture
def docs(tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "a.md").write_text("generated", encoding="utf-8")
    (tmp_path / "about.md").write_text("hand-written", encoding="utf-8")
    return tmp_path


def _watching(docs, written=("sources/a.md",), removed=()):
    rebuilds = _Rebuilds()
    watch = docs_watch.DocsWatch(str(docs), rebuilds)
    watch.build_started()
    watch.build_finished(written, removed)
    return watch, rebuilds


def test_a_page_the_builder_wrote_asks_for_no_rebuild_while_it_is_as_written(docs):
    watch, rebuilds = _watching(docs)
    watch.changed(str(docs / "sources" / "a.md"))
    assert rebuilds.asked == 0


def test_a_generated_page_edited_by_hand_after_the_build_asks_for_a_rebuild(docs):
    watch, rebuilds = _watching(docs)
    (docs / "sources" / "a.md").write_text("edited by hand, longer", encoding="utf-8")
    watch.changed(str(docs / "sources" / "a.md"))
    assert rebuilds.asked == 1


def test_a_hand_written_page_asks_for_a_rebuild(docs):
    watch, rebuilds = _watching(docs)
    watch.changed(str(docs / "about.md"))
    assert rebuilds.asked == 1


def test_a_page_the_builder_removed_asks_for_none_but_one_the_user_removed_does(docs):
    (docs / "sources" / "a.md").unlink()
    watch, rebuilds = _watching(docs, written=(), removed=("sources/a.md",))
    watch.changed(str(docs / "sources" / "a.md"))
    assert rebuilds.asked == 0
    (docs / "about.md").unlink()
    watch.changed(str(docs / "about.md"))
    assert rebuilds.asked == 1


def test_the_builders_temporaries_manifest_and_cache_ask_for_none_but_a_users_dot_file_does(docs):
    watch, rebuilds = _watching(docs)
    watch.changed(str(docs / "sources" / ".tmp-abcd1234.md"), str(docs / "sources" / "a.md"))
    watch.changed(str(docs / ".tmp-abcd1234.json"))
    watch.changed(str(docs / ".dossier-manifest.json"))
    watch.changed(str(docs / ".dossier-cache" / "recognition.sqlite3-journal"))
    assert rebuilds.asked == 0
    watch.changed(str(docs / "notes" / ".tmp-mine.md"))
    assert rebuilds.asked == 1


def test_a_change_seen_during_a_build_is_judged_by_what_that_build_wrote(docs):
    rebuilds = _Rebuilds()
    watch = docs_watch.DocsWatch(str(docs), rebuilds)
    watch.build_started()
    watch.changed(str(docs / "sources" / "a.md"))    # before the build has said what it wrote
    assert rebuilds.asked == 0
    watch.build_finished(("sources/a.md",), ())
    assert rebuilds.asked == 0
    watch.build_started()
    watch.changed(str(docs / "about.md"))
    assert rebuilds.asked == 0                         # held until the build ends...
    watch.build_finished((), ())
    assert rebuilds.asked == 1                         # ...then asked for


def test_mkdocs_server_still_has_what_asking_for_a_rebuild_relies_on(tmp_path):
    # builder.plugin.watch uses two private attributes of MkDocs' LiveReloadServer: if this fails,
    # MkDocs changed them, and `mkdocs serve` keeps its own docs/ watch (and the echo) until
    # watch._ask_for_rebuild is brought up to date.
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=_free_port(), root=str(tmp_path))
    (tmp_path / "docs").mkdir()
    server.watch(str(tmp_path / "docs"))
    assert docs_watch._can_ask_for_rebuild(server)
    assert docs_watch.watch_docs(server, str(tmp_path / "docs")) is not None
    assert str(tmp_path / "docs") not in server._watched_paths   # MkDocs' own watch is gone

    asked = threading.Event()

    def build_loop_sees_the_request():
        with server._rebuild_cond:
            asked.set() if server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=5) else None

    waiter = threading.Thread(target=build_loop_sees_the_request)
    waiter.start()
    time.sleep(0.1)
    docs_watch._ask_for_rebuild(server)
    waiter.join(timeout=10)
    assert asked.is_set()
