"""Topics stage: what the sources talk about, found from the sources themselves.

Paragraphs are the unit: each becomes a tf-idf vector over its content words, the word
pairs it uses ("artillery shells") and the glossary entities it names. Average-link
clustering groups paragraphs that share vocabulary; each group becomes a topic labelled by
its most distinctive terms, and any paragraph close enough to a topic's centre joins it too
(one paragraph may discuss two topics). No second NLP pass: words come from a regex, names
from the glossary.

An optional `topics.yml` beside the sources lets an editor rename, merge, hide or add topics
(see `/work/briefs/readme-topics.md`).
"""
from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import yaml

from .model import Article, Comparison, Evidence, Glossary, Topic

log = logging.getLogger(__name__)

# Bounds of the brief: a reader scans 4-12 topics; fewer only when there is too little text.
_MIN_TOPICS, _MAX_TOPICS = 4, 12

# Paragraphs shorter than this (words) are captions or transitions: they join topics but do
# not shape them.
_MIN_WORDS = 8

# A paragraph joins a further topic when its cosine to the topic's centre reaches this: high
# enough that a shared stray name does not count, low enough to catch a paragraph that mixes
# two subjects (measured on sample dossiers: related paragraphs sit at 0.2-0.5, unrelated < 0.1).
_JOIN_SIMILARITY = 0.2

# Glossary names weigh more than plain words: they are what a topic is "about".
_ENTITY_WEIGHT = 1.5

# How many keywords a topic lists, and how many of them its label uses.
_KEYWORDS = 8
_LABEL_TERMS = 2

_STOP = frozenset(
    """a an the of and or but in on at to for with by from as is are was were be been being
    it its it's this that these those their there his her he she they them we our you your i me my
    has have had do does did not no nor so than then here into over after before about
    between which who whom whose what when where while also said says say told would could
    should will can may might must shall one two three four five new more most other some
    such only just all any each both very last next this year years month months day days
    week weeks ago today yesterday tomorrow time times however although though because since
    until during against among within without through across per via upon under above
    according reported reportedly added including include includes like well even still
    yet already also again many much few several first second third ago around mr mrs ms
    monday tuesday wednesday thursday friday saturday sunday january february march april
    june july august september october november december way part made make makes take
    took get got use used using want wanted another whether either neither off out up down
    now then thus therefore meanwhile stated state says saying called call""".split()
)


@dataclass(frozen=True)
class _Unit:
    """One paragraph as clustering sees it."""

    source: str
    paragraph: int
    terms: Counter            # term key -> count
    words: int


@dataclass(frozen=True)
class _Cluster:
    members: tuple[int, ...]  # unit indexes


# --- public ----------------------------------------------------------------------------

def find_topics(
    articles: Sequence[Article],
    glossary: Glossary,
    comparison: Comparison,
    editorial: Path | None = None,
) -> tuple[Topic, ...]:
    """4-12 topics over the paragraphs of `articles`, then the editor's corrections.

    `comparison` is accepted for the pipeline's uniform call; discovery needs only the text
    and the glossary's names.
    """
    ordered = sorted(articles, key=lambda a: a.id)
    units, display = _units(ordered, glossary)
    topics: list[Topic] = []
    if units:
        matrix, vocabulary = _vectors(units)
        clusters = _cluster(matrix, units)
        topics = _describe(clusters, matrix, vocabulary, units, display)
        topics = _cover_every_source(topics, matrix, vocabulary, units, ordered)
    if editorial is not None:
        topics = _apply_editorial(topics, editorial, ordered, display)
    return tuple(sorted(_unique_ids(topics), key=_importance))


def _importance(topic: Topic) -> tuple:
    return (-len(topic.sources), -len(topic.paragraphs), topic.id)


# --- terms -----------------------------------------------------------------------------

def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    return text.casefold()


def _stem(word: str) -> str:
    """A light plural/verb-ending strip so "sanction" and "sanctions" count as one term."""
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


def _units(articles: Sequence[Article], glossary: Glossary) -> tuple[list[_Unit], dict[str, Counter]]:
    """Every paragraph of every article with its terms; `display` counts each term's surface forms."""
    entity_mentions: dict[tuple[str, int], list[tuple[int, int, str]]] = defaultdict(list)
    entity_names = {}
    for entity in glossary.entities:
        entity_names[entity.id] = entity.name
        for m in entity.mentions:
            entity_mentions[(m.source, m.paragraph)].append((m.start, m.end, entity.id))
    display: dict[str, Counter] = defaultdict(Counter)
    units = []
    for article in articles:
        for index, paragraph in enumerate(article.paragraphs):
            terms = _terms(paragraph, entity_mentions.get((article.id, index), []), entity_names, display)
            units.append(_Unit(article.id, index, terms, len(paragraph.split())))
    return units, display


def _terms(paragraph: str, mentions: list[tuple[int, int, str]], names: dict[str, str], display: dict[str, Counter]) -> Counter:
    terms: Counter = Counter()
    covered = [(s, e) for s, e, _ in mentions]
    for _start, _end, entity_id in mentions:
        key = f"@{entity_id}"
        terms[key] += 1
        display[key][names[entity_id]] += 1
    words = [(m.start(), m.group(0)) for m in _WORD.finditer(paragraph)]
    previous: tuple[str, str] | None = None
    for start, word in words:
        folded = _fold(word)
        inside_name = any(s <= start < e for s, e in covered)
        if folded in _STOP or len(folded) < 3 or folded.isdigit():
            previous = None
            continue
        key = _stem(folded)
        if not inside_name:
            terms[key] += 1
            display[key][word if word.isupper() or (word[0].isupper() and start > 0) else folded] += 1
        if previous is not None:
            pair_key = f"{previous[0]} {key}"
            terms[pair_key] += 1
            display[pair_key][f"{previous[1]} {word}"] += 1
        previous = (key, word)
    return terms


# --- vectors and clusters --------------------------------------------------------------

def _vectors(units: list[_Unit]) -> tuple[np.ndarray, list[str]]:
    """Row-normalised tf-idf over terms used by at least two paragraphs (a term of one
    paragraph cannot tie paragraphs together)."""
    df = Counter(term for unit in units for term in unit.terms)
    vocabulary = sorted(t for t, n in df.items() if n >= 2)
    column = {t: i for i, t in enumerate(vocabulary)}
    n = len(units)
    matrix = np.zeros((n, len(vocabulary)))
    for row, unit in enumerate(units):
        for term, count in unit.terms.items():
            if term in column:
                weight = (1 + math.log(count)) * math.log(1 + n / df[term])
                matrix[row, column[term]] = weight * (_ENTITY_WEIGHT if term.startswith("@") else 1.0)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms), vocabulary


def _target_count(units: list[_Unit]) -> int:
    """About one topic per sqrt(paragraphs): 40 paragraphs give 7, 150 give 12."""
    shaping = sum(1 for u in units if u.words >= _MIN_WORDS)
    return max(_MIN_TOPICS, min(_MAX_TOPICS, round(math.sqrt(shaping)) + 1, shaping))


def _cluster(matrix: np.ndarray, units: list[_Unit]) -> list[_Cluster]:
    """Average-link agglomerative clustering of the substantial paragraphs down to the target
    count; clusters of one paragraph are then dropped (the paragraph may still join a topic)."""
    rows = [i for i, u in enumerate(units) if u.words >= _MIN_WORDS and matrix[i].any()]
    if not rows:
        return []
    similarity = matrix[rows] @ matrix[rows].T
    clusters = [[r] for r in range(len(rows))]
    target = _target_count(units)
    while len(clusters) > target:
        best, pair = -1.0, (0, 1)
        for a in range(len(clusters)):
            for b in range(a + 1, len(clusters)):
                link = similarity[np.ix_(clusters[a], clusters[b])].mean()
                if link > best + 1e-12:
                    best, pair = link, (a, b)
        a, b = pair
        clusters[a] = sorted(clusters[a] + clusters[b])
        del clusters[b]
    kept = [c for c in clusters if len(c) >= 2]
    return [_Cluster(tuple(rows[i] for i in c)) for c in kept]


# --- describing ------------------------------------------------------------------------

def _describe(clusters: list[_Cluster], matrix: np.ndarray, vocabulary: list[str], units: list[_Unit], display: dict[str, Counter]) -> list[Topic]:
    topics = []
    used_labels: set[str] = set()
    for cluster in clusters:
        centre = _centre(matrix, cluster.members)
        members = set(cluster.members) | {
            i for i in range(len(units)) if float(matrix[i] @ centre) >= _JOIN_SIMILARITY
        }
        keywords = _keywords(cluster.members, matrix, vocabulary, display)
        if not keywords:
            continue
        label = _label(keywords, used_labels)
        used_labels.add(label.casefold())
        evidence = tuple(sorted((Evidence(units[i].source, units[i].paragraph) for i in members), key=lambda e: (e.source, e.paragraph)))
        topics.append(Topic(
            id=_slug(label),
            label=label,
            keywords=tuple(keywords),
            sources=tuple(sorted({e.source for e in evidence})),
            paragraphs=evidence,
        ))
    return topics


def _centre(matrix: np.ndarray, members: Sequence[int]) -> np.ndarray:
    centre = matrix[list(members)].mean(axis=0)
    norm = np.linalg.norm(centre)
    return centre / norm if norm else centre


def _keywords(members: Sequence[int], matrix: np.ndarray, vocabulary: list[str], display: dict[str, Counter]) -> list[str]:
    """Terms that weigh much more inside the cluster than outside it, as a reader writes them;
    a single word already inside a chosen pair or name is not repeated."""
    inside = matrix[list(members)].mean(axis=0)
    others = [i for i in range(matrix.shape[0]) if i not in set(members)]
    outside = matrix[others].mean(axis=0) if others else np.zeros_like(inside)
    spread = (matrix[list(members)] > 0).mean(axis=0)     # share of the cluster using the term
    score = (inside - outside) * np.sqrt(spread)
    chosen: list[str] = []
    shown: list[str] = []
    for column in np.argsort(-score, kind="stable"):
        if score[column] <= 0 or len(chosen) >= _KEYWORDS:
            break
        term = vocabulary[column]
        form = _display(term, display)
        if any(_covers(c, term) for c in chosen) or form.casefold() in {s.casefold() for s in shown}:
            continue
        chosen.append(term)
        shown.append(form)
    return shown


def _covers(chosen: str, term: str) -> bool:
    """Whether an already chosen term makes `term` redundant (a word of a chosen pair)."""
    if chosen.startswith("@") or term.startswith("@"):
        return False
    a, b = set(chosen.split()), set(term.split())
    return a <= b or b <= a


def _display(term: str, display: dict[str, Counter]) -> str:
    forms = display.get(term)
    if not forms:
        return term
    return sorted(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _label(keywords: list[str], used: set[str]) -> str:
    """The first keywords joined as a short phrase: "Sanctions and isolation"."""
    for count in range(_LABEL_TERMS, len(keywords) + 1):
        parts = keywords[:count]
        if count > _LABEL_TERMS:
            parts = keywords[: _LABEL_TERMS - 1] + [keywords[count - 1]]
        text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        text = text[:1].upper() + text[1:]
        if text.casefold() not in used:
            return text
    return keywords[0][:1].upper() + keywords[0][1:]


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60].strip("-") or "topic"


def _unique_ids(topics: list[Topic]) -> list[Topic]:
    seen: Counter = Counter()
    unique = []
    for topic in sorted(topics, key=lambda t: (t.id, t.label)):
        seen[topic.id] += 1
        if seen[topic.id] > 1:
            topic = Topic(f"{topic.id}-{seen[topic.id]}", topic.label, topic.keywords, topic.sources, topic.paragraphs)
        unique.append(topic)
    return unique


# --- every source in a topic -----------------------------------------------------------

def _cover_every_source(topics: list[Topic], matrix: np.ndarray, vocabulary: list[str], units: list[_Unit], articles: Sequence[Article]) -> list[Topic]:
    """A source no topic reached joins the topic its closest paragraph is nearest to."""
    if not topics:
        return topics
    index = {(u.source, u.paragraph): i for i, u in enumerate(units)}
    centres = [_centre(matrix, [index[(e.source, e.paragraph)] for e in t.paragraphs]) for t in topics]
    covered = {s for t in topics for s in t.sources}
    for article in articles:
        if article.id in covered or not article.paragraphs:
            continue
        rows = [index[(article.id, p)] for p in range(len(article.paragraphs))]
        scores = [(float(matrix[r] @ centres[k]), -r, k) for r in rows for k in range(len(topics))]
        _score, negative_row, k = max(scores)
        unit = units[-negative_row]
        topic = topics[k]
        evidence = tuple(sorted(topic.paragraphs + (Evidence(unit.source, unit.paragraph),), key=lambda e: (e.source, e.paragraph)))
        topics[k] = Topic(topic.id, topic.label, topic.keywords, tuple(sorted(set(topic.sources) | {unit.source})), evidence)
        log.debug("%s: topics: joined %r by its closest paragraph", article.path, topic.label)
    return topics


# --- editorial -------------------------------------------------------------------------

def _apply_editorial(topics: list[Topic], path: Path, articles: Sequence[Article], display: dict[str, Counter]) -> list[Topic]:
    """Apply `topics.yml`: merge, rename, hide, add (in that order)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        log.warning("%s: ignored: not readable YAML (%s)", path, error)
        return topics
    if not isinstance(data, dict):
        log.warning("%s: ignored: expected a mapping with merge/rename/hide/add", path)
        return topics
    topics = _merge_topics(topics, data.get("merge") or [], path)
    topics = _rename_topics(topics, data.get("rename") or {}, path)
    topics = _hide_topics(topics, data.get("hide") or [], path)
    return topics + _added_topics(data.get("add") or [], articles, path)


def _find(topics: list[Topic], reference: object) -> int | None:
    wanted = str(reference).strip().casefold()
    for i, topic in enumerate(topics):
        if wanted in (topic.id.casefold(), topic.label.casefold()):
            return i
    return None


def _merge_topics(topics: list[Topic], merges: list, path: Path) -> list[Topic]:
    for entry in merges:
        if not isinstance(entry, dict) or not isinstance(entry.get("topics"), list):
            log.warning("%s: merge entry ignored: expected {topics: [...], label: ...}", path)
            continue
        found = [i for i in (_find(topics, r) for r in entry["topics"]) if i is not None]
        if len(found) < len(entry["topics"]):
            log.warning("%s: merge: no topic named %s", path, ", ".join(str(r) for r in entry["topics"] if _find(topics, r) is None))
        if not found:
            continue
        parts = [topics[i] for i in sorted(set(found))]
        label = str(entry.get("label") or parts[0].label)
        keywords = tuple(dict.fromkeys(k for t in parts for k in t.keywords))
        evidence = tuple(sorted({e for t in parts for e in t.paragraphs}, key=lambda e: (e.source, e.paragraph)))
        merged = Topic(_slug(label), label, keywords, tuple(sorted({s for t in parts for s in t.sources})), evidence)
        topics = [t for i, t in enumerate(topics) if i not in set(found)] + [merged]
    return topics


def _rename_topics(topics: list[Topic], renames: dict, path: Path) -> list[Topic]:
    if not isinstance(renames, dict):
        log.warning("%s: rename ignored: expected a mapping of topic -> new label", path)
        return topics
    for old, new in sorted(renames.items(), key=lambda kv: str(kv[0])):
        i = _find(topics, old)
        if i is None:
            log.warning("%s: rename: no topic named %s", path, old)
            continue
        t = topics[i]
        topics[i] = Topic(_slug(str(new)), str(new), t.keywords, t.sources, t.paragraphs)
    return topics


def _hide_topics(topics: list[Topic], hidden: list, path: Path) -> list[Topic]:
    drop = set()
    for reference in hidden if isinstance(hidden, list) else [hidden]:
        i = _find(topics, reference)
        if i is None:
            log.warning("%s: hide: no topic named %s", path, reference)
        else:
            drop.add(i)
    return [t for i, t in enumerate(topics) if i not in drop]


def _added_topics(additions: list, articles: Sequence[Article], path: Path) -> list[Topic]:
    """Editor's topics: every paragraph that uses one of the keywords (whole words, any case)."""
    added = []
    for entry in additions:
        if not isinstance(entry, dict) or not entry.get("label") or not entry.get("keywords"):
            log.warning("%s: add entry ignored: expected {label: ..., keywords: [...]}", path)
            continue
        keywords = tuple(str(k) for k in entry["keywords"])
        patterns = [re.compile(r"(?<!\w)" + re.escape(_fold(k)) + r"(?!\w)") for k in keywords]
        evidence = tuple(
            Evidence(a.id, i)
            for a in articles
            for i, p in enumerate(a.paragraphs)
            if any(rx.search(_fold(p)) for rx in patterns)
        )
        if not evidence:
            log.warning("%s: add: topic %r matches no paragraph", path, entry["label"])
        label = str(entry["label"])
        added.append(Topic(_slug(label), label, keywords, tuple(sorted({e.source for e in evidence})), evidence))
    return added
