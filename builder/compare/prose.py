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
        ordered = sorted(set(ids), key=lambda i: (-len(i), i))    # longest first: no id eats a longer one
        self._pattern = (
            re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ordered)) + r")(?![\w-])") if ordered else None
        )

    def inside(self, text: str) -> bool:
        """Whether `text` holds a source id as a whole token."""
        return bool(self._pattern and self._pattern.search(text))
