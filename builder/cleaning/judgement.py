"""The verdicts on one source's lines, shared by every rule of the clean stage."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from builder.cleaning.credits import filer_name
from builder.cleaning.formats import SourceLine

# Furniture is short: a line of more words is never judged by shape or repetition alone.
SHORT_LINE_WORDS = 12
# A headline candidate shorter than this is more likely a section label ("World", "Now Reading").
MIN_TITLE_WORDS = 3
# The headline sits near the top; we do not look for it further down than this many lines.
TITLE_WINDOW = 15
# A line this long is article prose: the body has begun.
BODY_LINE_WORDS = 15
# What may sit between a headline and its byline or timestamp: the photo and the share buttons.
HEAD_FURNITURE = frozenset({"photo credit", "photo caption", "photo title", "share/follow prompt", "advertisement",
                            "click-through promo"})
_BYLINE_REASONS = frozenset({"byline", "timestamp", "byline and timestamp"})
_SENTENCE_END = re.compile(r"[.!?…:;][\"”’'»)\]]*$|[\"”’»]$")


@dataclass
class Judgement:
    """The verdicts on one source's lines, filled in rule by rule."""

    lines: tuple[SourceLine, ...]
    reasons: list[str | None]
    keys: tuple[str, ...]
    title_index: int | None = None
    # The headline slot holds the lead's sentence (no headline line): it names the article and
    # stays article text too, since losing an article line is worse than printing it twice.
    title_in_body: bool = False
    datelines: set[int] = field(default_factory=set)
    # Lines as the file has them (text, markdown): the lines of a block may be one hard-wrapped
    # paragraph. False for HTML, whose extracted lines are each a whole paragraph.
    raw_lines: bool = True

    def kept(self, index: int) -> bool:
        return self.reasons[index] is None and (index != self.title_index or self.title_in_body)

    def drop(self, index: int, reason: str) -> None:
        if self.reasons[index] is None and index != self.title_index:
            self.reasons[index] = reason

    def restore(self, index: int) -> None:
        """Article text after all, whatever a rule said: the headline line too, which would
        otherwise be neither a paragraph nor a removed line, and so silently lost."""
        self.reasons[index] = None
        if index == self.title_index:
            self.title_in_body = True


def is_anchored(judged: Judgement, index: int) -> bool:
    """A byline (a "Name in Place" line too), a timestamp or the dateline follows the line, the
    photo and the share buttons between: what a headline has under it."""
    for follower in range(index + 1, min(len(judged.lines), index + 6)):
        reason = judged.reasons[follower]
        if reason in _BYLINE_REASONS or follower in judged.datelines:
            return True
        if reason is None and filer_name(judged.lines[follower].text):
            return True
        if reason not in HEAD_FURNITURE:
            return False
    return False


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.rstrip()))


# Distinct lines remembered by `line_key`: each rule that compares lines asks again about the
# same ones (about 2.5 times per line). Bounded; an entry is a line and its key.
_KEY_CACHE_SIZE = 1 << 16


@lru_cache(maxsize=_KEY_CACHE_SIZE)
def line_key(text: str) -> str:
    """Comparison form of a line: case, quotes, dashes and spacing do not matter."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub(r"[\u2010-\u2015-]", " ", text.casefold())
    return " ".join(text.split()).strip(" .,!?…:;|")
