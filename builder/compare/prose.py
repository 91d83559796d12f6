"""Source ids in the comparison's prose (occasion evidence, what a discrepancy is about).

The explanations name sources by id ("004-8a66 gives the weekday as Monday"); the render stage
replaces every id that stands as a whole token (no letter, digit, underscore or hyphen touching
it) with the source's name. So an id written into prose is always a whole token, and text
taken from the sources into prose (a quoted phrase, a word of the sentences) must never hold
a whole-token id by accident: a source filed as "quake.txt" has the id "quake", and a quoted
"the quake struck" would otherwise turn into "the Daily Courier struck".
"""
from __future__ import annotations

import re
from typing import Iterable


class SourceIds:
    """The dossier's source ids, found as render finds them."""

    def __init__(self, ids: Iterable[str]) -> None:
        distinct = set(ids)
        self._pattern = None
        # Ids made of word characters and hyphens only (the usual case) stand as whole tokens
        # exactly where a maximal run of such characters equals one: a set look-up per run,
        # where one pattern of thousands of alternatives would cost seconds to compile.
        self._tokens = frozenset(distinct) if all(_TOKEN.fullmatch(i) for i in distinct) else None
        if self._tokens is None:
            ordered = sorted(distinct, key=lambda i: (-len(i), i))    # longest first: no id eats a longer one
            self._pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ordered)) + r")(?![\w-])")

    def inside(self, text: str) -> bool:
        """Whether `text` holds a source id as a whole token."""
        if self._tokens is not None:
            return bool(self._tokens) and any(run in self._tokens for run in _TOKEN.findall(text))
        return bool(self._pattern.search(text))


# A run of the characters an id may not touch to stand as a whole token.
_TOKEN = re.compile(r"[\w-]+")
