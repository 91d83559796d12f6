"""Reading the user's YAML files without letting one hang or exhaust the build (builder/yaml_safe.py)."""
from __future__ import annotations

import time

import pytest

from builder.errors import DossierError
from builder.yaml_safe import load_yaml

# Nine levels of nine aliases: 387,420,489 strings once walked, from 600 bytes.
BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi")
)


def test_plain_mappings_lists_and_unicode_load_as_safe_load_reads_them():
    text = "title: Café in Zürich\ndate: 2024-03-11\nkeywords: [aid, 'rescue teams']\nrename:\n  old: New\n"
    loaded = load_yaml(text, "sources/topics.yml")
    assert loaded["title"] == "Café in Zürich" and loaded["keywords"] == ["aid", "rescue teams"]
    assert loaded["rename"] == {"old": "New"} and str(loaded["date"]) == "2024-03-11"


def test_empty_text_is_none():
    assert load_yaml("", "a.yml") is None and load_yaml("# only a comment\n", "a.yml") is None


def test_billion_laughs_is_refused_at_once_naming_file_line_and_anchor():
    started = time.perf_counter()
    with pytest.raises(DossierError) as caught:
        load_yaml(BILLION_LAUGHS, "sources/topics.yml")
    assert time.perf_counter() - started < 1
    message = str(caught.value)
    assert message.startswith("sources/topics.yml: ") and "line 1, column 4" in message and "&a" in message
    assert "\n" not in message


def test_alias_without_anchor_is_refused_as_an_alias():
    with pytest.raises(DossierError, match=r"line 2, column 4: an alias \(\*x\)"):
        load_yaml("a: 1\nb: *x\n", "glossary.yml")


def test_merge_key_needs_an_anchor_so_it_is_refused_too():
    with pytest.raises(DossierError, match="anchor"):
        load_yaml("base: &base {outlet: Wire}\nother:\n  <<: *base\n", "a.yml")


def test_deep_nesting_is_refused_before_it_exhausts_the_stack():
    with pytest.raises(DossierError, match="nested more than"):
        load_yaml("[" * 100_000 + "]" * 100_000, "a.yml")


def test_text_too_large_for_hand_written_metadata_is_refused_unread():
    with pytest.raises(DossierError, match="more than the"):
        load_yaml("a: " + "x" * 5_000_000 + "\n", "big.yml")


def test_line_numbers_count_the_lines_before_the_text_in_its_file():
    with pytest.raises(DossierError, match=r"line 4, column 1: .* flow sequence at line 3, column 9"):
        load_yaml("title: x\nauthor: [unclosed\n", "story.md", line_offset=1)


@pytest.mark.parametrize("text, reason", [
    ("a: [unclosed\n", "expected ','"),
    ("a: !!python/object/apply:os.system [ls]\n", "could not determine a constructor"),
    ("when: 2023-13-45\n", "month must be in 1..12"),
    ("a: \x00\n", "unacceptable character"),
    ("a: 1\n---\nb: 2\n", "single document"),
])
def test_every_malformed_file_is_one_dossier_error_line(text, reason):
    with pytest.raises(DossierError) as caught:
        load_yaml(text, "sources/x.yml")
    assert reason in str(caught.value) and str(caught.value).startswith("sources/x.yml: ")
    assert "\n" not in str(caught.value)


def test_control_characters_in_the_file_name_cannot_forge_a_log_line():
    with pytest.raises(DossierError) as caught:
        load_yaml("a: [\n", "evil\nWARNING: forged.yml")
    assert "\n" not in str(caught.value) and "\\n" in str(caught.value)
