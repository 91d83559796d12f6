"""Quality figures against hand-made gold annotations: `python -m benchmarks.quality`.

For each evaluation dossier (every folder under tests/fixtures/eval/ holding `sources/` and
`gold.yaml`) and for the sample dossier (`sources/` scored with `../shared/gold/seeds.yaml`),
builds the site in a temporary folder with `python -m builder build --quiet`, runs the shared
scorer (`../shared/tools/score_dossier.py`) on the resulting `dossier.json`, and prints one
line per dossier plus the averages.

    python -m benchmarks.quality                 # all dossiers
    python -m benchmarks.quality quake deal      # only these (by name; "sample" is the seeds)
    python -m benchmarks.quality --details       # also the scorer's full report per dossier
    python -m benchmarks.quality --json          # machine-readable figures

Standard library only (the scorer itself needs PyYAML); nothing is imported from `builder`,
which runs in a subprocess exactly as a user would run it. Exit status 1 when a build or a
scoring run fails.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "score_dossier.py"
EVAL_DIR = ROOT / "tests" / "fixtures" / "eval"

# The scorer's summary keys, then the other figures worth a column.
SUMMARY_KEYS = ("boilerplate_f1", "content_retention", "entity_f1", "quote_recall",
                "discrepancy_recall", "topic_recall", "timeline_recall")
EXTRA_KEYS = ("titles_exact", "dates_exact", "fragmentation", "type_accuracy")
COLUMNS = {
    "boilerplate_f1": "bp_f1", "content_retention": "content", "entity_f1": "ent_f1",
    "quote_recall": "quotes", "discrepancy_recall": "discr", "topic_recall": "topics",
    "timeline_recall": "timeline", "titles_exact": "titles", "dates_exact": "dates",
    "fragmentation": "frag", "type_accuracy": "types",
}
BUILD_TIMEOUT = 900  # seconds per dossier
SCORE_TIMEOUT = 120


def dossiers() -> list[tuple[str, Path, Path]]:
    """(name, sources folder, gold file) for the sample and every evaluation dossier."""
    found = []
    sample_gold = SHARED / "gold" / "seeds.yaml"
    if (ROOT / "sources").is_dir() and sample_gold.is_file():
        found.append(("sample", ROOT / "sources", sample_gold))
    if EVAL_DIR.is_dir():
        for folder in sorted(p for p in EVAL_DIR.iterdir() if p.is_dir()):
            if (folder / "sources").is_dir() and (folder / "gold.yaml").is_file():
                found.append((folder.name, folder / "sources", folder / "gold.yaml"))
    return found


def _tail(text: str, lines: int = 5) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _number(text: str):
    text = text.strip()
    if text in ("None", "null", ""):
        return None
    try:
        return float(text)
    except ValueError:
        return text


def parse_summary(line: str) -> dict:
    """`summary: a=0.5 b=None ...` -> {"a": 0.5, "b": None, ...}."""
    figures = {}
    for part in line.split(":", 1)[1].split():
        if "=" in part:
            key, value = part.split("=", 1)
            figures[key] = _number(value)
    return figures


def parse_report(stdout: str) -> dict:
    """The scorer's --json report followed by its `summary:` line."""
    lines = stdout.rstrip().splitlines()
    summary_at = max((i for i, l in enumerate(lines) if l.startswith("summary:")), default=None)
    if summary_at is None:
        raise ValueError("no summary line in the scorer's output")
    report = {}
    try:
        report = json.loads("\n".join(lines[:summary_at]))
    except json.JSONDecodeError:
        for l in lines[:summary_at]:  # the plain `key: value` form
            if ": " in l:
                key, value = l.split(": ", 1)
                report[key] = _number(value)
    report.update(parse_summary(lines[summary_at]))
    return report


def evaluate(name: str, sources: Path, gold: Path, workdir: Path) -> dict:
    here = workdir / name
    docs = here / "docs"
    here.mkdir(parents=True)
    # Run from the temporary folder, with this checkout's `builder` first on the path.
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    started = time.perf_counter()
    build = subprocess.run(
        [sys.executable, "-m", "builder", "build", "--sources", str(sources), "--docs", str(docs), "--quiet"],
        cwd=here, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT,
    )
    seconds = time.perf_counter() - started
    dossier_json = docs / "dossier.json"
    if build.returncode != 0 or not dossier_json.is_file():
        return {"name": name, "error": f"build failed (exit {build.returncode}): {_tail(build.stderr)}",
                "build_seconds": round(seconds, 1)}
    score = subprocess.run(
        [sys.executable, str(SCORER), str(dossier_json), str(gold), str(sources), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=SCORE_TIMEOUT,
    )
    if score.returncode != 0:
        return {"name": name, "error": f"scorer failed (exit {score.returncode}): {_tail(score.stderr)}",
                "build_seconds": round(seconds, 1)}
    try:
        report = parse_report(score.stdout)
    except ValueError as exc:
        return {"name": name, "error": str(exc), "build_seconds": round(seconds, 1)}
    report["name"] = name
    report["build_seconds"] = round(seconds, 1)
    return report


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def table(results: list[dict]) -> list[str]:
    keys = SUMMARY_KEYS + EXTRA_KEYS
    width = max([len(r["name"]) for r in results] + [len("average")])
    header = f"{'dossier':<{width}} " + " ".join(f"{COLUMNS[k]:>8}" for k in keys) + f" {'build_s':>8}"
    lines = [header]
    good = [r for r in results if "error" not in r]
    for r in results:
        if "error" in r:
            lines.append(f"{r['name']:<{width}} ERROR {r['error']}")
            continue
        lines.append(f"{r['name']:<{width}} " + " ".join(f"{_cell(r.get(k)):>8}" for k in keys)
                     + f" {r['build_seconds']:>8.1f}")
    if good:
        avg = averages(good)
        lines.append(f"{'average':<{width}} " + " ".join(f"{_cell(avg.get(k)):>8}" for k in keys)
                     + f" {sum(r['build_seconds'] for r in good) / len(good):>8.1f}")
    lines.append("(frag: share of gold entities split into several predicted entities, lower is better; "
                 "'-': nothing to score)")
    return lines


def averages(results: list[dict]) -> dict:
    avg = {}
    for key in SUMMARY_KEYS + EXTRA_KEYS:
        values = [r[key] for r in results if isinstance(r.get(key), (int, float))]
        avg[key] = round(sum(values) / len(values), 3) if values else None
    return avg


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.quality", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="dossiers to score (default: all); 'sample' is the seeds")
    parser.add_argument("--details", action="store_true", help="print the scorer's full report per dossier")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the built sites and print where they are")
    args = parser.parse_args(argv)

    if not SCORER.is_file():
        print(f"error: scorer not found at {SCORER}", file=sys.stderr)
        return 1
    todo = dossiers()
    if args.names:
        unknown = set(args.names) - {name for name, _, _ in todo}
        if unknown:
            print(f"error: unknown dossier(s): {', '.join(sorted(unknown))}; "
                  f"known: {', '.join(name for name, _, _ in todo)}", file=sys.stderr)
            return 1
        todo = [t for t in todo if t[0] in args.names]
    if not todo:
        print("error: no dossier to score", file=sys.stderr)
        return 1

    workdir = Path(tempfile.mkdtemp(prefix="dossier-quality-"))
    results = []
    try:
        for name, sources, gold in todo:
            try:
                results.append(evaluate(name, sources, gold, workdir))
            except subprocess.TimeoutExpired as exc:
                results.append({"name": name, "error": f"timed out after {exc.timeout}s", "build_seconds": 0.0})
    finally:
        if args.keep:
            print(f"built sites kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    if args.json:
        good = [r for r in results if "error" not in r]
        print(json.dumps({"dossiers": results, "average": averages(good) if good else None},
                         indent=1, ensure_ascii=False))
    else:
        if args.details:
            for r in results:
                print(f"== {r['name']}")
                for key, value in r.items():
                    if key != "name":
                        print(f"  {key}: {value}")
            print()
        print("\n".join(table(results)))
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
