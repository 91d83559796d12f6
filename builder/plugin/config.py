"""The plugin's options in mkdocs.yml, declared as data:

    plugins:
      - dossier:
          sources: sources        # folder of raw sources, relative to mkdocs.yml
          nav_sources: 50         # list source pages in the sidebar up to this many sources
          jobs: 0                 # processes for entity recognition; 0: one per core
          cache: true             # keep recognition results in docs/.dossier-cache/
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

    jobs = c.Type(int, default=0)
    """Worker processes for entity recognition, the slow per-source stage; 0 means one per
    core. Only paragraphs the cache does not know are recognised, so after the first build
    `mkdocs serve` rarely starts any worker. Set 1 on a machine shared with other work."""

    cache = c.Type(bool, default=True)
    """Keep each paragraph's recognised names in `docs/.dossier-cache/` (MkDocs skips dot-folders),
    so a rebuild recognises only new or edited paragraphs. The cache is keyed by the text and
    the builder's and model's versions, so it is never stale; delete it any time to reclaim
    the space, or set false to neither read nor write it."""
