"""The plugin's shared page frame (builder.plugin.theme) and the inline-tag cut it hands search
(builder.plugin.search): both must leave what a reader gets exactly as Material makes it."""
import jinja2
import pytest
from material.plugins.search.plugin import Parser

from builder.plugin.search import searchable_part
from builder.plugin.theme import ORIGINAL, SharedFrame

THEME = {
    "main.html": "{% extends 'base.html' %}",
    "base.html": "{% include 'partials/nav.html' %}|{% block config %}C{{ depth }}{% endblock %}|{{ title }}",
    "partials/nav.html": "N{{ depth }}",
}


def _env(custom: dict | None = None, custom_dir=None) -> tuple[jinja2.Environment, SharedFrame]:
    loaders = [jinja2.DictLoader(custom)] if custom else []
    env = jinja2.Environment(loader=jinja2.ChoiceLoader([*loaders, jinja2.DictLoader(THEME)]))
    frame = SharedFrame()
    frame.install(env, custom_dir)
    return env, frame


def _render(env, frame, url: str, shareable: bool, depth: str, title: str) -> str:
    return env.get_template("main.html").render(
        depth=depth, title=title, dossier_shared=frame.for_page(url, shareable))


def test_pages_outside_the_navigation_in_one_folder_share_the_frame_but_not_their_content():
    env, frame = _env()
    first = _render(env, frame, "entities/a/", True, "../../", "A")
    # What differs in a second page of the same folder is only its own content, so a frame
    # rendered with anything else proves it was copied.
    second = _render(env, frame, "entities/b/", True, "SHOULD-NOT-SHOW", "B")
    assert first == "N../../|C../../|A"
    assert second == "N../../|C../../|B"


def test_another_folder_or_a_page_in_the_navigation_gets_its_own_frame():
    env, frame = _env()
    _render(env, frame, "entities/a/", True, "../../", "A")
    assert _render(env, frame, "compare/quotes/q/", True, "../../../", "Q") == "N../../../|C../../../|Q"
    assert _render(env, frame, "entities/c/", False, "own", "C") == "Nown|Cown|C"
    assert _render(env, frame, "entities/c.html", True, "flat", "C") == "Nflat|Cflat|C"


def test_each_build_renders_the_frame_again():
    env, frame = _env()
    _render(env, frame, "entities/a/", True, "old", "A")
    env2 = jinja2.Environment(loader=jinja2.DictLoader(THEME))
    frame.install(env2, None)
    assert _render(env2, frame, "entities/a/", True, "new", "A") == "Nnew|Cnew|A"


def test_a_template_in_the_sites_custom_dir_keeps_precedence(tmp_path):
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "nav.html").write_text("mine{{ depth }}")
    env, frame = _env({"partials/nav.html": "mine{{ depth }}"}, custom_dir=str(tmp_path))
    _render(env, frame, "entities/a/", True, "1", "A")
    # Not shared: the site's own navigation is rendered for each page.
    assert _render(env, frame, "entities/b/", True, "2", "B") == "mine2|C1|B"


def test_the_original_partial_stays_reachable_under_its_prefix():
    env, _ = _env()
    assert env.get_template(f"{ORIGINAL}partials/nav.html").render(depth="x") == "Nx"
    # Templates rendered without a page (the 404 page) render every part themselves.
    assert env.get_template("main.html").render(depth="d", title="T") == "Nd|Cd|T"


def _sections(html: str) -> list:
    parser = Parser()
    parser.feed(html)
    parser.close()
    return [(s.id, "".join(s.title), "".join(s.text)) for s in parser.data if not s.is_excluded()]


def test_search_is_handed_inline_elements_as_their_text_with_the_same_sections():
    html = ('<h1 id="t">A <em>quake</em></h1><p>In <a class="dossier-entity" href="x">Chievford</a>, '
            '<span><mark>35</mark></span> buildings.</p><ul><li><strong>one</strong></li></ul>')
    lean = searchable_part(html)
    assert lean == '<h1 id="t">A quake</h1><p>In Chievford, 35 buildings.</p><ul><li>one</li></ul>'
    assert _sections(lean) == _sections(html)


@pytest.mark.parametrize("html", [
    '<p>a <span>\n</span> b</p>',                                      # white space only inside
    '<p><span>5</span>\n  \n<span>sources</span></p>',                 # white space only beside
    '<h2 id="x">Title<a class="headerlink" href="#x">¶</a></h2>',      # a permalink: left out of titles
    '<p><a data-search-exclude="x">out</a>in</p>',
])
def test_search_keeps_inline_elements_it_would_read_differently_once_unwrapped(html):
    assert _sections(searchable_part(html)) == _sections(html)
    assert "<a" in searchable_part(html) or "<span" in searchable_part(html) or "data-search" in html


HEADER_THEME = {
    "page.html": "{% include 'partials/header.html' %}",
    "partials/header.html": ('<a href="{{ depth }}">class</a><div class="md-header__topic" data-md-component="header-topic">'
                             '<span class="md-ellipsis">\n  {{ page.title }}\n</span></div>'),
}


def _render_header(frame, env, url, depth, title):
    return env.get_template("page.html").render(
        depth=depth, page={"title": title, "meta": {}}, dossier_shared=frame.for_page(url, True))


def test_a_shared_header_carries_each_pages_own_title_escaped():
    env = jinja2.Environment(loader=jinja2.DictLoader(HEADER_THEME), autoescape=True)
    frame = SharedFrame()
    frame.install(env, None)
    first = _render_header(frame, env, "entities/a/", "../../", "class")
    second = _render_header(frame, env, "entities/b/", "NOT-SHOWN", "Smith & <Jones>")
    assert first.endswith('<span class="md-ellipsis">\n  class\n</span></div>')
    assert second == first.replace("\n  class\n", "\n  Smith &amp; &lt;Jones&gt;\n")
