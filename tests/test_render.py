"""The render stage: what each page shows, and that source text is only ever text."""
import re

import pytest
import yaml

from builder.render import SiteOptions, render_site
from tests.dossiers import quake_dossier, raw

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
