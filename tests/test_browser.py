"""What a reader sees: the sample site in headless Debian chromium, served on 127.0.0.1.

Which entity, source and paragraph to try is read from the built dossier.json, not written
here, so the tests follow the data. Every test also checks that the page asked nothing of
another host and logged no error. Screenshots land in test-artifacts/ for a person to look at.
"""
import json
import posixpath
import re
from urllib.parse import unquote, urldefrag, urlparse

import pytest
from bs4 import BeautifulSoup

from tests.browser import Watch, launched_chromium, serve
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
WAIT_MS = 15000     # bounded waits: a search index or an instant-navigation fetch on a slow CI machine


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def site_url(sample_site):
    with serve(sample_site.site) as url:
        yield url


@pytest.fixture(scope="module")
def data(sample_site):
    return json.loads((sample_site.docs / "dossier.json").read_text(encoding="utf-8"))


def open_page(browser, scheme: str = "light"):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.watch = Watch(page)
    return page


@pytest.fixture
def page(browser):
    page = open_page(browser)
    yield page
    assert page.watch.external == [], "a request left 127.0.0.1"
    assert page.watch.errors == [], "the page logged errors"
    page.context.close()


def screenshot(page, name: str, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def url_path(page) -> str:
    return urlparse(page.url).path


def alias_to_search(data) -> tuple[dict, str]:
    """The most widely named entity with a spelling that is not its name (and not part of it)."""
    ranked = sorted(data["entities"], key=lambda e: (-len({m["source"] for m in e["mentions"]}), e["id"]))
    for entity in ranked:
        for alias in entity["aliases"]:
            if alias != entity["name"] and alias.casefold() not in entity["name"].casefold() and len(alias) > 3:
                return entity, alias
    pytest.skip("no entity in the sample has another spelling")


# --- search ----------------------------------------------------------------------------------

def test_searching_an_entity_by_another_spelling_lands_on_its_glossary_page_first(page, site_url, data):
    entity, alias = alias_to_search(data)
    page.goto(site_url)
    page.locator(".md-search__input").click()
    page.keyboard.type(alias)
    first = page.locator(".md-search-result__link").first
    first.wait_for(timeout=WAIT_MS)
    assert f"entities/{entity['id']}/" in first.get_attribute("href"), (alias, first.get_attribute("href"))
    first.click()
    page.wait_for_url(f"**/entities/{entity['id']}/**", timeout=WAIT_MS)
    assert entity["name"] in page.locator("h1").first.inner_text()
    assert alias in page.locator("h1").first.inner_text()
    screenshot(page, "entity")


def test_search_highlights_the_searched_words_on_the_page_it_opens(page, site_url, data):
    entity, alias = alias_to_search(data)
    page.goto(f"{site_url}entities/{entity['id']}/?h={alias.split()[0].casefold()}")
    page.locator("mark[data-md-highlight]").first.wait_for(timeout=WAIT_MS)


# --- annotated reading -----------------------------------------------------------------------

def test_entity_link_from_a_source_paragraph_and_back_to_that_paragraph(page, site_url, data):
    mention = min((m for e in data["entities"] for m in e["mentions"] if m["paragraph"] > 1),
                  key=lambda m: (m["source"], m["paragraph"], m["start"]))
    source, anchor = mention["source"], f"p{mention['paragraph'] + 1}"
    page.goto(f"{site_url}sources/{source}/")
    screenshot(page, "source")
    link = page.locator(f"#{anchor} a.dossier-entity").first
    assert link.get_attribute("title"), "an entity link carries its glossary line as tooltip"
    link.hover()
    page.locator(".md-tooltip2--active, .md-tooltip--active").first.wait_for(timeout=WAIT_MS)
    link.click()
    page.wait_for_url("**/entities/**", timeout=WAIT_MS)
    back = page.locator(f".dossier-kwic a[href$='sources/{source}/#{anchor}']").first
    back.click()
    page.wait_for_url(f"**/sources/{source}/#{anchor}", timeout=WAIT_MS)
    target = page.locator(f"#{anchor}")
    target.wait_for(timeout=WAIT_MS)
    page.wait_for_function(f"() => {{ const r = document.getElementById('{anchor}').getBoundingClientRect();"
                           f" return r.top >= 0 && r.top < window.innerHeight; }}", timeout=WAIT_MS)


def test_paragraph_permalink_appears_on_hover_and_is_the_paragraphs_address(page, site_url, data):
    source = data["sources"][0]["id"]
    page.goto(f"{site_url}sources/{source}/")
    permalink = page.locator("#p2 a.dossier-permalink")
    assert float(permalink.evaluate("a => getComputedStyle(a).opacity")) == 0
    page.locator("#p2").hover()
    page.wait_for_function("() => getComputedStyle(document.querySelector('#p2 a.dossier-permalink')).opacity === '1'",
                           timeout=WAIT_MS)
    assert permalink.evaluate("a => a.href") == page.url.split("#")[0] + "#p2"   # a full address, to cite


# --- pictures -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path, pictures", [("", 2), ("compare/", 2), ("entities/", 1), ("timeline/", 1)])
def test_pictures_render_as_non_empty_svg_with_a_text_alternative(page, site_url, path, pictures):
    page.goto(site_url + path)
    svgs = page.locator("svg.dossier-svg")
    assert svgs.count() == pictures
    for i in range(pictures):
        svg = svgs.nth(i)
        box = svg.bounding_box()
        assert box["width"] > 200 and box["height"] > 40
        assert svg.locator("rect, circle").count() > 0
        assert svg.locator("title").first.text_content().strip()
        assert svg.locator("desc").first.text_content().strip()


def test_a_timeline_dot_opens_its_row_and_a_bar_its_source(page, site_url):
    page.goto(site_url)
    page.locator("svg.dossier-svg circle").first.click()
    page.wait_for_url("**/timeline/#t1", timeout=WAIT_MS)
    assert page.locator("tr:target").count() == 1
    page.goto(site_url)
    page.locator("#glance-bars-title >> xpath=..").locator("a").first.click()
    page.wait_for_url("**/sources/**", timeout=WAIT_MS)


def test_pictures_stay_readable_in_dark_mode(browser, site_url):
    page = open_page(browser, scheme="dark")
    try:
        page.goto(site_url + "compare/")
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        label = page.locator("svg.dossier-svg text.dossier-svg-value, svg.dossier-svg text.dossier-svg-label").first
        fill = label.evaluate("t => getComputedStyle(t).fill")
        background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        assert _luminance(fill) - _luminance(background) > 0.4, (fill, background)
        screenshot(page, "compare-dark")
        assert page.watch.external == [] and page.watch.errors == []
    finally:
        page.context.close()


def _luminance(css_colour: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", css_colour)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_palette_toggle_switches_between_light_and_dark(page, site_url):
    page.goto(site_url)
    before = page.locator("body").get_attribute("data-md-color-scheme")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(f"() => document.body.getAttribute('data-md-color-scheme') !== '{before}'", timeout=WAIT_MS)


# --- the pages a reader starts from ------------------------------------------------------------

def test_home_page_shows_the_dossier_at_a_glance(page, site_url, data):
    page.goto(site_url)
    assert page.locator("#at-a-glance").is_visible()
    assert page.locator(".dossier-stat").count() == 6
    for source in data["sources"]:
        assert page.locator(f"a[href$='/raw/{source['id']}.txt']").count() == 1
    assert page.locator("a[href$='/dossier.json']").count() >= 1
    page.set_viewport_size({"width": 1280, "height": 1350})   # the README's picture: the story's shape at a glance
    screenshot(page, "home")
    screenshot(page, "home-full", full_page=True)


def test_comparison_page_shows_quotations_side_by_side_and_discrepancies(page, site_url):
    page.goto(site_url + "compare/")
    assert page.locator("#quotations").is_visible() and page.locator("#discrepancies").count() == 1
    screenshot(page, "compare")
    page.locator("#quotations").scroll_into_view_if_needed()
    screenshot(page, "compare-quotations")


def test_navigation_has_tabs_and_instant_loading(page, site_url, sample_site):
    # Material navigates instantly to the pages its sitemap lists, and the sitemap names them
    # at mkdocs.yml's site_url; served here at another port, the sitemap is given this address.
    built_for = re.search(r"^site_url:\s*(\S+)", (sample_site.root / "mkdocs.yml").read_text(), re.M).group(1)

    def sitemap_at_this_address(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace(built_for, site_url))

    page.route("**/sitemap.xml", sitemap_at_this_address)
    page.goto(site_url)
    tabs = page.locator(".md-tabs__link")
    assert tabs.count() >= 5
    page.evaluate("() => { window.__kept = 'same document'; }")
    page.locator(".md-tabs__link", has_text="Glossary").click()
    page.wait_for_url("**/entities/", timeout=WAIT_MS)
    # Instant navigation swaps the content in place: the document, and this marker, survive.
    assert page.evaluate("() => window.__kept") == "same document"


# --- every link resolves (a crawl of the built HTML, no browser needed) -------------------------

def test_every_internal_link_and_anchor_of_the_built_site_resolves(sample_site):
    site = sample_site.site
    ids: dict[str, set[str]] = {}
    links: list[tuple[str, str]] = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        ids[rel] = {tag["id"] for tag in soup.find_all(id=True)}
        for tag in soup.find_all(True):
            for attribute in ("href", "src", "xlink:href"):
                if tag.get(attribute):
                    links.append((rel, tag[attribute]))
    broken = []
    for page, link in links:
        if re.match(r"^[a-z][a-z0-9+.-]*:", link) or link.startswith("//"):
            continue   # another scheme or host: not the site's to resolve
        target, anchor = _resolve(site, page, link)
        if target is None:
            broken.append((page, link, "no such file"))
        elif anchor and target.endswith(".html") and anchor not in ids.get(target, set()):
            broken.append((page, link, f"no #{anchor} in {target}"))
    assert broken == [], f"{len(broken)} broken links, e.g. {broken[:10]}"
    assert len(links) > 500   # the crawl did reach the generated pages


def _resolve(site, page: str, link: str) -> tuple[str | None, str]:
    path, anchor = urldefrag(link)
    path = path.split("?", 1)[0]
    if path.startswith("/"):   # from the site's root (404.html links so, as it is served at any depth)
        path, page = path.lstrip("/") or ".", "index.html"
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(path))) if path else page
    if target.startswith("../") or target == "..":
        return None, anchor
    candidate = site / target
    if candidate.is_dir():
        target = posixpath.join(target, "index.html") if target != "." else "index.html"
        candidate = site / target
    return (target if candidate.is_file() else None), unquote(anchor)
