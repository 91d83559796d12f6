"""Property-based tests: random text and bytes through read, clean and render never raise and
never produce live markup.

Random strings are built from ordinary words, arbitrary Unicode and the fragments that matter
to the layers a source's text passes through (HTML, Markdown, attr_list, admonitions, Jinja,
YAML front matter, MkDocs/Material markers, Python-Markdown's own placeholder characters), so
hypothesis explores their combinations rather than mostly harmless noise. Every generated page
is then put through Python-Markdown with the extensions of mkdocs.yml, as MkDocs does, and the
HTML is checked like the hostile corpus. Example counts are modest: the machine is shared.
"""
from __future__ import annotations

import re
from pathlib import Path

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from builder.clean import clean_sources
from builder.compare import compare_sources
from builder.entities import find_entities
from builder.model import Dossier, RawSource
from builder.nlp import _batches, _pieces
from builder.read import read_sources
from builder.render import SiteOptions, render_site
from builder.timeline import build_timeline
from builder.topics import find_topics
from tests.fake_recognizer import FakeRecognizer
from tests.test_hostile import live_markup

FRAGMENTS = (
    "<script>window.__pwned=1</script>", "<script>", "</script>", "<img src=x onerror=window.__pwned=1>",
    "<svg onload=window.__pwned=1>", '"><b onmouseover=window.__pwned=1>', "<iframe src=//evil.example>",
    "<style>*{display:none}</style>", "javascript:window.__pwned=1", "[x](javascript:window.__pwned=1)",
    "![x](http://tracker.example/p.gif)", "<http://evil.example>", "{{ 7*7 }}", "{% raw %}", "{#", "}}",
    "---", "---\ntitle: __pwned\n---\n", "<!-- material/tags -->", "<!--", "-->", '--8<-- "mkdocs.yml"',
    "\n--8<-- \"../mkdocs.yml\"\n", "!!! danger \"__pwned\"\n    x", "??? note", "{: onclick=window.__pwned=1 }",
    "<div markdown=\"1\">**__pwned**</div>", "</div></div>", "</p>", "<p>", "&lt;", "&amp;", "&#60;script&#62;",
    "\x02wzxhzdk:0\x03", "\x02", "\x03", "`", "*", "_", "[TOC]", "    ", "\t", "\n", "\n\n", "\r\n", "\r", "\x0b",
    "\x0c", "\u2028", "\u0085", "\ufeff", "\u202e", "\x00", "<", ">", "&", '"', "'", "=", "Avalon", "Jane Corrigan",
)
WORDS = ("the", "council", "said", "on", "Monday", "ferry", "harbour", "Avalon", "mayor", "Jane", "Corrigan",
         "2024", "12 March 2024", "storm", "bridge", '"', "quoted:", ".", ",")

hostile_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(WORDS).map(lambda w: w + " "), st.text(max_size=12)),
    max_size=40,
).map("".join)

# Names the fake recogniser labels, so entity pages, links and tooltips carry hostile text too.
RECOGNISER = FakeRecognizer({"Avalon": "GPE", "Jane Corrigan": "PERSON", "Monday": "DATE", "12 March 2024": "DATE",
                             "<script>": "ORG", "Corrigan\"><b onmouseover=window.__pwned=1>": "PERSON"})
MARKDOWN_EXTENSIONS = ["admonition", "attr_list", "pymdownx.details", "toc", "pymdownx.snippets"]


def pipeline_pages(texts: list[tuple[str, str]]) -> dict[str, str]:
    """Every page the builder generates for these (file name, text) sources, without spaCy or disk."""
    raws = [RawSource(id=f"s{n}", path=name, sha256=f"{n:064x}", kind=_kind(name), text=text, encoding="utf-8")
            for n, (name, text) in enumerate(texts)]
    articles = clean_sources(raws)
    glossary = find_entities(articles, RECOGNISER)
    comparison = compare_sources(articles, glossary)
    topics = find_topics(articles, glossary, comparison, None)
    timeline = build_timeline(articles, glossary, comparison)
    dossier = Dossier(tuple(articles), glossary, comparison, tuple(topics), tuple(timeline))
    return render_site(dossier, raws, SiteOptions())


def _kind(name: str) -> str:
    return {"md": "markdown", "html": "html"}.get(name.rsplit(".", 1)[-1], "text")


def to_html(page: str, docs: Path) -> tuple[str, dict]:
    """The page as MkDocs turns it into HTML: front matter split off, then Python-Markdown."""
    body, meta = get_data(page)
    converter = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, extension_configs={
        "pymdownx.snippets": {"base_path": [str(docs)], "check_paths": False}})
    html = converter.convert(body)
    return f'<article class="md-content__inner">{html}</article>', meta


def assert_no_live_markup(pages: dict[str, str], docs: Path) -> None:
    for rel, page in pages.items():
        if not rel.endswith(".md"):
            continue                     # raw copies are published as .txt, never parsed
        html, meta = to_html(page, docs)
        assert live_markup(html, []) == [], (rel, page)
        # Only the builder's own keys: a source's front matter never reaches MkDocs.
        assert set(meta) <= {"title", "tags", "search"}, (rel, meta)
        assert "<" not in meta.get("title", "") and ">" not in meta.get("title", ""), (rel, meta)
        for tag in meta.get("tags", []):
            assert not re.search(r"[<>&\"'`]", tag), (rel, tag)
        if rel != "topics/index.md":
            assert "<!-- material/tags -->" not in page, rel
        assert "SNIPPET-SENTINEL" not in html, rel


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), name=st.sampled_from(["a.txt", "a.md", "a.html"]))
def test_random_bytes_are_read_or_skipped_with_a_reason_never_raising(tmp_path_factory, data, name):
    folder = tmp_path_factory.mktemp("bytes")
    (folder / name).write_bytes(data)
    sources, skipped = read_sources(folder)
    assert len(sources) + len(skipped) == 1
    if skipped:
        assert skipped[0][0] == name and skipped[0][1]
    else:
        assert "\r" not in sources[0].text and sources[0].text.strip()
    assert read_sources(folder) == (sources, skipped)          # deterministic


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff")
                    | st.sampled_from("\n\t"), min_size=1, max_size=400),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_printable_unicode_text_round_trips_through_read_in_any_unicode_encoding(tmp_path_factory, text, encoding):
    folder = tmp_path_factory.mktemp("text")
    (folder / "a.txt").write_bytes(text.encode(encoding))
    sources, skipped = read_sources(folder)
    if not text.strip():
        assert skipped == (("a.txt", "empty (no text)"),)
    else:
        assert [s.text for s in sources] == [text]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(first=hostile_text, second=hostile_text, name=st.sampled_from(["a.txt", "a.md", "a.html"]))
def test_random_hostile_text_through_clean_and_render_never_raises_nor_makes_live_markup(tmp_path, first, second, name):
    (tmp_path / "mkdocs.yml").write_text("SNIPPET-SENTINEL\n")      # what a working snippet would pull in
    texts = [(name, f"Storm hits Avalon {first}\n\n{first} The council said on Monday. {second}\n"),
             ("b.txt", f"Ferry for Avalon\n\nJane Corrigan said: \"{second} we will rebuild\" on Monday. {first}\n")]
    assert_no_live_markup(pipeline_pages(texts), tmp_path)


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab. \n"), max_size=400), limit=st.integers(min_value=2, max_value=60))
def test_long_texts_are_cut_into_pieces_that_cover_them_exactly(text, limit):
    pieces = _pieces(text, limit)
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= limit for _, piece in pieces)
    assert all(text[offset:offset + len(piece)] == piece for offset, piece in pieces)


@settings(max_examples=100, deadline=None)
@given(sizes=st.lists(st.integers(min_value=0, max_value=30_000), max_size=200))
def test_recognition_batches_keep_order_and_stay_within_their_character_budget(sizes):
    pieces = ["x" * n for n in sizes]
    batches = _batches(pieces)
    assert [p for batch in batches for p in batch] == pieces
    assert all(len(batch) == 1 or sum(map(len, batch)) <= 50_000 for batch in batches)
    assert all(len(batch) <= 64 for batch in batches)


def test_the_page_check_catches_source_text_that_markdown_would_interpret(tmp_path):
    """Guard for the property above: pages where a source's text escaped the HTML blocks must fail."""
    (tmp_path / "mkdocs.yml").write_text("SNIPPET-SENTINEL\n")
    for body in ('--8<-- "mkdocs.yml"\n', "[x](javascript:window.__pwned=1)\n", "![x](http://tracker.example/p.gif)\n",
                 "<script>window.__pwned=1</script>\n"):
        page = f"---\ntitle: x\n---\n{body}"
        try:
            assert_no_live_markup({"sources/a.md": page}, tmp_path)
        except AssertionError:
            continue
        raise AssertionError(f"not caught: {body!r}")
    for front in ("title: <b>x</b>", "title: x\ntemplate: main.html"):
        try:
            assert_no_live_markup({"sources/a.md": f"---\n{front}\n---\n<p>x</p>\n"}, tmp_path)
        except AssertionError:
            continue
        raise AssertionError(f"not caught: {front!r}")
