"""Connected components: items linked directly or through others form one group."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable


def connected_components(size: int, links: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Groups of item indices (each sorted, groups in order of their first item), singletons included."""
    parent = list(range(size))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(size):
        groups[root(i)].append(i)
    return [groups[r] for r in sorted(groups)]
