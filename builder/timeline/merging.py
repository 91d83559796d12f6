"""Dated statements into timeline entries: one per event and date across sources, and a bare
weekday settled by another source's date (entries telling one event with incompatible dates
are found by `conflicts`).

Both work date by date, so a rebuild keeps each date's answers (`memo`) while the mentions
they read stay as they were; each mention is known by a tag (`build_timeline` gives its
article's statements key and its place there) rather than by its whole content."""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import replace
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from typing import Callable, Sequence, TypeVar

from ..cache import Memo, no_memo
from ..model import Evidence, TimelineEntry
from .statements import Dated

T = TypeVar("T")

# Two mentions of one date are one event when their event clauses share this many content
# words: a story has few events per day, so little agreement is needed.
_SAME_EVENT_SHARED = 2

# Mentions of one date up to this many are compared two by two (at most 66 comparisons),
# more through the word index: most dates have a handful of mentions, and building the index
# for them cost more than comparing them (a third of the stage at 1,000 sources). Weekdays
# are compared with the mentions a week away two by two up to this many squared pairs.
_PAIRWISE_AT_MOST = 12

# ... or when their whole sentences share this much of their content words (Jaccard): reports
# of one event reuse its nouns and names; unrelated sentences rarely share a fifth of theirs.
_SAME_EVENT_JACCARD = 0.18

def reconcile_weekdays(found: list[Dated], memo: Memo = no_memo, tags: Sequence[str] | None = None) -> list[Dated]:
    """A bare weekday ("declared Monday a day of mourning") may mean the last or the next one;
    when another source dates the same event to that weekday a week away, it meant that one.

    Worked out day by day: the weekdays resolved to one day look only at the full dates a week
    either side, so `memo` keeps each day's answers while those mentions stay as they were
    (`tags`: a string per mention covering all it holds, see `build_timeline`)."""
    tags = _tags(found, tags)
    weekdays: dict[str, list[int]] = defaultdict(list)     # day -> positions of bare weekdays resolved to it
    full_dates: dict[str, list[int]] = defaultdict(list)   # day -> positions of the other mentions of it
    for position, (date, weekday) in enumerate(map(attrgetter("date", "weekday"), found)):
        if weekday:
            weekdays[date].append(position)
        elif len(date) == 10:
            full_dates[date].append(position)
    days = []
    for day, mine in sorted(weekdays.items()):
        before, after = _week_apart(day)
        # in the order of `found`, as a scan of every mention would meet them
        near = sorted(full_dates.get(before, []) + full_dates.get(after, []))
        if near:        # most weekdays have no full date a week away: nothing to settle
            days.append((mine, near))
    keys = ["\x01".join(tags[p] for p in mine) + "\0" + "\x01".join(tags[p] for p in near) for mine, near in days]
    answers = memo("timeline weekdays", keys,
                   lambda i: _settled_weekdays([found[p] for p in days[i][0]], [found[p] for p in days[i][1]]))
    settled = list(found)
    for (mine, _near), dates in zip(days, answers):
        for position, date in zip(mine, dates):
            if date is not None:
                settled[position] = replace(found[position], date=date)
    return settled


@lru_cache(maxsize=1 << 14)
def _week_apart(day: str) -> tuple[str, str]:
    """The days a week before and after `day` (ISO): remembered, as a dossier's weekdays fall
    on a few thousand days met again every build."""
    date = dt.date.fromisoformat(day)
    return str(date - dt.timedelta(days=7)), str(date + dt.timedelta(days=7))


def _settled_weekdays(weekdays: list[Dated], near: list[Dated]) -> tuple[str | None, ...]:
    """For each weekday mention, the date of the first of `near` (mentions a week away) from
    another source that tells the same event, or None. Many pairs are looked up in an index
    of `near` by the words that may make them the same event (`_prefix_keys`)."""
    if len(weekdays) * len(near) <= _PAIRWISE_AT_MOST ** 2:
        candidates = [list(range(len(near)))] * len(weekdays)
    else:
        frequency = _word_frequency(weekdays + near)
        index: dict[tuple[str, str], list[int]] = defaultdict(list)
        for position, other in enumerate(near):
            for key in _prefix_keys(other, frequency):
                index[key].append(position)
        candidates = [sorted({p for key in _prefix_keys(item, frequency) for p in index.get(key, ())}) for item in weekdays]
    return tuple(
        next((near[p].date for p in ahead if near[p].source != item.source and _same_event(item, near[p])), None)
        for item, ahead in zip(weekdays, candidates)
    )


def _tags(found: list[Dated], tags: Sequence[str] | None) -> Sequence[str]:
    """The mentions' tags, or their `repr` (all they hold; slower, and only good within one
    process: a frozenset's order changes from one process to the next)."""
    return tags if tags is not None else [repr(item) for item in found]


def _word_frequency(items: list[Dated]) -> dict[tuple[str, str], int]:
    """Each (kind, word) the mentions use -> its rank by how many use it, then by itself: the
    order `_prefix_keys` reads words in (rarest first), as one number to sort by."""
    # Counted word by word in C, then keyed by kind once per distinct word (not per use).
    clause = Counter(chain.from_iterable(x.words for x in items))
    sentence = Counter(chain.from_iterable(x.sentence_words for x in items))
    frequency = {("clause", w): n for w, n in clause.items()}
    frequency.update((("sentence", w), n) for w, n in sentence.items())
    return ranks(frequency)


def ranks(frequency: dict) -> dict:
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


def merge_events(found: list[Dated], memo: Memo = no_memo,
                 tags: Sequence[str] | None = None) -> list[tuple[TimelineEntry, list[Dated]]]:
    """One entry per event and date (same date, overlapping wording), across sources; each
    with the mentions it merges. Each date's entries depend on its mentions alone: `memo`
    keeps them while those stay as they were (`tags` as for `reconcile_weekdays`)."""
    _entries, merged = merge_events_with(found, _with_mentions, memo, tags)
    return [pair for date_merged in merged for pair in date_merged]


def _with_mentions(merged: list[tuple[TimelineEntry, list[Dated]]]) -> list[tuple[TimelineEntry, list[Dated]]]:
    return merged


def merge_events_with(found: list[Dated], per_date: Callable[[list[tuple[TimelineEntry, list[Dated]]]], T],
                      memo: Memo = no_memo, tags: Sequence[str] | None = None) -> tuple[list[TimelineEntry], list[T]]:
    """The entries of `merge_events` (without their mentions), and `per_date` of each date's
    entries with their mentions (in date order), kept by `memo` with them: what a later step
    reads of a date's entries is worked out once while the date's mentions stay as they were,
    not every build."""
    tags = _tags(found, tags)
    by_date: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for position, date in enumerate(map(attrgetter("date", "end"), found)):
        by_date[date].append(position)
    dates = sorted(by_date, key=lambda date: (date[0], date[1] or ""))
    # A weekday moved by `reconcile_weekdays` keeps its tag: the date in the key says where it went.
    keys = [f"{date}\0{end}\0" + "\x01".join(map(tags.__getitem__, by_date[(date, end)])) for date, end in dates]
    # the kind names `per_date`: its answers are kept with the entries
    kind = f"timeline events, {per_date.__module__}.{per_date.__qualname__}"
    told = memo(kind, keys, lambda i: _date_result([found[p] for p in by_date[dates[i]]], per_date))
    return [entry for date_entries, _extra in told for entry in date_entries], [extra for _entries, extra in told]


def _date_result(items: list[Dated], per_date: Callable[[list[tuple[TimelineEntry, list[Dated]]]], T],
                 ) -> tuple[tuple[TimelineEntry, ...], T]:
    """The entries of one date's mentions, and `per_date` of them with their mentions."""
    date_entries = _date_entries(items)
    return (tuple(entry for entry, _members in date_entries),
            per_date([(entry, [items[p] for p in members]) for entry, members in date_entries]))


def _date_entries(items: list[Dated]) -> tuple[tuple[TimelineEntry, tuple[int, ...]], ...]:
    """The entries of the mentions of one date: each with the positions in `items` of the
    mentions it merges, in the order `_events` gives them."""
    place = {id(item): position for position, item in enumerate(items)}
    date, end = items[0].date, items[0].end
    entries = []
    for group in _events(sorted(items, key=_item_order)):
        entry = TimelineEntry(
            date=date,
            end=end,
            text=group[0].text,
            sources=tuple(sorted({f.source for f in group})),
            evidence=tuple(sorted({Evidence(f.source, f.paragraph) for f in group}, key=lambda e: (e.source, e.paragraph))),
            inferred=all(f.inferred for f in group),
        )
        entries.append((entry, tuple(place[id(f)] for f in group)))
    return tuple(entries)


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


class IndexedGroups:
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


class _EventIndex(IndexedGroups):
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
