"""The `dossier` MkDocs plugin: runs the builder before MkDocs reads docs/."""
