"""Text views only the comparison needs: sentences with their place in the dossier, content
stems and word shingles. Folding, words, stems and slugs are `builder.text`'s."""
from __future__ import annotations

from dataclasses import dataclass

from ..text import STOP_WORDS, sentence_spans, stem, words


@dataclass(frozen=True)
class Sentence:
    """One sentence of one paragraph, with offsets into the paragraph."""

    source: str
    paragraph: int
    start: int
    end: int
    text: str


def content_stems(text: str, english: bool = True) -> list[str]:
    """The stems of the words that carry meaning, in order (repeats kept)."""
    tokens = words(text)
    if not english:
        return [t for t in tokens if len(t) > 2]
    return [stem(t) for t in tokens if t not in STOP_WORDS and (len(t) > 1 or t.isdigit())]


def shingles(tokens: list[str], size: int) -> set[tuple[str, ...]]:
    """Every run of `size` consecutive tokens (a single run when the text is shorter)."""
    if len(tokens) <= size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def split_sentences(source: str, paragraph: int, text: str) -> list[Sentence]:
    """Split one paragraph into sentences, keeping offsets into the paragraph."""
    return [Sentence(source, paragraph, start, end, text[start:end]) for start, end in sentence_spans(text)]
