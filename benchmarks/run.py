"""Speed and memory of the whole build at several sizes: `python3 dev.py bench` runs this.

    python -m benchmarks.run                      # N = 100 and 1,000
    python -m benchmarks.run --sizes 100,1000,10000 --workdir /tmp/dossier-bench

For each N it generates a synthetic dossier (benchmarks/generate.py) in a fresh MkDocs project
and measures, each in its own process, as a user would run them:

- cold: `python -m builder build`, with no cache and an empty docs/;
- rebuild: the same command again after one source changed (cache warm, one source new);
- preview rebuild: the builder's time for one more changed source inside one long-lived process,
  as `mkdocs serve` runs it (benchmarks/preview.py: no start-up, model already loaded);
- rebuild on the build server: `build --server` once (it starts the server, which then loads the
  model), and, once the server is idle, the same command after one more source changed: the whole
  command's time, and the server's peak memory (its VmHWM);
- mkdocs: `mkdocs build` of the project (its plugin runs the builder once more, warm);
- peak memory: the largest resident set of the whole process tree (builder, its recognition
  workers) seen while each command ran, sampled from /proc ten times a second;
- pages, search index and site sizes of the built site.

It prints a table (and the cold build's time per stage, to see which stage grows faster than the
number of sources). Not a test: figures depend on the machine and on what else runs on it.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.generate import change_one_source, write_dossier
from benchmarks.preview import RESULT as PREVIEW_RESULT

ROOT = Path(__file__).resolve().parent.parent
_DEFAULT_SIZES = (100, 1000)
_SAMPLE_SECONDS = 0.1
_HAND_WRITTEN_PAGES = ("index.md", "about.md")
_STAGE_LINE = re.compile(r"stage times: (.*)")
_STAGE = re.compile(r"(\w+) ([\d.]+) s")
_PREVIEW_LINE = re.compile(re.escape(PREVIEW_RESULT).replace(re.escape("{seconds:.2f}"), r"([\d.]+)"))
_MB = 1024 * 1024


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_bytes: int
    log: str
    returncode: int
    cpu_seconds: float = 0.0    # user + system time of the process tree: what the build costs
                                # on a machine shared with other work, where wall time inflates

    def stages(self) -> dict[str, float]:
        found = _STAGE_LINE.findall(self.log)
        return {name: float(seconds) for name, seconds in _STAGE.findall(found[-1])} if found else {}


@dataclass
class Result:
    sources: int
    cold: Run | None = None
    rebuild: Run | None = None
    preview: Run | None = None
    served: Run | None = None
    mkdocs: Run | None = None
    pages: int = 0
    search_bytes: int = 0
    site_bytes: int = 0
    generated_docs_bytes: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def peak_bytes(self) -> int:
        return max((r.peak_bytes for r in (self.cold, self.rebuild, self.preview, self.served, self.mkdocs) if r),
                   default=0)

    @property
    def preview_seconds(self) -> float | None:
        """The builder's time for the measured edit, not the whole process (which builds three times)."""
        found = _PREVIEW_LINE.findall(self.preview.log) if self.preview else []
        return float(found[-1]) if found else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, _DEFAULT_SIZES)),
                        help="comma-separated numbers of sources (default: 100,1000)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the projects here (default: a temporary folder)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=None, help="passed to the builder (default: one per core)")
    parser.add_argument("--skip-mkdocs", action="store_true", help="measure the builder only")
    parser.add_argument("--timeout", type=float, default=None,
                        help="stop any one command after this many seconds and report it as stopped")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="dossier-bench-"))
    results = []
    for n in sizes:
        print(f"N = {n:,}: generating, then building (this takes a while)", file=sys.stderr, flush=True)
        results.append(measure(workdir / f"n{n}", n, args.seed, args.jobs, not args.skip_mkdocs, args.timeout))
        print(table(results), file=sys.stderr, flush=True)
    print(table(results))
    print()
    print(stage_table(results))
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if all(r.cold and r.cold.returncode == 0 for r in results) else 1


def measure(project: Path, n: int, seed: int, jobs: int | None, with_mkdocs: bool,
            timeout: float | None = None) -> Result:
    _fresh_project(project, n, seed)
    result = Result(n)
    build = [sys.executable, "-m", "builder", "build", "--sources", str(project / "sources"), "--docs", str(project / "docs")]
    if jobs:
        build += ["--jobs", str(jobs)]
    result.cold = _timed(build, timeout=timeout)
    if result.cold.returncode != 0:
        result.notes.append(f"cold build failed or stopped: {result.cold.log.strip().splitlines()[-1:]}")
        return result
    change_one_source(project / "sources", stamp=f"(benchmark {time.time_ns()})")
    result.rebuild = _timed(build, timeout=timeout)
    result.preview = _timed([sys.executable, "-m", "benchmarks.preview", "--sources", str(project / "sources"),
                             "--docs", str(project / "docs")], timeout=timeout)
    result.served = _served_rebuild(build + ["--server"], project, timeout, result.notes)
    result.generated_docs_bytes = _folder_bytes(project / "docs")
    if with_mkdocs:
        # In the project folder, as a user runs it: mkdocs.yml's snippet paths are relative to it.
        result.mkdocs = _timed([sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=project, timeout=timeout)
        site = project / "site"
        result.pages = sum(1 for _ in site.rglob("*.html"))
        index = site / "search" / "search_index.json"
        result.search_bytes = index.stat().st_size if index.exists() else 0
        result.site_bytes = _folder_bytes(site)
    for name, run in (("cold", result.cold), ("rebuild", result.rebuild), ("preview", result.preview),
                      ("served", result.served), ("mkdocs", result.mkdocs)):
        if run and run.returncode != 0:
            result.notes.append(f"{name} build failed (exit {run.returncode}): {run.log.strip().splitlines()[-1:]}")
    return result


def _served_rebuild(served: list[str], project: Path, timeout: float | None, notes: list[str]) -> Run | None:
    """The server's first build, then, once it is idle, the timed one after one more source changed."""
    from builder.server import SERVER_FILE

    first = _timed(served, timeout=timeout)
    address = project / "docs" / ".dossier-cache" / SERVER_FILE
    if first.returncode != 0:
        notes.append(f"the build server's first build failed: {first.log.strip().splitlines()[-1:]}")
        return None
    # No address: the server kept nothing (a dossier too large) and exited; the next starts anew.
    pid = json.loads(address.read_text(encoding="utf-8"))["pid"] if address.is_file() else None
    if pid is not None:
        _wait_idle(pid)
    change_one_source(project / "sources", stamp=f"(benchmark, served {time.time_ns()})")
    run = _timed(served, timeout=timeout)
    peak = _peak_resident(pid) if pid is not None else 0
    _timed([sys.executable, "-m", "builder", "stop-server", "--docs", str(project / "docs")])
    return Run(run.seconds, max(run.peak_bytes, peak), run.log, run.returncode, run.cpu_seconds)


def _wait_idle(pid: int, quiet_seconds: float = 1.0, longest: float = 120.0) -> None:
    """Until the process has used no CPU for `quiet_seconds` (the server loading the model after
    its first build, while a user would be reading it)."""
    deadline, last, still_since = time.monotonic() + longest, None, time.monotonic()
    while time.monotonic() < deadline:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return
        used = int(fields[11]) + int(fields[12])      # utime, stime
        if used != last:
            last, still_since = used, time.monotonic()
        elif time.monotonic() - still_since >= quiet_seconds:
            return
        time.sleep(0.1)


def _peak_resident(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) * 1024 if found else 0


def _fresh_project(project: Path, n: int, seed: int) -> None:
    """A copy of the repository's MkDocs project with n generated sources; no cache, no output."""
    for generated in ("docs", "site", ".dossier-cache"):
        shutil.rmtree(project / generated, ignore_errors=True)
    shutil.rmtree(project / "sources", ignore_errors=True)   # also undoes a previous run's change
    write_dossier(project / "sources", n, seed)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^site_name:.*$", f"site_name: \"Benchmark: {n} synthetic sources\"", config)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    (project / "docs").mkdir(parents=True)
    for page in _HAND_WRITTEN_PAGES:
        if (ROOT / "docs" / page).exists():
            shutil.copy(ROOT / "docs" / page, project / "docs" / page)


def _timed(command: list[str], cwd: Path = ROOT, timeout: float | None = None) -> Run:
    # This checkout's builder, wherever the command runs and whatever is installed.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    started = time.perf_counter()
    cpu_before = _children_cpu()
    with tempfile.TemporaryFile(mode="w+") as log:
        # A session of its own, so a stopped command is stopped with its recognition workers.
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
                                   start_new_session=True)
        peak = _PeakMemory(process.pid)
        peak.start()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            log.write(f"\nstopped after {timeout:.0f} s\n")
        peak.stop()
        seconds = time.perf_counter() - started
        log.seek(0)
        return Run(seconds, peak.bytes, log.read(), process.returncode, _children_cpu() - cpu_before)


def _children_cpu() -> float:
    """CPU seconds of every finished child and of the children they waited for (pool workers)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class _PeakMemory(threading.Thread):
    """The largest summed RSS of a process and its descendants, sampled from /proc."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.bytes = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(_SAMPLE_SECONDS):
            self.bytes = max(self.bytes, _tree_rss(self.pid))

    def stop(self) -> None:
        self._done.set()
        self.join()
        if not Path("/proc").is_dir():    # not Linux: the largest single child the OS reports
            import resource

            self.bytes = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def _tree_rss(root: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        children.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        total += rss.get(pid, 0)
        pending.extend(children.get(pid, ()))
    return total


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


# --- reporting -----------------------------------------------------------------------------

def table(results: list[Result]) -> str:
    head = ("| sources | cold build | rebuild, 1 changed | rebuild, 1 changed, `--server` | rebuild in a preview "
            "| mkdocs build | peak memory | pages | search index | site |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    rows = [
        f"| {r.sources:,} | {_seconds(r.cold)} | {_seconds(r.rebuild)} | {_seconds(r.served)} | {_preview(r)} "
        f"| {_seconds(r.mkdocs)} "
        f"| {r.peak_bytes / _MB:,.0f} MB | {r.pages:,} | {r.search_bytes / _MB:,.1f} MB | {r.site_bytes / _MB:,.0f} MB |"
        for r in results
    ]
    notes = [f"- N={r.sources}: {note}" for r in results for note in r.notes]
    return "\n".join([head, *rows, *notes])


def stage_table(results: list[Result]) -> str:
    """Seconds per stage of each cold build and each rebuild, to see which stage grows faster
    than the number of sources (and what a rebuild still recomputes)."""
    runs = ([(f"cold N={r.sources:,}", r.cold) for r in results] + [(f"rebuild N={r.sources:,}", r.rebuild) for r in results]
            + [(f"preview N={r.sources:,}", r.preview) for r in results]
            + [(f"--server N={r.sources:,}", r.served) for r in results])
    runs = [(name, run) for name, run in runs if run is not None]
    stages = list(dict.fromkeys(name for _, run in runs for name in run.stages()))
    if not stages:
        return ""
    head = "| stage | " + " | ".join(name for name, _ in runs) + " |"
    rule = "|---|" + "---:|" * len(runs)
    rows = [f"| {stage} | " + " | ".join(f"{run.stages().get(stage, 0):.2f} s" for _, run in runs) + " |"
            for stage in stages]
    rows.append("| peak memory | " + " | ".join(f"{run.peak_bytes / _MB:,.0f} MB" for _, run in runs) + " |")
    return "\n".join(["Seconds per stage:", "", head, rule, *rows])


def _preview(result: Result) -> str:
    seconds = result.preview_seconds
    if seconds is None:
        return "-" if result.preview is None else "(failed)"
    return f"{seconds:,.1f} s"


def _seconds(run: Run | None) -> str:
    if run is None:
        return "-"
    return f"{run.seconds:,.1f} s ({run.cpu_seconds:,.0f} s CPU)" + ("" if run.returncode == 0 else " (failed)")


if __name__ == "__main__":
    raise SystemExit(main())
