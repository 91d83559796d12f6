"""Near-copies kept between the builds of a process (builder/compare/similarity.py,
_KeptCopies): after an edit of a few sources, only their pairs (and the pairs whose being
neighbours changed) are worked out again, and the groups equal a fresh build's."""
from __future__ import annotations

import random
from dataclasses import replace

import pytest

from builder.cache import no_memo, source_memo
from builder.compare import similarity
from builder.compare.similarity import compare_whole_sources
from test_compare import article

_WORDS = ("harbour crane union ferry council budget storm river bridge school clinic tariff grain "
          "vote court police fire flood train strike market price minister mayor coast island "
          "village road water power rescue report inquiry contract tender permit").split()


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(8, 14))).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))


def _dossier(rng: random.Random, size: int) -> list:
    """Sources of random words, some copying a paragraph or all of another's text."""
    articles = []
    for n in range(size):
        paragraphs = [_paragraph(rng) for _ in range(rng.randint(1, 4))]
        if articles and rng.random() < 0.5:
            copied = rng.choice(articles)
            paragraphs = list(copied.paragraphs) + [_paragraph(rng) for _ in range(rng.choice((0, 0, 1, 3)))]
        articles.append(article(f"s{n:02d}", *paragraphs))
    return articles


def _edited(rng: random.Random, articles: list) -> list:
    """One or two sources edited: a paragraph replaced, added, dropped, or the text of another taken."""
    out = list(articles)
    for _ in range(rng.randint(1, 2)):
        at = rng.randrange(len(out))
        paragraphs = list(out[at].paragraphs)
        how = rng.choice(("replace", "add", "drop", "copy", "word"))
        if how == "replace":
            paragraphs[rng.randrange(len(paragraphs))] = _paragraph(rng)
        elif how == "add":
            paragraphs.append(_paragraph(rng))
        elif how == "drop" and len(paragraphs) > 1:
            paragraphs.pop(rng.randrange(len(paragraphs)))
        elif how == "copy":
            paragraphs = list(rng.choice(out).paragraphs)
        else:
            paragraphs[0] = paragraphs[0].replace(" ", f" {rng.choice(_WORDS)} ", 1)
        out[at] = replace(out[at], paragraphs=tuple(paragraphs))
    return out


@pytest.mark.parametrize("rare_up_to, neighbours", [(2, 1), (3, 2), (50, 2)])
def test_near_copies_after_edits_with_a_kept_build_equal_a_fresh_build(tmp_path, monkeypatch, rare_up_to, neighbours):
    # few holders make a run common: edits then take runs across the bound, and pairs sharing
    # only common runs are found through being neighbours alone
    monkeypatch.setattr(similarity, "_MAX_SHINGLE_SOURCES", rare_up_to)
    monkeypatch.setattr(similarity, "SIMILARITY_NEIGHBOURS", neighbours)
    rng = random.Random(rare_up_to)
    memo = source_memo(tmp_path / "memo", in_memory=True)
    articles = _dossier(rng, 14)
    compare_whole_sources(tuple(articles), memo)
    for _ in range(40):
        articles = _edited(rng, articles)
        kept = compare_whole_sources(tuple(articles), memo)
        assert kept[:2] == compare_whole_sources(tuple(articles), no_memo)[:2]
        # the links too, not only the groups they make
        lanes = similarity._WordLanes()
        read = [similarity._source_words(a, lanes) for a in articles]
        assert similarity._kept.links == similarity._found_near_copies(articles, read, similarity._kept.near)[0]


def test_a_rebuild_after_an_edit_matches_only_the_edited_source(tmp_path, monkeypatch):
    rng = random.Random(7)
    articles = _dossier(rng, 12)
    memo = source_memo(tmp_path / "memo", in_memory=True)
    compare_whole_sources(tuple(articles), memo)
    assert any(group.kind == "near-copy" for group in compare_whole_sources(tuple(articles), no_memo)[1])
    edited = list(articles)
    edited[3] = replace(edited[3], paragraphs=edited[3].paragraphs + ("A correction was issued later that day.",))
    fresh = compare_whole_sources(tuple(edited), no_memo)
    found_afresh = []
    whole = similarity._Shingles
    monkeypatch.setattr(similarity, "_Shingles", lambda read: found_afresh.append(len(read)) or whole(read))
    assert compare_whole_sources(tuple(edited), memo)[:2] == fresh[:2]
    assert found_afresh == []


def test_a_build_without_memo_keeps_nothing(tmp_path):
    similarity._kept = None
    compare_whole_sources(tuple(_dossier(random.Random(3), 5)), no_memo)
    assert similarity._kept is None


def test_the_edits_are_mostly_worked_out_from_the_kept_build(tmp_path, monkeypatch):
    """The equality above is worth something only if the kept path is taken."""
    rng = random.Random(11)
    memo = source_memo(tmp_path / "memo", in_memory=True)
    articles = _dossier(rng, 14)
    compare_whole_sources(tuple(articles), memo)
    answers = []
    rebuilt = similarity._KeptCopies.rebuilt
    monkeypatch.setattr(similarity._KeptCopies, "rebuilt",
                        lambda self, *args: answers.append(rebuilt(self, *args)) or answers[-1])
    for _ in range(20):
        articles = _edited(rng, articles)
        compare_whole_sources(tuple(articles), memo)
    assert sum(answer is not None for answer in answers) >= 15
