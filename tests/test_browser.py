"""What a reader sees: the sample site in headless Debian chromium, served on 127.0.0.1."""
from pathlib import Path

import pytest

from tests.browser import CHROMIUM_ARGS, Watch, chromium_path, serve
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.fail("Debian's chromium is not installed; `python3 dev.py test` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site_url(sample_site):
    with serve(sample_site.site) as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.watch = Watch(page)
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_searching_an_entity_name_lands_on_its_glossary_page(page, site_url):
    page.goto(site_url)
    page.locator(".md-search__input").fill("Matsegora")
    result = page.locator(".md-search-result__link[href*='entities/']").first
    result.wait_for(timeout=15000)
    result.click()
    page.wait_for_url("**/entities/**")
    assert "Matsegora" in page.locator("h1").first.inner_text()
    screenshot(page, "entity")
    assert page.watch.external == []


def test_home_page_shows_the_dossier_at_a_glance_without_leaving_127_0_0_1(page, site_url):
    page.goto(site_url)
    assert page.locator("#at-a-glance").is_visible()
    screenshot(page, "home")
    assert page.watch.external == []
    assert page.watch.errors == []
