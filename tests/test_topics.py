"""The topics stage (builder/topics.py)."""
from __future__ import annotations

import dataclasses
import logging
import re
from pathlib import Path


from builder.model import Article, Comparison, Entity, Glossary, Mention, Similarity, SourceGroup, Span
from builder.topics import find_topics
from tests.conftest import spying_memo
from tests.dossiers import plain_article, yaml_dossier

FIXTURES = Path(__file__).parent / "fixtures" / "topics"
NO_COMPARISON = Comparison((), (), (), Similarity((), ()))


_article = plain_article


def _dossier(name: str) -> list[Article]:
    return yaml_dossier(FIXTURES / f"{name}.yaml")


def _glossary(articles: list[Article], names: dict[str, str]) -> Glossary:
    """A glossary as the entities stage would give it: every occurrence of each name."""
    entities = []
    for entity_id, name in sorted(names.items()):
        mentions = tuple(
            Mention(a.id, i, m.start(), m.end(), m.group(0))
            for a in articles for i, p in enumerate(a.paragraphs) for m in re.finditer(re.escape(name), p)
        )
        entities.append(Entity(entity_id, name, "OTHER", (name,), mentions))
    return Glossary(tuple(entities))


def _topics(name: str, glossary: Glossary | None = None, editorial: Path | None = None):
    articles = _dossier(name)
    return articles, find_topics(articles, glossary or Glossary(()), NO_COMPARISON, editorial)


def _topic_with(topics, word):
    found = [t for t in topics if any(word in k.lower() for k in t.keywords + (t.label,))]
    assert found, f"no topic about {word!r} in {[t.label for t in topics]}"
    return found[0]


def test_earthquake_dossier_gets_four_to_twelve_topics_covering_every_source():
    articles, topics = _topics("earthquake")
    assert 4 <= len(topics) <= 12
    assert {a.id for a in articles} <= {s for t in topics for s in t.sources}


def test_distinct_subjects_of_a_story_become_distinct_topics():
    _articles, topics = _topics("earthquake")
    subjects = ["building codes", "aftershocks", "emergency aid", "rescue"]
    labels = {_topic_with(topics, s).id for s in subjects}
    assert len(labels) == len(subjects)


def test_topic_paragraphs_are_the_ones_that_discuss_it():
    articles, topics = _topics("earthquake")
    codes = _topic_with(topics, "building codes")
    texts = [articles[[a.id for a in articles].index(e.source)].paragraphs[e.paragraph] for e in codes.paragraphs]
    assert texts and all("building codes" in t for t in texts)
    assert set(codes.sources) == {e.source for e in codes.paragraphs}


def test_labels_are_short_plain_text_and_ids_are_stable_slugs():
    _articles, topics = _topics("company_deal")
    for topic in topics:
        assert 0 < len(topic.label) <= 60 and "\n" not in topic.label and "@" not in topic.label
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", topic.id)
    assert len({t.id for t in topics}) == len(topics)


def test_labels_prefer_names_and_phrases_over_lone_adjectives():
    _articles, topics = _topics("company_deal")
    first_words = {t.label.split()[0].lower() for t in topics}
    assert not first_words & {"largest", "unanimously", "financed", "northwind"}


def test_glossary_names_appear_as_keywords_in_their_own_spelling():
    articles = _dossier("company_deal")
    glossary = _glossary(articles, {"tom-okafor": "Tom Okafor", "harlow": "Harlow pension fund"})
    topics = find_topics(articles, glossary, NO_COMPARISON)
    keywords = {k for t in topics for k in t.keywords}
    assert "Tom Okafor" in keywords or "Harlow pension fund" in keywords
    assert not any(k.lower() in ("tom", "okafor", "leader tom") for k in keywords)


def test_demonyms_do_not_head_labels():
    articles = [
        _article("a", [
            "Ruritanian troops shelled the border villages again, Ruritanian officials confirmed on the radio.",
            "Ruritanian artillery units hit the grain depots near the border villages overnight.",
            "Farmers said grain prices doubled after the depots burned.",
            "Grain exports stopped and farmers protested against grain prices.",
        ]),
        _article("b", [
            "Border villages were shelled by Ruritanian artillery units, the governor said.",
            "The governor asked for grain exports to resume, as farmers face ruin from grain prices.",
        ]),
    ]
    spans = tuple(Span(a.id, i, 0, 11, "NORP", "Ruritanian") for a in articles for i in range(len(a.paragraphs)))
    topics = find_topics(articles, Glossary((), spans), NO_COMPARISON)
    assert any("Ruritanian" in t.keywords for t in topics)
    assert topics and not any(re.match(r"Ruritanian(?: and|$)", t.label) for t in topics)


def test_tiny_dossier_still_puts_every_source_in_a_topic():
    articles = [
        _article("a", ["The mayor opened the new bridge over the river on Sunday with a ribbon."]),
        _article("b", ["Drivers welcomed the bridge, which cuts the trip across the river by half."]),
    ]
    topics = find_topics(articles, Glossary(()), NO_COMPARISON)
    assert topics and {"a", "b"} <= {s for t in topics for s in t.sources}


def test_dossier_of_short_paragraphs_still_gets_a_topic():
    articles = [
        _article("a", ["Bridge opened.", "Drivers cheered the bridge."]),
        _article("b", ["The bridge is open.", "Long queues at the bridge."]),
    ]
    topics = find_topics(articles, Glossary(()), NO_COMPARISON)
    assert topics and {"a", "b"} <= {s for t in topics for s in t.sources}
    assert "bridge" in topics[0].keywords


def test_empty_dossier_has_no_topics():
    assert find_topics([], Glossary(()), NO_COMPARISON) == ()


def test_same_inputs_give_identical_topics_whatever_the_order():
    articles = _dossier("summit")
    first = find_topics(articles, Glossary(()), NO_COMPARISON)
    assert first == find_topics(list(reversed(articles)), Glossary(()), NO_COMPARISON)


# --- editorial topics.yml --------------------------------------------------------------

def _editorial(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "topics.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_editorial_rename_changes_label_and_id(tmp_path):
    _articles, found = _topics("earthquake")
    codes = _topic_with(found, "building codes")
    editorial = _editorial(tmp_path, f"rename:\n  {codes.id}: Construction failures\n")
    _articles, topics = _topics("earthquake", editorial=editorial)
    renamed = [t for t in topics if t.label == "Construction failures"]
    assert renamed and renamed[0].id == "construction-failures" and renamed[0].paragraphs == codes.paragraphs


def test_editorial_merge_joins_paragraphs_and_sources(tmp_path):
    _articles, found = _topics("earthquake")
    aid, rescue = _topic_with(found, "emergency aid"), _topic_with(found, "rescue")
    editorial = _editorial(tmp_path, f"merge:\n  - topics: [{aid.id}, {rescue.label}]\n    label: Relief effort\n")
    _articles, topics = _topics("earthquake", editorial=editorial)
    (merged,) = [t for t in topics if t.label == "Relief effort"]
    assert set(merged.paragraphs) == set(aid.paragraphs) | set(rescue.paragraphs)
    assert not {aid.id, rescue.id} & {t.id for t in topics}


def test_editorial_hide_and_add(tmp_path):
    _articles, found = _topics("earthquake")
    hidden = _topic_with(found, "building codes")
    editorial = _editorial(tmp_path, f"hide: [{hidden.id}]\nadd:\n  - label: Power cuts\n    keywords: [power]\n")
    _articles, topics = _topics("earthquake", editorial=editorial)
    assert hidden.id not in {t.id for t in topics}
    (power,) = [t for t in topics if t.id == "power-cuts"]
    assert power.sources == ("quake-a",) and power.keywords == ("power",)


def test_editorial_unknown_topic_is_warned_with_file_and_reason(tmp_path, caplog):
    editorial = _editorial(tmp_path, "hide: [no-such-topic]\n")
    with caplog.at_level(logging.WARNING):
        _articles, topics = _topics("earthquake", editorial=editorial)
    assert topics
    assert any("topics.yml" in r.getMessage() and "no-such-topic" in r.getMessage() for r in caplog.records)


def test_editorial_file_that_is_not_yaml_is_ignored_with_a_warning(tmp_path, caplog):
    editorial = _editorial(tmp_path, "rename: [unclosed\n")
    with caplog.at_level(logging.WARNING):
        _articles, topics = _topics("earthquake", editorial=editorial)
    _articles, plain = _topics("earthquake")
    assert topics == plain
    assert any("topics.yml" in r.getMessage() and "ignored" in r.getMessage() for r in caplog.records)


def test_near_copies_count_as_one_source_when_keywords_are_weighed():
    wire = ["Beekeepers in the hill villages lost hundreds of hives when the earthquake toppled their wooden sheds "
            "and scattered the colonies.",
            "The honey cooperative said its members had lost a season of clover honey and asked the province for help."]
    articles = _dossier("earthquake") + [
        _article("bees-1", wire), _article("bees-2", wire),
        _article("bees-3", ["Orchard growers and beekeepers in the hill villages said fallen sheds and broken irrigation "
                            "pipes would cut the harvest.",
                            "The orchard growers asked the province for help to repair irrigation pipes before the "
                            "summer harvest."]),
    ]
    copies = SourceGroup("near-copy", "Near-copies of one text (2 sources)", ("bees-1", "bees-2"))
    with_copies = Comparison((), (), (), Similarity((), ()), groups=(copies,))

    def keywords(comparison):
        (topic,) = [t for t in find_topics(articles, Glossary(()), comparison) if "beekeepers" in t.keywords]
        return topic.keywords

    # wording only the two copies use ("colonies") no longer outranks another source's
    assert keywords(with_copies).index("orchard growers") < keywords(with_copies).index("colonies")
    assert keywords(NO_COMPARISON).index("colonies") < keywords(NO_COMPARISON).index("orchard growers")


# --- scale: a fitted sample, the rest placed --------------------------------------------

_SUBJECTS = {
    "flood": "river levee rainfall sandbags evacuation pumps floodwater embankment dam reservoir",
    "tariffs": "tariff steel exporters customs quota dumping importers shipments duties aluminium",
    "vote": "ballot candidate polling turnout campaign voters recount constituency manifesto runoff",
    "hospital": "nurses wards vaccine clinic surgeons patients ambulance pharmacy beds outbreak",
}


def _subject_dossier(paragraphs_per_subject: int) -> list[Article]:
    """One article per subject and number, each paragraph a different pick of its subject's words,
    so every paragraph plainly belongs to one subject."""
    articles = []
    for subject, vocabulary in sorted(_SUBJECTS.items()):
        words = vocabulary.split()
        for n in range(paragraphs_per_subject // 2):
            paragraphs = [
                "The officials said " + " and ".join(words[(n + i + j * 3) % len(words)] for i in range(6)) + " were discussed again."
                for j in range(2)
            ]
            articles.append(_article(f"{subject}-{n:02d}", paragraphs))
    return articles


def _subject_of(source: str) -> str:
    return source.split("-")[0]


def test_paragraphs_outside_the_fitted_sample_are_placed_with_their_subject(monkeypatch):
    monkeypatch.setattr("builder.topics.clusters._FIT_ROWS", 40)
    monkeypatch.setattr("builder.topics.clusters._FIT_TERMS", 150)
    articles = _subject_dossier(40)
    topics = find_topics(articles, Glossary(()), NO_COMPARISON)
    placed = {(e.source, e.paragraph) for t in topics for e in t.paragraphs}
    assert len(placed) == sum(len(a.paragraphs) for a in articles) == 160
    for topic in topics:
        assert len({_subject_of(e.source) for e in topic.paragraphs}) == 1, topic.label
    assert {_subject_of(t.sources[0]) for t in topics} == set(_SUBJECTS)


def test_sampled_fit_gives_identical_topics_whatever_the_order(monkeypatch):
    monkeypatch.setattr("builder.topics.clusters._FIT_ROWS", 40)
    articles = _subject_dossier(40)
    first = find_topics(articles, Glossary(()), NO_COMPARISON)
    assert first == find_topics(list(reversed(articles)), Glossary(()), NO_COMPARISON)


def test_decomposition_is_bounded_by_the_fitted_sample_not_the_dossier(monkeypatch):
    """The NNDSVD start decomposes a Gram matrix: it must never grow with the dossier (an
    n x n matrix over 100,000 paragraphs needs 80 GB)."""
    import scipy.linalg

    sizes = []
    eigh = scipy.linalg.eigh

    def recording_eigh(matrix, **options):
        sizes.append(matrix.shape[0])
        return eigh(matrix, **options)

    monkeypatch.setattr("builder.topics.clusters._FIT_ROWS", 40)
    monkeypatch.setattr("builder.topics.clusters._FIT_TERMS", 150)
    monkeypatch.setattr(scipy.linalg, "eigh", recording_eigh)
    find_topics(_subject_dossier(40), Glossary(()), NO_COMPARISON)
    assert sizes and max(sizes) <= 40


def test_editorial_billion_laughs_is_ignored_at_once_with_its_file_and_line(tmp_path, caplog):
    import time

    bomb = "rename: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))
    editorial = _editorial(tmp_path, bomb)
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING):
        _articles, topics = _topics("earthquake", editorial=editorial)
    assert time.perf_counter() - started < 10
    assert topics == _topics("earthquake")[1]
    assert any("topics.yml" in r.getMessage() and "line 1" in r.getMessage() and "ignored" in r.getMessage()
               for r in caplog.records)


def test_ignored_editorial_file_warns_of_no_source_left_out(tmp_path, caplog):
    articles = _dossier("earthquake") + [_article("empty", [])]
    editorial = _editorial(tmp_path, "hide: [unclosed\n")
    with caplog.at_level(logging.WARNING):
        find_topics(articles, Glossary(()), NO_COMPARISON, editorial)
    assert any("topics.yml" in r.getMessage() and "ignored" in r.getMessage() for r in caplog.records)
    assert not any("in no topic" in r.getMessage() for r in caplog.records)


def test_hiding_a_sources_only_topic_warns_that_it_is_in_no_topic(tmp_path, caplog):
    articles = [
        _article("a", ["The mayor opened the new bridge over the river on Sunday with a ribbon."]),
        _article("b", ["Drivers welcomed the bridge, which cuts the trip across the river by half."]),
        _article("c", []),
    ]
    (topic,) = find_topics(articles, Glossary(()), NO_COMPARISON)
    editorial = _editorial(tmp_path, f"hide: [{topic.id}]\n")
    with caplog.at_level(logging.WARNING):
        assert find_topics(articles, Glossary(()), NO_COMPARISON, editorial) == ()
    warned = sorted(r.getMessage().split(":")[0] for r in caplog.records if "in no topic" in r.getMessage())
    assert warned == ["a.txt", "b.txt"]     # not c.txt: no topic ever held it (it has no text)


def test_labels_and_keywords_keep_letters_of_any_script_while_ids_transliterate():
    articles = [
        _article("a", [
            "The café owners of Zürich said the café tax doubled their rent, and café owners closed early.",
            "Café owners marched to the town hall against the café tax, which the council passed in spring.",
        ]),
        _article("b", [
            "Council members defended the café tax, saying café owners had paid less than other shops.",
            "The café tax will fund street cleaning, the council said, though café owners disagree.",
        ]),
    ]
    topics = find_topics(articles, Glossary(()), NO_COMPARISON)
    words = {k.lower() for t in topics for k in t.keywords} | {t.label.lower() for t in topics}
    assert any("café" in w for w in words), words
    assert not any(re.search(r"\bcaf\b", w) for w in words)
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", t.id) for t in topics)
    assert any("cafe" in t.id for t in topics)


def test_long_paragraph_full_of_names_takes_time_in_proportion_to_its_length():
    """Each word looked at every name of its paragraph and sliced off all the text before it:
    a 400,000-character paragraph took 6.5 s; in one pass 600,000 take well under a second."""
    import time

    sentences = ["Engineers from the Harbour Authority inspected the dam on Monday and found cracks.",
                 "The council voted on March {d} to close the old bridge, officials said.",
                 "Residents of Varna Bay were moved to schools as the river rose."]
    text = " ".join(sentences[i % 3].format(d=i % 27 + 1) for i in range(8500))
    assert len(text) > 600_000
    articles = [_article("a", [text, "The bridge and the dam were closed by the Harbour Authority."])]
    glossary = _glossary(articles, {"harbour-authority": "Harbour Authority", "varna-bay": "Varna Bay"})
    started = time.perf_counter()
    topics = find_topics(articles, glossary, NO_COMPARISON)
    assert topics and time.perf_counter() - started < 5


# --- kept between builds ----------------------------------------------------------------

def test_unchanged_articles_are_read_once_and_reused_on_the_next_build(tmp_path):
    from builder.cache import source_memo
    articles = _dossier("earthquake")
    glossary = _glossary(articles, {"red-cross": "Red Cross"})
    first: list = []
    found = find_topics(articles, glossary, NO_COMPARISON, memo=spying_memo(source_memo(tmp_path), first))
    again: list = []
    kept = find_topics(articles, glossary, NO_COMPARISON, memo=spying_memo(source_memo(tmp_path), again))
    assert first and again == []
    assert kept == found == find_topics(articles, glossary, NO_COMPARISON)


def test_a_name_given_to_another_entity_reads_its_articles_afresh(tmp_path):
    from builder.cache import source_memo
    articles = _dossier("earthquake")
    before = _glossary(articles, {"varna-bay": "Varna Bay"})
    after = Glossary(tuple(Entity("varna-bay-region", "Varna Bay region", e.type, e.aliases, e.mentions) for e in before.entities))
    naming = {m.source for m in before.entities[0].mentions}
    find_topics(articles, before, NO_COMPARISON, memo=source_memo(tmp_path))
    computed: list = []
    topics = find_topics(articles, after, NO_COMPARISON, memo=spying_memo(source_memo(tmp_path), computed))
    fresh = find_topics(articles, after, NO_COMPARISON)
    assert topics == fresh != find_topics(articles, before, NO_COMPARISON)
    ordered = sorted(a.id for a in articles)
    assert {ordered[i] for kind, i in computed if kind == "topic terms"} == naming


def _with_sentence(articles: list[Article], sentence: str) -> list[Article]:
    """The articles with `sentence` added to the first article's first paragraph."""
    first = articles[0]
    paragraphs = (f"{first.paragraphs[0]} {sentence}",) + first.paragraphs[1:]
    return [dataclasses.replace(first, paragraphs=paragraphs)] + articles[1:]


def test_an_edit_that_changes_no_term_reuses_the_topics_found_whole(tmp_path):
    from builder.cache import source_memo
    articles = _dossier("earthquake")
    glossary = _glossary(articles, {"red-cross": "Red Cross"})
    before = _with_sentence(articles, "Relief cost 12 million euros.")
    corrected = _with_sentence(articles, "Relief cost 19 million euros.")
    find_topics(before, glossary, NO_COMPARISON, memo=source_memo(tmp_path))
    computed: list = []
    topics = find_topics(corrected, glossary, NO_COMPARISON, memo=spying_memo(source_memo(tmp_path), computed))
    edited = sorted(a.id for a in corrected).index(corrected[0].id)
    # The figure's article is read again (its text changed); its terms did not, so nothing else is redone.
    assert sorted(computed) == [("topic terms", edited), ("topic word roles", edited)]
    assert topics == find_topics(corrected, glossary, NO_COMPARISON)


def test_an_edit_of_words_finds_the_topics_afresh_as_a_fresh_build_does(tmp_path):
    from builder.cache import source_memo
    articles = _dossier("earthquake")
    glossary = _glossary(articles, {"red-cross": "Red Cross"})
    find_topics(articles, glossary, NO_COMPARISON, memo=source_memo(tmp_path))
    edited = _with_sentence(articles, "Volunteers rebuilt the collapsed school roof.")
    computed: list = []
    topics = find_topics(edited, glossary, NO_COMPARISON, memo=spying_memo(source_memo(tmp_path), computed))
    assert ("topics found", 0) in computed
    assert len([kind for kind, _ in computed if kind == "topic terms"]) == 1
    assert topics == find_topics(edited, glossary, NO_COMPARISON)


def test_a_serving_build_updates_the_last_builds_term_and_word_role_tallies_by_what_changed(tmp_path, monkeypatch):
    from builder.cache import source_memo
    from builder.topics import lexicon, terms

    monkeypatch.setattr(terms._Tallies, "readings", {})
    monkeypatch.setattr(terms._Tallies, "by_number", {})
    monkeypatch.setattr(lexicon._KeptHits, "hits", {})
    monkeypatch.setattr(terms._Tallies, "units", {})
    units_made: list = []
    make_units = terms._units
    monkeypatch.setattr(terms, "_units", lambda source, english, reading: units_made.append(source) or make_units(source, english, reading))
    recounted: list = []
    counted = terms._Tallies.counted
    monkeypatch.setattr(terms._Tallies, "counted", staticmethod(lambda readings: recounted.append(1) or counted(readings)))
    count_roles = lexicon._counted
    monkeypatch.setattr(lexicon, "_counted", lambda hits: recounted.append(2) or count_roles(hits))
    numbered: list = []
    number = terms._numbered
    monkeypatch.setattr(terms, "_numbered", lambda reading, numbers: numbered.append(reading) or number(reading, numbers))
    articles = _dossier("earthquake")
    glossary = _glossary(articles, {"red-cross": "Red Cross"})
    twin = dataclasses.replace(articles[1], id="zz-twin")          # the very same reading twice
    edits = [
        articles,
        _with_sentence(articles, "Volunteers rebuilt the collapsed school roof."),
        _with_sentence(articles, "Engineers inspected the damaged bridge before dawn."),
        articles[1:],                                                # a source removed
        articles + [twin],                                           # a copy added
        articles,
    ]
    memo = source_memo(tmp_path, in_memory=True)
    for edited in edits:
        fresh = find_topics(edited, glossary, NO_COMPARISON)
        recounted.clear()
        numbered.clear()
        units_made.clear()
        last = set(terms._Tallies.by_number)
        assert find_topics(edited, glossary, NO_COMPARISON, memo=memo) == fresh, [a.id for a in edited]
        # What the tallies were counted from (the last build that found topics: the last edit's
        # are kept whole), each reading as many times as articles have it.
        readings = [r for r, times in terms._Tallies.readings.values() for _ in range(times)]
        assert len(readings) == len(edited) or edited is edits[-1]
        display, frequencies = counted(readings)
        assert terms._Tallies.display == display and dict(terms._Tallies.frequencies) == dict(frequencies)
        hits = [h for h, times in lexicon._KeptHits.hits.values() for _ in range(times)]
        assert len(hits) == len(edited)
        assert [dict(c) for c in (lexicon._KeptHits.nouns, lexicon._KeptHits.verbs)] == [dict(c) for c in count_roles(hits)]
        if edited is not edits[0]:
            assert recounted == [], edits.index(edited)     # updated from the last build, not counted afresh
            # Only the readings the last build did not have are numbered (its terms as columns).
            assert {id(r) for r in numbered} == set(terms._Tallies.by_number) - last or edited is edits[-1]
            # Units made again only for an article read again (and a copy's, a new source).
            assert len(units_made) <= len(numbered) + (edited is edits[4])


def test_split_column_sums_are_bit_for_bit_the_two_sums_taken_apart():
    import numpy as np

    from builder.topics.matrix import TermMatrix

    rng = np.random.default_rng(7)
    dense = rng.random((60, 25)) * (rng.random((60, 25)) < 0.3)     # weights that round differently by order
    indptr = np.concatenate(([0], np.cumsum((dense > 0).sum(axis=1))))
    rows_idx, cols = np.nonzero(dense)
    matrix = TermMatrix(indptr, cols, dense[rows_idx, cols], [f"t{i:02d}" for i in range(25)])
    members = sorted(rng.choice(60, 17, replace=False).tolist())
    others = [r for r in range(60) if r not in members]
    inside, outside = matrix.split_column_sums(members)
    assert inside.tobytes() == matrix.column_sums(members).tobytes()
    assert outside.tobytes() == matrix.column_sums(others).tobytes()
    assert inside.any() and outside.any()
