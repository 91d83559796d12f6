"""Tests of the compare stage (builder/compare): quotations, discrepancies, claims, similarity."""
from __future__ import annotations

from builder.compare import compare_sources
from builder.model import Article, Entity, Glossary, Mention


def article(source_id: str, *paragraphs: str, date: str | None = None, language: str = "en") -> Article:
    return Article(
        id=source_id, path=f"{source_id}.txt", sha256="0" * 64, kind="text", title=source_id,
        outlet=None, url=None, date=date, language=language, paragraphs=tuple(paragraphs), removed=(),
    )


def glossary_for(articles, names: dict[str, tuple[str, str]]) -> Glossary:
    """A glossary naming every occurrence of each surface form: {surface: (entity id, type)}."""
    mentions: dict[str, list[Mention]] = {}
    canonical: dict[str, tuple[str, str, set[str]]] = {}
    for surface, (entity_id, entity_type) in names.items():
        canonical.setdefault(entity_id, (surface, entity_type, set()))[2].add(surface)
        for a in articles:
            for number, paragraph in enumerate(a.paragraphs):
                start = paragraph.find(surface)
                while start != -1:
                    mentions.setdefault(entity_id, []).append(Mention(a.id, number, start, start + len(surface), surface))
                    start = paragraph.find(surface, start + 1)
    entities = tuple(
        Entity(entity_id, name, entity_type, tuple(sorted(aliases)),
               tuple(sorted(mentions.get(entity_id, []), key=lambda m: (m.source, m.paragraph, m.start))))
        for entity_id, (name, entity_type, aliases) in sorted(canonical.items())
    )
    return Glossary(entities)


# --- quotations ------------------------------------------------------------------------

def _earthquake_quotes():
    articles = [
        article("a-wire", 'Rescue chief Maria Lopez said: "We are searching every collapsed building in the old town '
                          'and we will not stop until everyone is found."'),
        article("b-daily", "“We are searching every collapsed building in the old town,” said Maria Lopez, "
                           "who leads the rescue teams."),
        article("c-post", "Mayor Tomas Berg called the damage “the worst our city has seen in a century”."),
    ]
    names = {"Maria Lopez": ("maria-lopez", "PERSON"), "Tomas Berg": ("tomas-berg", "PERSON")}
    return articles, glossary_for(articles, names)


def test_truncated_quotation_in_two_sources_is_one_shared_quote():
    articles, glossary = _earthquake_quotes()
    comparison = compare_sources(articles, glossary)
    shared = [q for q in comparison.quotes if len(q.sources) >= 2]
    assert len(shared) == 1
    assert shared[0].sources == ("a-wire", "b-daily")
    assert {o.speaker for o in shared[0].occurrences} == {"Maria Lopez"}


def test_distinct_quotations_are_not_grouped():
    articles, glossary = _earthquake_quotes()
    comparison = compare_sources(articles, glossary)
    berg = [q for q in comparison.quotes if "worst" in q.text]
    assert len(berg) == 1 and berg[0].sources == ("c-post",)
    assert berg[0].speaker == "Tomas Berg"


def test_shared_quotes_come_first():
    articles, glossary = _earthquake_quotes()
    quotes = compare_sources(articles, glossary).quotes
    counts = [len(q.sources) for q in quotes]
    assert counts == sorted(counts, reverse=True)


# --- similarity ------------------------------------------------------------------------

def test_similarity_matrix_is_symmetric_with_unit_diagonal_in_article_order():
    articles, glossary = _earthquake_quotes()
    similarity = compare_sources(articles, glossary).similarity
    assert similarity.sources == ("a-wire", "b-daily", "c-post")
    n = len(similarity.sources)
    for i in range(n):
        assert similarity.matrix[i][i] == 1.0
        for j in range(n):
            assert similarity.matrix[i][j] == similarity.matrix[j][i]
            assert 0.0 <= similarity.matrix[i][j] <= 1.0
