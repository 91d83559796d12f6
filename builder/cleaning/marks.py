"""Line rules: known furniture, timestamps, datelines and what a line's neighbours reveal."""
from __future__ import annotations

import re
from functools import lru_cache

from builder.cleaning.credits import bare_author, byline_author, filer_name, is_role, is_staff_line, name_with_role
from builder.cleaning.dates import find_date
from builder.cleaning.judgement import (
    BODY_LINE_WORDS, HEAD_FURNITURE, TITLE_WINDOW, Judgement, ends_sentence, is_anchored,
)
from builder.cleaning.phrases import phrase_reason, photo_reason

# A photo caption is a sentence or two.
_CAPTION_TEXT_WORDS = 40
# A caption under the headline is one sentence of 10-25 words; a lead paragraph is usually longer
# or several sentences, and quotes someone.
_HEAD_CAPTION_WORDS = 25
# "What do you think?", "Have you been affected by this story?": a reader prompt is one short question.
_READER_QUESTION_WORDS = 10
_CAPTION_LABELS = frozenset({"image caption", "media caption", "photo caption", "video caption", "caption"})
_CLOCK_TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}(?:\s?(?:[ap]\.?m\.?))?\b|\b\d{1,2}\s?[ap]\.?m\.?(?=\W|$)", re.IGNORECASE)
_TIMESTAMP_WORDS = frozenset(
    "updated published posted last first modified created edited on at am pm ago hours hour hrs minutes mins min "
    "seconds days day weeks date dated time gmt utc bst cet edt est pdt pst ist jst msk "
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun "
    # the same labels in the other languages scraped pages most often come in
    "stand uhr um am aktualisiert veröffentlicht publié mis à jour le publicado actualizado el pubblicato "
    "aggiornato il alle".split())
_SOCIAL_HANDLE = re.compile(r"(?<!\w)@\w{1,30}")
# Two to four capitalised words, nothing else: how a bare author line looks.
_NAME_LINE = re.compile(r"[A-Z][\w.'’-]+(?: (?:[A-Z][\w.'’-]+|de|van|von|bin|al|da|le|la)){1,3}")


def mark_known_furniture(judged: Judgement) -> list[str]:
    """Known phrases, bylines and staff lines; returns the bylines' author names."""
    authors: list[str] = []
    for index, line in enumerate(judged.lines):
        if judged.reasons[index]:
            continue
        if line.image:
            judged.reasons[index] = "picture (its description)"
            continue
        reason, names = _known_line(line.text)
        authors.extend(names)
        judged.reasons[index] = reason
    return authors


# Distinct lines remembered by `_known_line`: the furniture of one site recurs on each of its
# pages, so a dossier asks about the same line many times. Bounded (an entry is a line and a
# short answer), yet above the distinct lines of a few thousand sources.
_LINE_CACHE_SIZE = 1 << 16


@lru_cache(maxsize=_LINE_CACHE_SIZE)
def _known_line(text: str) -> tuple[str | None, tuple[str, ...]]:
    """The reason a line is furniture judged on its own words (None: none), and the author
    names it gives."""
    author = byline_author(text)
    if author:
        return "byline", (author,)
    credit_line = _credit_line(text)
    if credit_line:
        return credit_line[0], tuple(credit_line[1])
    if is_staff_line(text):
        return "editor and source line", ()
    if _is_timestamp(text):
        return "timestamp", ()
    return phrase_reason(text), ()


_SEGMENT_SEPARATOR = re.compile(r"\s[|·•–—]\s")


def _credit_line(text: str) -> tuple[str, list[str]] | None:
    """ "By Tom Alder · Reviewed by Priya Nair · March 13, 2024": a byline, staff credits and the
    date on one line. Returns (reason, the bylines' names) when every part is one of those."""
    segments = [segment.strip() for segment in _SEGMENT_SEPARATOR.split(text)]
    if len(segments) < 2 or len(text) > 300:
        return None
    names: list[str] = []
    dated = False
    for segment in segments:
        author = byline_author(segment)
        if author:
            names.append(author)
        elif _is_bare_date(segment) or _is_bare_timestamp(segment) or phrase_reason(segment) == "timestamp":
            dated = True
        elif not is_staff_line(segment):
            return None
    if not names:
        return None     # staff credits and dates alone: the timestamp rule's business
    return ("byline and timestamp" if dated else "byline"), names


def known_reason(text: str) -> str | None:
    """The reason a line is furniture judged on its own words, without context."""
    return _known_line(text)[0]


def _is_timestamp(text: str) -> bool:
    """A date and/or clock time with nothing but labels around it ("Sept 9, 2023 3:15 PM GMT Updated"),
    possibly beside a short outlet or section name ("Xinhua | Updated: 2023-09-10 09:12")."""
    if len(text) > 120:
        return False
    segments = [segment for segment in re.split(r"\s[|·•]\s", text) if segment.strip()]
    if len(segments) > 1:
        stamped = [_is_bare_timestamp(segment) or _is_bare_date(segment) or phrase_reason(segment) == "timestamp"
                   for segment in segments]
        return any(stamped) and all(ok or len(seg.split()) <= 3 for ok, seg in zip(stamped, segments))
    return _is_bare_timestamp(text)


def _is_bare_timestamp(text: str) -> bool:
    found = find_date(text)
    rest = text[: found[1]] + " " + text[found[2]:] if found else text
    has_time = _CLOCK_TIME.search(rest) is not None
    if not found and not has_time:
        return False
    rest = _SOCIAL_HANDLE.sub(" ", _CLOCK_TIME.sub(" ", rest))    # "@janedoe / 9:15 AM PDT"
    leftover = [word for word in re.findall(r"[^\W\d_]+", rest) if word.lower() not in _TIMESTAMP_WORDS
                and not re.fullmatch(r"[A-Z]{2,5}", word)]
    return not leftover and (has_time or bool(rest.strip(" ,.|-–—·•")))


def mark_datelines(judged: Judgement) -> None:
    """A date alone on a line near the top is the source's dateline: kept, it is what the source
    states. Further down, a date alone belongs to a teaser or a comment: a timestamp."""
    body_started = False
    for index, line in enumerate(judged.lines):
        if judged.reasons[index] is None and _is_bare_date(line.text):
            if body_started or judged.datelines:
                judged.reasons[index] = "timestamp"
            else:
                judged.datelines.add(index)
        # a cookie banner or a promo above the headline is long, but it is no article text
        body_started = body_started or (judged.reasons[index] is None and len(line.text.split()) >= BODY_LINE_WORDS)


def _is_bare_date(text: str) -> bool:
    if len(text) > 60:
        return False
    found = find_date(text)
    if not found:
        return False
    rest = (text[: found[1]] + text[found[2]:]).strip(" ,.|-–—")
    return not rest


def mark_context(judged: Judgement) -> None:
    """Rules that need a line's neighbours."""
    lines, reasons = judged.lines, judged.reasons
    body_start = next((i for i, line in enumerate(lines)
                       if reasons[i] is None and len(line.text.split()) >= BODY_LINE_WORDS), len(lines))
    for index, line in enumerate(lines):
        reason = reasons[index]
        if reason == "photo caption" and judged.keys[index] in _CAPTION_LABELS:
            _drop_caption_text(judged, index)
        elif reason == "video promo":
            _drop_run_after(judged, index, "video promo", _looks_like_headline, limit=3)
        elif reason == "reaction prompt":
            _drop_run_after(judged, index, "reaction button",
                            lambda text: len(text.split()) <= 3 and not ends_sentence(text))
        elif reason == "next/previous article" and len(line.text.split()) <= 3:
            _drop_run_after(judged, index, "next/previous article", _looks_like_headline, limit=1)
        elif reason == "related stories" and len(line.text.split()) <= 4:
            _drop_run_after(judged, index, "related stories", _looks_like_headline, limit=5)
        elif reason == "news label" and body_start < index:
            # above the article it labels the headline; further down it heads a list of other stories
            _drop_run_after(judged, index, "related stories", _looks_like_headline, limit=5)
        elif reason in ("photo caption", "photo credit"):
            _drop_caption_neighbours(judged, index)
        if reason in ("reaction prompt", "comment prompt"):
            _drop_question_to_reader(judged, index)


def mark_author_lines(judged: Judgement) -> list[str]:
    """Bare author names beside the dateline or a timestamp in the head, and a byline's affiliation.
    Returns the bare names found. Run once the headline is known, so a short Title Case headline
    is never taken for a name."""
    names: list[str] = []
    for index in sorted(judged.datelines | set(_head_timestamps(judged))):
        name = _mark_name_beside_dateline(judged, index)
        if name:
            names.append(name)
    filer = _mark_filer_under_headline(judged)
    if filer:
        names.append(filer)
    for index, reason in enumerate(list(judged.reasons)):
        if reason == "byline":
            _drop_run_after(judged, index, "byline", _looks_like_affiliation, limit=1)
    return names


def _head_timestamps(judged: Judgement) -> list[int]:
    """Timestamps above the article's first paragraph."""
    found = []
    for index, line in enumerate(judged.lines):
        if judged.kept(index) and len(line.text.split()) >= BODY_LINE_WORDS:
            break
        if judged.reasons[index] == "timestamp":
            found.append(index)
    return found


def mark_head_caption(judged: Judgement) -> None:
    """The photo under the headline: its caption is a full sentence ("Rescuers search the ruins
    of a school on Sunday."), told from the lead paragraph only by its place. The first line kept
    after the headline (bylines, timestamps and share buttons between) is the caption when a photo
    credit sits right beside it in the same block, it is short, and the article goes on after it.
    Run once the headline, bylines and repeats are known. A line whose block goes on with more
    kept text is the first line of a (hard-wrapped) paragraph, never a caption: the caption is
    the line the credit touches, standing on its own."""
    title = judged.title_index
    if title is None:
        return
    first = next((i for i in range(title + 1, min(len(judged.lines), title + TITLE_WINDOW)) if judged.kept(i)), None)
    if first is None or not _caption_shaped(judged.lines[first].text) or _paragraph_goes_on(judged, first):
        return
    if not any(judged.kept(i) for i in range(first + 1, len(judged.lines))):
        return      # the only text there is: the article itself
    block = judged.lines[first].block
    for neighbour in (first - 1, first + 1):
        if (title < neighbour < len(judged.lines) and judged.reasons[neighbour] == "photo credit"
                and judged.lines[neighbour].block == block):
            judged.drop(first, "photo caption (beside its credit, under the headline)")
            return


def _paragraph_goes_on(judged: Judgement, index: int) -> bool:
    """The next line is kept text of the same block: `index` opens a paragraph that continues
    (only where a block's lines can be one paragraph: not in HTML, one paragraph a line)."""
    follower = index + 1
    return (judged.raw_lines and follower < len(judged.lines)
            and judged.lines[follower].block == judged.lines[index].block and judged.kept(follower))


def _caption_shaped(text: str) -> bool:
    sentences = re.findall(r"[.!?](?:\s|$)", text.rstrip() + " ")
    return (len(text.split()) <= _HEAD_CAPTION_WORDS and len(sentences) <= 1
            and not any(mark in text for mark in '"“”«»'))


def _mark_filer_under_headline(judged: Judgement) -> str | None:
    """Who wrote it, alone between the headline and the article without a "By": "Mira Holt in
    Blatten" (who filed it, from where), "Jane Doe, Senior Correspondent". A one-word name
    ("Chaos in Paris") may be a subheading's, so two to four words are wanted."""
    if judged.title_index is None:
        return None
    standfirst_passed = False
    for index in range(judged.title_index + 1, min(len(judged.lines), judged.title_index + TITLE_WINDOW)):
        line = judged.lines[index]
        if judged.kept(index) and len(line.text.split()) >= BODY_LINE_WORDS:
            if standfirst_passed or not _standfirst_before_filer(judged, index):
                return None     # the body has begun
            standfirst_passed = True    # a standfirst, with the byline still to come under it
            continue
        name = filer_name(line.text) or name_with_role(line.text)
        if judged.kept(index) and not line.heading and name and 2 <= len(name.split()) <= 4:
            judged.drop(index, "byline")
            return name
        name = _name_beside_date(line.text)
        if judged.kept(index) and not line.heading and name:
            judged.drop(index, "byline and timestamp")
            return name
    return None


def _standfirst_before_filer(judged: Judgement, index: int) -> bool:
    """A long line printed in the headline's block with the writer's name right under it is the
    standfirst (the summary under a headline), not the body's first paragraph."""
    following = index + 1
    if following >= len(judged.lines) or judged.lines[index].block != judged.lines[judged.title_index].block:
        return False
    if judged.lines[following].block != judged.lines[index].block:
        return False
    text = judged.lines[following].text
    name = filer_name(text) or name_with_role(text)
    return bool(name and 2 <= len(name.split()) <= 4)


def _name_beside_date(text: str) -> str | None:
    """ "Mira Holt – 14 March 2025": a bare name and the date. Only under the headline: further
    down, "Armistice Signed – July 27, 1953" is a chronology's entry."""
    segments = [segment.strip() for segment in _SEGMENT_SEPARATOR.split(text)]
    if len(segments) != 2 or byline_author(segments[0]) or not _is_bare_date(segments[1]):
        return None
    return bare_author(segments[0])


def _mark_name_beside_dateline(judged: Judgement, dateline: int) -> str | None:
    """ "Dana Whitfield" / "Mar 14, 2024": a bare name next to the dateline is the byline; so is
    "Dana Whitfield" / "Senior Correspondent" / "Mar 14, 2024" (the role is part of it)."""
    for step in (-1, 1):
        neighbour = _next_past_buttons(judged, dateline, step)
        if not (0 <= neighbour < len(judged.lines) and judged.kept(neighbour)) or judged.lines[neighbour].heading:
            continue
        text = judged.lines[neighbour].text
        if is_role(text) and 0 <= neighbour + step < len(judged.lines):
            name = _bare_name(judged, neighbour + step)
            if name:
                judged.drop(neighbour, "byline")
                return name
        name = _bare_name(judged, neighbour)
        if name:
            return name
    return None


# Share and save buttons between the timestamp and the author's name: a few at most.
_MAX_HEAD_BUTTONS = 3


def _next_past_buttons(judged: Judgement, index: int, step: int) -> int:
    """The line next to `index` in the direction `step`, past the share buttons and the photo."""
    neighbour = index + step
    for _ in range(_MAX_HEAD_BUTTONS):
        if not 0 <= neighbour < len(judged.lines) or judged.reasons[neighbour] not in HEAD_FURNITURE:
            break
        neighbour += step
    return neighbour


def _bare_name(judged: Judgement, index: int) -> str | None:
    """Drops the line as the byline when it is a bare name ("Dana Whitfield", "Dana Whitfield in
    Lima", "Dana Whitfield, Science Editor"); returns the name."""
    line = judged.lines[index]
    if not judged.kept(index) or line.heading or is_role(line.text):
        return None
    name = (line.text if _NAME_LINE.fullmatch(line.text) else None) or filer_name(line.text) or name_with_role(line.text)
    if name:
        judged.drop(index, "byline")
    return name


def _drop_run_after(judged: Judgement, index: int, reason: str, accept, limit: int = 12) -> None:
    """Drop the lines that follow `index` in its block while `accept` says they belong to it."""
    block = judged.lines[index].block
    for follower in range(index + 1, min(len(judged.lines), index + 1 + limit)):
        line = judged.lines[follower]
        if line.block != block or follower == judged.title_index:
            return
        if judged.reasons[follower]:
            continue
        if not accept(line.text) or (accept is _looks_like_headline and is_anchored(judged, follower)):
            return      # a teaser list ends at the headline the article's byline or date hangs from
        judged.reasons[follower] = reason


def _drop_caption_neighbours(judged: Judgement, index: int) -> None:
    """A short unpunctuated line glued to a caption or credit is the photo's own title (or the
    licensing link under it). In a file's lines it must also sit at the edge of the photo's block:
    a text written without blank lines is one block, and a subheading there has article text on
    its other side."""
    block = judged.lines[index].block
    for neighbour, step in ((index - 1, -1), (index + 1, 1)):
        if not 0 <= neighbour < len(judged.lines) or judged.reasons[neighbour]:
            continue
        line = judged.lines[neighbour]
        if filer_name(line.text):
            continue        # "Mira Holt in Blatten" above the photo: the byline, judged once the headline is known
        beyond = neighbour + step
        text_beyond = (0 <= beyond < len(judged.lines) and judged.lines[beyond].block == block
                       and judged.reasons[beyond] is None)
        if judged.raw_lines and text_beyond:
            continue
        if line.block == block and len(line.text.split()) <= 6 and not ends_sentence(line.text):
            judged.reasons[neighbour] = photo_reason(line.text) or "photo title"


def _drop_question_to_reader(judged: Judgement, index: int) -> None:
    """ "What do you think?" right above the reaction buttons or the comment form asks the
    reader to react; the same question elsewhere (an interview, say) stays."""
    previous = index - 1
    if previous < 0 or judged.reasons[previous] is not None:
        return
    text = judged.lines[previous].text.strip()
    words = {word.lower() for word in re.findall(r"[\w']+", text)}
    if (text.endswith("?") and len(text.split()) <= _READER_QUESTION_WORDS
            and words & {"you", "your", "you're", "you've"}):
        judged.reasons[previous] = "comment prompt"


def _drop_caption_text(judged: Judgement, index: int) -> None:
    """ "Image caption," alone on its line labels the line that follows."""
    follower = index + 1
    if follower < len(judged.lines) and judged.reasons[follower] is None:
        if len(judged.lines[follower].text.split()) <= _CAPTION_TEXT_WORDS:
            judged.reasons[follower] = "photo caption"


def _looks_like_affiliation(text: str) -> bool:
    """ "BBC News", "China correspondent": what a byline's next line says about the author."""
    words = text.split()
    return (len(words) <= 4 and words[0][:1].isupper() and not any(ch.isdigit() for ch in text)
            and not ends_sentence(text))


def _looks_like_headline(text: str) -> bool:
    return 3 <= len(text.split()) <= 20 and not text.rstrip().endswith(".")
