"""The output writer: only the builder's folders, only changed files, never a user's file."""
import json
import logging

import pytest

from builder import output
from builder.errors import DossierError
from builder.output import MANIFEST, write_generated


def test_first_build_writes_every_file_and_a_manifest(tmp_path):
    report = write_generated(tmp_path, {"sources/a.md": "A", "dossier.json": "{}"})
    assert (tmp_path / "sources/a.md").read_text() == "A"
    assert sorted(report.written) == ["dossier.json", "sources/a.md"]
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    assert sorted(manifest["files"]) == ["dossier.json", "sources/a.md"]


def test_unchanged_files_are_not_rewritten(tmp_path):
    write_generated(tmp_path, {"sources/a.md": "A", "sources/b.md": "B"})
    before = (tmp_path / "sources/a.md").stat().st_mtime_ns
    report = write_generated(tmp_path, {"sources/a.md": "A", "sources/b.md": "B2"})
    assert report.written == ("sources/b.md",)
    assert report.unchanged == 1
    assert (tmp_path / "sources/a.md").stat().st_mtime_ns == before


def test_a_users_file_in_a_builder_folder_is_never_overwritten(tmp_path, caplog):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources/a.md").write_text("my notes")
    with caplog.at_level(logging.WARNING):
        report = write_generated(tmp_path, {"sources/a.md": "generated"})
    assert (tmp_path / "sources/a.md").read_text() == "my notes"
    assert report.left_alone == ("sources/a.md",)
    assert "docs/sources/a.md" in caplog.text and "did not generate" in caplog.text


def test_pages_no_longer_generated_are_removed_with_their_empty_folders(tmp_path):
    write_generated(tmp_path, {"sources/a.md": "A", "topics/old.md": "T"})
    report = write_generated(tmp_path, {"sources/a.md": "A"})
    assert report.deleted == ("topics/old.md",)
    assert not (tmp_path / "topics").exists()


def test_a_generated_page_the_user_edited_is_kept_when_no_longer_generated(tmp_path, caplog):
    write_generated(tmp_path, {"sources/a.md": "A", "sources/b.md": "B"})
    (tmp_path / "sources/b.md").write_text("B, annotated by hand")
    with caplog.at_level(logging.WARNING):
        report = write_generated(tmp_path, {"sources/a.md": "A"})
    assert (tmp_path / "sources/b.md").read_text() == "B, annotated by hand"
    assert report.left_alone == ("sources/b.md",)


def test_hand_written_pages_beside_the_builder_folders_are_untouched(tmp_path):
    (tmp_path / "index.md").write_text("home")
    write_generated(tmp_path, {"sources/a.md": "A"})
    write_generated(tmp_path, {})
    assert (tmp_path / "index.md").read_text() == "home"


@pytest.mark.parametrize("path", ["index.md", "../outside.md", "sources/../../x.md", "mkdocs.yml", "/etc/x", "sources/", "sources/..", "/sources/x.md"])
def test_paths_outside_the_builder_folders_are_refused(tmp_path, path):
    with pytest.raises(DossierError):
        write_generated(tmp_path, {path: "x"})


def test_a_build_interrupted_while_writing_leaves_the_previous_site_as_it_was(tmp_path, monkeypatch):
    write_generated(tmp_path, {"sources/a.md": "A", "sources/c.md": "C"})
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    real = output._temporary_beside
    calls = {"n": 0}

    def crash_on_second_file(target, data):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(target, data)

    monkeypatch.setattr(output, "_temporary_beside", crash_on_second_file)
    with pytest.raises(KeyboardInterrupt):
        write_generated(tmp_path, {"sources/a.md": "A2", "sources/b.md": "B", "sources/c.md": "C2"})
    monkeypatch.setattr(output, "_temporary_beside", real)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    report = write_generated(tmp_path, {"sources/a.md": "A2", "sources/b.md": "B", "sources/c.md": "C2"})
    assert report.left_alone == ()
    assert (tmp_path / "sources/b.md").read_text() == "B"
    assert not list(tmp_path.rglob(".tmp-*"))


def test_a_build_killed_between_moves_still_owns_every_new_file(tmp_path, monkeypatch):
    """The manifest claims new paths before they appear, so a half-moved build is no 'user file'."""
    write_generated(tmp_path, {"sources/a.md": "A"})
    real = output.os.replace
    moved = {"n": 0}

    def die_after_first_move(src, dst):
        if str(dst).endswith(".md"):
            moved["n"] += 1
            if moved["n"] == 2:
                raise KeyboardInterrupt
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", die_after_first_move)
    with pytest.raises(KeyboardInterrupt):
        write_generated(tmp_path, {"sources/a.md": "A2", "sources/b.md": "B"})
    monkeypatch.setattr(output.os, "replace", real)
    report = write_generated(tmp_path, {"sources/a.md": "A2", "sources/b.md": "B"})
    assert report.left_alone == ()
    assert (tmp_path / "sources/a.md").read_text() == "A2" and (tmp_path / "sources/b.md").read_text() == "B"


def test_a_symlink_in_a_builder_folder_is_replaced_not_written_through(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("precious")
    docs = tmp_path / "docs"
    write_generated(docs, {"sources/a.md": "A"})
    (docs / "sources/a.md").unlink()
    (docs / "sources/a.md").symlink_to(outside)
    write_generated(docs, {"sources/a.md": "A new"})
    assert outside.read_text() == "precious"
    assert (docs / "sources/a.md").read_text() == "A new"


def test_nested_folders_emptied_go_deepest_first_and_a_folder_with_a_users_file_stays(tmp_path):
    write_generated(tmp_path, {"compare/index.md": "C", "compare/quotes/q.md": "Q", "compare/discrepancies/d.md": "D",
                               "topics/a/b.md": "B"})
    (tmp_path / "compare/discrepancies/notes.txt").write_text("mine")
    (tmp_path / "topics/a/deeper/still").mkdir(parents=True)   # empty folders below a generated one
    write_generated(tmp_path, {"compare/index.md": "C"})
    assert not (tmp_path / "compare/quotes").exists()
    assert (tmp_path / "compare/discrepancies/notes.txt").read_text() == "mine"
    assert not (tmp_path / "topics").exists()


def test_an_empty_folder_reached_through_a_link_is_not_entered(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "empty").mkdir(parents=True)
    docs = tmp_path / "docs"
    write_generated(docs, {"sources/a.md": "A"})
    (docs / "sources/linked").symlink_to(elsewhere, target_is_directory=True)
    write_generated(docs, {"sources/a.md": "A"})
    assert (elsewhere / "empty").is_dir() and (docs / "sources/linked").is_symlink()


def test_a_dangling_link_in_place_of_a_generated_page_is_replaced_by_the_page(tmp_path):
    write_generated(tmp_path, {"sources/a.md": "A"})
    (tmp_path / "sources/a.md").unlink()
    (tmp_path / "sources/a.md").symlink_to(tmp_path / "nowhere.md")
    report = write_generated(tmp_path, {"sources/a.md": "A"})
    assert report.written == ("sources/a.md",)
    assert not (tmp_path / "sources/a.md").is_symlink() and (tmp_path / "sources/a.md").read_text() == "A"
    assert not (tmp_path / "nowhere.md").exists()


def test_a_dangling_link_the_builder_did_not_make_is_left_alone(tmp_path, caplog):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources/a.md").symlink_to(tmp_path / "nowhere.md")
    report = write_generated(tmp_path, {"sources/a.md": "A"})
    assert report.left_alone == ("sources/a.md",) and (tmp_path / "sources/a.md").is_symlink()
    assert "sources/a.md" in caplog.text


def test_a_serving_rebuild_takes_an_unchanged_text_as_known_without_hashing_it_again(tmp_path, monkeypatch):
    from builder.cache import source_memo
    from builder.render import Pages

    def pages(memo, texts):
        files = Pages(memo)
        for rel, text in texts.items():
            files[rel] = text
        return files

    memo = source_memo(tmp_path / "cache", in_memory=True)
    docs = tmp_path / "docs"
    before = {"raw/a.txt": "alpha " * 50, "raw/b.txt": "beta"}
    write_generated(docs, pages(memo, before))
    hashed = []
    real = output._sha256
    monkeypatch.setattr(output, "_sha256", lambda data: hashed.append(data) or real(data))
    # Equal texts (new objects, as a rebuild reads them again), one changed, one deleted from docs/.
    after = {"raw/a.txt": "".join(["alpha "] * 50), "raw/b.txt": "beta!", "raw/c.txt": "gamma"}
    write_generated(docs, pages(memo, after))
    assert hashed == [b"beta!", b"gamma"]
    assert {p: (docs / p).read_text() for p in after} == after
    (docs / "raw/a.txt").unlink()                       # known, but docs/ no longer holds it: written again
    report = write_generated(docs, pages(memo, after))
    assert report.written == ("raw/a.txt",) and (docs / "raw/a.txt").read_text() == after["raw/a.txt"]
    assert json.loads((docs / MANIFEST).read_text())["files"]["raw/a.txt"] == real(after["raw/a.txt"].encode())
