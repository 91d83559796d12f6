"""A serving process (`mkdocs serve`) rebuilds after any edit exactly what a fresh build writes.

The serving builds reuse whatever the last build's results say still holds: per-source memo
entries, the glossary's merge when no changed paragraph answers differently to what it reads,
kept page sections. Each such shortcut is exact only if its check covers everything the reused
work reads; this test makes seeded random edits of the sample dossier's real text (words moved,
names inserted, figures changed, sentences copied between sources, paragraphs added and removed),
rebuilds in one serving process with the real model after each, and compares every published
file with an uncached build of the same sources. The edits draw their words from the sources
themselves, so they are of the kind the shortcuts must get right: names, joints ("and"), figures.
"""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from builder.pipeline import BuildOptions, build
from tests.test_pipeline import snapshot

SAMPLE = Path(__file__).resolve().parents[1] / "sources"
SERVING = BuildOptions(serving=True)
EDITS_PER_SEED = 8


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def _insert_word(rng: random.Random, paragraph: str, pool: list[str]) -> str:
    words = paragraph.split(" ")
    at = rng.randrange(len(words) + 1)
    return " ".join(words[:at] + [rng.choice(pool)] + words[at:])


def _delete_word(rng: random.Random, paragraph: str, pool: list[str]) -> str:
    words = paragraph.split(" ")
    if len(words) > 1:
        del words[rng.randrange(len(words))]
    return " ".join(words)


def _change_figure(rng: random.Random, paragraph: str, pool: list[str]) -> str:
    figures = list(re.finditer(r"\d+", paragraph))
    if not figures:
        return paragraph + f" {rng.randrange(2, 999)}"
    m = rng.choice(figures)
    return paragraph[:m.start()] + str(int(m.group()) + rng.randrange(1, 30)) + paragraph[m.end():]


def _join_names(rng: random.Random, paragraph: str, pool: list[str]) -> str:
    names = [w for w in pool if w[:1].isupper()]
    return _insert_word(rng, paragraph, [f"{rng.choice(names)} and {rng.choice(names)}"])


PARAGRAPH_EDITS = (_insert_word, _delete_word, _change_figure, _join_names)


def _edit(rng: random.Random, sources: list[Path]) -> str:
    """One random edit of one source; what it did, for the failure message."""
    path = rng.choice(sources)
    text = path.read_text(encoding="utf-8")
    pool = re.findall(r"[\w'’-]+[.,]?", text)
    paragraphs = _paragraphs(text)
    kind = rng.randrange(7)
    if kind < 4:
        at = rng.randrange(1, len(paragraphs))   # the first lines are the source's header
        paragraphs[at] = PARAGRAPH_EDITS[kind](rng, paragraphs[at], pool)
        done = f"{PARAGRAPH_EDITS[kind].__name__} in paragraph {at}"
    elif kind == 4:
        other = _paragraphs(rng.choice(sources).read_text(encoding="utf-8"))
        sentence = rng.choice(re.split(r"(?<=[.!?”\"]) ", rng.choice(other[1:] or other)))
        at = rng.randrange(1, len(paragraphs))
        paragraphs[at] = f"{paragraphs[at]} {sentence}"
        done = f"a sentence of another source copied into paragraph {at}"
    elif kind == 5:
        new = " ".join(rng.choice(pool) for _ in range(rng.randrange(8, 16))).capitalize() + "."
        at = rng.randrange(1, len(paragraphs) + 1)
        paragraphs.insert(at, new)
        done = f"a new paragraph {at}: {new!r}"
    else:
        at = rng.randrange(1, len(paragraphs))
        done = f"paragraph {at} removed: {paragraphs.pop(at)[:60]!r}"
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    return f"{path.name}: {done}"


@pytest.mark.parametrize("seed", [1, 2])
def test_a_serving_rebuild_after_random_edits_writes_what_a_fresh_build_writes(tmp_path, seed):
    sources = tmp_path / "sources"
    shutil.copytree(SAMPLE, sources)
    files = sorted(p for p in sources.iterdir() if p.suffix in (".txt", ".md", ".html"))
    rng = random.Random(seed)
    build(sources, tmp_path / "docs", options=SERVING)
    done = []
    for round_ in range(EDITS_PER_SEED):
        done.append(_edit(rng, files))
        build(sources, tmp_path / "docs", options=SERVING)
        fresh = tmp_path / f"fresh-{round_}"
        build(sources, fresh, options=BuildOptions(cache=False))
        served, expected = snapshot(tmp_path / "docs"), snapshot(fresh)
        differing = sorted(p for p in expected.keys() | served.keys() if served.get(p) != expected.get(p))
        assert not differing, f"after edits {done}: served pages differ from a fresh build: {differing[:10]}"
        shutil.rmtree(fresh)
