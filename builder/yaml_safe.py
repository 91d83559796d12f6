"""YAML from the user's folder (sidecars, front matter, glossary.yml, topics.yml), read so that
no file can hang or exhaust the build.

`yaml.safe_load` refuses to build objects but still expands aliases: a "billion laughs" file
of a few hundred bytes (`a: &a [x, x, ...]`, `b: &b [*a, *a, ...]`, ...) grows to billions of
nodes when the value is walked, and deep nesting (`[[[[...]]]]`) overflows the recursion of
PyYAML's composer. No hand-written dossier file needs anchors, aliases or fifty levels of
nesting, so they are refused outright, as is a file too large to be hand-written metadata.

The one public function is `load_yaml`; a problem is a `DossierError` whose message is one
line naming the file, the line and column, and what to change.
"""
from __future__ import annotations

import yaml
from yaml.composer import ComposerError

from .errors import DossierError, describe_file_error, one_line

__all__ = ["load_yaml"]

# The largest YAML text read. A glossary.yml for a dossier of 10,000 sources (a few thousand
# entities with aliases and descriptions) runs to about a megabyte; PyYAML (pure Python) reads
# about one megabyte a second, so this bounds the time a file can take to a few seconds.
_MAX_CHARS = 4_000_000

# The deepest nesting of lists and mappings read. Dossier files nest three or four levels
# (topics.yml: merge -> entry -> topics -> name); PyYAML composes nodes recursively, and a few
# hundred levels exhaust Python's stack.
_MAX_DEPTH = 50


class _PlainLoader(yaml.SafeLoader):
    """A SafeLoader that refuses anchors, aliases and deep nesting as it composes, before any
    value is built (so an alias bomb never expands)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 (PyYAML's signature)
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise ComposerError(None, None, f"an alias (*{event.anchor}) is not allowed here: write the value out in full",
                                event.start_mark)
        if getattr(event, "anchor", None) is not None:
            raise ComposerError(None, None, f"an anchor (&{event.anchor}) is not allowed here: write the value out where "
                                "it is used", event.start_mark)
        self._depth += 1
        try:
            if self._depth > _MAX_DEPTH:
                raise ComposerError(None, None, f"nested more than {_MAX_DEPTH} levels deep", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(text: str, name: str, line_offset: int = 0) -> object:
    """The value of the single YAML document in `text` (None when empty); `name` is the file
    as the user knows it, for the message, and `line_offset` the lines before `text` in that
    file (a front-matter block starts on its second line).

    Raises `DossierError` for malformed YAML, anchors or aliases, nesting deeper than
    `_MAX_DEPTH` and texts over `_MAX_CHARS`; callers decide whether that is fatal or the file
    is skipped with a warning.
    """
    if len(text) > _MAX_CHARS:
        raise DossierError(one_line(f"{name}: not read: {len(text):,} characters of YAML, more than the "
                                    f"{_MAX_CHARS:,} a metadata file may hold"))
    loader = None
    try:
        loader = _PlainLoader(text)     # the reader already refuses control characters here
        return loader.get_single_data()
    except yaml.YAMLError as error:
        _shift_lines(error, line_offset)
        raise DossierError(one_line(f"{name}: not readable YAML: {describe_file_error(error)}")) from None
    except ValueError as error:     # a date that is no date ("2023-13-45"): PyYAML lets datetime's error through
        raise DossierError(one_line(f"{name}: not readable YAML: {error}")) from None
    finally:
        if loader is not None:
            loader.dispose()


def _shift_lines(error: yaml.YAMLError, offset: int) -> None:
    """Line numbers counted in the whole file rather than in the text given (marks are plain
    records, so moving them is enough for `describe_file_error`)."""
    marks = {id(m): m for m in (getattr(error, "problem_mark", None), getattr(error, "context_mark", None)) if m is not None}
    for mark in marks.values():
        mark.line += offset
