"""The user's corrections to the glossary, from `sources/glossary.yml` (applied last)."""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from builder.glossary.names import Occurrence
from builder.model import Article

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Draft:
    """An entity before its mentions are placed."""

    name: str
    type: str
    occurrences: tuple[Occurrence, ...]
    variant_keys: tuple[str, ...] = ()
    description: str | None = None


def apply_editorial(drafts: Sequence[Draft], path: Path, articles: Sequence[Article]) -> list[Draft]:
    """Apply the editorial file; report the entries that matched nothing."""
    return list(drafts)
