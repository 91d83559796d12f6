"""Which paragraphs other sources corroborate, and which statements only one source makes."""
from __future__ import annotations

from collections import defaultdict
from typing import Sequence

from ..model import Article, Claim, Corroboration, Evidence, Quote, SourceGroup
from .align import Alignment

# Alignment score from which a statement of another source reports the same thing. Below it,
# pairs share names and a word or two but say different things.
_SUPPORTS = 0.3
# A statement with no partner above this score is reported by its source only. Lower than
# _SUPPORTS: a statement half-matched elsewhere is neither confirmed nor unique.
_UNIQUE_BELOW = 0.18
# How much of a quotation's opening identifies the sentence it stands in.
_QUOTE_PROBE_CHARS = 30
# Statements with fewer content words are headings, datelines or fragments, not claims.
_MIN_CLAIM_TERMS = 6


def corroborate(
    articles: Sequence[Article], alignment: Alignment, near_copies: Sequence[SourceGroup], quotes: Sequence[Quote]
) -> tuple[tuple[Corroboration, ...], tuple[Claim, ...]]:
    """Per paragraph, the paragraphs of other sources reporting the same; and the statements
    that no other source reports. A quotation other sources give too counts as support."""
    copy_of = _copy_representative(near_copies)
    partners = alignment.partners()
    statements = alignment.statements
    support, quoted_elsewhere = _shared_quotation_support(quotes)
    claims = []
    # per statement: its paragraph, and the report it belongs to (one per near-copy group)
    paragraph_of = [(s.sentence.source, s.sentence.paragraph) for s in statements]
    report_of = [copy_of.get(source, source) for source, _ in paragraph_of]
    for statement in statements:
        mates = partners.get(statement.index, [])
        report = report_of[statement.index]
        supported = [paragraph_of[i] for i, score in mates if score >= _SUPPORTS and report_of[i] != report]
        if supported:
            support[paragraph_of[statement.index]].update(supported)
        best = max((score for _, score in mates), default=0.0)
        shared_quote = any(
            fragment in statement.sentence.text
            for fragment in quoted_elsewhere.get((statement.source, statement.paragraph), ())
        )
        if (best < _UNIQUE_BELOW and not shared_quote and len(statement.terms) >= _MIN_CLAIM_TERMS
                and not statement.sentence.text.endswith("?")):
            claims.append(Claim(statement.source, statement.paragraph, statement.sentence.text))
    records = []
    evidence: dict[tuple[str, int], Evidence] = {}   # one record per paragraph, shared by every list naming it
    for article in articles:
        for number in range(len(article.paragraphs)):
            found = support.get((article.id, number), set())
            records.append(Corroboration(article.id, number, _one_per_copy_group(found, copy_of, evidence)))
    return tuple(records), tuple(claims)


def _shared_quotation_support(quotes: Sequence[Quote]):
    """Paragraph -> paragraphs of other sources giving the same quotation; and, per paragraph,
    the opening words of each shared quotation in it (to recognise the sentences holding it)."""
    support: dict[tuple[str, int], set[tuple[str, int]]] = defaultdict(set)
    fragments: dict[tuple[str, int], list[str]] = defaultdict(list)
    for quote in quotes:
        if len(quote.sources) < 2:
            continue
        for occurrence in quote.occurrences:
            here = (occurrence.source, occurrence.paragraph)
            for piece in occurrence.text.split(" … "):
                fragments[here].append(piece[:_QUOTE_PROBE_CHARS])
            for other in quote.occurrences:
                if other.source != occurrence.source:
                    support[here].add((other.source, other.paragraph))
    return support, fragments


def _copy_representative(near_copies: Sequence[SourceGroup]) -> dict[str, str]:
    """Each member of a near-copy group -> the group's first source (they are one report)."""
    return {source: group.sources[0] for group in near_copies for source in group.sources}


def _one_per_copy_group(found: set[tuple[str, int]], copy_of: dict[str, str],
                        evidence: dict[tuple[str, int], Evidence]) -> tuple[Evidence, ...]:
    if copy_of.keys().isdisjoint(source for source, _ in found):
        # no member of a near-copy group: each source is its own report and keeps every place
        return tuple(evidence.get(place) or evidence.setdefault(place, Evidence(*place)) for place in sorted(found))
    kept: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for source, paragraph in sorted(found):
        kept[copy_of.get(source, source)].append((source, paragraph))
    out = []
    for representative in sorted(kept):
        first_source = kept[representative][0][0]
        out.extend(place for place in kept[representative] if place[0] == first_source)
    out.sort()
    return tuple(evidence.get(place) or evidence.setdefault(place, Evidence(*place)) for place in out)
