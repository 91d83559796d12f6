"""Clean stage: reduce every source to its article, and keep what was dropped with a reason.

Only `clean_sources` is public. Each raw line (for HTML: each line of the extracted text) is
judged on its own, using every signal we have: known phrases (comment prompts, share blurbs,
credits, ...), the line's shape (length, terminal punctuation, capitals), its position (before
the headline, after the last sentence), its neighbours (a caption's title, a reaction widget's
buttons) and lines that recur across sources of the dossier. Losing an article line is worse
than keeping a promo, so every rule that is not a known phrase is deliberately narrow.
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import PurePosixPath
from typing import Sequence

from builder.cache import Memo, no_memo
from builder.cleaning.formats import Extracted, extract
from builder.cleaning.judgement import Judgement, line_key
from builder.cleaning.marks import (
    known_reason, mark_author_lines, mark_context, mark_datelines, mark_head_caption, mark_known_furniture,
)
from builder.cleaning.metadata import (
    copyright_owner, detect_language, header_fields, merge_metadata, outlet_named_in_head, publication_date,
)
from builder.cleaning.page import (
    SITE_NAME_WORDS, keep_broken_sentences, mark_after_credits, mark_comment_section, mark_footer, mark_repeats,
    mark_shared_furniture, mark_shouting_headlines, runs_over, shared_furniture,
)
from builder.cleaning.titles import choose_title, mark_before_title, mark_section_label, split_site_suffix
from builder.model import Article, RawSource, RemovedLine
from builder.workers import Workers

log = logging.getLogger(__name__)

_OUTSIDE_ARTICLE = "outside the article (page layout)"


def clean_sources(raws: Sequence[RawSource], memo: Memo = no_memo, jobs: int = 1) -> tuple[Article, ...]:
    """One `Article` per raw source, in the same order.

    memo: keeps each source's extracted text and article between builds (`builder.cache`). An
    article depends on its source and on which of its lines recur across the dossier, so that
    is its key: a change elsewhere in the dossier re-cleans only the sources it concerns.
    jobs: worker processes for the sources the memo does not have (`builder.workers`)."""
    sources = [_source_key(raw) for raw in raws]
    with Workers(jobs) as workers:
        extracted = memo("extracted text", sources, many=lambda todo: workers.map(extract, [(raws[i],) for i in todo]))
        furniture = shared_furniture([ex.lines for ex in extracted])
        own = [_own_furniture(ex, furniture) for ex in extracted]
        keys = [f"{source}\0{_furniture_key(lines)}" for source, lines in zip(sources, own)]
        return tuple(memo("article", keys,
                          many=lambda todo: workers.map(_clean_one, [(raws[i], extracted[i], own[i]) for i in todo])))


def _source_key(raw: RawSource) -> str:
    """Everything of a source that cleaning reads."""
    text = hashlib.sha256(raw.text.encode("utf-8", "surrogatepass")).hexdigest()
    return repr((raw.id, raw.path, raw.kind, raw.encoding, raw.metadata, text))


def _own_furniture(ex: Extracted, furniture: frozenset[str]) -> frozenset[str]:
    """The source's own lines that recur across the dossier: all of `furniture` cleaning it reads."""
    return frozenset({line_key(line.text) for line in ex.lines} & furniture)


def _furniture_key(own: frozenset[str]) -> str:
    return hashlib.sha256("\n".join(sorted(own)).encode("utf-8", "surrogatepass")).hexdigest()


def _clean_one(raw: RawSource, ex: Extracted, furniture: frozenset[str]) -> Article:
    """Rules run from the surest to the most contextual: known phrases first, so the headline
    search skips them; then the headline, which position and repetition rules depend on."""
    judged = Judgement(ex.lines, [None] * len(ex.lines), tuple(line_key(line.text) for line in ex.lines),
                       raw_lines=raw.kind != "html")
    header = header_fields(judged)
    metadata = merge_metadata(merge_metadata(ex.hints, header), raw.metadata)   # the author's own metadata wins
    authors = mark_known_furniture(judged)
    mark_datelines(judged)
    mark_context(judged)
    mark_shared_furniture(judged, furniture, max_words=SITE_NAME_WORDS)
    site_names = tuple(name for name in (metadata.outlet, copyright_owner(judged)) if name)
    title, suffix_outlet = choose_title(judged, metadata.title, site_names)
    if not title:
        title = PurePosixPath(raw.path).stem
    _show_replaced_headline(judged, title)
    mark_before_title(judged)
    authors += mark_author_lines(judged)
    mark_section_label(judged)
    mark_repeats(judged, title)
    mark_head_caption(judged)
    mark_shared_furniture(judged, furniture)
    mark_shouting_headlines(judged)
    mark_footer(judged)
    mark_after_credits(judged)
    mark_comment_section(judged)
    keep_broken_sentences(judged)
    paragraphs = _paragraphs(judged, ex.joinable)
    removed = _removed_in_order(judged, ex.dropped)
    log.debug("%s: %d paragraphs kept, %d lines removed", raw.path, len(paragraphs), len(removed))
    if not paragraphs:   # an empty HTML page, or a text whose one line became its headline
        log.warning("%s: no article text found; its page shows only the title and the removed lines", raw.path)
    return Article(
        id=raw.id, path=raw.path, sha256=raw.sha256, kind=raw.kind,
        title=title,
        outlet=metadata.outlet or suffix_outlet or outlet_named_in_head(judged) or copyright_owner(judged),
        url=metadata.url,
        date=publication_date(judged, metadata),
        language=metadata.language or detect_language(paragraphs),
        paragraphs=paragraphs,
        removed=removed,
        author=metadata.author or (authors[0] if authors else None),
    )


def _show_replaced_headline(judged: Judgement, title: str) -> None:
    """When the metadata retitles a source, the page's own headline is listed as removed."""
    index = judged.title_index
    if index is not None and line_key(split_site_suffix(judged.lines[index].text)[0]) != line_key(title):
        judged.reasons[index] = "headline (the metadata gives the title)"


def _paragraphs(judged: Judgement, joinable: bool) -> tuple[str, ...]:
    paragraphs: list[str] = []
    previous: int | None = None
    for index, line in enumerate(judged.lines):
        if not judged.kept(index):
            continue
        same_block = (previous == index - 1 and judged.lines[previous].block == line.block
                      and not line.heading and not judged.lines[previous].heading and index not in judged.datelines)
        # A plain text too short to show its wrap width still shows a line break inside a sentence.
        glued = same_block and (joinable or (judged.raw_lines and runs_over(judged.lines[previous].text, line.text)))
        if glued:
            paragraphs[-1] = _join_wrapped(paragraphs[-1], line.text)
        else:
            paragraphs.append(line.text)
        previous = index
    return tuple(paragraphs)


def _removed_in_order(judged: Judgement, dropped: tuple[tuple[int, str], ...]) -> tuple[RemovedLine, ...]:
    """Every dropped line in page order, what the HTML extractor left out included."""
    ordered = [(position, 0, number, RemovedLine(text, known_reason(text) or _OUTSIDE_ARTICLE))
               for number, (position, text) in enumerate(dropped)]
    ordered += [(index, 1, 0, RemovedLine(line.text, reason))
                for index, (line, reason) in enumerate(zip(judged.lines, judged.reasons)) if reason]
    return tuple(item[-1] for item in sorted(ordered, key=lambda item: item[:3]))


def _join_wrapped(first: str, second: str) -> str:
    if first.endswith("-") and not first.endswith(" -") and second[:1].islower():
        return first + second           # a word hyphenated across the line break
    return f"{first} {second}"
