"""The plugin's options in mkdocs.yml, declared as data:

    plugins:
      - dossier:
          sources: sources        # folder of raw sources, relative to mkdocs.yml
          nav_sources: 50         # list source pages in the sidebar up to this many sources
"""
from mkdocs.config import base
from mkdocs.config import config_options as c


class DossierConfig(base.Config):
    sources = c.Type(str, default="sources")
    """Folder of raw sources, relative to mkdocs.yml."""

    nav_sources = c.Type(int, default=50)
    """Up to this many sources, each source page gets a sidebar entry; beyond, only the
    sources index does (MkDocs embeds the whole sidebar in every page, so listing thousands
    of pages makes the build quadratic)."""
