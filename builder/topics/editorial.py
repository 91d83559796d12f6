"""An editor's corrections from `topics.yml`: merge, rename, hide, add (in that order)."""
from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Sequence

from ..errors import DossierError, describe_file_error, one_line
from ..model import Article, Evidence, Topic
from ..text import fold_case
from ..yaml_safe import load_yaml
from .describe import topic_id

log = logging.getLogger(__name__)


def apply_editorial(topics: list[Topic], path: Path, articles: Sequence[Article]) -> list[Topic]:
    """Apply `topics.yml`: merge, rename, hide, add (in that order). A file that cannot be read
    is ignored with a warning: the topics found stand, the build goes on."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), str(path)) or {}
    except (OSError, UnicodeDecodeError) as error:
        log.warning("%s: ignored: not readable (%s)", path, describe_file_error(error))
        return topics
    except DossierError as error:
        # The message names the file first; the warning puts "ignored" right after the name.
        log.warning("%s: ignored: %s", path, str(error).removeprefix(one_line(f"{path}: ")))
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
        merged = Topic(topic_id(label), label, keywords, tuple(sorted({s for t in parts for s in t.sources})), evidence)
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
        topics[i] = Topic(topic_id(str(new)), str(new), t.keywords, t.sources, t.paragraphs)
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
        patterns = [re.compile(r"(?<!\w)" + re.escape(fold_case(k)) + r"(?!\w)") for k in keywords]
        evidence = tuple(
            Evidence(a.id, i)
            for a in articles
            for i, p in enumerate(a.paragraphs)
            if any(rx.search(fold_case(p)) for rx in patterns)
        )
        if not evidence:
            log.warning("%s: add: topic %r matches no paragraph", path, entry["label"])
        label = str(entry["label"])
        added.append(Topic(topic_id(label), label, keywords, tuple(sorted({e.source for e in evidence})), evidence))
    return added
