"""dossier: turn a folder of scraped articles about one story into a searchable MkDocs site."""

__version__ = "0.1.0"
