"""Connected components: items linked directly or through others form one group."""
from __future__ import annotations

from operator import itemgetter
from typing import Iterable

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph


def connected_components(size: int, links: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Groups of item indices (each sorted, groups in order of their first item), singletons included.

    Worked out by scipy over the links as a sparse graph: discrepancies join some 30,000 facts
    of a large dossier every build, which a union-find in Python walks item by item."""
    if size == 0:
        return []
    pairs = np.array(list(links), dtype=np.int64).reshape(-1, 2)
    graph = sparse.csr_matrix((np.ones(len(pairs), dtype=np.int8), (pairs[:, 0], pairs[:, 1])), shape=(size, size))
    _, labels = csgraph.connected_components(graph, directed=False)
    order = np.argsort(labels, kind="stable")   # items by group, ascending within each
    starts = np.flatnonzero(np.diff(labels[order])) + 1
    items = order.tolist()
    bounds = [0, *starts.tolist(), size]
    groups = [items[start:end] for start, end in zip(bounds, bounds[1:])]
    groups.sort(key=itemgetter(0))
    return groups
