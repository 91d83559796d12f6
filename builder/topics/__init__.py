"""Topics stage: what the sources talk about, found from the sources themselves.

Paragraphs are the unit (`terms`): each becomes a tf-idf vector over its content words, the
word runs it uses ("artillery shells") and the glossary entities it names. Non-negative matrix
factorisation splits them into topics (`clusters`; a paragraph may discuss two); each topic is
described by its most distinctive terms (`keywords`) and labelled by the strongest of them
that read as a subject (`labels`, helped by the word roles of `lexicon`). No second NLP pass:
words come from a regex, names from the glossary.

An optional `topics.yml` beside the sources lets an editor rename, merge, hide or add topics
(`editorial`; see `/work/briefs/readme-topics.md`).

The one public function is `find_topics`.
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Sequence

from ..cache import Memo, keeps_last_build, no_memo, paragraphs_digest
from ..model import Article, Comparison, Glossary, Topic
from .clusters import find_clusters, term_matrix
from .describe import cover_every_source, describe_clusters, unique_ids
from .editorial import apply_editorial
from .lexicon import Lexicon, lexicon_digest, read_lexicon
from .terms import Reading, paragraph_units, read_articles

__all__ = ["find_topics"]

log = logging.getLogger(__name__)


def find_topics(
    articles: Sequence[Article],
    glossary: Glossary,
    comparison: Comparison,
    editorial: Path | None = None,
    memo: Memo = no_memo,
) -> tuple[Topic, ...]:
    """4-12 topics over the paragraphs of `articles`, then the editor's corrections.

    From `comparison` only the near-copies count: copies of one wire text are one voice, so
    their shared wording does not pass for a term several sources use. `memo` keeps each
    article's reading (its terms, its words' roles) between builds, and the topics found under
    a digest of everything finding them reads: an edit that changes no term, no written form
    and no word role (a corrected figure) finds the very topics of the last build.
    """
    ordered = sorted(articles, key=lambda a: a.id)
    digests = [paragraphs_digest(article.paragraphs) for article in ordered]   # read by both memos
    readings = read_articles(ordered, glossary, memo, digests)
    lexicon = read_lexicon(ordered, glossary, memo, digests)
    voices = _voices(comparison)
    key = _found_key(ordered, readings, lexicon, voices)
    keep = keeps_last_build(memo)
    (found,) = memo("topics found", [key], lambda _: _found_topics(ordered, readings, lexicon, voices, keep), fills=True)
    topics = list(found)
    if editorial is not None:
        before = {s for t in topics for s in t.sources}
        topics = apply_editorial(topics, editorial, ordered)
        after = {s for t in topics for s in t.sources}
        # Only a source the editor's file took out of every topic: not one no topic ever held
        # (no text), nor any when the file was ignored (unreadable: the topics stand as found).
        for article in ordered:
            if article.id in before and article.id not in after:
                log.warning("%s: in no topic after %s hid or merged its topics", article.path, editorial.name)
    return tuple(sorted(unique_ids(topics), key=_importance))


def _found_topics(articles: list[Article], readings: list[Reading], lexicon: Lexicon,
                  voices: dict[str, str], keep: bool = False) -> tuple[Topic, ...]:
    """The topics as the sources' text gives them, before the editor's corrections (`keep`: a
    serving process's build, whose tallies over the readings the next build updates)."""
    units, terms, display = paragraph_units(articles, readings, keep)
    if not units:
        return ()
    matrix = term_matrix(units, terms)
    clusters = find_clusters(matrix, units)
    topics = describe_clusters(clusters, matrix, units, display, lexicon, [voices.get(u.source, u.source) for u in units])
    return tuple(cover_every_source(topics, matrix, units, articles))


def _found_key(articles: list[Article], readings: list[Reading], lexicon: Lexicon, voices: dict[str, str]) -> str:
    """Everything `_found_topics` reads: each article's identifier, language and reading (its
    digest), the word roles and the near-copy groups."""
    parts = repr(([(a.id, a.is_english, r.digest) for a, r in zip(articles, readings)], sorted(voices.items())))
    digest = hashlib.sha256(parts.encode("utf-8", "surrogatepass"))
    digest.update(lexicon_digest(lexicon).encode())
    return digest.hexdigest()


def _voices(comparison: Comparison) -> dict[str, str]:
    """source -> the first source of its near-copy group (sources not listed speak for themselves)."""
    return {
        source: group.sources[0]
        for group in comparison.groups if group.kind == "near-copy"
        for source in group.sources
    }


def _importance(topic: Topic) -> tuple:
    return (-len(topic.sources), -len(topic.paragraphs), topic.id)
