"""The entity glossary: which names, merged how, typed how, mentioned where.

Most tests use the deterministic FakeRecognizer with fixtures about other stories (an
earthquake, a company deal, a summit) so they pin the rules, not the sample's names.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from builder.entities import find_entities
from builder.model import Article
from tests.fake_recognizer import FakeRecognizer


def article(source: str, *paragraphs: str, language: str = "en") -> Article:
    return Article(
        id=source, path=f"{source}.txt", sha256="0" * 64, kind="text", title=f"Title of {source}",
        outlet=None, url=None, date=None, language=language, paragraphs=tuple(paragraphs), removed=(),
    )


def by_name(glossary, name):
    found = [e for e in glossary.entities if e.name == name]
    assert found, f"{name!r} not in {[e.name for e in glossary.entities]}"
    return found[0]


def names(glossary):
    return sorted(e.name for e in glossary.entities)


# --- mentions ----------------------------------------------------------------------------

def test_every_mention_points_at_its_text_in_the_paragraph():
    articles = [
        article("a", "Satya Nadella said Microsoft would buy Activision.", "Nadella flew to Seattle."),
        article("b", "In Seattle, Microsoft staff cheered."),
    ]
    recognize = FakeRecognizer({"Satya Nadella": "PERSON", "Microsoft": "ORG", "Activision": "ORG", "Seattle": "GPE"})
    glossary = find_entities(articles, recognize)
    paragraphs = {(a.id, i): p for a in articles for i, p in enumerate(a.paragraphs)}
    for entity in glossary.entities:
        for m in entity.mentions:
            assert paragraphs[(m.source, m.paragraph)][m.start:m.end] == m.text


def test_surname_only_mention_the_model_missed_is_linked_to_the_full_name():
    articles = [article("a", "Satya Nadella leads the company.", "Later Nadella spoke again.")]
    glossary = find_entities(articles, FakeRecognizer({"Satya Nadella": "PERSON"}))
    nadella = by_name(glossary, "Satya Nadella")
    assert [(m.paragraph, m.text) for m in nadella.mentions] == [(0, "Satya Nadella"), (1, "Nadella")]
    assert nadella.aliases == ("Nadella", "Satya Nadella")


def test_spans_keep_every_label_including_dates_and_numbers():
    articles = [article("a", "On Monday 300 people left Ankara.")]
    glossary = find_entities(articles, FakeRecognizer({"Monday": "DATE", "300": "CARDINAL", "Ankara": "GPE"}))
    assert [(s.label, s.text) for s in glossary.spans] == [("DATE", "Monday"), ("CARDINAL", "300"), ("GPE", "Ankara")]
    assert names(glossary) == ["Ankara"]


# --- which names ---------------------------------------------------------------------------

def test_leading_the_and_possessive_are_not_part_of_the_name():
    articles = [article("a", "The Red Cross sent aid to Turkey's south.", "the Red Cross's trucks arrived.")]
    glossary = find_entities(
        articles, FakeRecognizer({"The Red Cross": "ORG", "the Red Cross's": "ORG", "Turkey's": "GPE"})
    )
    assert names(glossary) == ["Red Cross", "Turkey"]
    assert {m.text for m in by_name(glossary, "Red Cross").mentions} == {"Red Cross"}


def test_demonym_tagged_as_place_is_not_an_entity():
    articles = [article("a", "Moroccan rescuers reached Morocco's Atlas villages.", "Moroccan officials spoke.")]
    glossary = find_entities(articles, FakeRecognizer({"Moroccan": "GPE", "Morocco": "GPE"}))
    assert names(glossary) == ["Morocco"]


def test_non_english_article_is_not_sent_to_the_model():
    articles = [article("a", "Der Bundeskanzler Olaf Scholz sprach.", language="de"), article("b", "Olaf Scholz spoke.")]
    recognize = FakeRecognizer({"Olaf Scholz": "PERSON", "Der Bundeskanzler": "PERSON"})
    glossary = find_entities(articles, recognize)
    assert recognize.seen == ["Olaf Scholz spoke."]
    assert names(glossary) == ["Olaf Scholz"]


# --- merging -----------------------------------------------------------------------------------

def test_hyphenated_and_spaced_spellings_are_one_entity():
    articles = [article("a", "The quake hit Al Haouz province."), article("b", "Villages in Al-Haouz were razed.")]
    glossary = find_entities(articles, FakeRecognizer({"Al Haouz": "GPE", "Al-Haouz": "GPE"}))
    assert len(glossary.entities) == 1
    assert glossary.entities[0].aliases == ("Al Haouz", "Al-Haouz")


def test_people_sharing_a_surname_are_never_merged():
    articles = [article("a", "Kim Jong Un met Kim Yo Jong.", "Kim Yo Jong spoke first.")]
    glossary = find_entities(articles, FakeRecognizer({"Kim Jong Un": "PERSON", "Kim Yo Jong": "PERSON"}))
    assert names(glossary) == ["Kim Jong Un", "Kim Yo Jong"]
