"""Page rules: repetition, shape and position (footer, credits, comments), and furniture
shared by several sources of the dossier."""
from __future__ import annotations

import re
from collections import defaultdict

from builder.cleaning.formats import SourceLine
from builder.cleaning.judgement import Judgement, SHORT_LINE_WORDS, TITLE_WINDOW, ends_sentence, line_key
from builder.cleaning.titles import split_site_suffix

# Two sources sharing this many long lines are copies of one text, whose short lines
# (subheadings) are content, not site furniture.
_NEAR_COPY_SHARED_LINES = 2
_LONG_LINE_WORDS = 12
# Site names and taglines are short; a shared line longer than this may be a shared headline.
SITE_NAME_WORDS = 6
# Footer links and teaser headlines are short; a longer unpunctuated line may be article.
_FOOTER_LINE_WORDS = 10
# A promoted headline fits on a line or two.
_MAX_HEADLINE_CHARS = 200
# "1950 – ...", "June 25, 1950 – ...": a chronology's entry, article content however short.
_DATED_ENTRY = re.compile(r"(?:\w+\.? \d{1,2},? )?\d{4}\b|\d{1,2} \w+ \d{4}\b")


def mark_repeats(judged: Judgement, title: str) -> None:
    title_keys = {line_key(title)}
    if judged.title_index is not None:
        title_keys.add(line_key(judged.lines[judged.title_index].text))
    seen: set[str] = set()
    for index, line in enumerate(judged.lines):
        if not judged.kept(index):
            continue
        key = judged.keys[index]
        if key in title_keys or line_key(split_site_suffix(line.text)[0]) in title_keys:
            judged.drop(index, "repeated headline")
            _drop_share_card(judged, index)
        elif key in seen and len(key.split()) >= 3:
            judged.drop(index, "repeated paragraph")
        seen.add(key)


def _drop_share_card(judged: Judgement, repeat: int) -> None:
    """Between a headline and its second copy sits the page's share card: buttons, labels."""
    if judged.title_index is None or repeat - judged.title_index > TITLE_WINDOW:
        return
    for index in range(judged.title_index + 1, repeat):
        text = judged.lines[index].text
        if index not in judged.datelines and len(text.split()) <= 3 and not ends_sentence(text):
            judged.drop(index, "navigation (between the headline's copies)")


def mark_shared_furniture(judged: Judgement, furniture: frozenset[str], max_words: int = SHORT_LINE_WORDS) -> None:
    """Drop lines met in other sources too. Before the headline is chosen only site-name-sized
    lines go (`max_words`), so a tagline or the site's name is not taken for the headline,
    while two outlets' identical headline stays each one's title."""
    for index in range(len(judged.lines)):
        if (judged.kept(index) and index not in judged.datelines and judged.keys[index] in furniture
                and len(judged.keys[index].split()) <= max_words):
            judged.drop(index, "repeated across sources (site furniture)")


def mark_shouting_headlines(judged: Judgement) -> None:
    """An all-capitals line of several words inside the body is a promoted headline."""
    for index, line in enumerate(judged.lines):
        text = line.text
        if not judged.kept(index) or len(text) > _MAX_HEADLINE_CHARS or text.endswith(".") or text == text.lower():
            continue
        letters = [ch for ch in text if ch.isalpha()]
        if (len(text.split()) >= 5 and len(letters) >= 15
                and sum(ch.isupper() for ch in letters) >= 0.9 * len(letters)):
            judged.drop(index, "related headline (all capitals)")


def mark_footer(judged: Judgement) -> None:
    """Short unpunctuated lines at the very end, after the article's last sentence, are the
    page's footer. Walking back from the end stops at the first line that could be article:
    a sentence, or an entry of a list of dates ("July 27, 1953 – Armistice signed")."""
    footer: list[int] = []
    for index in range(len(judged.lines) - 1, -1, -1):
        if not judged.kept(index):
            continue
        text = judged.lines[index].text
        if (index in judged.datelines or len(text.split()) > _FOOTER_LINE_WORDS or ends_sentence(text)
                or _DATED_ENTRY.match(text)):
            break
        footer.append(index)
    for index in footer:
        judged.drop(index, "page footer (after the article)")


def mark_after_credits(judged: Judgement) -> None:
    """ "(Reporting by ...; Editing by ...)" ends an agency article: what follows is the page's."""
    credits = [i for i, reason in enumerate(judged.reasons) if reason == "editor and source line"]
    if not credits or credits[-1] < len(judged.lines) // 2:
        return
    for index in range(credits[-1] + 1, len(judged.lines)):
        if judged.kept(index) and len(judged.lines[index].text.split()) < SHORT_LINE_WORDS:
            judged.drop(index, "page footer (after the article)")


def mark_comment_section(judged: Judgement) -> None:
    """Short lines after a comment prompt in the page's second half are readers' comments."""
    start = next((i for i, reason in enumerate(judged.reasons)
                  if reason == "comment prompt" and i >= len(judged.lines) // 2), None)
    if start is None:
        return
    for index in range(start + 1, len(judged.lines)):
        if judged.kept(index) and index not in judged.datelines and len(judged.lines[index].text.split()) < SHORT_LINE_WORDS:
            judged.drop(index, "comment section")


def shared_furniture(sources: list[tuple[SourceLine, ...]]) -> frozenset[str]:
    """Short unpunctuated lines met in two sources that are not copies of one text."""
    short_keys: list[set[str]] = []
    long_keys: list[set[str]] = []
    for lines in sources:
        short, long = set(), set()
        for line in lines:
            words = len(line.text.split())
            if words <= SHORT_LINE_WORDS and not ends_sentence(line.text):
                short.add(line_key(line.text))
            elif words >= _LONG_LINE_WORDS:
                long.add(line_key(line.text))
        short_keys.append(short)
        long_keys.append(long)
    holders: dict[str, list[int]] = defaultdict(list)
    for number, keys in enumerate(short_keys):
        for key in keys:
            holders[key].append(number)
    furniture = set()
    for key, numbers in holders.items():
        if any(len(long_keys[a] & long_keys[b]) < _NEAR_COPY_SHARED_LINES
               for position, a in enumerate(numbers) for b in numbers[position + 1:]):
            furniture.add(key)
    return frozenset(furniture)


# A hard-wrapped paragraph's lines are filled to the width: a kept line this short above a dropped
# lower-case line ("Great piece" / "reply") is a comment or a label, not half of a wrapped sentence.
_WRAPPED_LINE_WORDS = 6


def keep_broken_sentences(judged: Judgement) -> None:
    """A line that a sentence runs into or out of is article text, whatever a rule said about it
    alone ("today." ending a wrapped paragraph, a wrapped paragraph's first line under a photo
    credit). Evidence of a line break inside a sentence: one line does not end a sentence and the
    next line of its block starts in lower case. Run last; never in HTML (one paragraph a line)."""
    if not judged.raw_lines:
        return
    for index in range(1, len(judged.lines)):          # forwards: a restored line may carry on
        if _dropped_text(judged, index) and _runs_on(judged, index - 1, index, min_words=_WRAPPED_LINE_WORDS):
            judged.restore(index)
    for index in range(len(judged.lines) - 2, -1, -1):  # backwards: a restored line may open the sentence
        if _dropped_text(judged, index) and _runs_on(judged, index, index + 1, min_words=1):
            judged.restore(index)


def _dropped_text(judged: Judgement, index: int) -> bool:
    line = judged.lines[index]
    return judged.reasons[index] is not None and not line.heading and not line.image


def _runs_on(judged: Judgement, before: int, after: int, min_words: int) -> bool:
    """The sentence of line `before` goes on in line `after` (same block, the kept one long enough)."""
    first, second = judged.lines[before], judged.lines[after]
    kept = before if judged.kept(before) else after
    if not judged.kept(kept) or first.block != second.block or first.heading or second.heading:
        return False
    if len(judged.lines[kept].text.split()) < min_words:
        return False
    return runs_over(first.text, second.text)


# Words a sentence cannot end on: a line ending in one goes on in the next, capitalised or not
# ("... said the" / "Interior Ministry on Friday.").
_JOINING_WORDS = frozenset("the a an of to in on at for and or but with by from that as said than".split())


def runs_over(first: str, second: str) -> bool:
    """The sentence of line `first` goes on in line `second`: no sentence end, and the next line
    starts in lower case or the first ends on a word no sentence ends on."""
    if ends_sentence(first) or not second:
        return False
    last_word = first.rsplit(None, 1)[-1].casefold() if first.split() else ""
    return second[:1].islower() or (last_word in _JOINING_WORDS and second[:1].isalnum())

