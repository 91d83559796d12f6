"""The timeline stage (builder/timeline.py) and its date helper (builder/dates.py)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from builder.compare import compare_sources
from builder.dates import Reference, find_dates, resolve
from builder.model import Article, Comparison, Glossary, Similarity, SourceGroup
from builder.timeline import build_timeline
from tests.conftest import spying_memo
from tests.dossiers import plain_article, yaml_dossier

FIXTURES = Path(__file__).parent / "fixtures" / "topics"
EMPTY = Glossary(())


_article = plain_article


def _dossier(name: str) -> list[Article]:
    return yaml_dossier(FIXTURES / f"{name}.yaml")


def _timeline(articles):
    """The timeline as the pipeline builds it, after the comparison of the same articles."""
    articles = list(articles)
    return build_timeline(articles, EMPTY, compare_sources(articles, EMPTY))


def _on(timeline, date):
    return [e for e in timeline if e.date == date]


# --- dates.py --------------------------------------------------------------------------

@pytest.mark.parametrize("text, kind, expected", [
    ("It struck on 6 February 2023 at dawn.", "date", "2023-02-06"),
    ("It struck on Feb. 6, 2023, at dawn.", "date", "2023-02-06"),
    ("In this Thursday, April 25, 2019, photo", "date", "2019-04-25"),
    ("The deal closed in March 2021.", "month-year", "2021-03"),
    ("It was founded in 1921, the year of the fire.", "year", "1921"),
])
def test_absolute_dates_resolve_without_reference(text, kind, expected):
    (mention,) = find_dates(text)
    assert mention.kind == kind
    resolved = resolve(mention)
    assert resolved.date == expected and not resolved.inferred


def test_year_range_keeps_its_end():
    (mention,) = find_dates("the Korean War (1950-1953) armistice")
    resolved = resolve(mention)
    assert (resolved.date, resolved.end) == ("1950", "1953")


def test_decade_is_a_range_of_its_years():
    (mention,) = find_dates("Built in the 1970s, the blocks were weak.")
    resolved = resolve(mention)
    assert (resolved.date, resolved.end) == ("1970", "1979")


def test_numbers_that_are_not_years_are_not_dates():
    text = "They sent 100,000 troops, 2,019 shells and 1500 % more, at a cost of $2020."
    assert find_dates(text) == ()


def test_may_the_verb_is_not_a_month():
    assert find_dates("Officials said aftershocks may continue; it may rain.") == ()


def test_weekday_resolves_to_the_same_or_previous_day_of_the_reporting_week():
    reference = Reference(day=dt.date(2023, 8, 16))         # a Wednesday
    (tuesday,) = find_dates("The Kremlin released it on Tuesday.")
    (next_friday,) = find_dates("The summit next Friday will be long.")
    assert resolve(tuesday, reference).date == "2023-08-15"
    assert resolve(next_friday, reference).date == "2023-08-18"
    assert resolve(tuesday, reference).inferred


@pytest.mark.parametrize("text, expected", [
    ("Last July, the country recognised them.", "2022-07"),
    ("The toll rose last year.", "2021"),
    ("He visited last month.", "2022-07"),
    ("In April, it expressed support.", "2022-04"),
    ("It happened in November, officials said.", "2021-11"),   # November ahead of an August text: last year's
    ("The vote on March 3 was close.", "2022-03-03"),
])
def test_relative_and_partial_dates_resolve_against_the_reference(text, expected):
    (mention,) = find_dates(text)
    resolved = resolve(mention, Reference(day=dt.date(2022, 8, 15)))
    assert resolved.date == expected and resolved.inferred


def test_relative_date_without_reference_is_left_unresolved():
    (mention,) = find_dates("It happened on Monday.")
    assert resolve(mention) is None


# --- build_timeline --------------------------------------------------------------------

def test_relative_dates_resolve_against_publication_date_and_are_marked_inferred():
    timeline = _timeline(_dossier("earthquake"))
    (monday,) = [e for e in _on(timeline, "2031-03-10")]
    assert "quake-a" in monday.sources and monday.inferred


def test_same_event_reported_by_two_sources_is_one_entry_naming_both():
    timeline = _timeline(_dossier("earthquake"))
    (quake,) = _on(timeline, "2031-03-10")
    assert quake.sources == ("quake-a", "quake-b")
    assert {e.source for e in quake.evidence} == {"quake-a", "quake-b"}


def test_conflicting_dates_for_one_event_share_a_conflict_id():
    timeline = _timeline(_dossier("earthquake"))
    told = [e for e in timeline if "struck Varna Bay" in e.text or "earthquake struck" in e.text]
    conflicts = {e.conflict for e in told}
    assert len(told) == 2 and len(conflicts) == 1 and None not in conflicts
    assert {e.date for e in told} == {"2031-03-10", "2031-03-11"}


def test_different_events_on_one_date_are_not_merged_or_conflicted():
    timeline = _timeline(_dossier("earthquake"))
    toll = [e for e in timeline if e.text.startswith("The death toll rose")]
    assert len(toll) == 1 and toll[0].conflict is None and toll[0].sources == ("quake-a",)


def test_year_range_gives_a_range_entry_and_an_entry_for_its_end():
    timeline = _timeline(_dossier("earthquake"))
    assert any(e.date == "1975" and e.end == "1985" for e in timeline)
    assert any(e.date == "1985" and e.end is None for e in timeline)


def test_decade_gives_one_range_entry_only():
    article = _article("a", ["Most blocks were built in the 1970s."])
    assert [(e.date, e.end) for e in _timeline([article])] == [("1970", "1979")]


def test_entries_are_chronological_with_coarse_dates_before_finer_ones():
    timeline = _timeline(_dossier("company_deal"))
    dates = [e.date for e in timeline]
    assert dates == sorted(dates)
    assert dates.index("2030") < dates.index("2030-06") < dates.index("2030-06-03")


def test_undated_article_borrows_the_reference_of_a_similar_dated_one():
    dated = _article("a", [
        "Rescue teams searched the collapsed hospital in Varna Bay after the earthquake on Monday.",
        "The civil protection agency counted the dead and injured in Varna Bay hospitals.",
    ], "2031-03-14")
    undated = _article("b", [
        "Rescue teams at the collapsed hospital in Varna Bay found survivors on Tuesday, the civil protection agency said.",
    ])
    timeline = _timeline([dated, undated])
    (tuesday,) = [e for e in timeline if e.sources == ("b",)]
    assert tuesday.date == "2031-03-11" and tuesday.inferred


def test_loosely_similar_undated_article_borrows_only_the_year():
    dated = _article("a", [
        "Rescue teams searched the collapsed hospital in Varna Bay after the earthquake on Monday.",
        "The mayor asked for tents and blankets.",
    ], "2031-03-14")
    follow_up = _article("b", [
        "Weeks later, the hospital in Varna Bay reopened on Tuesday with new wards, doctors, nurses, "
        "scanners, a chapel and a maternity unit funded by private donors and foundations.",
        "The earthquake on March 10 destroyed its roof; surgeons operated in borrowed clinics across "
        "the province, orthopaedic patients waited, and pharmacists rationed insulin.",
    ])
    unrelated = _article("c", ["Engineers inspected bridges along the coast road before the winter storms."], "2031-01-05")
    mine = [e for e in _timeline([dated, follow_up, unrelated]) if e.sources == ("b",)]
    assert [e.date for e in mine] == ["2031-03-10"]     # "on Tuesday" needs a day: left out


def test_undated_article_between_two_occasions_borrows_nothing():
    first = _article("a", ["Leaders met at the lakeside resort to sign the climate pact on Monday."], "2029-11-20")
    second = _article("b", ["Leaders met at the lakeside resort to sign the trade pact on Monday."], "2030-11-19")
    undated = _article("c", ["Leaders met at the lakeside resort on March 3 to sign the pact."])
    unrelated = _article("d", ["Farmers said the drought ruined the harvest."], "2030-08-01")
    assert not [e for e in _timeline([first, second, undated, unrelated]) if "c" in e.sources]
    # the same undated report beside one occasion only is placed in its year
    placed = [e.date for e in _timeline([first, undated, unrelated]) if "c" in e.sources]
    assert placed == ["2029-03-03"]


def test_undated_article_is_placed_by_an_anniversary_it_marks():
    article = _article("a", [
        "Veterans gathered for the 70th anniversary of the 1953 armistice on July 27.",
        "Last month the minister visited, and on Tuesday he spoke again.",
    ])
    dates = {e.date for e in _timeline([article])}
    assert "2023-07-27" in dates and "2023-06" in dates


def test_stated_date_years_after_an_anniversary_is_treated_as_republication():
    article = _article("a", [
        "The ceremony marked the 77th anniversary of the liberation in World War II (1939-1945).",
        "In April, officials prepared the parade.",
    ], "2024-12-28")
    dates = {e.date for e in _timeline([article])}
    assert "2022-04" in dates and "2024-04" not in dates


def test_anniversary_one_year_before_the_stated_date_keeps_the_stated_date():
    article = _article("a", [
        "Last year's 60th anniversary of the 1963 march drew crowds; organisers met on Monday.",
    ], "2024-03-01")
    dates = {e.date for e in _timeline([article])}
    assert "2024-02-26" in dates


def test_undated_article_is_not_read_as_written_before_the_events_it_dates():
    dated = _article("a", [
        "Rescue teams searched the collapsed hospital in Varna Bay after the earthquake on Monday.",
    ], "2031-03-14")
    undated = _article("b", [
        "Rescue teams left the collapsed hospital in Varna Bay on April 2, 2031, after the earthquake.",
        "The hospital reopened on Monday, rescue teams said.",
    ])
    dates = {e.date for e in _timeline([dated, undated]) if e.sources == ("b",)}
    assert "2031-03-31" in dates


def test_opening_dateline_dates_the_report_not_an_event():
    dated = _article("a", ["Veridian agreed to buy Noordhaven on Monday, the companies said."], "2025-06-10")
    wire = _article("b", [
        "NEW YORK/AMSTERDAM, June 9 (Wire) - Veridian agreed on Monday to buy Noordhaven for $69 billion.",
    ])
    entries = [e for e in _timeline([dated, wire]) if "b" in e.sources]
    assert [(e.date, e.sources) for e in entries] == [("2025-06-09", ("a", "b"))]    # "on Monday", both


def test_sentence_that_looks_ahead_resolves_forward():
    article = _article("a", [
        "Shareholders will vote in September, and regulators expect to rule on Friday.",
    ], "2025-06-10")
    assert {e.date for e in _timeline([article])} == {"2025-09", "2025-06-13"}


def test_recurring_weekday_is_not_an_event():
    article = _article("a", ["Subscribe for more analysis every Friday."], "2025-06-10")
    assert _timeline([article]) == ()


@pytest.mark.parametrize("text", [
    "Subscribe for more analysis every\n  Friday.",
    "Briefings are held each Monday and Thursday, " + "the ministry said. " * 2000 + "Updates come every Sunday.",
])
def test_weekday_after_every_or_each_recurs_wherever_it_stands(text):
    assert [m for m in find_dates(text) if m.kind == "weekday" and m.text != "Thursday"] == []


def test_weekday_after_a_word_ending_in_each_is_a_date():
    (mention,) = find_dates("The team will reach Friday's final.")
    assert mention.kind == "weekday"


def test_bare_weekday_a_week_off_another_source_takes_that_sources_date():
    first = _article("a", ["The president declared Monday a day of national mourning for the victims."], "2025-10-19")
    second = _article("b", ["The president declared Monday, October 20, a day of national mourning for the victims."], "2025-10-20")
    timeline = _timeline([first, second])
    assert [(e.date, e.sources, e.conflict) for e in timeline] == [("2025-10-20", ("a", "b"), None)]


def test_statements_on_different_days_are_not_conflicting_dates():
    first = _article("a", ["The emergency situations minister said at a briefing in Osh on Saturday that every hour counts."], "2025-10-19")
    second = _article("b", ["The emergency situations minister said in Osh on Sunday that every hour counts."], "2025-10-20")
    assert all(e.conflict is None for e in _timeline([first, second]))


def test_today_without_a_real_publication_date_is_not_an_event():
    article = _article("a", ["The two nations remain close allies today, as in 1991."])
    assert [e.date for e in _timeline([article])] == ["1991"]


def test_dateline_paragraph_is_not_an_event():
    article = _article("a", ["Updated: December 28, 2024", "The bridge opened in 1932."], "2024-12-28")
    assert [e.date for e in _timeline([article])] == ["1932"]


def test_paragraph_of_dates_and_a_few_words_is_a_dateline_however_many_dates():
    article = _article("a", ["Published 3 May 2020, updated 4 May 2020 and 5 May 2020", "The bridge opened in 1932."])
    assert [e.date for e in _timeline([article])] == ["1932"]


def test_long_paragraph_takes_time_in_proportion_to_its_length():
    """Scanning a paragraph once per date it holds made a 250,000-character paragraph take
    16 s and a million characters 75 s; a linear pass takes about two seconds for 500,000."""
    import time

    sentences = [
        "The council voted on March {d}, 2021 to close the old bridge, officials said.",
        "Engineers inspected the dam on Monday and found cracks in the spillway.",
        "In {y}, the region was hit by a similar flood that displaced {d}00 people.",
        "Residents, waiting since last July, protested outside the town hall; police detained {d} people.",
    ]
    text = " ".join(sentences[i % 4].format(d=i % 27 + 1, y=1990 + i % 30) for i in range(6400))
    assert len(text) > 500_000
    started = time.perf_counter()
    timeline = build_timeline([_article("a", [text], "2021-03-20")], EMPTY, Comparison((), (), (), Similarity((), ())))
    assert timeline and time.perf_counter() - started < 10


def test_long_sentence_is_trimmed_around_its_date():
    filler = ", ".join(f"clause number {i} about something else entirely" for i in range(12))
    article = _article("a", [f"The council met on 3 May 2020 to vote, {filler}."])
    (entry,) = _timeline([article])
    assert "3 May 2020" in entry.text and len(entry.text) <= 310


def test_same_inputs_give_identical_timeline():
    articles = _dossier("summit")
    assert _timeline(articles) == _timeline(list(reversed(articles)))


# --- what the comparison says ----------------------------------------------------------

def _comparison(articles, groups=(), alike=0.05):
    """A comparison in which every two articles are `alike` and `groups` hold."""
    ids = tuple(a.id for a in articles)
    matrix = tuple(tuple(1.0 if x == y else alike for y in ids) for x in ids)
    return Comparison((), (), (), Similarity(ids, matrix), groups=tuple(groups))


_CEREMONY = [
    _article("a", ["Veterans laid wreaths at the memorial on Tuesday."], "2031-05-14"),
    _article("b", ["Veterans laid wreaths at the memorial on Tuesday."], "2032-05-12"),
    _article("c", ["Veterans laid wreaths at the memorial on Tuesday, the mayor said."]),
]


def test_report_of_an_occasion_reads_its_dates_against_a_dated_report_of_that_occasion():
    occasion = SourceGroup("occasion", "Reports of the 2031 occasion", ("a", "c"), year=2031)
    later = SourceGroup("occasion", "Reports of the 2032 occasion", ("b",), year=2032)
    timeline = build_timeline(_CEREMONY, EMPTY, _comparison(_CEREMONY, [occasion, later], alike=0.5))
    assert [e.date for e in timeline if "c" in e.sources] == ["2031-05-13"]


def test_report_of_an_occasion_without_a_dated_report_takes_the_occasion_year():
    articles = [_CEREMONY[1], _article("d", ["In March, veterans laid wreaths at the memorial."])]
    occasion = SourceGroup("occasion", "Reports of the 2029 occasion", ("d",), year=2029)
    later = SourceGroup("occasion", "Reports of the 2032 occasion", ("b",), year=2032)
    timeline = build_timeline(articles, EMPTY, _comparison(articles, [occasion, later], alike=0.5))
    assert [e.date for e in timeline if "d" in e.sources] == ["2029-03"]


def test_undated_near_copy_shares_the_day_of_its_dated_copy():
    articles = [_CEREMONY[0], _CEREMONY[2]]
    copies = SourceGroup("near-copy", "Near-copies of one text (2 sources)", ("a", "c"))
    with_copies = build_timeline(articles, EMPTY, _comparison(articles, [copies], alike=0.1))
    without = build_timeline(articles, EMPTY, _comparison(articles, alike=0.1))
    assert [e.date for e in with_copies if "c" in e.sources] == ["2031-05-13"]
    assert not [e for e in without if "c" in e.sources]      # "on Tuesday" needs a day: only the year was borrowed


def test_undated_article_borrows_from_the_neighbour_lists_of_a_dossier_too_big_for_the_matrix():
    """Above DENSE_SIMILARITY_LIMIT sources the comparison keeps no matrix, only each source's
    nearest neighbours: an undated article must read its likeness there (the build crashed on
    the empty matrix when one such article was in a 1,000-source dossier)."""
    articles = [_CEREMONY[0], _CEREMONY[2]]
    ids = tuple(a.id for a in articles)
    near = Similarity(ids, (), neighbours=((("c", 0.5),), (("a", 0.5),)))
    timeline = build_timeline(articles, EMPTY, Comparison((), (), (), near))
    assert [e.date for e in timeline if "c" in e.sources] == ["2031-05-13"]


# --- the indexes of merging.py give exactly what comparing every pair gives -----------------

def _random_mentions(seed: int, count: int):
    import random

    from builder.timeline.statements import Dated

    rng = random.Random(seed)
    vocabulary = [f"w{n}" for n in range(30)]
    days = [str(dt.date(2024, 3, 1) + dt.timedelta(days=d)) for d in range(0, 140, 7)] + ["2024", "2024-03"]
    return [
        Dated(date=rng.choice(days), end=None, inferred=False, source=f"s{rng.randrange(40)}", paragraph=rng.randrange(3),
              text=f"mention {n}", words=frozenset(rng.sample(vocabulary[:rng.choice((8, 30))], rng.randrange(1, 8))),
              sentence_words=frozenset(rng.sample(vocabulary, rng.randrange(1, 6))),
              weekday=rng.random() < 0.3, reported=rng.random() < 0.1)
        for n in range(count)
    ]


def _every_pair_conflicts(merged):
    """mark_conflicts as it was written first: every entry against every other."""
    entries = [entry for entry, _ in merged]
    parent = list(range(len(entries)))

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    def told_differently(x, y):
        if x.reported or y.reported:
            return False
        shared = len(x.words & y.words)
        return shared >= 3 and shared / len(x.words | y.words) >= 0.3

    for i, (a, a_items) in enumerate(merged):
        for j in range(i + 1, len(merged)):
            b, b_items = merged[j]
            if a.date.startswith(b.date) or b.date.startswith(a.date) or set(a.sources) & set(b.sources):
                continue
            if any(told_differently(x, y) for x in a_items for y in b_items):
                parent[root(j)] = root(i)
    groups = {}
    for i in range(len(entries)):
        groups.setdefault(root(i), []).append(i)
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)


def _every_pair_weekdays(found):
    """reconcile_weekdays as it was written first: every weekday against every mention."""
    from dataclasses import replace

    from builder.timeline import merging

    settled = []
    for item in found:
        if item.weekday:
            day = dt.date.fromisoformat(item.date) if len(item.date) == 10 else None
            for other in found:
                if day is None or other.source == item.source or other.weekday or len(other.date) != 10:
                    continue
                if abs((dt.date.fromisoformat(other.date) - day).days) == 7 and merging._same_event(item, other):
                    item = replace(item, date=other.date)
                    break
        settled.append(item)
    return settled


@pytest.mark.parametrize("seed", range(8))
def test_indexed_conflict_marking_finds_exactly_the_pairs_an_all_pairs_scan_finds(seed):
    from builder.timeline import conflicts, merging

    merged = merging.merge_events(_random_mentions(seed, 120))
    marked = conflicts.mark_conflicts([entry for entry, _ in merged], [conflicts.date_told(merged)])
    groups: dict[str, list[int]] = {}
    for index, entry in enumerate(marked):
        if entry.conflict:
            groups.setdefault(entry.conflict, []).append(index)
    assert sorted(groups.values()) == _every_pair_conflicts(merged)
    assert groups, "the random mentions should hold at least one conflict, or the test proves nothing"


@pytest.mark.parametrize("seed", range(8))
def test_indexed_weekday_reconciliation_equals_a_scan_of_every_mention(seed):
    from builder.timeline import merging

    found = [m for m in _random_mentions(seed, 150) if not (m.weekday and len(m.date) != 10)]
    assert merging.reconcile_weekdays(found) == _every_pair_weekdays(found)
    assert merging.reconcile_weekdays(found) != found, "some weekday should move, or the test proves nothing"


def _every_pair_events(items):
    """_events as it was written first: each mention against every member of every group."""
    from builder.timeline import merging

    groups = []
    for item in items:
        joined = [g for g in groups if any(merging._same_event(item, other) for other in g)]
        merged = sorted([item] + [f for g in joined for f in g], key=merging._item_order)
        groups = [g for g in groups if all(g is not j for j in joined)] + [merged]
    return sorted(groups, key=lambda g: merging._item_order(g[0]))


@pytest.mark.parametrize("seed", range(8))
def test_indexed_event_grouping_equals_comparing_every_two_mentions(seed):
    from builder.timeline import merging

    import random

    from builder.timeline.statements import Dated

    rng = random.Random(seed)
    words = [f"w{n}" for n in range(60)]
    items = sorted((
        Dated(date="2024-03-11", end=None, inferred=False, source=f"s{rng.randrange(30)}", paragraph=rng.randrange(3),
              text=f"mention {n}", words=frozenset(rng.sample(words[:rng.choice((10, 60))], rng.randrange(1, 4))),
              sentence_words=frozenset(rng.sample(words, rng.randrange(2, 9))))
        for n in range(150)
    ), key=merging._item_order)
    grouped = merging._events(items)
    assert grouped == _every_pair_events(items)
    assert 1 < len(grouped) < len(items) - 20, "the mentions should both join and stay apart, or the test proves nothing"


def test_one_day_reported_by_thousands_of_sources_is_grouped_in_linear_time():
    """Every mention compared with every group took minutes at a few thousand mentions of one day."""
    import time

    from builder.timeline import merging
    from builder.timeline.statements import Dated

    told = ["the dam burst above the valley town", "rescuers reached the flooded valley town", "the dam operator blamed heavy rain",
            "schools in the valley closed after the flood", "the regional governor declared an emergency"]
    items = sorted((
        Dated(date="2024-03-11", end=None, inferred=False, source=f"s{n:05d}", paragraph=n % 7, text=f"{told[n % 5]} ({n})",
              words=frozenset(told[n % 5].split()[1:] + [f"w{n % 97}"]), sentence_words=frozenset(told[n % 5].split() + [f"x{n}"]))
        for n in range(6000)
    ), key=merging._item_order)
    started = time.perf_counter()
    grouped = merging._events(items)
    assert len(grouped) <= 5 and time.perf_counter() - started < 5


def test_one_event_given_many_dates_by_thousands_of_sources_is_one_conflict_found_in_linear_time():
    """Entry pairs sharing a word, each checked mention against mention until two told the
    event alike, took a minute here: the day's thousands of mentions (each with words of its
    own) were met again for every other day."""
    import time

    from builder.timeline import conflicts, merging
    from builder.timeline.statements import Dated

    def mention(date, source, words):
        return Dated(date, None, False, source, 0, " ".join(sorted(words)), frozenset(words), frozenset(words))

    on_the_day = [mention("2024-03-11", f"a{n:04d}", ["dam", "valley", "town"] + [f"x{n}y{i}" for i in range(7)])
                  for n in range(6000)] + [mention("2024-03-11", "a9999", ["dam", "burst", "valley", "town"])]
    other_days = [mention(str(dt.date(2024, 3, 12) + dt.timedelta(days=n)), f"b{n:04d}", ["dam", "burst", "valley", "town"])
                  for n in range(1000)]
    merged = merging.merge_events(on_the_day + other_days)
    started = time.perf_counter()
    marked = conflicts.mark_conflicts([entry for entry, _ in merged], [conflicts.date_told(merged)])
    assert time.perf_counter() - started < 5
    assert len(marked) == 1001 and {e.conflict for e in marked} == {"conflict-1"}


def _dateline_by_counting(paragraph: str) -> bool:
    """The dateline rule spelled out: a date, and at most three words outside every date."""
    import re

    mentions = find_dates(paragraph)
    if not mentions:
        return False
    outside = re.sub("|".join(re.escape(m.text) for m in mentions), " ", paragraph)
    return len(re.findall(r"[A-Za-z]+", outside)) <= 3


@pytest.mark.parametrize("paragraph", [
    "December 28, 2024", "Updated: 3 May 2020", "Published on Monday, April 25, 2019 at 10:30 GMT",
    "Last updated yesterday", "From 1950 to 1953 in the 1990s", "Posted two years ago by staff",
    "The ferry sank on Monday, April 25, 2019, off the cape.", "Talks resumed in March 2021 after a pause of months",
    "Between 2019 and 2021", "In mid-March last year, the port shut",
])
def test_dateline_shortcut_agrees_with_counting_words_outside_the_dates(paragraph):
    from builder.timeline.datelines import is_dateline

    assert is_dateline(paragraph) == _dateline_by_counting(paragraph)


# --- kept between builds ----------------------------------------------------------------

def _copies(dated_day: str):
    """A dated report and an undated copy of it, which reads its weekdays against that date."""
    articles = [
        _article("a-dated", ["The levee gave way on Tuesday and flooded the lower town, officials said."], date=dated_day),
        _article("b-copy", ["The levee gave way on Tuesday and flooded the lower town, the mayor confirmed."]),
    ]
    group = SourceGroup("near-copy", "one wire text", ("a-dated", "b-copy"))
    return articles, Comparison((), (), (), Similarity((), ()), groups=(group,))


def test_unchanged_articles_keep_their_dated_statements_between_builds(tmp_path):
    from builder.cache import source_memo
    articles, comparison = _copies("2024-04-12")
    first: list = []
    found = build_timeline(articles, EMPTY, comparison, memo=spying_memo(source_memo(tmp_path), first))
    again: list = []
    kept = build_timeline(articles, EMPTY, comparison, memo=spying_memo(source_memo(tmp_path), again))
    assert [(kind, i) for kind, i in first if kind == "timeline statements"] == [("timeline statements", 0), ("timeline statements", 1)]
    assert again == []
    assert kept == found == build_timeline(articles, EMPTY, comparison)


def test_an_unchanged_copy_is_read_afresh_when_the_date_it_borrows_changes(tmp_path):
    from builder.cache import source_memo
    articles, comparison = _copies("2024-04-12")
    build_timeline(articles, EMPTY, comparison, memo=source_memo(tmp_path))
    articles, comparison = _copies("2024-05-17")
    computed: list = []
    timeline = build_timeline(articles, EMPTY, comparison, memo=spying_memo(source_memo(tmp_path), computed))
    assert sorted(i for kind, i in computed if kind == "timeline statements") == [0, 1]   # the copy's text is unchanged, its "now" is not
    assert timeline == build_timeline(articles, EMPTY, comparison)
    assert [(e.date, e.sources) for e in timeline] == [("2024-05-14", ("a-dated", "b-copy"))]


def _flood_reports(extra: str = "") -> list[Article]:
    """Twelve dated reports of one flood (weekdays, full dates, a date given two ways), the
    last one with `extra` appended: an edit of one source."""
    days = ["2024-04-12", "2024-04-13", "2024-04-15"]
    articles = []
    for n in range(12):
        paragraphs = [
            f"The levee at Marrow Creek gave way on Tuesday and flooded {n + 3} streets of the lower town, officials said.",
            "The river first burst its banks on April 2, 2024, after a week of rain.",
            "Engineers closed the levee road on March 28, 2024 after cracks appeared." if n % 3 else
            "Engineers closed the levee road on March 27, 2024 after cracks appeared.",
            f"Report number {n} was filed from the shelter.",
        ]
        if n == 11 and extra:
            paragraphs.append(extra)
        articles.append(_article(f"report-{n:02d}", paragraphs, date=days[n % 3]))
    return articles


def test_an_edit_of_one_source_keeps_most_merged_dates_and_gives_the_timeline_of_a_fresh_build(tmp_path):
    from builder.cache import source_memo

    before = _flood_reports()
    build_timeline(before, EMPTY, compare_sources(before, EMPTY), memo=source_memo(tmp_path))
    after = _flood_reports("Volunteers filled sandbags at the depot on April 14, 2024 before the crest arrived.")
    comparison = compare_sources(after, EMPTY)
    computed: list = []
    kept = build_timeline(after, EMPTY, comparison, memo=spying_memo(source_memo(tmp_path), computed))
    assert kept == build_timeline(after, EMPTY, comparison)
    assert [e for e in kept if e.date == "2024-04-14"], "the edit should add an entry, or the test proves nothing"
    assert [e for e in kept if e.conflict], "the dossier should hold a conflict, or the test proves nothing"
    statements = [i for kind, i in computed if kind == "timeline statements"]
    events = [i for kind, i in computed if kind.startswith("timeline events")]
    assert statements == [11]                   # only the edited source is read again
    edited_dates = {(e.date, e.end) for e in kept if "report-11" in e.sources}
    # only the dates the edited source mentions are merged again (its mentions are known by
    # its statements key, which the edit changed), not the others
    assert len(events) == len(edited_dates) < len({(e.date, e.end) for e in kept})
    assert ("timeline conflicts", 0) in computed    # the new entry's wording is new to the conflicts


def test_the_entries_conflict_marking_copies_have_the_fields_it_copies():
    """mark_conflicts builds each marked entry field by field (dataclasses.replace is too slow for
    thousands of them): a field added to TimelineEntry must be copied there, then listed here."""
    from dataclasses import fields

    from builder.model import TimelineEntry

    assert [f.name for f in fields(TimelineEntry)] == ["date", "text", "sources", "evidence", "inferred", "end",
                                                       "conflict"]
