"""The one exception type the pipeline raises for problems a user can fix.

Stages raise `DossierError` with a message that says what went wrong, where, and how to
fix it; only the boundaries (the CLI and the MkDocs plugin) turn it into an exit code or a
MkDocs error, as sqlite-utils keeps domain errors out of its command layer.
"""


class DossierError(Exception):
    """A fatal problem with the user's input or setup (not a bug in the builder)."""
