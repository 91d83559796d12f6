"""Small hand-built dossiers for the render, export and output tests (no NLP involved)."""
from __future__ import annotations

from pathlib import Path

import yaml

from builder.model import (
    Article, Claim, Comparison, Corroboration, Discrepancy, Dossier, Entity, Evidence, Glossary, Mention,
    Quote, QuoteOccurrence, RawSource, RemovedLine, Similarity, SourceGroup, TimelineEntry, Topic, Variant,
)


def article(id: str, paragraphs: tuple[str, ...], title: str = "A headline", **fields) -> Article:
    values = dict(
        id=id, path=f"{id}.txt", sha256="0" * 64, kind="text", title=title, outlet=f"Outlet {id}",
        url=None, date="2023-02-07", language="en", paragraphs=paragraphs, removed=(),
    )
    values.update(fields)
    return Article(**values)


def plain_article(id: str, paragraphs, date: str | None = None) -> Article:
    """An article with only an id, its paragraphs and perhaps a date: what topics and the timeline read."""
    return Article(id=id, path=f"{id}.txt", sha256="0" * 64, kind="text", title=id, outlet=None, url=None,
                   date=date, language="en", paragraphs=tuple(paragraphs), removed=())


def yaml_dossier(path: Path) -> list[Article]:
    """Articles from a fixture file: a YAML list of {id, paragraphs, date?}."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [plain_article(d["id"], d["paragraphs"], d.get("date")) for d in data]


def raw(a: Article, text: str | None = None) -> RawSource:
    return RawSource(id=a.id, path=a.path, sha256=a.sha256, kind="text",
                     text=text if text is not None else "\n\n".join(a.paragraphs), encoding="utf-8")


def mention(a: Article, paragraph: int, text: str) -> Mention:
    start = a.paragraphs[paragraph].index(text)
    return Mention(a.id, paragraph, start, start + len(text), text)


def quake_dossier(hostile: str = "") -> Dossier:
    """Two outlets on one earthquake; `hostile` text is planted in a title, a paragraph and a removed line."""
    one = article("one", (
        "The earthquake near Marrakesh killed 2,012 people, officials said on Monday." + hostile,
        "\u201cWe lost everything,\u201d said Fatima Zahra, a resident of Al Haouz.",
    ), title="Quake kills thousands" + hostile, removed=(RemovedLine("Leave a Reply" + hostile, "comment prompt"),))
    two = article("two", (
        "The death toll from the Marrakech earthquake rose to 2,122 on Tuesday.",
        "\u201cWe lost everything we had,\u201d Fatima Zahra told reporters.",
    ), title="Death toll rises", outlet="Wire")
    city = Entity("marrakesh", "Marrakesh", "PLACE", ("Marrakech", "Marrakesh"),
                  (mention(one, 0, "Marrakesh"), mention(two, 0, "Marrakech")), variant_spellings=("Marrakech",))
    person = Entity("fatima-zahra", "Fatima Zahra", "PERSON", ("Fatima Zahra",),
                    (mention(one, 1, "Fatima Zahra"), mention(two, 1, "Fatima Zahra")))
    quote = Quote("we-lost-everything", "We lost everything", (
        QuoteOccurrence("one", 1, "We lost everything,", "Fatima Zahra"),
        QuoteOccurrence("two", 1, "We lost everything we had,", "Fatima Zahra"),
    ), speaker="Fatima Zahra")
    toll = Discrepancy("death-toll", "Death toll", (
        Variant("2,012", ("one",), (Evidence("one", 0),)),
        Variant("2,122", ("two",), (Evidence("two", 0),)),
    ), kind="number", score=0.9)
    comparison = Comparison(
        quotes=(quote,),
        discrepancies=(toll,),
        unique_claims=(Claim("one", 0, "Officials gave the toll on Monday." + hostile),),
        similarity=Similarity(("one", "two"), ((1.0, 0.4), (0.4, 1.0))),
        corroboration=(Corroboration("one", 1, (Evidence("two", 1),)), Corroboration("two", 1, (Evidence("one", 1),))),
        groups=(SourceGroup("occasion", "The quake" + hostile, ("one", "two"), ("both say so",)),),
    )
    topics = (Topic("death-toll", "Death toll" + hostile, ("toll", "killed"), ("one", "two"),
                    (Evidence("one", 0), Evidence("two", 0))),)
    timeline = (TimelineEntry("2023-09-08", "The earthquake struck." + hostile, ("one",), (Evidence("one", 0),)),)
    return Dossier((one, two), Glossary((person, city)), comparison, topics, timeline, (("bad.bin", "not text"),))
