"""End to end: the sample dossier through `mkdocs build --strict`, as a user runs it."""
import json
import re

from bs4 import BeautifulSoup

from tests.conftest import ROOT, copy_project


def dossier(project):
    return json.loads((project.docs / "dossier.json").read_text(encoding="utf-8"))


def test_sample_dossier_has_every_part_the_contract_promises(sample_site):
    data = dossier(sample_site)
    assert len(data["sources"]) == 5
    assert len(data["entities"]) >= 25
    assert sum(1 for q in data["quotes"] if len({o["source"] for o in q["occurrences"]}) >= 2) >= 3
    assert len(data["discrepancies"]) >= 3
    assert len(data["unique_claims"]) >= 5
    assert len(data["topics"]) >= 4
    assert len(data["timeline"]) >= 5
    matrix = data["similarity"]["matrix"]
    assert len(matrix) == 5 and all(len(row) == 5 for row in matrix)


def test_every_source_entity_and_topic_page_is_in_the_built_site(sample_site):
    data = dossier(sample_site)
    for item in data["sources"] + data["entities"] + data["topics"]:
        built = sample_site.site / item["page"].removesuffix(".md") / "index.html"
        assert built.is_file(), item["page"]
    assert (sample_site.site / "dossier.json").is_file()


def test_search_index_finds_an_entity_glossary_page(sample_site):
    index = json.loads((sample_site.site / "search/search_index.json").read_text(encoding="utf-8"))
    hits = [doc["location"] for doc in index["docs"] if "Matsegora" in doc["title"] + doc["text"]]
    assert any(loc.startswith("entities/") for loc in hits), hits


def test_home_page_keeps_its_hand_written_text_and_includes_the_overview(sample_site):
    home = (sample_site.site / "index.html").read_text(encoding="utf-8")
    assert "New here?" in home and "The dossier at a glance" in home
    assert (sample_site.docs / "index.md").read_text() == (ROOT / "docs/index.md").read_text()


def test_the_built_site_loads_nothing_from_other_hosts(sample_site):
    """Scripts, styles, fonts, images and frames all come from the site itself (links to pages do not load)."""
    for page in sample_site.site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        loaded = [t.get("src") for t in soup.find_all(["script", "img", "iframe", "source", "video", "audio"])]
        loaded += [t.get("href") for t in soup.find_all("link") if not {"canonical", "alternate"} & set(t.get("rel", []))]
        remote = [url for url in loaded if url and re.match(r"(https?:)?//", url)]
        assert not remote, (page, remote)


def test_a_second_build_rewrites_nothing(tmp_path):
    project = copy_project(tmp_path / "p")
    assert project.mkdocs("build", "--strict").returncode == 0
    stamps = {p: p.stat().st_mtime_ns for p in project.docs.rglob("*") if p.is_file()}
    result = project.mkdocs("build", "--strict")
    assert result.returncode == 0, result.stderr[-2000:]
    assert {p: p.stat().st_mtime_ns for p in project.docs.rglob("*") if p.is_file()} == stamps


def test_markdown_would_copy_every_generated_page_through_unchanged(sample_site):
    """The plugin hands a source's, entity's, quotation's, a section index's ... page to MkDocs without Markdown
    (the cost of parsing every tag, thousands of times); that is only right while Markdown,
    with this site's extensions, would give back the very same HTML."""
    import markdown
    from mkdocs.config import load_config

    config = load_config(str(sample_site.root / "mkdocs.yml"), docs_dir=str(sample_site.docs))
    checked = 0
    for uri, body in _builder_pages(sample_site):
        converter = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
        assert converter.convert(body).strip() == body.strip(), uri
        checked += 1
    assert checked > 50


def _builder_pages(site):
    """(path under docs/, HTML) of every page the plugin hands to the theme without Markdown."""
    from builder.plugin.plugin import _builder_html

    for page in sorted(site.docs.rglob("*.md")):
        uri = page.relative_to(site.docs).as_posix()
        text = page.read_text(encoding="utf-8")
        if _builder_html(uri, text):
            yield uri, text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


def _search_sections(html: str) -> list[tuple]:
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(html)
    parser.close()
    return [(s.id, "".join(s.title), "".join(s.text)) for s in parser.data if not s.is_excluded()]


def test_search_reads_the_same_sections_from_the_cut_down_generated_pages(sample_site):
    """Material's search is handed each generated page without its data-search-exclude elements
    (the plugin's searchable_part): only right while the index it makes stays the same."""
    from builder.plugin.search import searchable_part

    checked = 0
    for uri, body in _builder_pages(sample_site):
        checked += searchable_part(body) != body
        assert _search_sections(searchable_part(body)) == _search_sections(body), uri
    assert checked > 50


def test_search_cut_keeps_marked_headings_and_tails_and_cuts_whole_nested_elements():
    from builder.plugin.search import searchable_part

    html = ('<h2 id="a">Kept</h2><p data-search-exclude><span>note</span> out</p> tail'
            '<h2 id="b" data-search-exclude>Section left out</h2><p>its text</p>'
            '<p class="x" data-search-exclude="yes">out<br/>too</p><p>after</p>')
    lean = searchable_part(html)
    assert lean == ('<h2 id="a">Kept</h2> tail<h2 id="b" data-search-exclude>Section left out</h2>'
                    '<p>its text</p><p>after</p>')
    assert _search_sections(lean) == _search_sections(html)
    # Inside a marked element, an element of the same name is cut with it (Material's parser
    # would start indexing again after the inner one closes).
    assert searchable_part('<div data-search-exclude><div>a</div>b</div>c') == "c"


def test_search_cut_gives_a_page_back_whole_when_an_element_never_ends():
    from builder.plugin.search import searchable_part

    html = "<p>kept</p><div data-search-exclude><div>never closed</div>"
    assert searchable_part(html) == html


def test_the_theme_still_shows_what_search_leaves_out(sample_site):
    pages = [p for p in (sample_site.root / "site" / "sources").glob("*/index.html")]
    assert pages
    assert all("dossier-permalink" in p.read_text(encoding="utf-8") for p in pages)


def test_a_serving_rebuild_compiles_no_theme_template_again(tmp_path, monkeypatch):
    """`mkdocs serve` loads the config, and so a new theme environment, for every rebuild: the
    theme's templates (Material's, the plugin's overrides) are compiled once per process."""
    import jinja2
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = copy_project(tmp_path / "p")
    monkeypatch.chdir(project.root)     # mkdocs.yml's snippet paths are relative to the project, as a user runs it

    def config():
        return load_config(str(project.root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))

    first = config()
    first.plugins.on_startup(command="serve", dirty=False)
    build(first)
    compiled, compile_template = [], jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda env, source, name=None, *rest, **kw: compiled.append(name) or compile_template(
                            env, source, name, *rest, **kw))
    build(config())
    # (Material's search plugin translates its language through an environment of its own.)
    assert not {"base.html", "main.html", "partials/nav.html", "partials/header.html"} & set(compiled), compiled
