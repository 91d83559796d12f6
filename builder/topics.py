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
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import yaml

from .dates import MONTH_NAMES, WEEKDAY_NAMES
from .model import Article, Comparison, Evidence, Glossary, Topic
from .text import STOP_WORDS, fold, singular, slug

log = logging.getLogger(__name__)

# Bounds of the brief: a reader scans 4-12 topics; fewer only when there is too little text.
_MIN_TOPICS, _MAX_TOPICS = 4, 12

# Paragraphs shorter than this (words) are captions or transitions: they join topics but do
# not shape them.
_MIN_WORDS = 8

# A paragraph discusses a second topic when that topic's NMF weight reaches this share of its
# strongest: half keeps the paragraph that mixes two subjects and drops faint overlaps.
_SECONDARY_SHARE = 0.5

# A paragraph belongs to a topic only when it resembles the topic's terms (cosine) at least this
# much: a paragraph that fits no topic (an aside, a stray quote) is better left out than forced
# in. Measured on sample dossiers: clear members sit at 0.3-0.9, asides at 0.1-0.2.
_CORE_FIT = 0.15
_SECONDARY_FIT = 0.25

# NMF converges on dossier-sized matrices in well under this many rounds; the tolerance is the
# relative gain per round below which further rounds change no topic.
_NMF_ITERATIONS = 300
_NMF_TOLERANCE = 1e-4

# Glossary names weigh more than plain words: they are what a topic is "about".
_ENTITY_WEIGHT = 1.5

# Phrases are runs of at most this many content words ("civil protection agency").
_MAX_PHRASE = 3

# A phrase replaces a shorter term inside it as a keyword when it scores at least this share of
# that term's score: "hostile forces" tells more than "hostile" and is used almost as often.
_PHRASE_OVER_PART = 0.5

# A topic whose paragraphs share fewer distinctive terms than this is a leftover, not a subject
# (dropped while enough topics remain).
_MIN_KEYWORDS = 3

# How many keywords a topic lists.
_KEYWORDS = 8

# A phrase or a named event heads a label over a single word scoring up to this much higher;
# other names (people, places) somewhat less, since "who" and "where" describe a subject less
# well than "what".
_PHRASE_BONUS = 1.5
_NAME_BONUS = 1.2

# Words that open a noun phrase, and words after which the next word is a verb.
_NOUN_OPENERS = frozenset("the a an of their its his her our this these those some many several any for against with by from in on about".split())
_VERB_OPENERS = frozenset("to will would can could may might must shall should did does do they we he she i you".split())
_ADVERBS = frozenset("now also still not never already just soon then even only".split())

# Words no topic is about: function words, calendar words, counting and reporting words.
_STOP = STOP_WORDS | frozenset(MONTH_NAMES + WEEKDAY_NAMES) | frozenset(
    """across added again ago all already although because call called day days even every few
    first five four get got however include includes including last least like made make makes
    meanwhile month months new next no nor not now one only part per second several since state
    still take therefore third though three thus time times today tomorrow took two until use
    used using want wanted way week weeks well whether year years yesterday yet""".split()
)


@dataclass(frozen=True)
class _Unit:
    """One paragraph as clustering sees it."""

    source: str
    paragraph: int
    terms: Counter            # term key -> count
    words: int
    english: bool = True      # only English paragraphs shape topics (the word rules are English)


@dataclass(frozen=True)
class _Keyword:
    term: str                 # the vocabulary key (stemmed word, word pair, "@entity-id")
    form: str                 # as a reader writes it
    score: float


@dataclass(frozen=True)
class _Lexicon:
    """What the dossier's own text says about its words, for choosing labels."""

    demonyms: frozenset[str]             # "russian", "western": tagged NORP by the recogniser
    nouns: frozenset[str]                # word keys used as the head of a noun phrase more than as a verb
    verbs: frozenset[str]                # word keys used after "to", a modal or a pronoun
    events: frozenset[str] = frozenset()  # "@id" terms of glossary entities of type EVENT


@dataclass(frozen=True)
class _Cluster:
    core: tuple[int, ...]     # unit indexes of the paragraphs this topic dominates
    members: tuple[int, ...]  # the core and the paragraphs that discuss it besides another topic


# --- public ----------------------------------------------------------------------------

def find_topics(
    articles: Sequence[Article],
    glossary: Glossary,
    comparison: Comparison,
    editorial: Path | None = None,
) -> tuple[Topic, ...]:
    """4-12 topics over the paragraphs of `articles`, then the editor's corrections.

    From `comparison` only the near-copies count: copies of one wire text are one voice, so
    their shared wording does not pass for a term several sources use.
    """
    ordered = sorted(articles, key=lambda a: a.id)
    units, display = _units(ordered, glossary)
    topics: list[Topic] = []
    if units:
        matrix, vocabulary = _vectors(units)
        clusters = _cluster(matrix, units) or _one_cluster(matrix)
        voices = _voices(comparison)
        topics = _describe(clusters, matrix, vocabulary, units, display, _lexicon(ordered, glossary),
                           [voices.get(u.source, u.source) for u in units])
        topics = _cover_every_source(topics, matrix, units, ordered)
    if editorial is not None:
        topics = _apply_editorial(topics, editorial, ordered)
        covered = {s for t in topics for s in t.sources}
        for article in ordered:
            if article.id not in covered:
                log.warning("%s: in no topic after %s hid or merged its topics", article.path, editorial.name)
    return tuple(sorted(_unique_ids(topics), key=_importance))


def _voices(comparison: Comparison) -> dict[str, str]:
    """source -> the first source of its near-copy group (sources not listed speak for themselves)."""
    return {
        source: group.sources[0]
        for group in comparison.groups if group.kind == "near-copy"
        for source in group.sources
    }


def _lexicon(articles: Sequence[Article], glossary: Glossary) -> _Lexicon:
    """Word roles read off the text with a chunker's rule of thumb (no second NLP pass): the
    last word of a run of content words after "the", "of", "their"... heads a noun phrase; the
    first word of a run right after "to", a modal or a subject pronoun is a verb."""
    noun_hits: Counter = Counter()
    verb_hits: Counter = Counter()
    for article in articles:
        for paragraph in article.paragraphs:
            for before, run in _runs(paragraph):
                if before in _NOUN_OPENERS:
                    noun_hits[run[-1]] += 1
                elif before in _VERB_OPENERS:
                    verb_hits[run[0]] += 1
    nouns = frozenset(w for w, n in noun_hits.items() if n > verb_hits[w])
    verbs = frozenset(w for w, n in verb_hits.items() if n >= noun_hits[w])
    demonyms = frozenset(_fold(s.text) for s in glossary.spans if s.label == "NORP")
    events = frozenset(f"@{e.id}" for e in glossary.entities if e.type == "EVENT")
    return _Lexicon(demonyms, nouns, verbs, events)


def _runs(paragraph: str) -> list[tuple[str, list[str]]]:
    """Runs of adjacent content-word keys, each with the function word just before it
    (modals two words back count: "must now turn")."""
    runs: list[tuple[str, list[str]]] = []
    tokens = [_fold(m.group(0)) for m in re.finditer(r"[A-Za-z'’-]+|[^\sA-Za-z'’-]", paragraph)]
    current: list[str] = []
    before = ""
    for i, token in enumerate(tokens):
        content = token[0].isalpha() and token not in _STOP and len(token) >= 3
        if content:
            if not current:
                before = _token_before(tokens, i)
            current.append(singular(token))
            continue
        if current:
            runs.append((before, current))
            current = []
    if current:
        runs.append((before, current))
    return runs


def _token_before(tokens: list[str], i: int) -> str:
    previous = tokens[i - 1] if i else ""
    if previous in _ADVERBS and i >= 2 and tokens[i - 2] in _VERB_OPENERS:
        return tokens[i - 2]
    return previous


def _importance(topic: Topic) -> tuple:
    return (-len(topic.sources), -len(topic.paragraphs), topic.id)


# --- terms -----------------------------------------------------------------------------

def _fold(text: str) -> str:
    return fold(text).casefold()


_UNSURE = "\x00"     # marks a form whose capital may be the sentence's (see `_surface`)
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
            units.append(_Unit(article.id, index, terms, len(paragraph.split()), article.is_english))
    return units, display


def _terms(paragraph: str, mentions: list[tuple[int, int, str]], names: dict[str, str], display: dict[str, Counter]) -> Counter:
    """Glossary names ("@id"), content words (stemmed), and runs of two or three adjacent
    content words ("artillery shells", "civil protection agency") not broken by punctuation."""
    terms: Counter = Counter()
    covered = [(s, e) for s, e, _ in mentions]
    for _start, _end, entity_id in mentions:
        key = f"@{entity_id}"
        terms[key] += 1
        display[key][re.sub(r"^the\s+", "", names[entity_id], flags=re.IGNORECASE)] += 1
    run: list[tuple[str, str, int]] = []     # (key, surface, start) of the current run of content words
    last_end = 0
    for match in _WORD.finditer(paragraph):
        start, word = match.start(), match.group(0)
        folded = _fold(word)
        if paragraph[last_end:start].strip():
            run = []                    # punctuation between the words: no phrase across it
        last_end = match.end()
        inside_name = any(s <= start < e for s, e in covered)
        if inside_name or folded in _STOP or len(folded) < 3 or folded.isdigit():
            run = []                    # a name is already one term; its words make no phrases
            continue
        key = singular(folded)
        terms[key] += 1
        display[key][_surface(paragraph, start, word)] += 1
        run = (run + [(key, word, start)])[-_MAX_PHRASE:]
        for size in range(2, len(run) + 1):
            phrase = run[-size:]
            phrase_key = " ".join(k for k, _, _ in phrase)
            terms[phrase_key] += 1
            first = _surface(paragraph, phrase[0][2], phrase[0][1])
            display[phrase_key][" ".join([first] + [w for _, w, _ in phrase[1:]])] += 1
    return terms


def _surface(paragraph: str, start: int, word: str) -> str:
    """How the word is written: its own capital kept ("UN", "Veridian" mid-sentence), the
    lower case when written so; a capital that opens a sentence proves nothing, so such a form
    is marked `_UNSURE` and only shown when no other form exists."""
    if word.isupper() and len(word) > 1:
        return word
    if not word[0].isupper():
        return word
    before = paragraph[:start].rstrip()
    if before and before[-1] not in ".!?:;\"“‘'(—–-":
        return word
    return _UNSURE + _fold(word)


# --- vectors and clusters --------------------------------------------------------------

def _vectors(units: list[_Unit]) -> tuple[np.ndarray, list[str]]:
    """Row-normalised tf-idf over terms used by at least two paragraphs (a term of one
    paragraph cannot tie paragraphs together). The idf makes the story's own subject, named in
    nearly every paragraph, weigh almost nothing (it separates no topic from another) while
    staying above zero, so a two-paragraph dossier still has a vector."""
    df = Counter(term for unit in units for term in unit.terms)
    vocabulary = sorted(t for t, n in df.items() if n >= 2)
    column = {t: i for i, t in enumerate(vocabulary)}
    n = len(units)
    matrix = np.zeros((n, len(vocabulary)))
    for row, unit in enumerate(units):
        for term, count in unit.terms.items():
            if term in column:
                weight = (1 + math.log(count)) * math.log((n + 1) / df[term])
                matrix[row, column[term]] = weight * (_ENTITY_WEIGHT if term.startswith("@") else 1.0)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms), vocabulary


def _target_count(units: list[_Unit]) -> int:
    """About one topic per sqrt(paragraphs): 40 paragraphs give 7, 150 give 12."""
    shaping = sum(1 for u in units if u.words >= _MIN_WORDS)
    return max(_MIN_TOPICS, min(_MAX_TOPICS, round(math.sqrt(shaping)) + 1, shaping))


def _cluster(matrix: np.ndarray, units: list[_Unit]) -> list[_Cluster]:
    """Non-negative matrix factorisation of the paragraph-term matrix into the target number
    of topics. NMF rather than hard clustering because a paragraph often discusses two
    subjects at once; each topic's core is the paragraphs it dominates, and a paragraph also
    joins any topic weighing at least `_SECONDARY_SHARE` of its strongest."""
    rows = [i for i, u in enumerate(units) if u.english and u.words >= _MIN_WORDS and matrix[i].any()]
    if len(rows) < 2:
        return [_Cluster(tuple(rows), tuple(rows))] if rows else []
    k = min(_target_count(units), len(rows))
    weights, terms = _nmf(matrix[rows], k)
    norms = np.linalg.norm(terms, axis=1, keepdims=True)
    fit = matrix[rows] @ (terms / np.where(norms == 0, 1, norms)).T    # cosine paragraph-topic
    strongest = weights.max(axis=1)
    clusters = []
    for topic in range(weights.shape[1]):
        core = tuple(
            rows[i] for i in range(len(rows))
            if strongest[i] > 0 and weights[i].argmax() == topic and fit[i, topic] >= _CORE_FIT
        )
        extra = tuple(
            rows[i] for i in range(len(rows))
            if weights[i, topic] >= _SECONDARY_SHARE * strongest[i] and fit[i, topic] >= _SECONDARY_FIT
        )
        # A topic needs two paragraphs to be a subject of the dossier, unless the dossier is tiny.
        if len(core) >= 2 or (len(core) == 1 and len(rows) < 2 * _MIN_TOPICS):
            clusters.append(_Cluster(core, tuple(sorted(set(core) | set(extra)))))
    return clusters


def _one_cluster(matrix: np.ndarray) -> list[_Cluster]:
    """Too little text to tell subjects apart: one topic holding every paragraph with a term."""
    rows = tuple(i for i in range(matrix.shape[0]) if matrix[i].any())
    return [_Cluster(rows, rows)] if rows else []


def _nmf(matrix: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Paragraph weights W and topic terms H of X ~ W H, by multiplicative updates from an
    NNDSVDa start (deterministic: no random seed, the same input gives the same topics)."""
    u, sigma, vt = _top_singular(matrix, k)
    k = len(sigma)
    w = np.zeros((matrix.shape[0], k))
    h = np.zeros((k, matrix.shape[1]))
    for j in range(k):
        x, y = u[:, j], vt[j]
        if j == 0:
            xs, ys, size = np.abs(x), np.abs(y), 1.0
        else:
            xp, xn, yp, yn = np.maximum(x, 0), np.maximum(-x, 0), np.maximum(y, 0), np.maximum(-y, 0)
            positive = np.linalg.norm(xp) * np.linalg.norm(yp)
            negative = np.linalg.norm(xn) * np.linalg.norm(yn)
            xs, ys, size = (xp, yp, positive) if positive >= negative else (xn, yn, negative)
            xs, ys = xs / (np.linalg.norm(xs) or 1), ys / (np.linalg.norm(ys) or 1)
        w[:, j] = math.sqrt(sigma[j] * size) * xs
        h[j] = math.sqrt(sigma[j] * size) * ys
    fill = matrix.mean() / 100      # NNDSVDa: zeros would stay zeros under multiplicative updates
    w[w == 0], h[h == 0] = fill, fill
    previous = math.inf
    for round_ in range(_NMF_ITERATIONS):
        h *= (w.T @ matrix) / (w.T @ w @ h + 1e-10)
        w *= (matrix @ h.T) / (w @ (h @ h.T) + 1e-10)
        if round_ % 10 == 9:        # the error costs a full product: check now and then
            error = float(np.linalg.norm(matrix - w @ h))
            if previous - error < _NMF_TOLERANCE * previous:
                break
            previous = error
    return w, h


def _top_singular(matrix: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The k leading singular triplets, from the eigenvectors of the smaller Gram matrix
    (paragraphs x paragraphs): far cheaper than a full SVD of a wide term matrix."""
    gram = matrix @ matrix.T
    values, vectors = np.linalg.eigh(gram)
    order = np.argsort(-values, kind="stable")[:k]
    order = [i for i in order if values[i] > 1e-12]
    sigma = np.sqrt(values[order])
    u = vectors[:, order]
    vt = (u.T @ matrix) / sigma[:, None]
    return u, sigma, vt


# --- describing ------------------------------------------------------------------------

def _describe(clusters: list[_Cluster], matrix: np.ndarray, vocabulary: list[str], units: list[_Unit],
              display: dict[str, Counter], lexicon: _Lexicon, voices: list[str]) -> list[Topic]:
    """One topic per cluster; `voices` are the units' sources, near-copies counted as one."""
    topics = []
    used_labels: set[str] = set()
    share = (matrix > 0).mean(axis=0)     # the share of all paragraphs using each term
    for cluster in clusters:
        keywords = _keywords(cluster.core, matrix, vocabulary, display, voices)
        if len(keywords) < _MIN_KEYWORDS and len(clusters) > _MIN_TOPICS:
            continue    # paragraphs that share a word or two are not a subject
        label = _label(keywords, {vocabulary[i]: float(share[i]) for i in range(len(vocabulary))}, lexicon, used_labels)
        used_labels.add(label.casefold())
        evidence = tuple(sorted((Evidence(units[i].source, units[i].paragraph) for i in cluster.members), key=lambda e: (e.source, e.paragraph)))
        topics.append(Topic(
            id=_slug(label),
            label=label,
            keywords=tuple(k.form for k in keywords),
            sources=tuple(sorted({e.source for e in evidence})),
            paragraphs=evidence,
        ))
    return topics


def _centre(matrix: np.ndarray, members: Sequence[int]) -> np.ndarray:
    centre = matrix[list(members)].mean(axis=0)
    norm = np.linalg.norm(centre)
    return centre / norm if norm else centre


def _keywords(members: Sequence[int], matrix: np.ndarray, vocabulary: list[str], display: dict[str, Counter], sources: list[str]) -> list[_Keyword]:
    """Terms that weigh much more inside the cluster than outside it and that several of its
    paragraphs and sources (near-copies as one) use, as a reader writes them; a word already inside a chosen phrase
    is not repeated, and a phrase nearly as strong as its word replaces it ("hostile forces"
    over "hostile"). A term of one source alone is one writer's wording, not the topic's."""
    rows = matrix[list(members)]
    inside = rows.mean(axis=0)
    member_set = set(members)
    others = [i for i in range(matrix.shape[0]) if i not in member_set]
    outside = matrix[others].mean(axis=0) if others else np.zeros_like(inside)
    support = (rows > 0).sum(axis=0)
    cluster_sources = sorted({sources[i] for i in members})
    by_source = np.array([[sources[i] == s for i in members] for s in cluster_sources], dtype=float)
    source_spread = ((by_source @ (rows > 0)) > 0).sum(axis=0) / len(cluster_sources)
    score = (inside - outside) * support / len(members)
    if not (score > 0).any():
        score = inside * support / len(members)    # nothing sets it apart: say what it holds
    score = score * np.sqrt(source_spread)
    score[support < min(2, len(members))] = 0.0
    ranked = [int(c) for c in np.argsort(-score, kind="stable") if score[c] > 0]
    best = {vocabulary[c]: float(score[c]) for c in ranked}
    chosen: list[_Keyword] = []
    for column in ranked:
        if len(chosen) >= _KEYWORDS:
            break
        term = _longest_strong_phrase(vocabulary[column], best)
        form = _display(term, display)
        if any(_redundant(k, term, form) for k in chosen):
            continue
        chosen.append(_Keyword(term, form, best[term]))
    return chosen


def _longest_strong_phrase(term: str, best: dict[str, float]) -> str:
    """`term`, or the longest phrase containing it that scores nearly as well."""
    if term.startswith("@"):
        return term
    words = term.split()
    longer = [
        t for t in best
        if not t.startswith("@") and len(t.split()) > len(words) and _contains(t.split(), words)
        and best[t] >= _PHRASE_OVER_PART * best[term]
    ]
    return max(longer, key=lambda t: (len(t.split()), best[t], t)) if longer else term


def _contains(words: list[str], part: list[str]) -> bool:
    return any(words[i:i + len(part)] == part for i in range(len(words) - len(part) + 1))


def _redundant(kept: _Keyword, term: str, form: str) -> bool:
    """Whether a kept keyword already says `term`: the same words, words of a kept phrase
    ("Putin" after "Vladimir Putin"), or an overlapping phrase ("pension fund" after
    "Harlow pension")."""
    a, b = set(_fold(kept.form).split()), set(_fold(form).split())
    if kept.term == term or a <= b or b <= a:
        return True
    return len(a) > 1 and len(b) > 1 and bool(a & b)


def _display(term: str, display: dict[str, Counter]) -> str:
    forms = display.get(term)
    if not forms:
        return term
    sure = {f: n for f, n in forms.items() if not f.startswith(_UNSURE)} or forms
    form = sorted(sure.items(), key=lambda kv: (-kv[1], kv[0]))[0][0].replace(_UNSURE, "")
    return re.sub(r"['’]s$", "", form)


# Single words with these endings are mostly adjectives or adverbs ("tactical", "hostile",
# "bilateral", "reportedly"): good keywords, poor labels.
_ADJECTIVE_ENDINGS = ("al", "ic", "ive", "ous", "ian", "ese", "ful", "less", "able", "ible", "ed", "ly", "ish", "ile", "ary", "ent", "ant")

# A term used by more than this share of all paragraphs is the story's own subject ("the
# earthquake", "the merger"): true of every topic, so it names none.
_SUBJECT_SHARE = 0.4


def _label(keywords: list[_Keyword], share: dict[str, float], lexicon: _Lexicon, used: set[str]) -> str:
    """The two strongest label-worthy keywords as a short phrase: "Sanctions and isolation".

    Names and word pairs come first among near-equals since they read as subjects; single
    adjectives, demonyms and the dossier's ubiquitous subject are passed over.
    """
    fit = (
        [k for k in keywords if _labelable(k, share, lexicon)]
        or [k for k in keywords if _labelable(k, {}, lexicon)]     # a small dossier: its subject will do
        or keywords
    )
    ranked = sorted(fit, key=lambda k: (-k.score * _label_weight(k, lexicon), k.form))
    forms = [k.form for k in ranked]
    candidates = [forms[:2]] + [[forms[0], f] for f in forms[2:]] + [forms[:1]]
    for parts in candidates:
        text = " and ".join(parts)
        text = text[:1].upper() + text[1:]
        if text.casefold() not in used:
            return text
    return forms[0][:1].upper() + forms[0][1:]


def _label_weight(keyword: _Keyword, lexicon: _Lexicon) -> float:
    """How well a kind of term names a subject: a phrase ("emergency aid") or a named event
    ("World War II") best, another name (a person, a place) next, a single word last."""
    if keyword.term.startswith("@"):
        return _PHRASE_BONUS if keyword.term in lexicon.events else _NAME_BONUS
    return _PHRASE_BONUS if " " in keyword.term else 1.0


def _labelable(keyword: _Keyword, share: dict[str, float], lexicon: _Lexicon) -> bool:
    """Names, and phrases or words that read as nouns: not the dossier's ubiquitous subject,
    not a demonym, not a word the text uses as a verb ("help", "turn") or an adjective."""
    if share.get(keyword.term, 0.0) > _SUBJECT_SHARE or _fold(keyword.form) in lexicon.demonyms:
        return False
    if keyword.term.startswith("@"):
        return True
    words = keyword.term.split()
    if words[0] in lexicon.verbs or words[-1] in lexicon.verbs:
        return False
    if len(words) > 1:
        return not _fold(keyword.form).endswith(_ADJECTIVE_ENDINGS)
    return words[0] in lexicon.nouns and not _fold(keyword.form).endswith(_ADJECTIVE_ENDINGS)


def _slug(text: str) -> str:
    return slug(text, limit=60, default="topic")


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

def _cover_every_source(topics: list[Topic], matrix: np.ndarray, units: list[_Unit], articles: Sequence[Article]) -> list[Topic]:
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
        # The best (paragraph, topic) pair; ties go to the earlier paragraph and topic.
        _score, row, k = max(((float(matrix[r] @ centres[t]), -r, -t) for r in rows for t in range(len(topics))))
        row, k = -row, -k
        unit = units[row]
        topic = topics[k]
        evidence = tuple(sorted(topic.paragraphs + (Evidence(unit.source, unit.paragraph),), key=lambda e: (e.source, e.paragraph)))
        topics[k] = Topic(topic.id, topic.label, topic.keywords, tuple(sorted(set(topic.sources) | {unit.source})), evidence)
        log.debug("%s: topics: joined %r by its closest paragraph", article.path, topic.label)
    return topics


# --- editorial -------------------------------------------------------------------------

def _apply_editorial(topics: list[Topic], path: Path, articles: Sequence[Article]) -> list[Topic]:
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
