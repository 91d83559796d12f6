"""The records the pipeline passes from stage to stage.

Every record is a frozen dataclass holding tuples, never lists or dicts, so a stage can
neither change what an earlier stage produced nor depend on identity. Field names follow
the `dossier.json` contract where a field is exported, so `export` is a plain mapping.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

ENTITY_TYPES = ("PERSON", "ORG", "PLACE", "EVENT", "OTHER")


# --- read ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Metadata:
    """Facts about a source given by its author rather than inferred (front matter, sidecar)."""

    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    date: str | None = None      # YYYY-MM-DD
    author: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class RawSource:
    """One readable file of the sources folder, decoded to text."""

    id: str                # stable slug of the path, unique in the dossier
    path: str              # POSIX path relative to the sources folder
    sha256: str            # of the raw bytes
    kind: str              # "text" | "markdown" | "html"
    text: str              # decoded text; for "html" the markup, for "markdown" without front matter
    encoding: str          # the encoding the bytes were decoded with
    metadata: Metadata = field(default_factory=Metadata)   # front matter, then sidecar on top


# --- clean -----------------------------------------------------------------------------

@dataclass(frozen=True)
class RemovedLine:
    """A raw line dropped as boilerplate, with the reason a reader is shown."""

    text: str
    reason: str            # e.g. "photo credit", "repeated headline", "comment prompt"


@dataclass(frozen=True)
class Article:
    """A source reduced to its article: metadata, body paragraphs and what was dropped."""

    id: str
    path: str
    sha256: str
    kind: str
    title: str
    outlet: str | None
    url: str | None
    date: str | None               # publication date, YYYY-MM-DD
    language: str                  # ISO 639-1 code, "en" for English
    paragraphs: tuple[str, ...]
    removed: tuple[RemovedLine, ...]
    author: str | None = None

    @property
    def is_english(self) -> bool:
        return self.language == "en"


# --- entities --------------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    """A stretch of a paragraph the recogniser labelled (all labels, DATE and CARDINAL too)."""

    source: str
    paragraph: int
    start: int
    end: int
    label: str             # the recogniser's own label: PERSON, GPE, DATE, ...
    text: str


@dataclass(frozen=True)
class Mention:
    """Where an entity is named: `paragraphs[paragraph][start:end] == text`."""

    source: str
    paragraph: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Entity:
    id: str                        # slug, unique in the dossier
    name: str                      # canonical name
    type: str                      # one of ENTITY_TYPES
    aliases: tuple[str, ...]       # every surface form met, the canonical name included, sorted
    mentions: tuple[Mention, ...]  # sorted by (source, paragraph, start)
    variant_spellings: tuple[str, ...] = ()   # aliases merged as likely misspellings: worth checking
    description: str | None = None            # from the editorial glossary file

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({m.source for m in self.mentions}))


@dataclass(frozen=True)
class Glossary:
    entities: tuple[Entity, ...]   # sorted by id
    spans: tuple[Span, ...] = ()   # every raw recogniser span, for later stages to reuse


# --- compare ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Evidence:
    source: str
    paragraph: int


@dataclass(frozen=True)
class QuoteOccurrence:
    source: str
    paragraph: int
    text: str                      # this source's own wording
    speaker: str | None = None


@dataclass(frozen=True)
class Quote:
    id: str
    text: str                      # a representative wording
    occurrences: tuple[QuoteOccurrence, ...]
    speaker: str | None = None

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({o.source for o in self.occurrences}))

    @property
    def shared(self) -> bool:
        """Reported by more than one source (a quotation only one source gives compares nothing)."""
        return len(self.sources) > 1


@dataclass(frozen=True)
class Variant:
    value: str
    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Discrepancy:
    id: str
    about: str                     # what the sources disagree on, in words
    variants: tuple[Variant, ...]
    kind: str = "other"            # "number" | "date" | "weekday" | "ordinal" | "count" | "name" | ...
    score: float = 0.0             # how clearly it is a conflict; higher first


@dataclass(frozen=True)
class Claim:
    source: str
    paragraph: int
    text: str


@dataclass(frozen=True)
class Corroboration:
    """Which other sources report what one paragraph reports."""

    source: str
    paragraph: int
    supporting: tuple[Evidence, ...]   # paragraphs of other sources saying the same thing

    @property
    def count(self) -> int:
        return len({e.source for e in self.supporting})


# Up to this many sources the dossier keeps every pair's similarity (`Similarity.matrix`, and
# dossier.json's "matrix"); above it, each source's nearest neighbours only: the full matrix grows
# with the square (10,000 sources: 100 million cells, gigabytes in memory and in the JSON file).
DENSE_SIMILARITY_LIMIT = 500
# Neighbours kept per source above that size: more than a page shows, enough to find the reports
# of one story among thousands.
SIMILARITY_NEIGHBOURS = 20


@dataclass(frozen=True)
class Similarity:
    """How alike whole sources are, 0..1. `sources` in dossier order; `matrix[i][j]` for every
    pair while there are at most DENSE_SIMILARITY_LIMIT sources, else empty; `neighbours[i]`: the
    (source, similarity) pairs most alike to sources[i], most alike first (ties by id), at most
    SIMILARITY_NEIGHBOURS of them, pairs of no shared vocabulary left out."""

    sources: tuple[str, ...]
    matrix: tuple[tuple[float, ...], ...]
    neighbours: tuple[tuple[tuple[str, float], ...], ...] = ()

    def score(self, a: str, b: str) -> float:
        """The similarity of two sources: from the matrix when there is one, else from the
        neighbour lists (0.0 for a pair in neither source's list, or an unknown source)."""
        index = self._index
        i, j = index.get(a), index.get(b)
        if i is None or j is None:
            return 0.0
        if self.matrix:
            return self.matrix[i][j]
        if i == j:
            return 1.0
        return max(self._near[i].get(b, 0.0), self._near[j].get(a, 0.0)) if self._near else 0.0

    @cached_property
    def _index(self) -> dict[str, int]:
        return {source: i for i, source in enumerate(self.sources)}

    @cached_property
    def _near(self) -> list[dict[str, float]]:
        return [dict(row) for row in self.neighbours]


@dataclass(frozen=True)
class SourceGroup:
    """Sources that belong together: near-copies of one text, or reports of one occasion."""

    kind: str                      # "near-copy" | "occasion"
    label: str
    sources: tuple[str, ...]
    evidence: tuple[str, ...] = ()  # why, in words a reader can check
    year: int | None = None        # of an occasion: the year its reports are about


@dataclass(frozen=True)
class Comparison:
    quotes: tuple[Quote, ...]
    discrepancies: tuple[Discrepancy, ...]
    unique_claims: tuple[Claim, ...]
    similarity: Similarity
    corroboration: tuple[Corroboration, ...] = ()
    groups: tuple[SourceGroup, ...] = ()


# --- topics and timeline ---------------------------------------------------------------

@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    keywords: tuple[str, ...]
    sources: tuple[str, ...]
    paragraphs: tuple[Evidence, ...]   # the paragraphs that discuss it


@dataclass(frozen=True)
class TimelineEntry:
    date: str                      # "YYYY" | "YYYY-MM" | "YYYY-MM-DD"
    text: str
    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    inferred: bool = False         # resolved from a relative expression ("last July")
    end: str | None = None         # for ranges ("1950-1953")
    conflict: str | None = None    # id of a conflicting-dates group, if any


# --- the whole dossier -----------------------------------------------------------------

@dataclass(frozen=True)
class Dossier:
    articles: tuple[Article, ...]  # sorted by id
    glossary: Glossary
    comparison: Comparison
    topics: tuple[Topic, ...]
    timeline: tuple[TimelineEntry, ...]
    skipped: tuple[tuple[str, str], ...] = ()   # (path, reason) of files that could not be read


@dataclass(frozen=True)
class Outline:
    """What a build reports and the site's navigation lists, without the records: all that is
    kept of the last build, which a build with the very same inputs reuses instead of running
    (keeping the whole dossier instead cost about 0.7 s per 1,000 sources to write, as much to read)."""
    sources: tuple[tuple[str, str], ...]   # (id, title) of each article, in the dossier's order
    topics: tuple[tuple[str, str], ...]    # (id, label) of each topic
    skipped: int
    entities: int
    shared_quotes: int                     # quotations more than one source reports (Quote.shared)
    discrepancies: int
    timeline: int

    @classmethod
    def of(cls, dossier: Dossier) -> Outline:
        return cls(
            sources=tuple((a.id, a.title) for a in dossier.articles),
            topics=tuple((t.id, t.label) for t in dossier.topics),
            skipped=len(dossier.skipped),
            entities=len(dossier.glossary.entities),
            shared_quotes=sum(1 for q in dossier.comparison.quotes if q.shared),
            discrepancies=len(dossier.comparison.discrepancies),
            timeline=len(dossier.timeline),
        )
