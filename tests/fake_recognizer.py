"""A small deterministic stand-in for the spaCy recogniser, for unit tests of any stage.

    recognize = FakeRecognizer({"Vladimir Putin": "PERSON", "Moscow": "GPE", "Tuesday": "DATE"})
    recognize(["Vladimir Putin flew to Moscow on Tuesday."])
    # [[(0, 14, 'PERSON'), (25, 31, 'GPE'), (35, 42, 'DATE')]]

Names are matched case-sensitively on word boundaries, longest first, never overlapping,
like the real model's output. It also records the texts it was asked about, so a test can
check that a stage did (or did not) send a text to the model.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence


class FakeRecognizer:
    def __init__(self, labels: Mapping[str, str]):
        self.labels = dict(labels)
        names = sorted(self.labels, key=lambda n: (-len(n), n))
        self._pattern = (
            re.compile(r"(?<![\w])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])") if names else None
        )
        self.seen: list[str] = []

    def __call__(self, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        self.seen.extend(texts)
        return [self._spans(text) for text in texts]

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        if self._pattern is None:
            return []
        return [(m.start(), m.end(), self.labels[m.group(0)]) for m in self._pattern.finditer(text)]
