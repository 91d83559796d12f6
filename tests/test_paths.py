"""Links between generated pages, computed for raw HTML that MkDocs does not rewrite."""
import pytest

from builder.paths import href, url_of


@pytest.mark.parametrize("page, url", [("index.md", ""), ("sources/index.md", "sources/"), ("sources/a.md", "sources/a/"), ("raw/a.txt", "raw/a.txt")])
def test_pages_are_served_at_directory_urls(page, url):
    assert url_of(page) == url


@pytest.mark.parametrize("here, there, anchor, link", [
    ("sources/a.md", "entities/b.md", None, "../../entities/b/"),
    ("sources/a.md", "sources/a.md", "p2", "./#p2"),
    ("index.md", "sources/a.md", "p1", "sources/a/#p1"),
    ("overview/at-a-glance.md", "dossier.json", None, "../../dossier.json"),
    ("compare/index.md", "compare/quotes/q.md", None, "quotes/q/"),
    ("sources/a.md", "index.md", None, "../../"),
])
def test_relative_links_between_pages(here, there, anchor, link):
    assert href(here, there, anchor) == link


def test_links_without_directory_urls_point_at_html_files():
    assert href("sources/a.md", "entities/b.md", "p1", directory_urls=False) == "../entities/b.html#p1"
