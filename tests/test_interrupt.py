"""Nothing lost: an interrupted build leaves the previous site as it was, the next build works,
the same sources give byte-identical output, and a user's own files are never touched.

The builds run as `python -m builder build` subprocesses, as a user runs them, and are stopped
with real signals: SIGINT (Ctrl-C) while the pipeline is still computing, and SIGKILL (a crash,
the OOM killer) at chosen points inside the write phase itself.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

USER_FILES = {"index.md": "# My dossier\n", "notes/mine.md": "my notes\n", "sources/README.md": "a user's file\n"}
# Written into the sources folder so the read stage warns at once: the cue that the build has
# started and is still computing (spaCy and the later stages take seconds after this line).
BINARY_CUE = "zz-cue.txt"


def run_build(sources: Path, docs: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builder", "build", "--sources", str(sources), "--docs", str(docs),
                           "--quiet"], capture_output=True, text=True, cwd=ROOT, timeout=600)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (hidden ones too) with the sha256 of its bytes, but the
    recognition cache's: it is no part of the site (safe to delete, valid whatever happens)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".dossier-cache" not in p.relative_to(folder).parts}


def write_sources(folder: Path, extra: int = 0) -> None:
    """A small dossier on another story; `extra` adds sources so a second build has work to do."""
    folder.mkdir(parents=True, exist_ok=True)
    stories = [
        ("Summit opens in Lisbon", "Leaders of twelve countries met in Lisbon on Monday for a two-day summit on "
         "fishing quotas, the Portuguese foreign ministry said."),
        ("Lisbon summit ends without deal", "The Lisbon summit on fishing quotas ended on Tuesday without an "
         "agreement, after Norway and Iceland rejected the draft, diplomats said."),
        ("Fishermen protest outside summit", "Several hundred fishermen protested outside the summit venue in "
         "Lisbon on Monday, demanding higher quotas for small boats."),
    ]
    stories += [(f"Follow-up report number {n} from Lisbon", f"Delegates from country {n} said on Wednesday "
                 f"that talks on fishing quotas would resume in Oslo in {2025 + n}.") for n in range(extra)]
    for n, (title, body) in enumerate(stories):
        (folder / f"story-{n:02d}.txt").write_text(f"{title}\n\n{body}\n\nShare this article\n", encoding="utf-8")


def add_user_files(docs: Path) -> None:
    for rel, text in USER_FILES.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")


def assert_user_files_intact(docs: Path) -> None:
    for rel, text in USER_FILES.items():
        assert (docs / rel).read_text(encoding="utf-8") == text, rel


@pytest.fixture
def first_build(tmp_path):
    """Sources, a docs folder holding a user's files and one successful build, and its snapshot."""
    sources, docs = tmp_path / "sources", tmp_path / "docs"
    write_sources(sources)
    docs.mkdir()
    add_user_files(docs)
    result = run_build(sources, docs)
    assert result.returncode == 0, result.stderr
    return sources, docs, snapshot(docs)


def wait_for_line(process: subprocess.Popen, needle: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if needle in line:
            return
        if not line and process.poll() is not None:
            pytest.fail(f"the build ended (exit {process.returncode}) before logging {needle!r}")
    pytest.fail(f"no {needle!r} in the build's log within {timeout} s")


def test_ctrl_c_while_computing_leaves_the_previous_site_byte_identical(first_build, tmp_path):
    sources, docs, before = first_build
    write_sources(sources, extra=3)
    (sources / BINARY_CUE).write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    process = subprocess.Popen([sys.executable, "-m", "builder", "build", "--sources", str(sources),
                                "--docs", str(docs)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_line(process, f"{BINARY_CUE}: skipped")
        process.send_signal(signal.SIGINT)
        _, rest = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 130, rest
    assert "interrupted; the previous site is left as it was" in rest
    assert "Traceback" not in rest
    assert snapshot(docs) == before
    (sources / BINARY_CUE).unlink()
    assert run_build(sources, docs).returncode == 0
    assert_user_files_intact(docs)


# Runs the real CLI with the process SIGKILLing itself at a known point of the write phase:
# "write" = before the Nth changed file is staged under its temporary name, "rename" = after
# every file is staged, before the Nth move into place (which leaves temporary files behind).
_CRASHING_BUILD = textwrap.dedent("""
    import os, signal, sys
    from builder import output, cli
    mode, crash_after = sys.argv.pop(1), int(sys.argv.pop(1))
    done = []
    def counting(real):
        def wrapper(*args):
            if len(done) == crash_after:
                os.kill(os.getpid(), signal.SIGKILL)
            result = real(*args)
            done.append(args)
            return result
        return wrapper
    if mode == "write":
        output._temporary_beside = counting(output._temporary_beside)
    else:
        output.os.replace = counting(output.os.replace)
    sys.exit(cli.main(sys.argv[1:]))
""")


def crashing_build(sources: Path, docs: Path, mode: str, crash_after: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _CRASHING_BUILD, mode, str(crash_after), "build", "--sources",
                           str(sources), "--docs", str(docs), "--quiet"],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)


@pytest.mark.parametrize("mode, crash_after", [("write", 0), ("write", 1), ("write", 7), ("rename", 3)])
def test_a_crash_inside_the_write_phase_loses_nothing_and_the_next_build_completes(first_build, tmp_path, mode,
                                                                                   crash_after):
    sources, docs, before = first_build
    write_sources(sources, extra=3)
    result = crashing_build(sources, docs, mode, crash_after)
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert_user_files_intact(docs)
    # Every file is whole: either what the previous build wrote or a complete new file.
    reference = tmp_path / "reference"
    assert run_build(sources, reference).returncode == 0
    after_crash = snapshot(docs)
    new = snapshot(reference)
    for rel, digest in after_crash.items():
        if rel in USER_FILES or rel == ".dossier-manifest.json" or Path(rel).name.startswith(".tmp-"):
            continue
        assert digest in (before.get(rel), new.get(rel)), rel
    if mode == "write":   # killed before the first move: the previous site is exactly as it was
        published = {rel: h for rel, h in after_crash.items() if not Path(rel).name.startswith(".tmp-")}
        assert published == before

    result = run_build(sources, docs)
    assert result.returncode == 0, result.stderr
    assert_user_files_intact(docs)
    if mode == "rename":
        assert [rel for rel in after_crash if Path(rel).name.startswith(".tmp-")]   # the case is real
    repaired = {rel: h for rel, h in snapshot(docs).items() if rel not in USER_FILES}
    assert not [rel for rel in repaired if Path(rel).name.startswith(".tmp-")]
    assert {rel: h for rel, h in repaired.items() if rel != ".dossier-manifest.json"} == \
        {rel: h for rel, h in new.items() if rel != ".dossier-manifest.json"}


def test_the_same_sources_give_byte_identical_output_in_two_folders(tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "tests" / "fixtures" / "hostile" / "sources", sources)
    write_sources(sources, extra=2)
    first, second = tmp_path / "one" / "docs", tmp_path / "two" / "docs"
    assert run_build(sources, first).returncode == 0
    assert run_build(sources, second).returncode == 0
    one, two = snapshot(first), snapshot(second)
    assert len(one) > 20
    assert one == two


def test_a_killed_build_never_leaves_the_manifest_unreadable(first_build):
    """The manifest is what lets the builder tell its files from the user's: it must always parse."""
    sources, docs, _ = first_build
    write_sources(sources, extra=3)
    for mode, crash_after in (("write", 0), ("write", 2), ("rename", 0)):
        assert crashing_build(sources, docs, mode, crash_after).returncode == -signal.SIGKILL
        manifest = json.loads((docs / ".dossier-manifest.json").read_text(encoding="utf-8"))
        assert manifest["files"]
        assert not set(manifest["files"]) & {"index.md", "notes/mine.md", "sources/README.md"}
