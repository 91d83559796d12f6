"""Tests of the compare stage at scale: the similarity kept whole for a small dossier and as
nearest neighbours for any size, near-copies found among candidate pairs only, the same
comparison whether or not the matrix is kept, and the cached readings of a sentence (event
verbs, clause boundaries, letter runs) giving what reading the text afresh gives."""
from __future__ import annotations

import math
import random
import re
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.compare import compare_sources
from builder.compare import facts as facts_module
from builder.compare import similarity as similarity_module
from builder.compare import text as text_module
from builder.compare.text import content_stems
from builder.model import Article, Glossary

from test_compare import _earthquake_figures, _two_ceremonies, article


def _matrix_not_kept(monkeypatch, neighbours: int | None = None) -> None:
    monkeypatch.setattr(similarity_module, "DENSE_SIMILARITY_LIMIT", 1)
    if neighbours is not None:
        monkeypatch.setattr(similarity_module, "SIMILARITY_NEIGHBOURS", neighbours)


def _flood_reports() -> list[Article]:
    return [
        article("a-wire", "Floodwaters rose across the northern valley on Thursday after three days of heavy rain.",
                "Emergency crews used boats to reach villages cut off by the water."),
        article("b-daily", "Heavy rain over three days sent floodwaters into the northern valley on Thursday.",
                "Crews in boats reached villages the water had cut off."),
        article("c-post", "Floodwaters in the northern valley closed the highway to the coast on Thursday."),
        article("d-bakery", "A bakery in the main square handed out free bread and cinnamon rolls."),
        article("e-empty", "Ok."),
    ]


# --- neighbours ---------------------------------------------------------------------------

def test_neighbours_list_the_most_alike_sources_first_without_itself_or_unrelated_ones():
    similarity = compare_sources(_flood_reports(), Glossary(())).similarity
    for i, source in enumerate(similarity.sources):
        row = similarity.neighbours[i]
        expected = sorted(
            ((other, similarity.matrix[i][j]) for j, other in enumerate(similarity.sources)
             if j != i and similarity.matrix[i][j] > 0),
            key=lambda pair: (-pair[1], pair[0]),
        )
        assert row == tuple(expected)
        assert all(other != source and value > 0 for other, value in row)
    bakery = similarity.sources.index("d-bakery")
    assert "a-wire" not in dict(similarity.neighbours[bakery])


def test_neighbours_are_capped_and_ties_go_to_the_smaller_id(monkeypatch):
    monkeypatch.setattr(similarity_module, "SIMILARITY_NEIGHBOURS", 2)
    text = "The council approved the new harbour budget after a long debate on Tuesday."
    articles = [article(name, text) for name in ("d", "b", "c", "a")]
    similarity = compare_sources(articles, Glossary(())).similarity
    assert similarity.neighbours[0] == (("a", 1.0), ("b", 1.0))
    assert similarity.neighbours[3] == (("b", 1.0), ("c", 1.0))


def test_above_the_dense_limit_the_matrix_is_empty_and_scores_come_from_the_neighbours(monkeypatch):
    kept = compare_sources(_flood_reports(), Glossary(())).similarity
    _matrix_not_kept(monkeypatch)
    sparse = compare_sources(_flood_reports(), Glossary(())).similarity
    assert sparse.matrix == () and sparse.neighbours == kept.neighbours
    for a in kept.sources:
        for b in kept.sources:
            assert sparse.score(a, b) == kept.score(a, b)


def test_similarity_values_are_python_rounded_thousandths_of_the_pairwise_cosine():
    articles = _flood_reports()
    # An independent reference: tf-idf weights (1 + log count) * log(1 + N / document frequency).
    counts = [Counter(content_stems(" ".join(a.paragraphs), a.is_english)) for a in articles]
    frequency = Counter(term for count in counts for term in count)
    vectors = [{term: (1 + math.log(n)) * math.log(1 + len(counts) / frequency[term]) for term, n in count.items()}
               for count in counts]
    similarity = compare_sources(articles, Glossary(())).similarity
    norms = [sum(v * v for v in vector.values()) ** 0.5 for vector in vectors]
    for i in range(len(articles)):
        for j in range(len(articles)):
            if i == j:
                continue
            dot = sum(value * vectors[j][term] for term, value in vectors[i].items() if term in vectors[j])
            expected = round(min(dot / (norms[i] * norms[j]), 1.0), 3) if norms[i] * norms[j] else 0.0
            assert similarity.matrix[i][j] == expected


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=0.0, max_value=1.0, allow_nan=False))
def test_thousandths_round_as_python_does(value):
    assert similarity_module._thousandths(np.array([[value]]))[0, 0] / 1000 == round(value, 3)


def test_thousandths_of_values_on_a_half_round_as_python_does():
    values = [k / 1000 + 0.0005 for k in range(1000)] + [0.0625, 0.1235, 2.675 / 10, 0.0015]
    got = similarity_module._thousandths(np.array([values]))[0]
    assert [g / 1000 for g in got.tolist()] == [round(v, 3) for v in values]


# --- near-copies ----------------------------------------------------------------------------

_WIRE = ("Floodwaters rose across the northern valley on Thursday after three days of heavy rain, forcing "
         "thousands of families from their homes and closing the main highway to the coast. Emergency crews "
         "used boats to reach villages cut off by the water, and the regional governor asked the army to help.")


def test_copies_beyond_the_neighbours_kept_are_still_one_group_with_every_pair_as_evidence(monkeypatch):
    _matrix_not_kept(monkeypatch, neighbours=1)
    # every run is common to all copies: only the neighbour lists propose them
    monkeypatch.setattr(similarity_module, "_MAX_SHINGLE_SOURCES", 2)
    outlets = ("copy-a", "copy-b", "copy-c", "copy-d", "copy-e")
    articles = [article(name, _WIRE) for name in outlets]
    articles.append(article("other", "A bakery in the main square handed out free bread to the volunteers."))
    copies = [g for g in compare_sources(articles, Glossary(())).groups if g.kind == "near-copy"]
    assert len(copies) == 1 and copies[0].sources == outlets
    assert len(copies[0].evidence) == 10   # every pair of the five


def test_a_short_wire_text_inside_a_long_report_is_a_near_copy_though_neither_is_the_others_neighbour(monkeypatch):
    _matrix_not_kept(monkeypatch, neighbours=1)
    residents = " ".join(f"Resident {name} described the night the river broke its banks near the old mill."
                         for name in ("Ana", "Ben", "Cleo", "Dan", "Eva", "Finn", "Gus", "Hal", "Ivy", "Jon"))
    articles = [
        article("short", _WIRE),
        article("shuffled", " ".join(reversed(_WIRE.split()))),   # the same words, no run in common
        article("long", _WIRE + " " + residents),
        article("residents", residents),
    ]
    similarity = compare_sources(articles, Glossary(())).similarity
    assert dict(similarity.neighbours[0]).keys() == {"shuffled"}
    assert dict(similarity.neighbours[2]).keys() == {"residents"}
    copies = [g for g in compare_sources(articles, Glossary(())).groups if g.kind == "near-copy"]
    assert [g.sources for g in copies] == [("short", "long", "residents")]   # in dossier order


# --- the same comparison with or without the matrix ----------------------------------------

def _without_similarity(comparison):
    return replace(comparison, similarity=None)


@pytest.mark.parametrize("fixture", [_two_ceremonies, _earthquake_figures])
def test_the_comparison_is_the_same_whether_or_not_the_matrix_is_kept(monkeypatch, fixture):
    articles, glossary = fixture()
    articles = list(articles) + [
        article("stray", "The Corner Bakery on Mill Street celebrated its 10th anniversary with free rolls.")]
    kept = compare_sources(articles, glossary)
    _matrix_not_kept(monkeypatch, neighbours=1)
    sparse = compare_sources(articles, glossary)
    assert sparse.similarity.matrix == ()
    assert _without_similarity(sparse) == _without_similarity(kept)


# --- cached readings of a sentence ---------------------------------------------------------

_SENTENCES = (
    "The dam collapsed-ish and gave way on Monday, then talks failed to agree; the quake struck a deal.",
    "The toll:12 rose after the levee burst, officials said on Tuesday (local time) and then: 5 more.",
    "It made landfall — and came ashore — before dawn, whereas the river crested at 5.4 m until Friday.",
    "Rescuers said the building gave  way after the aftershock, which rocked the town at 4:17 a.m.",
    "“We announced it,” she said, and he resigned; prices fell after, before and since the vote.",
)


def _random_ranges(seed: int, per_sentence: int = 300):
    """(sentence, start, end) for random ranges of every sample sentence, the empty ones included."""
    rng = random.Random(seed)
    for text in _SENTENCES:
        for _ in range(per_sentence):
            start = rng.randrange(len(text) + 1)
            yield text, start, rng.randrange(start, len(text) + 1)


def test_event_verbs_of_any_range_are_those_the_range_read_on_its_own_gives():
    for text, start, end in _random_ranges(7):
        alone = {text_module._EVENT_OF[" ".join(m.group(0).casefold().split())]
                 for m in text_module._event_verbs(text, start, end)}
        assert text_module.event_markers(text, start, end) == alone, (text, start, end)


def test_clause_bounds_of_any_range_are_those_the_range_read_on_its_own_gives():
    for text, start, end in _random_ranges(11):
        assert facts_module.clause_bounds(text, start, end) == facts_module._clause_bounds_read(text, start, end)


def test_the_characters_a_case_insensitive_pattern_takes_for_ascii_letters_are_folded():
    letter = re.compile("[a-z]", re.IGNORECASE)
    twins = {chr(c) for c in range(128, 0x110000) if letter.fullmatch(chr(c))}
    assert twins == set(text_module._CASE_TWIN.pattern.strip("[]"))
    assert "struck" in text_module.letter_runs("The quake \u017ftruck") and "king" in text_module.letter_runs("\u212aing")


def test_a_sentence_without_the_words_a_pattern_needs_states_the_same_facts():
    plain = "The committee will meet again to discuss the proposal with local residents."
    assert facts_module.extract_facts(plain) == ()
    dotted = "The \u0130stanbul office said on Tuesday that forty-six people were injured."
    kinds = {f.kind for f in facts_module.extract_facts(dotted)}
    assert kinds == {"weekday", "number"}


def test_near_copies_are_the_same_when_the_runs_first_hash_lane_collides(monkeypatch):
    outlets = ("copy-a", "copy-b", "copy-c")
    articles = [article(name, _WIRE + f" Filed by the {name} desk.") for name in outlets]
    articles.append(article("other", "A bakery in the main square handed out free bread to the volunteers."))
    expected = compare_sources(articles, Glossary(())).groups
    add = similarity_module._WordLanes._add

    def first_lane_zero(self, word):        # every run's first lane is then the same
        row = add(self, word)
        self._digests[-16:-8] = bytes(8)
        return row

    monkeypatch.setattr(similarity_module._WordLanes, "_add", first_lane_zero)
    assert compare_sources(articles, Glossary(())).groups == expected
    assert len(expected) == 1 and expected[0].sources == outlets


def test_a_large_quotation_group_chooses_its_wording_word_by_word_as_pair_by_pair(monkeypatch):
    from builder.compare import quotes as quotes_module
    rng = random.Random(5)
    vocabulary = [f"w{n}" for n in range(12)]
    group = [
        quotes_module._Found(f"s{n:02d}", 0, 0, 10, f"text {n}", None, None,
                             frozenset(rng.sample(vocabulary, rng.randint(2, 8))))
        for n in range(40)
    ]
    pairwise = quotes_module._representative(group)
    monkeypatch.setattr(quotes_module, "_PAIRWISE_REPRESENTATIVE", 10)
    assert quotes_module._representative(group) is pairwise
