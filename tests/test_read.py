"""The read stage: which files become sources, how they are decoded, named and described."""
from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import pytest

from builder import read
from builder.read import read_sources

FIXTURES = Path(__file__).parent / "fixtures" / "read"
ARTICLE = "Quake hits coastal town\n\nA strong earthquake struck the coastal town on Monday, officials said.\n"


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _by_path(sources):
    return {source.path: source for source in sources}


# --- which files ------------------------------------------------------------------------

def test_supported_kinds_are_read_recursively_and_sorted_by_id(tmp_path):
    _write(tmp_path, "b.txt", ARTICLE)
    _write(tmp_path, "a/story.md", "# Title\n\nBody text here.\n")
    _write(tmp_path, "c.html", "<html><body><p>Hello there.</p></body></html>")
    _write(tmp_path, "d.markdown", "Another one.\n")
    _write(tmp_path, "e.htm", "<p>Short page.</p>")
    sources, skipped = read_sources(tmp_path)
    assert [s.id for s in sources] == ["a-story", "b", "c", "d", "e"]
    assert {s.path: s.kind for s in sources} == {
        "a/story.md": "markdown", "b.txt": "text", "c.html": "html", "d.markdown": "markdown", "e.htm": "html"}
    assert skipped == ()


def test_unsupported_extension_is_skipped_with_a_warning_naming_it(tmp_path, caplog):
    _write(tmp_path, "ok.txt", ARTICLE)
    _write(tmp_path, "report.pdf", b"%PDF-1.4 not really")
    with caplog.at_level(logging.WARNING):
        sources, skipped = read_sources(tmp_path)
    assert [s.path for s in sources] == ["ok.txt"]
    assert skipped == (("report.pdf", "unsupported file type (.pdf)"),)
    assert "report.pdf: skipped: unsupported file type (.pdf)" in caplog.text


def test_binary_file_with_a_text_extension_is_skipped_as_not_text(tmp_path, caplog):
    _write(tmp_path, "image.txt", bytes(range(256)) * 4)
    with caplog.at_level(logging.WARNING):
        sources, skipped = read_sources(tmp_path)
    assert sources == ()
    assert skipped == (("image.txt", "not text (binary)"),)
    assert "image.txt: skipped: not text (binary)" in caplog.text


def test_empty_and_blank_files_are_skipped(tmp_path):
    _write(tmp_path, "empty.txt", "")
    _write(tmp_path, "blank.txt", " \n\t\n\n")
    _write(tmp_path, "only-front-matter.md", "---\ntitle: Nothing\n---\n\n")
    sources, skipped = read_sources(tmp_path)
    assert sources == ()
    assert [path for path, _ in skipped] == ["blank.txt", "empty.txt", "only-front-matter.md"]
    assert all(reason == "empty (no text)" for _, reason in skipped)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_is_skipped_with_the_reason(tmp_path):
    path = _write(tmp_path, "secret.txt", ARTICLE)
    path.chmod(0)
    try:
        sources, skipped = read_sources(tmp_path)
    finally:
        path.chmod(0o644)
    assert sources == ()
    assert skipped == (("secret.txt", "unreadable (permission denied)"),)


def test_symlink_pointing_outside_the_folder_is_not_followed(tmp_path):
    outside = _write(tmp_path, "outside/private.txt", "Private notes that must not be published.\n")
    folder = tmp_path / "sources"
    _write(folder, "story.txt", ARTICLE)
    (folder / "leak.txt").symlink_to(outside)
    (folder / "leakdir").symlink_to(outside.parent, target_is_directory=True)
    sources, skipped = read_sources(folder)
    assert [s.path for s in sources] == ["story.txt"]
    assert skipped == (("leak.txt", "symlink pointing outside the sources folder"),
                       ("leakdir", "symlink pointing outside the sources folder"))


def test_symlinked_folder_loop_inside_the_folder_terminates(tmp_path):
    _write(tmp_path, "sub/story.txt", ARTICLE)
    (tmp_path / "sub" / "again").symlink_to(tmp_path / "sub", target_is_directory=True)
    sources, _ = read_sources(tmp_path)
    assert [s.path for s in sources] == ["sub/story.txt"]


def test_duplicate_content_keeps_the_first_path_and_skips_the_other(tmp_path):
    _write(tmp_path, "b-copy.txt", ARTICLE)
    _write(tmp_path, "a-original.txt", ARTICLE)
    sources, skipped = read_sources(tmp_path)
    assert [s.path for s in sources] == ["a-original.txt"]
    assert skipped == (("b-copy.txt", "duplicate of a-original.txt"),)


def test_hidden_files_backups_and_editorial_files_are_ignored_silently(tmp_path, caplog):
    _write(tmp_path, "story.txt", ARTICLE)
    _write(tmp_path, ".hidden.txt", ARTICLE + "x")
    _write(tmp_path, ".git/config.txt", ARTICLE + "y")
    _write(tmp_path, "story.txt~", ARTICLE + "z")
    _write(tmp_path, "glossary.yml", "Vladimir Putin: President of Russia\n")
    _write(tmp_path, "topics.yml", "- label: Sanctions\n")
    with caplog.at_level(logging.WARNING):
        sources, skipped = read_sources(tmp_path)
    assert [s.path for s in sources] == ["story.txt"]
    assert skipped == ()
    assert caplog.text == ""


def test_glossary_file_in_a_subfolder_is_a_stray_sidecar_not_editorial(tmp_path):
    _write(tmp_path, "notes/glossary.yml", "a: b\n")
    _, skipped = read_sources(tmp_path)
    assert skipped == (("notes/glossary.yml", "metadata file without a matching source"),)


# --- metadata --------------------------------------------------------------------------

def test_sidecar_metadata_overrides_front_matter(tmp_path):
    _write(tmp_path, "story.md", "---\ntitle: From front matter\noutlet: Front Outlet\ndate: 2023-08-15\n---\nBody.\n")
    _write(tmp_path, "story.yml", "title: From sidecar\nurl: https://example.org/story\n")
    (source,), _ = read_sources(tmp_path)
    assert source.text == "Body.\n"
    assert source.metadata.title == "From sidecar"
    assert source.metadata.outlet == "Front Outlet"
    assert source.metadata.date == "2023-08-15"
    assert source.metadata.url == "https://example.org/story"


def test_sidecar_dates_in_words_are_normalised(tmp_path):
    _write(tmp_path, "story.txt", ARTICLE)
    _write(tmp_path, "story.yml", "date: August 15, 2023\nlanguage: de-DE\nauthor:  Jane   Doe \n")
    (source,), _ = read_sources(tmp_path)
    assert (source.metadata.date, source.metadata.language, source.metadata.author) == ("2023-08-15", "de", "Jane Doe")


def test_malformed_sidecar_warns_with_file_and_line_and_keeps_the_source(tmp_path, caplog):
    _write(tmp_path, "story.txt", ARTICLE)
    _write(tmp_path, "story.yml", "title: fine\noutlet: [unclosed\nurl: x\n")
    with caplog.at_level(logging.WARNING):
        sources, skipped = read_sources(tmp_path)
    assert [s.path for s in sources] == ["story.txt"]
    assert sources[0].metadata.title is None
    assert skipped == ()
    assert "story.yml: metadata ignored: malformed YAML at line 3" in caplog.text


def test_malformed_front_matter_line_counts_from_the_top_of_the_file(tmp_path, caplog):
    _write(tmp_path, "story.md", "---\ntitle: ok\ndate: : :\n---\nBody text.\n")
    with caplog.at_level(logging.WARNING):
        (source,), _ = read_sources(tmp_path)
    assert source.text == "Body text.\n"
    assert source.metadata.title is None
    assert "story.md: metadata ignored: malformed YAML at line 3" in caplog.text


def test_stray_sidecar_without_a_source_is_reported(tmp_path, caplog):
    _write(tmp_path, "story.txt", ARTICLE)
    _write(tmp_path, "orphan.yml", "title: Lost\n")
    with caplog.at_level(logging.WARNING):
        _, skipped = read_sources(tmp_path)
    assert skipped == (("orphan.yml", "metadata file without a matching source"),)
    assert "orphan.yml" in caplog.text


def test_fixture_folder_with_front_matter_and_sidecar(caplog):
    with caplog.at_level(logging.WARNING):
        sources, skipped = read_sources(FIXTURES)
    by_path = _by_path(sources)
    assert by_path["deal.md"].metadata.outlet == "Harbour Business Review"
    assert by_path["deal.md"].metadata.date == "2024-03-12"
    assert by_path["deal.md"].metadata.title == "Acme buys Globex"          # the sidecar wins
    assert not by_path["deal.md"].text.startswith("---")
    assert skipped == ()


# --- decoding --------------------------------------------------------------------------

@pytest.mark.parametrize("encoding, label", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("utf-16-le", None)])
def test_unicode_encodings_decode_with_curly_quotes_kept(tmp_path, encoding, label):
    text = "Kim’s “friendly” letter – a reply — arrived.\n\nMore text follows here about the letter.\n"
    data = text.encode(encoding)
    if label is None:                      # UTF-16 without a BOM: only the detector can tell
        data = b"\xff\xfe" + data
        label = "utf-16"
    _write(tmp_path, "a.txt", data)
    (source,), _ = read_sources(tmp_path)
    assert source.text == text
    assert source.encoding == label


def test_cp1252_bytes_are_detected_and_decoded_exactly(tmp_path):
    text = ("Kim\u2019s \u201cfriendly\u201d letter \u2013 sent on Monday \u2013 promised closer ties. "
            "The caf\u00e9 owner said the na\u00efve plan would fail. " * 3)
    _write(tmp_path, "legacy.txt", text.encode("cp1252"))
    (source,), _ = read_sources(tmp_path)
    assert source.text == text
    assert source.encoding.replace("-", "_").lower() in {"cp1252", "windows_1252"}


def test_newlines_are_normalised(tmp_path):
    _write(tmp_path, "crlf.txt", b"Line one.\r\nLine two.\rLine three.\n")
    (source,), _ = read_sources(tmp_path)
    assert source.text == "Line one.\nLine two.\nLine three.\n"


def test_invalid_utf8_bytes_do_not_crash(tmp_path):
    _write(tmp_path, "broken.txt", "Mostly fine text. ".encode() * 20 + b"\xff\xfe\xfa bad" + b" more text.\n")
    sources, _ = read_sources(tmp_path)
    assert len(sources) == 1
    assert "Mostly fine text." in sources[0].text


def test_oversized_file_is_truncated_with_a_warning(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(read, "MAX_BYTES", 1000)
    _write(tmp_path, "huge.txt", "é" * 5000)       # two bytes each: the cap cuts a character
    with caplog.at_level(logging.WARNING):
        (source,), skipped = read_sources(tmp_path)
    assert source.text == "é" * 500
    assert skipped == ()
    assert "huge.txt: truncated" in caplog.text


def test_a_ten_megabyte_single_line_is_read_quickly(tmp_path):
    _write(tmp_path, "oneline.txt", "word " * 2_100_000)
    started = time.perf_counter()
    (source,), _ = read_sources(tmp_path)
    assert len(source.text.encode()) <= read.MAX_BYTES
    assert time.perf_counter() - started < 5


# --- ids -------------------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("000_1db63d0ead08ecdd.txt", "000-1db63d0ead08ecdd"),
    ("a/b c.md", "a-b-c"),
    ("Sé ísmo $(rm -rf) `x`;.txt", "se-ismo-rm-rf-x"),
    ("UPPER--Case__name.html", "upper-case-name"),
])
def test_id_is_an_ascii_slug_of_the_path(tmp_path, name, expected):
    _write(tmp_path, name, ARTICLE + name)
    (source,), _ = read_sources(tmp_path)
    assert source.id == expected
    assert source.path == name


def test_id_of_a_name_without_latin_letters_falls_back_to_a_sha_prefix(tmp_path):
    _write(tmp_path, "地震.txt", ARTICLE)
    (source,), _ = read_sources(tmp_path)
    assert source.id == "source-" + source.sha256[:8]


def test_colliding_ids_get_deterministic_suffixes(tmp_path):
    _write(tmp_path, "story.txt", ARTICLE + "1")
    _write(tmp_path, "story.md", ARTICLE + "2")
    _write(tmp_path, "Story.html", ARTICLE + "3")
    sources, _ = read_sources(tmp_path)
    assert {s.path: s.id for s in sources} == {"Story.html": "story", "story.md": "story-2", "story.txt": "story-3"}


def test_cyrillic_legacy_encoding_is_detected(tmp_path):
    text = "Землетрясение магнитудой 6,8 произошло в Марокко, сообщили власти страны. " * 3
    _write(tmp_path, "ru.txt", text.encode("cp1251"))
    (source,), _ = read_sources(tmp_path)
    assert source.text == text


def test_file_that_fails_to_open_is_skipped_even_as_root(tmp_path, monkeypatch):
    _write(tmp_path, "locked.txt", ARTICLE)
    _write(tmp_path, "fine.txt", ARTICLE + "more")

    def refuse(path, *args, **kwargs):
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied")
        return open(path, *args, **kwargs)

    monkeypatch.setattr(read, "open", refuse, raising=False)
    sources, skipped = read_sources(tmp_path)
    assert [s.path for s in sources] == ["fine.txt"]
    assert skipped == (("locked.txt", "unreadable (permission denied)"),)


def test_a_sidecar_with_yaml_aliases_is_ignored_at_once_with_a_warning(tmp_path, caplog):
    """A 'billion laughs' of nested aliases must never be expanded."""
    (tmp_path / "story.txt").write_text("Headline here\n\nThe harbour wall gave way on Sunday, officials said.\n")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi")) + "title: *i\n"
    (tmp_path / "story.yml").write_text(bomb)
    with caplog.at_level("WARNING"):
        raws, _ = read_sources(tmp_path)
    assert raws[0].metadata.title is None
    assert "story.yml: metadata ignored: malformed YAML at line 1" in caplog.text


def test_front_matter_read_again_is_parsed_once_and_still_warns_at_every_read(tmp_path, caplog, monkeypatch):
    """A serving process reads every source at each edit: unchanged metadata is not parsed
    again, and a malformed block is still warned of every time, as a fresh process would."""
    (tmp_path / "a.md").write_text("---\ntitle: Kept\n---\nBody of a.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: [unclosed\n---\nBody of b.\n", encoding="utf-8")
    parsed, load_yaml = [], read.load_yaml
    monkeypatch.setattr(read, "load_yaml", lambda *args: parsed.append(args[1]) or load_yaml(*args))
    read._parsed_yaml.cache_clear()
    for _ in range(2):
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            sources, _ = read_sources(tmp_path)
        assert [s.metadata.title for s in sources] == ["Kept", None]
        assert "b.md: metadata ignored: malformed YAML" in caplog.text
    assert sorted(parsed) == ["a.md", "b.md"]
