"""Dated statements into timeline entries: one per event and date across sources, a bare
weekday settled by another source's date, and entries that tell one event with incompatible
dates marked as a conflict."""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import replace
from itertools import chain

from ..model import Evidence, TimelineEntry
from .statements import Dated

# Two mentions of one date are one event when their event clauses share this many content
# words: a story has few events per day, so little agreement is needed.
_SAME_EVENT_SHARED = 2

# Mentions of one date up to this many are compared two by two (at most 66 comparisons),
# more through the word index: most dates have a handful of mentions, and building the index
# for them cost more than comparing them (a third of the stage at 1,000 sources).
_PAIRWISE_AT_MOST = 12

# ... or when their whole sentences share this much of their content words (Jaccard): reports
# of one event reuse its nouns and names; unrelated sentences rarely share a fifth of theirs.
_SAME_EVENT_JACCARD = 0.18

# Two entries with different dates tell one event (a conflict) only when their event clauses
# share at least this many words and this share of all their words (Jaccard): "the earthquake
# struck Varna Bay" against "the earthquake struck ... Varna Bay", not "the death toll rose".
_CONFLICT_SHARED = 3

_CONFLICT_JACCARD = 0.3


def reconcile_weekdays(found: list[Dated]) -> list[Dated]:
    """A bare weekday ("declared Monday a day of mourning") may mean the last or the next one;
    when another source dates the same event to that weekday a week away, it meant that one."""
    # Full dates indexed by day and by the words that may make them the same event as a
    # weekday (`_prefix_keys`; another source is never of the same paragraph), so each weekday
    # looks only at the candidates a week away, in the order of `found`, as a scan of every
    # mention would meet them.
    frequency = _word_frequency(found)
    by_day: dict[str, dict[tuple[str, str], list[int]]] = defaultdict(lambda: defaultdict(list))
    for position, other in enumerate(found):
        if not other.weekday and len(other.date) == 10:
            for key in _prefix_keys(other, frequency):
                by_day[other.date][key].append(position)
    settled = []
    for item in found:
        if item.weekday:
            day = dt.date.fromisoformat(item.date)
            week_away = [by_day[str(day + dt.timedelta(days=d))] for d in (-7, 7) if str(day + dt.timedelta(days=d)) in by_day]
            candidates = sorted({p for index in week_away for key in _prefix_keys(item, frequency) for p in index.get(key, ())})
            for position in candidates:
                other = found[position]
                if other.source != item.source and _same_event(item, other):
                    item = replace(item, date=other.date)
                    break
        settled.append(item)
    return settled


def _word_frequency(items: list[Dated]) -> dict[tuple[str, str], int]:
    """Each (kind, word) the mentions use -> its rank by how many use it, then by itself: the
    order `_prefix_keys` reads words in (rarest first), as one number to sort by."""
    # Counted word by word in C, then keyed by kind once per distinct word (not per use).
    clause = Counter(chain.from_iterable(x.words for x in items))
    sentence = Counter(chain.from_iterable(x.sentence_words for x in items))
    frequency = {("clause", w): n for w, n in clause.items()}
    frequency.update((("sentence", w), n) for w, n in sentence.items())
    return _ranks(frequency)


def _ranks(frequency: dict) -> dict:
    """key -> its place in the order (count, key): sorting by the place is sorting by
    (count, key), with a C-level key instead of a tuple built per comparison key."""
    return {key: rank for rank, key in enumerate(sorted(frequency, key=lambda k: (frequency[k], k)))}


def _prefix_keys(item: Dated, frequency: dict[tuple[str, str], int]) -> list[tuple[str, str]]:
    """The words a mention is indexed under, so that any two mentions of different paragraphs
    that `_same_event` joins share one: exact prefix filtering, in which two word sets ordered
    the same way (rarest first) sharing at least `need` words share one among the first
    `len - need + 1` of each. Enough clause words to meet any clause sharing
    `_SAME_EVENT_SHARED` of them, and sentence words to meet any sentence within the Jaccard
    threshold (less a hair: 0.18 * 50 is 9.000000000000002 in floating point, and 9 is enough)."""
    need = math.ceil(_SAME_EVENT_JACCARD * len(item.sentence_words) - 1e-9) or 1
    clause = sorted((("clause", w) for w in item.words), key=frequency.__getitem__)
    sentence = sorted((("sentence", w) for w in item.sentence_words), key=frequency.__getitem__)
    return clause[: max(len(clause) - _SAME_EVENT_SHARED + 1, 0)] + sentence[: len(sentence) - need + 1]


def merge_events(found: list[Dated]) -> list[tuple[TimelineEntry, list[Dated]]]:
    """One entry per event and date (same date, overlapping wording), across sources; each
    with the mentions it merges."""
    by_date: dict[tuple[str, str | None], list[Dated]] = defaultdict(list)
    for item in found:
        by_date[(item.date, item.end)].append(item)
    entries = []
    for (date, end), items in sorted(by_date.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        for group in _events(sorted(items, key=_item_order)):
            entry = TimelineEntry(
                date=date,
                end=end,
                text=group[0].text,
                sources=tuple(sorted({f.source for f in group})),
                evidence=tuple(sorted({Evidence(f.source, f.paragraph) for f in group}, key=lambda e: (e.source, e.paragraph))),
                inferred=all(f.inferred for f in group),
            )
            entries.append((entry, group))
    return entries


def _item_order(item: Dated) -> tuple:
    return (item.source, item.paragraph, item.text)


def _events(items: list[Dated]) -> list[list[Dated]]:
    """Single-link groups of the mentions of one date that tell the same event (`items` in
    `_item_order`): exactly the groups comparing every two mentions gives, but each mention is
    compared only with the groups an index says it may join (`_EventIndex`), so thousands of
    sources reporting one day no longer cost millions of comparisons. A few mentions are
    simply compared two by two: building the index costs more than that."""
    if len(items) <= _PAIRWISE_AT_MOST:
        return _events_pairwise(items)
    index = _EventIndex(items)
    for position in range(len(items)):
        index.add(position)
    return [[items[i] for i in group] for group in index.groups()]


def _events_pairwise(items: list[Dated]) -> list[list[Dated]]:
    """`_events` by comparing every two mentions (union-find, groups in order of their first)."""
    group = list(range(len(items)))      # each mention's group: the first mention of it
    for later in range(1, len(items)):
        for earlier in range(later):
            if group[earlier] != group[later] and _same_event(items[later], items[earlier]):
                old, new = sorted((group[earlier], group[later]), reverse=True)
                group = [new if g == old else g for g in group]
    members: dict[int, list[Dated]] = defaultdict(list)
    for position, first in enumerate(group):
        members[first].append(items[position])
    return [members[first] for first in sorted(members)]


class _IndexedGroups:
    """Union-find over n items whose groups are listed in an index under keys: when two groups
    join, the smaller one's listings move to the larger root (smaller into larger keeps the
    total work near linear)."""

    def __init__(self, n: int) -> None:
        self._parent = list(range(n))
        self._size = [1] * n
        self._holders: dict = defaultdict(dict)     # key -> group root -> what is listed under it
        self._keys: dict[int, list] = {}             # group root -> the keys it is listed under

    def _find(self, i: int) -> int:
        while self._parent[i] != i:
            self._parent[i] = self._parent[self._parent[i]]
            i = self._parent[i]
        return i

    def _join(self, a: int, b: int) -> None:
        first, second = self._find(a), self._find(b)
        # the larger group absorbs the other; of two of one size, the lower root
        big, small = (first, second) if (-self._size[first], first) < (-self._size[second], second) else (second, first)
        self._parent[small] = big
        self._size[big] += self._size[small]
        for key in self._keys.pop(small, []):
            moved = self._holders[key].pop(small, None)
            if moved is not None:
                self._holders[key].setdefault(big, []).extend(moved)
                self._keys.setdefault(big, []).append(key)


class _EventIndex(_IndexedGroups):
    """Mentions of one date joined into events one by one (union-find).

    Two mentions can only tell one event (`_same_event`) when they are of one paragraph or
    share one of their `_prefix_keys`. The index is kept by group, not by mention: a mention
    meets each group once per word, not each of its members, and stops at the first member it
    matches; groups merge small into large."""

    def __init__(self, items: list[Dated]) -> None:
        # keys: (kind, word); listed under one: the group's members with that word in their prefix
        super().__init__(len(items))
        self._items = items
        self._frequency = _word_frequency(items)
        self._paragraphs: dict[tuple[str, int], list[int]] = defaultdict(list)

    def add(self, position: int) -> None:
        item = self._items[position]
        tried: set[int] = set()
        for other in self._paragraphs[(item.source, item.paragraph)]:
            self._try(position, other, tried)
        keys = _prefix_keys(item, self._frequency)
        # Every group listed in `_holders` is listed under its root (listings move to the new
        # root when groups join), so a listed group is this mention's own exactly when its
        # root is this mention's root: no look-up per listed group, only after a join.
        mine = self._find(position)
        items = self._items
        for key in keys:
            held = self._holders.get(key)
            if not held:
                continue
            for root in list(held):
                if root == mine:
                    continue
                for other in held.get(root, ()):
                    if other in tried:
                        continue
                    tried.add(other)
                    if _same_event(item, items[other]):
                        self._join(position, other)
                        mine = self._find(position)
                        break
        self._paragraphs[(item.source, item.paragraph)].append(position)
        root = self._find(position)
        for key in keys:
            self._holders[key].setdefault(root, []).append(position)
        self._keys.setdefault(root, []).extend(keys)

    def groups(self) -> list[list[int]]:
        members: dict[int, list[int]] = defaultdict(list)
        for position in range(len(self._items)):
            members[self._find(position)].append(position)
        return sorted(members.values(), key=lambda group: group[0])

    def _try(self, position: int, other: int, tried: set[int]) -> bool:
        """Join the two mentions' groups when they tell one event; whether they now are one."""
        if self._find(other) == self._find(position):
            return True
        if other in tried:
            return False
        tried.add(other)
        if not _same_event(self._items[position], self._items[other]):
            return False
        self._join(position, other)
        return True



def _same_event(a: Dated, b: Dated) -> bool:
    """Same date and the same sentence, event clauses sharing enough words, or sentences
    overlapping as a retelling does (with at least a word of the event clause in common, so
    a sentence telling two events is not merged for the other one)."""
    if a.source == b.source and a.paragraph == b.paragraph and (a.text in b.text or b.text in a.text):
        return True
    shared = len(a.words & b.words)
    return shared >= _SAME_EVENT_SHARED or (shared >= 1 and _jaccard(a.sentence_words, b.sentence_words) >= _SAME_EVENT_JACCARD)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def mark_conflicts(merged: list[tuple[TimelineEntry, list[Dated]]]) -> list[TimelineEntry]:
    """Entries from different sources that tell one event with incompatible dates share a
    conflict id, so a reader sees the dates side by side."""
    entries = [entry for entry, _ in merged]
    index = _ConflictIndex(merged)
    for position in range(len(merged)):
        index.add(position)
    conflicted = {}
    groups = sorted((m for m in index.groups() if len(m) > 1), key=lambda m: chronological(entries[m[0]]))
    for number, group in enumerate(groups, start=1):
        for i in group:
            conflicted[i] = f"conflict-{number}"
    return [replace(e, conflict=conflicted.get(i)) for i, e in enumerate(entries)]


class _ConflictIndex(_IndexedGroups):
    """Entries joined into conflicts one by one (union-find), exactly as comparing every
    mention of every entry with every mention of every other would join them, but each mention
    meets only the mentions of other conflicts that share one of its indexed words.

    Exact prefix filtering: two word sets sharing at least `need` words share one among the
    first `len - need + 1` of each when both are ordered the same way (rarest first keeps the
    lists short); `need` is the larger of `_CONFLICT_SHARED` and the overlap the Jaccard
    threshold implies. The lists are kept by conflict, so an entry already in a conflict is
    passed over at once, and an entry's mentions with one wording are listed once (a wire
    sentence copied by a thousand sources is one candidate, not a thousand)."""

    def __init__(self, merged: list[tuple[TimelineEntry, list[Dated]]]) -> None:
        self._entries = [entry for entry, _ in merged]
        self._sources = [frozenset(entry.sources) for entry in self._entries]
        self._dates = [entry.date for entry in self._entries]
        self._mentions = [[x for x in xs if not x.reported and len(x.words) >= _CONFLICT_SHARED] for _, xs in merged]
        self._rank = _ranks(Counter(chain.from_iterable(x.words for xs in self._mentions for x in xs)))
        # keys: words; listed under one: (entry, wording) of the conflict, in the order added
        super().__init__(len(merged))

    def add(self, entry: int) -> None:
        listed: dict[frozenset[str], list[str]] = {}
        for mention in self._mentions[entry]:
            if mention.words in listed:
                continue        # told in these very words already: the same candidates, the same answers
            keys = self._prefix(mention.words)
            for word in keys:
                self._meet(entry, mention.words, word)
            listed[mention.words] = keys
        root = self._find(entry)
        for wording, keys in listed.items():
            for word in keys:
                self._holders[word].setdefault(root, []).append((entry, wording))
            self._keys.setdefault(root, []).extend(keys)

    def groups(self) -> list[list[int]]:
        members: dict[int, list[int]] = defaultdict(list)
        for entry in range(len(self._entries)):
            members[self._find(entry)].append(entry)
        return list(members.values())

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



def _same_event_told_differently(a: Dated, b: Dated) -> bool:
    if a.reported or b.reported:
        return False    # a minister speaking on Saturday and again on Sunday is no conflict
    return _told_alike(a.words, b.words)


def _told_alike(a: frozenset[str], b: frozenset[str]) -> bool:
    """Event clauses close enough to tell one event (`_CONFLICT_SHARED`, `_CONFLICT_JACCARD`)."""
    return len(a & b) >= _CONFLICT_SHARED and _jaccard(a, b) >= _CONFLICT_JACCARD


def _compatible(a: str, b: str) -> bool:
    """ "2022" and "2022-08-15" can both be right; "2022-08-15" and "2023-08-15" cannot."""
    return a.startswith(b) or b.startswith(a)


def chronological(entry: TimelineEntry) -> tuple:
    """Sort key: by date, a coarse date before the finer dates inside it ("2022" < "2022-02-24")."""
    return (entry.date, entry.end or "", entry.text, entry.sources)
