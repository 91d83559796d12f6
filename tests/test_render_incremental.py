"""Pages left alone on a rebuild (render.Pages keys + output.write_generated with a memo): the docs
tree after an edit must be byte for byte what a build without a memo writes, and pages whose
content did not change must not be rendered again."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from builder.cache import no_memo, source_memo
from builder.model import Corroboration, Entity, Evidence, QuoteOccurrence
from builder.output import write_generated
from builder.render import SiteOptions, render_site
from tests.conftest import spying_memo
from tests.dossiers import article, mention, quake_dossier, raw


def write(dossier, docs: Path, memo=no_memo, site: SiteOptions = SiteOptions()):
    files = render_site(dossier, [raw(a) for a in dossier.articles], site, memo=memo)
    files["dossier.json"] = "{}\n"
    return write_generated(docs, files)


def tree(docs: Path) -> dict[str, bytes]:
    return {str(p.relative_to(docs)): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def fresh(dossier, tmp_path: Path, site: SiteOptions = SiteOptions()) -> dict[str, bytes]:
    """The docs tree a build without a memo writes of `dossier` (in tmp_path/fresh)."""
    write(dossier, tmp_path / "fresh", site=site)
    return tree(tmp_path / "fresh")


def served(tmp_path: Path):
    """(the base dossier, a serving process's memo) once the base is written to tmp_path/docs."""
    before, memo = base(), source_memo(tmp_path / "memo", in_memory=True)
    write(before, tmp_path / "docs", memo)
    return before, memo


def base():
    """Two outlets on an earthquake, and a province named in the same paragraph as a person."""
    dossier = quake_dossier()
    province = Entity("al-haouz", "Al Haouz", "PLACE", ("Al Haouz",), (mention(dossier.articles[0], 1, "Al Haouz"),))
    return replace(dossier, glossary=replace(dossier.glossary, entities=(province,) + dossier.glossary.entities))


def edit_entity(dossier, entity_id, **fields):
    entities = tuple(replace(e, **fields) if e.id == entity_id else e for e in dossier.glossary.entities)
    return replace(dossier, glossary=replace(dossier.glossary, entities=entities))


def entity(dossier, entity_id):
    return next(e for e in dossier.glossary.entities if e.id == entity_id)


def with_third_source(dossier):
    """A third outlet naming the city: the city's glossary line (every link's tooltip) changes."""
    three = article("three", ("Rescuers reached villages south of Marrakesh on Wednesday.",), title="Rescue", outlet="Daily")
    city = entity(dossier, "marrakesh")
    return edit_entity(replace(dossier, articles=dossier.articles + (three,)), "marrakesh",
                       mentions=city.mentions + (mention(three, 0, "Marrakesh"),))


def edit_article(dossier, index, **fields):
    articles = list(dossier.articles)
    articles[index] = replace(articles[index], **fields)
    return replace(dossier, articles=tuple(articles))


def edit_comparison(dossier, **fields):
    return replace(dossier, comparison=replace(dossier.comparison, **fields))


def fatima_zahra_unnamed_beside_al_haouz(d):
    """Fatima Zahra no longer named in the paragraph of "one" that names Al Haouz: one pair of
    entities named together fewer."""
    return edit_entity(d, "fatima-zahra", mentions=entity(d, "fatima-zahra").mentions[1:])


def appended_paragraph(d):
    return edit_article(d, 0, paragraphs=d.articles[0].paragraphs + ("Aid arrived on Tuesday.",))


def changed_number(d):
    one = d.articles[0]
    return edit_article(d, 0, paragraphs=(one.paragraphs[0].replace("2,012", "2,013"),) + one.paragraphs[1:])


EDITS = {
    "appended paragraph": appended_paragraph,
    "changed number": changed_number,
    "retitled source": lambda d: edit_article(d, 1, title="Toll climbs past 2,100"),
    "new outlet name": lambda d: edit_article(d, 1, outlet="The Wire"),
    "entity described": lambda d: edit_entity(d, "marrakesh", description="City in Morocco."),
    "neighbour described": lambda d: edit_entity(d, "al-haouz", description="Province in Morocco."),
    "neighbour renamed": lambda d: edit_entity(d, "al-haouz", name="Al-Haouz"),
    "mention dropped": lambda d: edit_entity(d, "fatima-zahra", mentions=entity(d, "fatima-zahra").mentions[:1]),
    "topic relabelled": lambda d: replace(d, topics=(replace(d.topics[0], label="Casualties"),)),
    "topic keywords": lambda d: replace(d, topics=(replace(d.topics[0], keywords=("toll", "dead")),)),
    "topic narrowed": lambda d: replace(d, topics=(replace(d.topics[0], sources=("one",)),)),
    "quote speaker": lambda d: edit_comparison(d, quotes=(replace(d.comparison.quotes[0], speaker="A resident"),)),
    "quote wording": lambda d: edit_comparison(d, quotes=(replace(d.comparison.quotes[0], occurrences=(
        d.comparison.quotes[0].occurrences[0], QuoteOccurrence("two", 1, "We lost everything", "Fatima Zahra"))),)),
    "corroboration gone": lambda d: edit_comparison(d, corroboration=d.comparison.corroboration[:1]),
    "corroboration moved": lambda d: edit_comparison(d, corroboration=(
        Corroboration("one", 0, (Evidence("two", 0),)),) + d.comparison.corroboration[1:]),
    "unique claim": lambda d: edit_comparison(d, unique_claims=()),
    "discrepancy reworded": lambda d: edit_comparison(d, discrepancies=(
        replace(d.comparison.discrepancies[0], about="Toll in two"),)),
    "timeline": lambda d: replace(d, timeline=(replace(d.timeline[0], date="2023-09-09"),)),
    "skipped file": lambda d: replace(d, skipped=()),
    "group relabelled": lambda d: edit_comparison(d, groups=(replace(d.comparison.groups[0], label="The tremor"),)),
    "discrepancy value": lambda d: edit_comparison(d, discrepancies=(replace(d.comparison.discrepancies[0], variants=(
        replace(d.comparison.discrepancies[0].variants[0], value="2,013"),) + d.comparison.discrepancies[0].variants[1:]),)),
    "source dated": lambda d: edit_article(d, 1, date="2023-09-10"),
    "path renamed": lambda d: edit_article(d, 1, path="wire/two.txt"),
    "source added": with_third_source,
    "removed line": lambda d: edit_article(d, 0, removed=()),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_rebuild_with_a_memo_writes_exactly_what_a_fresh_build_writes(tmp_path, edit):
    before = base()
    after = EDITS[edit](before)
    assert after != before
    memo = source_memo(tmp_path / "memo", in_memory=True)
    write(before, tmp_path / "docs", memo)
    write(after, tmp_path / "docs", memo)
    assert tree(tmp_path / "docs") == fresh(after, tmp_path)


@pytest.mark.parametrize("edit", ["entity described", "source added"])
def test_rebuild_with_the_memo_read_from_disk_writes_exactly_what_a_fresh_build_writes(tmp_path, edit):
    before = base()
    after = EDITS[edit](before)
    write(before, tmp_path / "docs", source_memo(tmp_path / "memo"))
    write(after, tmp_path / "docs", source_memo(tmp_path / "memo"))   # a new process: what the file holds
    assert tree(tmp_path / "docs") == fresh(after, tmp_path)


def test_removing_a_source_with_a_memo_writes_exactly_what_a_fresh_build_writes(tmp_path):
    memo = source_memo(tmp_path / "memo", in_memory=True)
    write(with_third_source(base()), tmp_path / "docs", memo)
    write(base(), tmp_path / "docs", memo)
    assert tree(tmp_path / "docs") == fresh(base(), tmp_path)


def test_changed_site_options_render_every_page_again(tmp_path):
    memo = source_memo(tmp_path / "memo", in_memory=True)
    write(base(), tmp_path / "docs", memo)
    write(base(), tmp_path / "docs", memo, SiteOptions(directory_urls=False))
    assert tree(tmp_path / "docs") == fresh(base(), tmp_path, SiteOptions(directory_urls=False))


def keyed_pages(dossier) -> list[str]:
    some_memo = spying_memo(no_memo, [])    # any memo but no_memo: the pages say what they depend on
    return sorted(render_site(dossier, [], SiteOptions(), memo=some_memo).content_keys())


def test_only_the_pages_an_edit_touches_are_rendered_again(tmp_path):
    before = base()
    after = edit_article(before, 1, paragraphs=before.articles[1].paragraphs + ("Schools stay shut.",))
    computed: list = []
    memo = spying_memo(source_memo(tmp_path / "memo", in_memory=True), computed)
    write(before, tmp_path / "docs", memo)
    rels = keyed_pages(after)
    assert len(computed) == len(rels)        # the first build renders every keyed page
    computed.clear()
    report = write(after, tmp_path / "docs", memo)
    rendered = {rels[index] for _, index in computed}
    # the edited source, the table of sources and the home page's (its word count, its bar); the
    # entities it names quote paragraphs of it that did not change, the other pages only cite it
    assert rendered == {"sources/two.md", "sources/index.md", "overview/at-a-glance.md"}
    assert len(rels) > 2 * len(rendered)
    assert "sources/one.md" not in report.written and "sources/two.md" in report.written


def rendered_again(tmp_path, before, after) -> set[str]:
    computed: list = []
    memo = spying_memo(source_memo(tmp_path / "memo", in_memory=True), computed)
    write(before, tmp_path / "docs", memo)
    computed.clear()
    write(after, tmp_path / "docs", memo)
    rels = keyed_pages(after)
    return {rels[index] for _, index in computed}


def test_an_entity_page_is_rendered_again_when_a_paragraph_it_quotes_changes_and_only_then(tmp_path):
    before = base()
    # paragraph 0 of "one" names Marrakesh, not Fatima Zahra; same number of words
    after = changed_number(before)
    assert rendered_again(tmp_path, before, after) >= {"sources/one.md", "entities/marrakesh.md"}
    assert "entities/fatima-zahra.md" not in rendered_again(tmp_path / "again", before, after)


def test_the_tables_of_sources_are_not_rendered_again_when_no_word_count_or_heading_changes(tmp_path):
    before = base()
    tables = {"sources/index.md", "overview/at-a-glance.md"}
    assert not tables & rendered_again(tmp_path, before, changed_number(before))
    assert tables <= rendered_again(tmp_path / "again", before, appended_paragraph(before))


def test_a_page_the_memo_knows_is_written_again_when_docs_lost_it(tmp_path):
    memo = source_memo(tmp_path / "memo", in_memory=True)
    write(base(), tmp_path / "docs", memo)
    (tmp_path / "docs" / "sources" / "one.md").unlink()
    (tmp_path / "docs" / "entities" / "marrakesh.md").write_text("edited by hand", encoding="utf-8")
    report = write(base(), tmp_path / "docs", memo)
    assert tree(tmp_path / "docs") == fresh(base(), tmp_path)
    assert set(report.written) == {"sources/one.md", "entities/marrakesh.md"}


def test_a_user_file_in_a_known_pages_place_is_left_alone_and_warned_of_every_time(tmp_path, caplog):
    memo = source_memo(tmp_path / "memo", in_memory=True)
    write(base(), tmp_path / "docs", memo)
    docs = tmp_path / "docs"
    manifest = (docs / ".dossier-manifest.json").read_text(encoding="utf-8")
    (docs / ".dossier-manifest.json").write_text(manifest.replace('"sources/one.md"', '"sources/gone.md"'), encoding="utf-8")
    (docs / "sources" / "one.md").write_text("mine", encoding="utf-8")
    for _ in range(2):
        caplog.clear()
        report = write(base(), docs, memo)
        assert "sources/one.md" in report.left_alone
        assert (docs / "sources" / "one.md").read_text(encoding="utf-8") == "mine"
        assert any("docs/sources/one.md: not written" in r.getMessage() for r in caplog.records)


def test_pages_without_a_memo_say_nothing_about_what_they_depend_on():
    assert render_site(base(), [], SiteOptions()).content_keys() == {}


def test_the_compare_pages_long_lists_are_drawn_again_only_when_what_they_show_changes(tmp_path, monkeypatch):
    import builder.render as render
    drawn: list[str] = []
    variant_rows = render._View.variant_rows
    monkeypatch.setattr(render._View, "variant_rows", lambda self, here, *rest: drawn.append(here) or variant_rows(self, here, *rest))
    before, memo = served(tmp_path)
    resembling = edit_comparison(before, similarity=replace(before.comparison.similarity, matrix=((1.0, 0.5), (0.5, 1.0))))
    drawn.clear()
    write(resembling, tmp_path / "docs", memo)        # the compare page changes, its discrepancies do not
    assert "compare/index.md" not in drawn
    assert tree(tmp_path / "docs") == fresh(resembling, tmp_path)
    drawn.clear()
    write(EDITS["discrepancy value"](resembling), tmp_path / "docs", memo)
    assert "compare/index.md" in drawn


def test_entities_named_together_are_counted_again_only_when_a_mention_changes(tmp_path):
    import builder.render as render
    before, memo = served(tmp_path)
    counted = render._KeptPairCounts.counts
    assert counted["al-haouz"] == {"fatima-zahra": 1}
    write(EDITS["retitled source"](before), tmp_path / "docs", memo)
    assert render._KeptPairCounts.counts is counted
    dropped = fatima_zahra_unnamed_beside_al_haouz(before)
    write(dropped, tmp_path / "docs", memo)
    assert "al-haouz" not in render._KeptPairCounts.counts
    assert tree(tmp_path / "docs") == fresh(dropped, tmp_path)


def test_the_ranking_of_entities_named_together_is_made_again_only_when_the_counts_are(tmp_path, monkeypatch):
    import heapq
    import builder.render as render
    before, memo = served(tmp_path)
    ranked = []
    real = heapq.nsmallest
    monkeypatch.setattr(render.heapq, "nsmallest", lambda *args: ranked.append(args) or real(*args))
    write(EDITS["retitled source"](before), tmp_path / "docs", memo)
    assert ranked == [], "no mention changed: the last build's rankings hold"
    dropped = fatima_zahra_unnamed_beside_al_haouz(before)
    write(dropped, tmp_path / "docs", memo)
    assert ranked
    assert tree(tmp_path / "docs") == fresh(dropped, tmp_path)


def test_a_rebuild_digests_and_counts_only_the_paragraphs_whose_text_is_new(tmp_path, monkeypatch):
    import builder.render as render
    before, memo = served(tmp_path)
    digested = []
    real = render.pickled_digests
    monkeypatch.setattr(render, "pickled_digests", lambda items: digested.extend(items) or real(items))
    after = appended_paragraph(before)
    write(after, tmp_path / "docs", memo)
    paragraphs = [p for a in after.articles for p in a.paragraphs]
    assert [p for p in digested if p in paragraphs] == ["Aid arrived on Tuesday."]
    assert tree(tmp_path / "docs") == fresh(after, tmp_path)


def test_the_nearest_neighbours_are_listed_again_only_for_the_sources_whose_neighbours_changed(monkeypatch):
    import builder.render as render
    from builder.model import Similarity

    def with_neighbours(dossier, value):
        return edit_comparison(dossier, similarity=Similarity(("one", "two"), (), ((("two", value),), (("one", 0.5),))))

    def items(dossier, kept=True):
        view = render._View(dossier, SiteOptions())
        view.keys = render._PageKeys(view) if kept else None
        view.keeping = kept     # as in a serving process
        return view.neighbour_items("compare/index.md")

    before = with_neighbours(base(), 0.5)
    items(before)
    drawn = []
    real = render._View._source_link_html
    monkeypatch.setattr(render._View, "_source_link_html", lambda view, here, source: drawn.append(source) or real(view, here, source))
    assert items(before) == items(before, kept=False) and sorted(set(drawn)) == ["one", "two"]
    drawn.clear()
    items(before)
    assert drawn == []
    after = with_neighbours(base(), 0.25)
    assert items(after) == items(after, kept=False) != items(before, kept=False)
    drawn.clear()
    items(after)
    assert drawn == []
    retitled = EDITS["retitled source"](after)   # every source's link may read otherwise
    assert items(retitled) == items(retitled, kept=False) and drawn
