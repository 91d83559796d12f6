"""The inverted index every comparison uses to avoid comparing all items with all others, and
the distinct candidates it proposes when they are numbers in an array."""
from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import Hashable, Iterable, Sequence

import numpy as np


def co_occurrences(keyed: Sequence[Iterable[Hashable]], cap: int | None = None) -> Counter[tuple[int, int]]:
    """(i, j) with i < j -> how many keys items i and j share.

    A key held by more than `cap` items proposes no pair (the caller says why it can afford to
    miss those): with a cap the number of pairs grows linearly with the number of keys held.
    """
    postings: dict[Hashable, list[int]] = defaultdict(list)
    for i, keys in enumerate(keyed):
        for key in set(keys):
            postings[key].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for members in postings.values():
        if cap is not None and len(members) > cap:
            continue
        # members are in item order, so each pair comes as (i, j) with i < j; counted in C
        shared.update(combinations(members, 2))
    return shared


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (np.unique hashes first: several times slower on these)."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values
