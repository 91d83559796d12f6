"""The shared text helpers (builder/text.py) and the month and weekday names of builder/dates.py."""
from __future__ import annotations

from builder.dates import MONTH_NAMES, MONTHS, WEEKDAY_NAMES, WEEKDAYS
from builder.text import UniqueIds, sentence_spans, singular, slug, stem, words


def _sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def test_sentences_do_not_end_after_titles_abbreviated_months_or_initials():
    text = "Sen. Ada Vorn met Gov. Ruiz on Sept. 3 in the U.S. capital. John F. Kennedy airport closed. It reopened!"
    assert _sentences(text) == [
        "Sen. Ada Vorn met Gov. Ruiz on Sept. 3 in the U.S. capital.",
        "John F. Kennedy airport closed.",
        "It reopened!",
    ]


def test_sentence_spans_leave_surrounding_spaces_out():
    text = "  The dam held.  Water fell “slowly.” Then it rose. "
    assert _sentences(text) == ["The dam held.", "Water fell “slowly.”", "Then it rose."]


def test_words_drop_possessives_and_join_prefixes_but_split_compounds():
    assert words("Veridian’s co-operation with good-neighborly Ørsted") == [
        "veridian", "cooperation", "with", "good", "neighborly", "ørsted"]


def test_stem_meets_inflections_and_singular_only_strips_plurals():
    assert stem("stabilize") == stem("stability")
    assert singular("parties") == "party" and singular("sanctions") == "sanction" and singular("stability") == "stability"
    assert singular("glass") == "glass"


def test_slug_is_ascii_and_bounded():
    assert slug("Özgön: the “quake” of 2025!") == "ozgon-the-quake-of-2025"
    assert slug("???", default="topic") == "topic"
    assert len(slug("word " * 40, limit=20)) <= 20 and not slug("word " * 40, limit=20).endswith("-")


def test_month_and_weekday_tables_agree_with_their_names():
    assert [MONTHS[name] for name in MONTH_NAMES] == list(range(1, 13))
    assert MONTHS["sept"] == MONTHS["sep"] == 9
    assert [WEEKDAYS[name] for name in WEEKDAY_NAMES] == list(range(7))


def test_sentence_splitting_stays_linear_after_many_abbreviations():
    """Each abbreviation used to make the splitter re-read the whole sentence so far."""
    import time

    from builder.text import sentence_spans

    text = " ".join("Officials met Mr. Smith and Gen. Brown of the U.S. Army near St. Paul" for _ in range(2000))
    started = time.perf_counter()
    spans = sentence_spans(text)
    assert time.perf_counter() - started < 2.0     # seconds; the quadratic version took over 30
    assert spans == [(0, len(text))]               # no abbreviation ends a sentence


def test_unique_ids_suffix_repeats_in_order_and_skip_ids_already_given():
    unique = UniqueIds()
    given = [unique(base) for base in ("x", "x", "x-3", "x", "y", "x", "x-2")]
    assert given == ["x", "x-2", "x-3", "x-4", "y", "x-5", "x-2-2"]
