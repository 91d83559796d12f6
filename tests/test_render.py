"""The render stage: what each page shows, and that source text is only ever text."""
import html
import re
from dataclasses import replace

import pytest
import yaml

from builder.model import Entity, Evidence, Glossary, Similarity
from builder.render import SiteOptions, render_site
from tests.dossiers import mention, quake_dossier, raw

HOSTILE = ' <script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) {{ 7*7 }} <!-- material/tags --> ---'


def render(dossier):
    return render_site(dossier, [raw(a) for a in dossier.articles], SiteOptions())


def front_matter(page: str) -> dict:
    match = re.match(r"---\n(.*?)\n---\n", page, re.S)
    assert match, "every generated page starts with front matter"
    return yaml.safe_load(match.group(1))


def test_every_section_gets_its_pages():
    files = render(quake_dossier())
    for page in ["sources/index.md", "sources/one.md", "sources/two.md", "entities/index.md",
                 "entities/marrakesh.md", "compare/index.md", "compare/quotes/we-lost-everything.md",
                 "compare/discrepancies/death-toll.md", "topics/index.md", "topics/death-toll.md",
                 "timeline/index.md", "overview/at-a-glance.md", "raw/one.txt"]:
        assert page in files, page


def test_paragraphs_have_stable_one_based_anchors():
    page = render(quake_dossier())["sources/one.md"]
    assert 'id="p1"' in page and 'id="p2"' in page and 'id="p3"' not in page


def test_entity_mentions_link_to_their_glossary_entry_with_a_tooltip():
    page = render(quake_dossier())["sources/two.md"]
    assert re.search(r'<a class="dossier-entity dossier-place" href="\.\./\.\./entities/marrakesh/" title="Marrakesh \(place, 2 sources\)[^"]*">Marrakech</a>', page)


def test_removed_lines_are_shown_collapsed_with_their_reason():
    page = render(quake_dossier())["sources/one.md"]
    details = page[page.index("<details"):page.index("</details>")]
    assert "1 line removed as boilerplate" in details
    assert "comment prompt" in details and "Leave a Reply" in details


def test_entity_page_lists_aliases_flags_variants_and_links_mentions_to_paragraphs():
    page = render(quake_dossier())["entities/marrakesh.md"]
    assert "Marrakech" in page and "Variant spellings worth checking" in page
    assert 'href="../../sources/two/#p1"' in page
    assert "<mark>Marrakech</mark>" in page


def test_shared_quotation_shows_each_wording_with_a_word_diff():
    page = render(quake_dossier())["compare/quotes/we-lost-everything.md"]
    assert "<ins>" in page
    assert page.count("<tr>") >= 3


def test_discrepancy_names_each_value_and_cites_the_paragraph():
    page = render(quake_dossier())["compare/index.md"]
    assert "2,012" in page and "2,122" in page
    assert 'href="../sources/one/#p1"' in page


def test_topic_index_carries_the_material_tags_marker_and_source_pages_their_tags():
    files = render(quake_dossier())
    assert "<!-- material/tags -->" in files["topics/index.md"]
    assert front_matter(files["sources/one.md"])["tags"] == ["Death toll"]


@pytest.mark.parametrize("page", ["sources/one.md", "compare/index.md", "topics/death-toll.md", "timeline/index.md",
                                  "overview/at-a-glance.md", "entities/marrakesh.md", "sources/index.md"])
def test_hostile_source_text_is_escaped_never_live(page):
    text = render(quake_dossier(HOSTILE))[page]
    body = text.split("---\n", 2)[-1]
    assert "<script" not in body and "<img" not in body
    assert "onerror=" not in body.replace("onerror=alert(2)&gt;", "")
    assert body.count("<!-- material/tags -->") == (1 if page == "topics/index.md" else 0)


def test_hostile_title_reaches_mkdocs_only_escaped():
    files = render(quake_dossier(HOSTILE))
    title = front_matter(files["sources/one.md"])["title"]
    assert "<" not in title and "&lt;script&gt;" in title
    assert "<script" not in files["sources/one.md"]


def test_hostile_topic_label_becomes_a_plain_tag():
    files = render(quake_dossier(HOSTILE))
    for tag in front_matter(files["sources/one.md"])["tags"]:
        assert not set(tag) & set("<>&\"'`")


def test_rendering_is_deterministic():
    assert render(quake_dossier()) == render(quake_dossier())



@pytest.mark.parametrize("keyed", [False, True], ids=["plain", "with page keys"])
def test_written_pages_leave_no_reference_cycle_holding_the_dossier(tmp_path, keyed):
    """A serving process does not run the cycle collector after each build (it freezes what it
    holds, builder.pipeline._settle_heap): whatever rendering made must be freed by reference
    counting alone once the pages are written, or each build's dossier would outlive it."""
    import gc
    import weakref

    from builder.cache import source_memo
    from builder.output import write_generated

    dossier = quake_dossier()
    memo = source_memo(tmp_path / "memo", in_memory=True) if keyed else None
    files = render_site(dossier, [raw(a) for a in dossier.articles], SiteOptions(),
                        **({"memo": memo} if keyed else {}))
    gone = weakref.ref(dossier)
    gc.disable()
    try:
        write_generated(tmp_path / "docs", files)
        del files, dossier
        assert gone() is None
    finally:
        gc.enable()

# --- annotated reading --------------------------------------------------------------------

def with_entity(dossier, entity):
    glossary = replace(dossier.glossary, entities=tuple(sorted(dossier.glossary.entities + (entity,), key=lambda e: e.id)))
    return replace(dossier, glossary=glossary)


def test_shared_quotation_is_marked_in_its_paragraph_with_its_group_number():
    page = render(quake_dossier())["sources/two.md"]
    assert re.search(r'<span class="dossier-quoted" title="Shared quotation Q1 \(Fatima Zahra\), also quoted by Outlet one">'
                     r'We lost everything we had</span><a class="dossier-quote-ref" href="\.\./\.\./compare/quotes/we-lost-everything/"', page)


def test_entity_mention_inside_a_quotation_stays_linked_and_one_across_its_edge_keeps_only_its_text():
    d = quake_dossier()
    two = d.articles[1]
    inside = Entity("everything", "Everything", "OTHER", ("everything",), (mention(two, 1, "everything"),))
    across = Entity("had-fatima", "Had Fatima", "PERSON", ("had,” Fatima",), (mention(two, 1, "had,” Fatima"),))
    page = render(with_entity(with_entity(d, inside), across))["sources/two.md"]
    assert re.search(r'<span class="dossier-quoted"[^>]*>We lost <a class="dossier-entity dossier-other"[^>]*>everything</a> we had</span>', page)
    assert "entities/had-fatima/" not in page and "Fatima Zahra</a> told reporters" in page


def test_paragraph_notes_name_the_other_sources_reporting_it_and_flag_unique_statements():
    page = render(quake_dossier())["sources/one.md"]
    p1 = page[page.index('id="p1"'):page.index('id="p2"')]
    p2 = page[page.index('id="p2"'):page.index('</div>', page.index('id="p2"'))]
    assert "only in this source" in p1 and "✓" not in p1
    assert '✓ 1</span> also in <a class="dossier-cite" href="../two/#p2"' in p2


def test_permalink_sits_before_the_paragraph_and_points_at_its_anchor():
    page = render(quake_dossier())["sources/one.md"]
    assert '<div id="p2" class="dossier-paragraph">\n<a class="dossier-permalink" data-search-exclude href="#p2"' in page


def test_entity_tooltip_is_the_glossary_line_with_description():
    d = quake_dossier()
    city = replace(d.glossary.entities[1], description="Fourth-largest city of Morocco.")
    d = replace(d, glossary=replace(d.glossary, entities=(d.glossary.entities[0], city)))
    page = render(d)["sources/one.md"]
    assert 'title="Marrakesh (place, 2 sources); also Marrakech. Fourth-largest city of Morocco."' in page


def test_entity_page_is_found_by_any_spelling_and_only_by_its_title_section():
    page = render(quake_dossier())["entities/marrakesh.md"]
    assert front_matter(page)["search"]["boost"] > 1
    assert '<h1 id="name">Marrakesh <small class="dossier-aka">also Marrakech</small></h1>' in page
    assert '<div class="dossier-mentions" data-search-exclude>' in page


# --- pictures ----------------------------------------------------------------------------

def svg_of(page: str, title: str) -> str:
    start = page.rindex("<svg", 0, page.index(f">{title}</title>"))
    return page[start:page.index("</svg>", start) + len("</svg>")]


def test_similarity_map_is_an_svg_with_title_description_and_a_table_alternative():
    page = render(quake_dossier())["compare/index.md"]
    svg = svg_of(page, "Similarity of the sources' wording")
    assert 'role="img"' in svg and "<desc" in svg and "The most similar pair: Outlet one and Wire (0.40)" in svg
    assert svg.count('class="dossier-svg-heat"') == 2 and svg.count('class="dossier-svg-self"') == 2
    assert 'xlink:href="../sources/one/"' in svg and ' href=' not in svg.replace("xlink:href", "")
    assert "<summary>As a table</summary>" in page[page.index(svg):]


def test_cooccurrence_matrix_counts_the_paragraphs_that_name_both():
    d = quake_dossier()
    one = d.articles[0]
    place = Entity("al-haouz", "Al Haouz", "PLACE", ("Al Haouz",), (mention(one, 1, "Al Haouz"),))
    page = render(with_entity(d, place))["entities/index.md"]
    svg = svg_of(page, "Who and what is named together")
    assert "<title>Al Haouz and Fatima Zahra: named together in 1 paragraph</title>" in svg
    assert ">1</text>" in svg and "Marrakesh" not in svg   # named with no other entity: left out


def test_no_cooccurrence_matrix_when_no_two_entities_share_a_paragraph():
    assert "Who and what is named together" not in render(quake_dossier())["entities/index.md"]


def strip_of(dates: list[str]):
    from builder.model import TimelineEntry
    d = quake_dossier()
    entries = tuple(TimelineEntry(day, f"Event on {day}", ("one",), (Evidence("one", 0),), inferred=i == 1)
                    for i, day in enumerate(dates))
    page = render(replace(d, timeline=entries))["timeline/index.md"]
    return svg_of(page, "Timeline")


def test_timeline_strip_has_a_column_per_year_and_dashes_the_years_without_events():
    svg = strip_of(["1990", "2023-09-08", "2023-09-09", "2024-01-02"])
    labels = re.findall(r'class="dossier-svg-axis-label"[^>]*>([^<]+)</text>', svg)
    assert labels == ["1990", "2023", "2024"]
    assert svg.count("dossier-svg-gap") == 1 and svg.count('class="dossier-svg-axis"') == 1
    assert svg.count("dossier-svg-inferred") == 1 and svg.count("dossier-svg-stated") == 3
    assert 'xlink:href="./#t1"' in svg


def test_timeline_strip_uses_months_within_one_year_and_days_within_one_month():
    months = strip_of(["2023-02", "2023-09-08", "2023"])
    assert re.findall(r'class="dossier-svg-axis-label"[^>]*>([^<]+)</text>', months) == ["2023", "Feb 2023", "Sep 2023"]
    days = strip_of(["2023-09-08", "2023-09-10"])
    assert re.findall(r'class="dossier-svg-axis-label"[^>]*>([^<]+)</text>', days) == ["8 Sep", "10 Sep"]


def test_timeline_strip_stacks_at_most_six_dots_a_column_and_counts_the_rest():
    svg = strip_of([f"2023-0{m}" for m in (1, 1, 1, 1, 1, 1, 1, 1, 2)])
    assert svg.count("<circle") == 7 and ">+2</text>" in svg


def test_corroboration_bars_split_each_source_by_how_many_others_report_its_paragraphs():
    page = render(quake_dossier())["compare/index.md"]
    svg = svg_of(page, "How much of each source other sources also report")
    assert svg.count(">1 of 2 ¶ (50%)</text>") == 2
    assert "2 of 4 paragraphs (50%) are reported by at least one other source" in svg


def test_home_overview_links_start_from_the_home_page_it_is_included_in():
    page = render(quake_dossier())["overview/at-a-glance.md"]
    assert 'href="sources/one/"' in page and 'href="raw/one.txt"' in page and 'href="dossier.json"' in page
    assert "../" not in page
    assert "Timeline" in page and "How much of each source other sources also report" in page


def test_a_single_source_with_no_events_renders_without_pictures():
    d = quake_dossier()
    one = d.articles[0]
    comparison = replace(d.comparison, quotes=(), discrepancies=(), corroboration=(), groups=(),
                         similarity=Similarity(("one",), ((1.0,),)))
    glossary = Glossary(tuple(replace(e, mentions=tuple(m for m in e.mentions if m.source == "one"))
                              for e in d.glossary.entities))
    files = render(replace(d, articles=(one,), comparison=comparison, glossary=glossary, timeline=(), topics=()))
    assert "<svg" not in files["compare/index.md"] + files["overview/at-a-glance.md"] + files["timeline/index.md"]
    assert "One source: nothing to compare it with." in files["compare/index.md"]


def test_a_source_without_outlet_is_labelled_by_its_web_host_then_its_headline():
    d = quake_dossier()
    one = replace(d.articles[0], outlet=None, url="https://www.example.org/news/quake")
    two = replace(d.articles[1], outlet=None, title="Death toll rises sharply across the High Atlas as rescuers dig")
    page = render(replace(d, articles=(one, two)))["compare/index.md"]
    svg = svg_of(page, "Similarity of the sources' wording")
    assert ">1. example.org<title>" in svg and ">2. Death toll rises sharply…<title>" in svg


@pytest.mark.parametrize("page", ["entities/index.md", "compare/index.md", "timeline/index.md", "overview/at-a-glance.md"])
def test_hostile_source_text_in_pictures_is_escaped(page):
    d = quake_dossier(HOSTILE)
    one = d.articles[0]
    place = Entity("al-haouz", "Al Haouz" + HOSTILE, "PLACE", ("Al Haouz",), (mention(one, 1, "Al Haouz"),))
    d = with_entity(replace(d, articles=(replace(one, outlet=None),) + d.articles[1:]), place)
    body = render(d)[page].split("---\n", 2)[-1]
    assert "<svg" in body
    assert "<script" not in body and "<img" not in body and "&lt;script&gt;" in body


def test_source_ids_in_comparison_explanations_are_replaced_by_source_labels():
    d = quake_dossier()
    group = replace(d.comparison.groups[0], evidence=("one and two give Monday; one-two stays",))
    toll = replace(d.comparison.discrepancies[0], about="Death toll in one against two")
    d = replace(d, comparison=replace(d.comparison, groups=(group,), discrepancies=(toll,)))
    files = render(d)
    assert "<li>Outlet one and Wire give Monday; one-two stays</li>" in files["compare/index.md"]
    assert "Death toll in Outlet one against Wire" in files["compare/discrepancies/death-toll.md"]
    assert front_matter(files["compare/discrepancies/death-toll.md"])["title"] == "Discrepancy: Death toll in Outlet one against Wire"


def test_home_sources_table_leaves_out_a_column_no_source_fills():
    d = quake_dossier()
    undated = replace(d, articles=tuple(replace(a, date=None) for a in d.articles))
    assert "<th>Date</th>" in render(d)["overview/at-a-glance.md"]
    page = render(undated)["overview/at-a-glance.md"]
    assert "<th>Date</th>" not in page and "<th>Outlet</th>" in page


def test_discrepancy_page_marks_each_value_where_its_paragraph_states_it():
    page = render(quake_dossier(HOSTILE))["compare/discrepancies/death-toll.md"]
    assert "killed <mark>2,012</mark> people" in page and "rose to <mark>2,122</mark> on Tuesday" in page
    assert "<script" not in page.split("---\n", 2)[-1]


def test_timeline_strip_leaves_out_a_date_it_cannot_place_but_keeps_the_anchors_of_the_table():
    svg = strip_of(["2023-02-30", "2023-09-08", "around 2020", "2024"])
    assert svg.count("<circle") == 2 and 'xlink:href="./#t2"' in svg and 'xlink:href="./#t4"' in svg


def test_entity_page_shows_a_bounded_number_of_mentions_and_names_the_other_sources(monkeypatch):
    monkeypatch.setattr("builder.render.MENTIONS_PER_ENTITY_PAGE", 1)
    page = render(quake_dossier())["entities/marrakesh.md"]
    assert page.count("<mark>") == 1 and 'id="in-one"' in page and 'id="in-two"' not in page
    assert re.search(r'Also named in 1 more source: <a href="\.\./\.\./sources/two/"[^>]*>Wire</a> \(1\)', page)


def test_navigation_lists_sources_and_topics_only_for_a_small_dossier(tmp_path):
    from builder.model import Outline
    from builder.plugin.structure import navigation

    (tmp_path / "index.md").write_text("# Home\n")
    small = navigation(Outline.of(quake_dossier(HOSTILE)), tmp_path, nav_sources=50)
    sections = {next(iter(item)): next(iter(item.values())) for item in small}
    assert list(sections) == ["Home", "Sources", "Glossary", "Compare", "Topics", "Timeline"]
    topic_titles = [next(iter(entry)) for entry in sections["Topics"]]
    assert topic_titles[0] == "All topics" and len(topic_titles) == 2 and "<" not in topic_titles[1]
    large = navigation(Outline.of(quake_dossier()), tmp_path, nav_sources=0)
    sections = {next(iter(item)): next(iter(item.values())) for item in large}
    assert sections["Sources"] == [{"All sources": "sources/index.md"}] and sections["Topics"] == [{"All topics": "topics/index.md"}]


# --- similarity beyond the heat map, front matter ----------------------------------------

def many_sources(count: int, neighbours, matrix=()):
    """The quake dossier with `count` sources (copies of the first) and this similarity."""
    d = quake_dossier()
    articles = tuple(replace(d.articles[0], id=f"s{i:02d}", outlet=f"Outlet {i:02d}") for i in range(count))
    similarity = Similarity(tuple(a.id for a in articles), matrix, neighbours)
    comparison = replace(d.comparison, quotes=(), discrepancies=(), unique_claims=(), corroboration=(), groups=(),
                         similarity=similarity)
    return replace(d, articles=articles, comparison=comparison, glossary=Glossary(()), topics=(), timeline=())


def neighbour_items(page: str) -> list[str]:
    section = page[page.index('<h2 id="similarity">'):page.index('<div class="dossier-shared-quotes">')]
    return [re.sub(r"<[^>]+>", "", li) for li in re.findall(r"<li>(.*?)</li>", section)]


def test_above_the_heat_map_each_source_lists_its_nearest_neighbours_as_compare_ranked_them():
    ids = [f"s{i:02d}" for i in range(40)]
    near = tuple(tuple((other, round(0.9 - 0.1 * k, 3)) for k, other in enumerate([o for o in reversed(ids) if o != me][:8]))
                 for me in ids)
    page = render(many_sources(40, near))["compare/index.md"]
    items = neighbour_items(page)
    assert len(items) == 40
    assert items[0] == "Outlet 00: Outlet 39 0.90, Outlet 38 0.80, Outlet 37 0.70, Outlet 36 0.60, Outlet 35 0.50"
    assert "<svg" not in page[page.index('<h2 id="similarity">'):]


def test_the_compare_page_says_where_the_full_matrix_is_and_where_only_neighbours_are():
    ids = [f"s{i:02d}" for i in range(40)]
    near = tuple(((ids[(i + 1) % 40], 0.5),) for i in range(40))
    dense = [[1.0 if i == j else 0.5 if j == (i + 1) % 40 or i == (j + 1) % 40 else 0.0 for j in range(40)] for i in range(40)]
    with_matrix = render(many_sources(40, near, tuple(map(tuple, dense))))["compare/index.md"]
    assert "the full matrix is in <code>dossier.json</code>" in with_matrix
    sparse = render(many_sources(40, near))["compare/index.md"]
    assert "the full matrix is in" not in sparse
    assert "<code>dossier.json</code> has each source's 20 nearest; the full matrix only up to 500 sources" in sparse
    assert neighbour_items(sparse)[0] == "Outlet 00: Outlet 01 0.50"


@pytest.mark.parametrize("text", ["Quake kills 2,012", "Death toll: 2,012", "2023-09-08", "yes", "- dash", "#hash", "it's",
                                  "<script>", "a  #b", "...", "null", "1.5", "café", "x" * 1200, "", " edge ", "a\u2028b"])
def test_front_matter_is_written_exactly_as_yaml_safe_dump_writes_it(text):
    from builder.render import _front_matter
    for fields in ({"title": text}, {"title": "T", "tags": [text, "b"]}, {"title": text, "search": {"boost": 5000}}):
        page = _front_matter(fields) + "body"
        values = front_matter(page)
        assert page == "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=True, width=10_000) + "---\nbody"


def test_ordinary_front_matter_is_written_without_the_yaml_emitter(monkeypatch):
    from builder.render import _front_matter
    monkeypatch.setattr("builder.render.yaml.safe_dump", None)
    assert _front_matter({"title": "Death toll: 2,012", "tags": ["Rescue", "2023"], "search": {"boost": 5}}) == \
        "---\nsearch:\n  boost: 5\ntags:\n- Rescue\n- '2023'\ntitle: 'Death toll: 2,012'\n---\n"


# --- lists that grow with the dossier: the first few, then how many more -----------------------

def three_outlets():
    """The quake dossier with a third outlet reporting, quoting and dating what the other two do."""
    from builder.model import Corroboration, QuoteOccurrence, TimelineEntry, Variant
    d = quake_dossier()
    one, two = d.articles
    three = replace(two, id="three", path="three.txt", outlet="Agency")
    quote = d.comparison.quotes[0]
    quote = replace(quote, occurrences=quote.occurrences + (QuoteOccurrence("three", 1, "We lost everything we had,", "Fatima Zahra"),))
    toll = d.comparison.discrepancies[0]
    toll = replace(toll, variants=(toll.variants[0], Variant("2,122", ("two", "three"), (Evidence("two", 0), Evidence("three", 0))),
                                   Variant("2,200", ("three",), (Evidence("three", 0),))))
    corroboration = (Corroboration("one", 1, (Evidence("three", 1), Evidence("two", 1))),)
    topic = replace(d.topics[0], sources=("one", "two", "three"),
                    paragraphs=(Evidence("one", 0), Evidence("two", 0), Evidence("three", 0)))
    event = TimelineEntry("2023-09-08", "The earthquake struck.", ("one", "two", "three"),
                          (Evidence("one", 0), Evidence("two", 0), Evidence("two", 1), Evidence("three", 0)))
    comparison = replace(d.comparison, quotes=(quote,), discrepancies=(toll,), corroboration=corroboration,
                         similarity=Similarity(("one", "two", "three"), ()))
    return replace(d, articles=(one, two, three), comparison=comparison, topics=(topic,), timeline=(event,))


def test_citations_under_a_paragraph_name_the_first_sources_and_count_the_rest(monkeypatch):
    monkeypatch.setattr("builder.render.SOURCES_PER_ITEM", 1)
    page = render(three_outlets())["sources/one.md"]
    notes = page[page.index('<p class="dossier-notes"', page.index('id="p2"')):]
    notes = notes[:notes.index("</p>")]
    assert "✓ 2</span>" in notes, "the badge still counts every other source"
    assert re.search(r'also in <a class="dossier-cite" href="\.\./three/#p2"[^>]*>Agency ¶2</a> · '
                     r'<span class="dossier-more">and 1 more source</span>$', notes)
    assert "Wire" not in notes


def test_an_event_cites_every_paragraph_of_its_first_sources_then_counts_the_others(monkeypatch):
    monkeypatch.setattr("builder.render.SOURCES_PER_ITEM", 2)
    page = render(three_outlets())["timeline/index.md"]
    assert re.search(r'>Outlet one ¶1</a>, <a [^>]*>Wire ¶1</a>, <a [^>]*>Wire ¶2</a>, '
                     r'<span class="dossier-more">and 1 more source</span></td>', page)
    assert "Agency ¶" not in page
    assert "Agency, Outlet one and 1 more source</title>" in page   # the strip's tooltip, names sorted


def test_compare_page_shows_a_quotations_first_wordings_and_links_its_page_for_all(monkeypatch):
    monkeypatch.setattr("builder.render.SOURCES_PER_ITEM", 2)
    files = render(three_outlets())
    compare, quote_page = files["compare/index.md"], files["compare/quotes/we-lost-everything.md"]
    table = compare[compare.index('<div class="dossier-quote-group" data-search-exclude>'):]
    table = table[:table.index("</div>")]
    assert table.count("<tr>") == 3   # the heading and two wordings
    assert '<a class="dossier-more" href="quotes/we-lost-everything/">and 1 more wording</a>' in table
    assert quote_page.count("<tr>") == 4 and "dossier-more" not in quote_page


def test_quotation_tooltip_names_the_first_other_sources_and_counts_the_rest(monkeypatch):
    monkeypatch.setattr("builder.render.SOURCES_PER_ITEM", 1)
    page = render(three_outlets())["sources/one.md"]
    assert 'title="Shared quotation Q1 (Fatima Zahra), also quoted by Agency and 1 more source"' in page


def test_compare_page_caps_a_discrepancys_values_and_sources_and_links_its_page(monkeypatch):
    monkeypatch.setattr("builder.render.SOURCES_PER_ITEM", 1)
    files = render(three_outlets())
    compare = files["compare/index.md"]
    block = compare[compare.index('<h3 id="death-toll">'):compare.index('<div class="dossier-unique">')]
    assert "2,012" in block and "2,122" not in block and "2,200" not in block
    assert '<a class="dossier-more" href="discrepancies/death-toll/">and 2 more values</a>' in block
    page = files["compare/discrepancies/death-toll.md"]
    table = page[page.index("<table>"):page.index("</table>")]
    assert table.count("<tr>") == 4 and "dossier-more" not in table, "the discrepancy's own page lists every value"
    assert re.search(r'<span class="dossier-more">and 1 more paragraph</span> giving <strong>2,122</strong>', page)
    home = files["overview/at-a-glance.md"]
    assert '<a class="dossier-more" href="compare/discrepancies/death-toll/">and 2 more values</a>' in home


def test_a_values_sources_are_capped_with_a_link_to_the_discrepancy(monkeypatch):
    monkeypatch.setattr("builder.render.SOURCES_PER_ITEM", 1)
    d = three_outlets()
    toll = d.comparison.discrepancies[0]
    only_two = replace(toll, variants=toll.variants[1:2] + toll.variants[:1])
    compare = render(replace(d, comparison=replace(d.comparison, discrepancies=(only_two,))))["compare/index.md"]
    row = re.search(r"<tr><td><strong>2,122</strong></td>.*?</tr>", compare).group(0)
    assert row.count('<a class="dossier-more" href="discrepancies/death-toll/">and 1 more source</a>') == 2
    assert ">Wire</a>" in row and ">Agency</a>" not in row


def test_topic_page_quotes_its_first_paragraphs_and_sends_the_reader_to_its_tag_for_the_rest(monkeypatch):
    monkeypatch.setattr("builder.render.TOPIC_PARAGRAPHS_SHOWN", 2)
    page = render(three_outlets())["topics/death-toll.md"]
    assert page.count("<blockquote>") == 2 and "three/#p1" not in page
    assert re.search(r'<span class="dossier-more">and 1 more paragraph</span> on this topic; every source on it '
                     r'carries its tag: <a href="\.\./#by-tag">sources by topic</a>', page)


def test_entity_page_names_the_first_other_sources_and_counts_the_rest(monkeypatch):
    monkeypatch.setattr("builder.render.MENTIONS_PER_ENTITY_PAGE", 0)
    monkeypatch.setattr("builder.render.SOURCES_PER_ITEM", 1)
    page = render(quake_dossier())["entities/marrakesh.md"]
    assert re.search(r'Also named in 2 more sources: <a href="\.\./\.\./sources/one/"[^>]*>Outlet one</a> \(1\) · '
                     r'<span class="dossier-more">and 1 more source</span></p>', page)


def test_glossary_lists_the_first_spellings_and_links_the_entry_for_the_rest(monkeypatch):
    monkeypatch.setattr("builder.render.SOURCES_PER_ITEM", 1)
    d = quake_dossier()
    city = replace(d.glossary.entities[1], aliases=("Marakech", "Marrakech", "Marrakesh"))
    page = render(replace(d, glossary=replace(d.glossary, entities=(d.glossary.entities[0], city))))["entities/index.md"]
    assert '<small>also Marakech <a class="dossier-more" href="marrakesh/">and 1 more spelling</a></small>' in page


def test_lists_below_the_caps_are_written_whole():
    files = render(three_outlets())
    assert not any("dossier-more" in text for text in files.values())


# --- lighter markup: no tooltip repeating what the link or its line already shows -------------

def test_citation_tooltip_is_the_headline_and_leaves_the_paragraph_number_to_the_link_text():
    page = render(quake_dossier())["timeline/index.md"]
    assert '<a class="dossier-cite" href="../sources/one/#p1" title="Quake kills thousands">Outlet one ¶1</a>' in page


def test_source_heading_has_a_tooltip_only_when_its_headline_is_cut_short():
    d = quake_dossier()
    long = "Death toll rises sharply across the High Atlas as rescuers dig through the night"
    page = render(replace(d, articles=(d.articles[0], replace(d.articles[1], title=long))))["entities/marrakesh.md"]
    assert '<h3 id="in-one" data-search-exclude><a href="../../sources/one/">Outlet one</a>: Quake kills thousands</h3>' in page
    assert f'<a href="../../sources/two/" title="{long}">Wire</a>: Death toll rises sharply across the High Atlas as rescuers…</h3>' in page


def test_quotation_number_link_says_where_it_leads_and_leaves_the_tooltip_to_the_quoted_words():
    page = render(quake_dossier())["sources/one.md"]
    assert ('<a class="dossier-quote-ref" href="../../compare/quotes/we-lost-everything/" '
            'title="Q1: every wording side by side"><sup>Q1</sup></a>') in page


# --- search: what the index keeps ----------------------------------------------------------------

def indexed(page: str) -> str:
    """The text Material's search plugin indexes from a generated page (its raw HTML body)."""
    from material.plugins.search.plugin import Parser
    parser = Parser()
    parser.feed(page.split("---\n", 2)[-1])
    parser.close()
    return " ".join("".join(s.title) + " " + "".join(s.text) for s in parser.data if not s.is_excluded())


def test_search_indexes_a_topic_by_its_label_and_keywords_not_the_paragraphs_it_repeats():
    text = indexed(render(quake_dossier())["topics/death-toll.md"])
    assert "Death toll" in text and "Keywords: toll, killed" in text
    assert "2,012" not in text and "2,122" not in text


def test_search_indexes_quotation_and_discrepancy_headings_not_the_text_they_repeat():
    files = render(quake_dossier())
    compare = indexed(files["compare/index.md"])
    assert "We lost everything" in compare and "Death toll" in compare
    assert "we had" not in compare, "the wordings table repeats the sources"
    assert "Outlet one ¶1" not in compare and "Officials gave the toll" not in compare
    discrepancy = indexed(files["compare/discrepancies/death-toll.md"])
    assert "2,012" in discrepancy and "people, officials said" not in discrepancy
    quote = indexed(files["compare/quotes/we-lost-everything.md"])
    assert "We lost everything" in quote and "we had" not in quote


def test_search_indexes_a_source_page_by_its_headline_and_paragraphs_once():
    files = render(quake_dossier())
    page = indexed(files["sources/one.md"])
    assert "Quake kills thousands" in page and "killed 2,012 people" in page
    assert "Officials gave the toll" not in page, "its statements reported nowhere else repeat its paragraphs"
    for listing in ("sources/index.md", "timeline/index.md"):
        assert "Quake kills thousands" not in indexed(files[listing]) and "The earthquake struck" not in indexed(files[listing])


def test_past_thirty_sources_the_compare_page_counts_each_sources_unique_statements_and_links_its_list(monkeypatch):
    monkeypatch.setattr("builder.render.UNIQUE_LISTED_MAX_SOURCES", 1)
    page = render(quake_dossier())["compare/index.md"]
    section = page[page.index('<h2 id="unique">'):]
    assert "Officials gave the toll" not in section
    assert re.search(r'<li id="only-one"><a href="\.\./sources/one/"[^>]*>Outlet one</a>: '
                     r'<a href="\.\./sources/one/#only-here">1 statement</a></li>', section)
    monkeypatch.undo()
    assert "Officials gave the toll" in render(quake_dossier())["compare/index.md"]


# --- speed: what is kept between pages gives exactly what working it out afresh gives ------------

@pytest.mark.parametrize("directory_urls", [True, False])
def test_a_link_kept_for_pages_of_a_kind_is_the_link_worked_out_for_each_page(directory_urls):
    from builder import paths
    from builder.render import _View
    view = _View(quake_dossier(), SiteOptions(directory_urls=directory_urls))
    pages = ["index.md", "sources/index.md", "sources/one.md", "sources/two.md", "sources/one/index.md",
             "entities/marrakesh.md", "entities/rabat.md", "compare/index.md", "compare/quotes/q1.md",
             "compare/quotes/q2.md", "compare/discrepancies/d1.md", "topics/index.md"]
    targets = pages + ["raw/one.txt", "dossier.json", "sources/one/deeper.md", "sources/../x.md", "/abs.md"]
    for anchor in (None, "p3"):
        for here in pages:   # every page after pages of its kind asked for the same targets
            for target in targets:
                assert view.link(here, target, anchor) == paths.href(here, target, anchor, directory_urls), (here, target)


def test_a_source_page_citing_itself_links_its_own_paragraph_not_another_pages():
    from builder.render import _View
    view = _View(quake_dossier(), SiteOptions())
    assert 'href="../two/#p1"' in view.cite_link("sources/one.md", Evidence("two", 0))
    assert 'href="./#p1"' in view.cite_link("sources/two.md", Evidence("two", 0))
    assert 'href="../two/#p2"' in view.cite_link("sources/one.md", Evidence("two", 1))


@pytest.mark.parametrize("text", [HOSTILE, "", "plain", "&amp; already", "\"quoted\" 'single' <>&", "café ☃ \U0001f600"])
def test_fast_escaping_gives_exactly_what_markupsafe_gives(text):
    from markupsafe import escape
    from builder.render import _escaped, _escaped_in_python
    assert _escaped(text) == _escaped_in_python(text) == str(escape(text))
    assert type(_escaped(text)) is str


def _all_pages(files) -> dict:
    return {path: files[path] for path in files}


def test_compiled_templates_kept_in_the_cache_folder_serve_the_next_run_unchanged(tmp_path, monkeypatch):
    import jinja2
    from builder import render as render_module
    dossier = quake_dossier()
    raws = [raw(a) for a in dossier.articles]
    monkeypatch.setattr(render_module, "_COMPILED", render_module.InMemoryBytecode())
    first = _all_pages(render_site(dossier, raws, SiteOptions(), tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("template-"))
    # A new process: nothing compiled in memory, and compiling is not allowed.
    monkeypatch.setattr(render_module, "_COMPILED", render_module.InMemoryBytecode())
    monkeypatch.setattr(jinja2.Environment, "compile", lambda *a, **k: pytest.fail("a kept template was compiled again"))
    assert _all_pages(render_site(dossier, raws, SiteOptions(), tmp_path)) == first


def test_a_damaged_kept_template_is_compiled_afresh(tmp_path, monkeypatch):
    from builder import render as render_module
    dossier = quake_dossier()
    raws = [raw(a) for a in dossier.articles]
    monkeypatch.setattr(render_module, "_COMPILED", render_module.InMemoryBytecode())
    first = _all_pages(render_site(dossier, raws, SiteOptions(), tmp_path))
    for kept in tmp_path.glob("template-*"):
        kept.write_bytes(kept.read_bytes()[:40] + b"\x00damaged")
    monkeypatch.setattr(render_module, "_COMPILED", render_module.InMemoryBytecode())
    assert _all_pages(render_site(dossier, raws, SiteOptions(), tmp_path)) == first



def _age(path, days: float) -> None:
    import os
    import time
    when = time.time() - days * 24 * 60 * 60
    os.utime(path, (when, when))


def _age_in_days(path) -> float:
    import time
    return (time.time() - path.stat().st_mtime) / (24 * 60 * 60)


def test_kept_templates_unused_for_a_month_are_removed_when_a_new_one_is_written(tmp_path, monkeypatch):
    # Another install's files (its template paths, hence its keys, differ) and a renamed
    # template's: stale once no build has used them for UNUSED_DAYS; recent ones may be
    # another install's in use and stay.
    from builder import render as render_module
    from builder.cache import UNUSED_DAYS
    dossier = quake_dossier()
    raws = [raw(a) for a in dossier.articles]
    stale, recent = tmp_path / "template-0000stale.jinja", tmp_path / "template-0000recent.jinja"
    for path, days in ((stale, UNUSED_DAYS + 1), (recent, UNUSED_DAYS - 1)):
        path.write_bytes(b"another install's compiled template")
        _age(path, days)
    monkeypatch.setattr(render_module, "_COMPILED", render_module.InMemoryBytecode())
    _all_pages(render_site(dossier, raws, SiteOptions(), tmp_path))
    kept = sorted(p.name for p in tmp_path.glob("template-*"))
    assert stale.name not in kept and recent.name in kept
    assert len(kept) > 2   # this build's own


def test_a_kept_template_in_use_is_marked_used_and_survives_pruning(tmp_path, monkeypatch):
    from builder import render as render_module
    from builder.cache import UNUSED_DAYS
    dossier = quake_dossier()
    raws = [raw(a) for a in dossier.articles]
    monkeypatch.setattr(render_module, "_COMPILED", render_module.InMemoryBytecode())
    _all_pages(render_site(dossier, raws, SiteOptions(), tmp_path))
    ours = sorted(tmp_path.glob("template-*"))
    for path in ours:   # written long ago, and not loaded since
        _age(path, UNUSED_DAYS + 1)
    # A rebuild in a new process loads them from the folder: each is marked as used.
    monkeypatch.setattr(render_module, "_COMPILED", render_module.InMemoryBytecode())
    _all_pages(render_site(dossier, raws, SiteOptions(), tmp_path))
    assert all(_age_in_days(path) < 1 for path in ours)
    # A rebuild that writes a new file (one template's was lost) prunes, and keeps every one in use.
    lost = ours[0]
    lost.unlink()
    monkeypatch.setattr(render_module, "_COMPILED", render_module.InMemoryBytecode())
    _all_pages(render_site(dossier, raws, SiteOptions(), tmp_path))
    assert sorted(tmp_path.glob("template-*")) == ours


def test_a_rebuild_that_compiles_nothing_does_not_look_through_the_cache_folder(tmp_path, monkeypatch):
    from builder import render as render_module
    dossier = quake_dossier()
    raws = [raw(a) for a in dossier.articles]
    monkeypatch.setattr(render_module, "_COMPILED", render_module.InMemoryBytecode())
    _all_pages(render_site(dossier, raws, SiteOptions(), tmp_path))
    monkeypatch.setattr(render_module, "_COMPILED", render_module.InMemoryBytecode())
    monkeypatch.setattr(render_module._KeptBytecode, "_prune", lambda self: pytest.fail("a warm rebuild pruned"))
    _all_pages(render_site(dossier, raws, SiteOptions(), tmp_path))
