"""Entries that tell one event with incompatible dates, from different sources, share a
conflict id, so a reader sees the dates side by side.

Two entries conflict when a mention of each (not reported speech, with at least
`_CONFLICT_SHARED` event words) tell the event alike, their dates cannot both be right and no
source gives both; conflicts are the connected groups of that relation, found by union-find
with an index that spares comparing every two entries (`_ConflictIndex`).

The groups are one result for the whole dossier: conflicts chain entries of any dates, and
one group can hold thousands of entries (every figure a text gives that reads as a year), so
cutting the work into pieces that a rebuild could keep multiplied the comparisons the
union-find spares. `memo` keeps the groups while what they read (each entry's date, sources
and eligible wordings) stays as it was: an edit that adds no eligible wording and changes no
entry holding one (most edits of a large dossier's text outside its dated sentences) finds
them again.
"""
from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from itertools import chain

from ..cache import Memo, no_memo
from ..model import TimelineEntry
from .merging import IndexedGroups, ranks
from .statements import Dated

# Two entries with different dates tell one event (a conflict) only when their event clauses
# share at least this many words and this share of all their words (Jaccard): "the earthquake
# struck Varna Bay" against "the earthquake struck ... Varna Bay", not "the death toll rose".
_CONFLICT_SHARED = 3

_CONFLICT_JACCARD = 0.3

# What the conflicts read of an entry: its date, its sources, its distinct eligible wordings.
_Told = tuple[str, tuple[str, ...], tuple[frozenset[str], ...]]


# What the conflicts read of one date's entries (`date_told`): how many entries it has, the
# eligible wordings of each entry that has some (by its place among them), and a digest of
# those entries' dates, sources and wordings.
DateTold = tuple[int, tuple[tuple[int, tuple[frozenset[str], ...]], ...], bytes]


def mark_conflicts(entries: list[TimelineEntry], told_by_date: list[DateTold], memo: Memo = no_memo) -> list[TimelineEntry]:
    """Each entry with the id of its conflict, if any: "conflict-1" for the group whose first
    entry comes first chronologically. `told_by_date` is `date_told` of the entries, in order,
    cut in any pieces (the merge keeps it date by date, so only the dates that changed are
    read again)."""
    places: list[int] = []        # the entry of each told wording: only entries with an eligible wording
    offset = 0
    for count, eligible, _digest in told_by_date:
        places.extend(offset + place for place, _wordings in eligible)
        offset += count
    if offset != len(entries):
        raise ValueError(f"told_by_date covers {offset} entries, not {len(entries)}")
    key = hashlib.sha256(b"".join(digest for _count, _eligible, digest in told_by_date)).hexdigest()
    groups = memo("timeline conflicts", [key], lambda _: _conflict_groups(_told(entries, places, told_by_date)))[0]
    found = sorted(([places[i] for i in group] for group in groups), key=lambda m: chronological(entries[m[0]]))
    conflicted = {place: f"conflict-{number}" for number, group in enumerate(found, start=1) for place in group}
    # Entries in no conflict are given back as they are: they hold no conflict id already.
    # (Built field by field: `replace` reads the class's fields anew for each of thousands. A field
    # added to TimelineEntry must be copied here too: tests/test_timeline.py lists them.)
    return [
        TimelineEntry(e.date, e.text, e.sources, e.evidence, e.inferred, e.end, conflicted[i]) if i in conflicted else e
        for i, e in enumerate(entries)
    ]


def date_told(merged: list[tuple[TimelineEntry, list[Dated]]]) -> DateTold:
    """What the conflicts read of these entries (see `DateTold`). The digest sorts each
    wording's words (a frozenset's order changes from one process to the next)."""
    eligible = []
    digest = hashlib.sha256()
    for place, (entry, items) in enumerate(merged):
        wordings = tuple(dict.fromkeys(x.words for x in items if _eligible(x)))   # a wording told twice is one candidate
        if wordings:
            eligible.append((place, wordings))
            digest.update(repr((entry.date, entry.sources, [sorted(words) for words in wordings])).encode("utf-8", "surrogatepass"))
    return len(merged), tuple(eligible), digest.digest() if eligible else b""


def _told(entries: list[TimelineEntry], places: list[int], told_by_date: list[DateTold]) -> list[_Told]:
    wordings = [w for _count, eligible, _digest in told_by_date for _place, w in eligible]
    return [(entries[place].date, entries[place].sources, w) for place, w in zip(places, wordings)]


def _eligible(mention: Dated) -> bool:
    """Reported speech recurs on several days (a minister speaking on Saturday and again on
    Sunday), and a clause of fewer words than a conflict shares can share none."""
    return not mention.reported and len(mention.words) >= _CONFLICT_SHARED


def _conflict_groups(told: list[_Told]) -> tuple[tuple[int, ...], ...]:
    """The groups of `told` (by position) joined by conflicts, each in order, in the order of
    their first."""
    # each word's place, rarest first, so the prefixes the index reads are short lists
    rank = ranks(Counter(chain.from_iterable(words for _date, _sources, wordings in told for words in wordings)))
    index = _ConflictIndex(told, rank)
    for entry in range(len(told)):
        index.add(entry)
    return index.groups()


class _ConflictIndex(IndexedGroups):
    """Entries joined into conflicts one by one (union-find), exactly as comparing every
    mention of every entry with every mention of every other would join them, but each mention
    meets only the mentions of other conflicts that share one of its indexed words.

    Exact prefix filtering: two word sets sharing at least `need` words share one among the
    first `len - need + 1` of each when both are ordered the same way (rarest first keeps the
    lists short); `need` is the larger of `_CONFLICT_SHARED` and the overlap the Jaccard
    threshold implies. The lists are kept by conflict, so an entry already in a conflict is
    passed over at once, and an entry's mentions with one wording are listed once (a wire
    sentence copied by a thousand sources is one candidate, not a thousand)."""

    def __init__(self, told: list[_Told], rank: dict[str, int]) -> None:
        self._dates = [date for date, _sources, _wordings in told]
        self._sources = [frozenset(sources) for _date, sources, _wordings in told]
        self._wordings = [wordings for _date, _sources, wordings in told]
        self._rank = rank
        # keys: words; listed under one: (entry, wording) of the conflict, in the order added
        super().__init__(len(told))

    def add(self, entry: int) -> None:
        listed: dict[frozenset[str], list[str]] = {}
        for words in self._wordings[entry]:
            keys = self._prefix(words)
            for word in keys:
                self._meet(entry, words, word)
            listed[words] = keys
        root = self._find(entry)
        for wording, keys in listed.items():
            for word in keys:
                self._holders[word].setdefault(root, []).append((entry, wording))
            self._keys.setdefault(root, []).extend(keys)

    def groups(self) -> tuple[tuple[int, ...], ...]:
        """The groups of more than one entry, each in entry order, in the order of their first."""
        members: dict[int, list[int]] = defaultdict(list)
        for entry in range(len(self._dates)):
            members[self._find(entry)].append(entry)
        return tuple(tuple(m) for m in members.values() if len(m) > 1)

    def _prefix(self, words: frozenset[str]) -> list[str]:
        # (less a hair: 0.3 * 10 is 3.0000000000000004 in floating point, and 3 is enough)
        need = max(_CONFLICT_SHARED, math.ceil(_CONFLICT_JACCARD * len(words) - 1e-9))
        return sorted(words, key=self._rank.__getitem__)[: len(words) - need + 1]

    def _meet(self, entry: int, words: frozenset[str], key: str) -> None:
        """Join `entry` to each other conflict holding a mention under `key` that tells the same
        event with a date it cannot share. (`_conflicting` and `_told_alike` written out: this
        loop meets hundreds of thousands of candidates in a large dossier.)"""
        held = self._holders.get(key)
        if not held:
            return
        find, dates, sources = self._find, self._dates, self._sources
        date, own_sources = dates[entry], sources[entry]
        size = len(words)
        for root in list(held):
            if find(root) == find(entry):
                continue
            for other, wording in held.get(root, ()):
                other_date = dates[other]
                if date.startswith(other_date) or other_date.startswith(date) or not own_sources.isdisjoint(sources[other]):
                    continue        # dates that can both be right, or one source's own two entries
                shared = len(words & wording)
                if shared >= _CONFLICT_SHARED and shared / (size + len(wording) - shared) >= _CONFLICT_JACCARD:
                    self._join(entry, other)
                    break


def chronological(entry: TimelineEntry) -> tuple:
    """Sort key: by date, a coarse date before the finer dates inside it ("2022" < "2022-02-24")."""
    return (entry.date, entry.end or "", entry.text, entry.sources)
