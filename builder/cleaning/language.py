"""py3langid's language identifier with its byte scan done by numpy, same answers.

py3langid counts the byte n-gram features of a text by walking its Aho-Corasick automaton in
a Python loop, one byte at a time: 2 ms per article, most of what cleaning costs. In such an
automaton the state after a byte is the longest suffix of the text read so far that is a node
of its trie, so it depends only on the last `_AUTOMATON_DEPTH` bytes (the trie's depth). Every
byte's state is therefore that many table look-ups from the start state over the bytes before
it: a few vectorised look-ups over the whole text instead of a loop. The features are counted
in the order the loop first meets them, so the scores are summed in the same order and the
answer is the same to the last bit.

The one public function is `language_identifier`.
"""
from __future__ import annotations

import logging
from functools import lru_cache

import numpy as np

log = logging.getLogger(__name__)

# The depth of the trie of the model shipped with py3langid 0.4 (its longest feature is 6
# bytes): after 6 bytes, two walks started from any two states are in the same state (checked
# over the whole transition table once). `_SHIPPED_STATES` identifies that model; another one
# is walked byte by byte, as py3langid does.
_AUTOMATON_DEPTH = 6
_SHIPPED_STATES = 104583


@lru_cache(maxsize=1)
def language_identifier():
    """The identifier of py3langid's shipped model, probabilities normalised, loaded once."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    class _VectorisedIdentifier(LanguageIdentifier):
        __slots__ = ("_tables",)

        def _raw_score(self, text):
            visits = _visit_counts(self._tables, text) if self._tables else None
            if visits is None:             # no feature, or another model: py3langid's own walk
                return super()._raw_score(text)
            return self._sparse_score(visits, self.nb_ptc)

    identifier = _VectorisedIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier._tables = None
    if len(identifier.tk_row) != _SHIPPED_STATES or getattr(identifier.tk_nextmove, "typecode", None) != "I":
        log.debug("language: not the model the vectorised scan was checked on; py3langid walks it")
        return identifier
    identifier._tables = (
        np.frombuffer(identifier.tk_nextmove, dtype=np.uint32),     # shared with py3langid, not copied
        np.asarray(identifier.tk_row, dtype=np.intp) << 8,
        np.asarray(identifier.tk_output, dtype=np.intp),
    )
    return identifier


def _visit_counts(tables: tuple[np.ndarray, np.ndarray, np.ndarray], data: bytes) -> dict[int, int] | None:
    """{feature: count} in the order the features first occur, as py3langid's `visit_counts`."""
    nextmove, rowbase, output = tables
    symbols = np.frombuffer(data, dtype=np.uint8).astype(np.intp)
    states = np.zeros(len(symbols), dtype=np.intp)
    # states[i] walks symbols[i - back] for back = depth-1 .. 0; positions before the text's
    # start stay in the start state, which is what the walk from the start does.
    for back in range(_AUTOMATON_DEPTH - 1, -1, -1):
        tail = states[back:]
        states[back:] = nextmove[rowbase[tail] + symbols[: len(symbols) - back]]
    features = output[states]
    features = features[features >= 0]
    if not len(features):
        return None
    values, first, counts = np.unique(features, return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")
    return dict(zip(values[order].tolist(), counts[order].tolist()))
