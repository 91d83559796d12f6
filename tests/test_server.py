"""`dossier build --server`: builds in a process that stays running between commands.

Real commands and real server processes: each test stops what it started."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from builder.output import MANIFEST
from builder.server import SERVER_FILE
from tests.conftest import ROOT

CACHE = ".dossier-cache"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "builder", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=600)


def address(docs):
    return json.loads((docs / CACHE / SERVER_FILE).read_text())


def alive(pid):
    try:
        return b"builder.server" in open(f"/proc/{pid}/cmdline", "rb").read()
    except OSError:
        return False


def gone_within(pid, seconds):
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


def files(docs):
    return {path.relative_to(docs).as_posix(): path.read_bytes() for path in sorted(docs.rglob("*"))
            if path.is_file() and CACHE not in path.parts}


@pytest.fixture
def project(tmp_path):
    """The sample's sources and a docs folder; any server of it is stopped afterwards."""
    shutil.copytree(ROOT / "sources", tmp_path / "sources")
    yield tmp_path
    run("stop-server", "--docs", tmp_path / "docs")
    server = tmp_path / "docs" / CACHE / SERVER_FILE
    if server.is_file() and alive(pid := json.loads(server.read_text())["pid"]):
        os.kill(pid, 9)


def build(project, *more):
    return run("build", "--sources", project / "sources", "--docs", project / "docs", "--server", *more)


def edit(project):
    source = sorted((project / "sources").glob("*.txt"))[0]
    source.write_text(source.read_text() + "\n\nMaria Lindqvist of the Baltic Institute said the letters changed little.\n")


def test_the_next_build_is_served_by_the_same_process_and_writes_what_a_fresh_build_writes(project, tmp_path):
    first = build(project)
    assert first.returncode == 0, first.stderr
    pid = address(project / "docs")["pid"]
    edit(project)
    second = build(project)
    assert second.returncode == 0, second.stderr
    assert address(project / "docs")["pid"] == pid and alive(pid)
    assert "5 sources read" in second.stderr.splitlines()[-1]
    fresh = run("build", "--sources", project / "sources", "--docs", tmp_path / "fresh", "--no-cache", "--quiet")
    assert fresh.returncode == 0, fresh.stderr
    assert files(project / "docs") == files(tmp_path / "fresh")


def test_the_server_listens_only_for_its_owner_with_a_key(project):
    assert build(project, "--quiet").returncode == 0
    server = project / "docs" / CACHE / SERVER_FILE
    assert server.stat().st_mode & 0o077 == 0
    assert len(bytes.fromhex(address(project / "docs")["key"])) == 32


def test_warnings_on_the_server_reach_the_command_and_strict_counts_them(project):
    (project / "sources" / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    result = build(project, "--strict", "--quiet")
    assert result.returncode == 1
    assert "WARNING" in result.stderr and "broken.txt" in result.stderr
    assert alive(address(project / "docs")["pid"])


def test_an_error_on_the_server_is_a_one_line_error_and_the_server_stays(project):
    assert build(project, "--quiet").returncode == 0
    pid = address(project / "docs")["pid"]
    (project / "docs" / MANIFEST).write_text("{ not json")
    edit(project)
    result = build(project, "--quiet")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "unreadable" in result.stderr
    assert alive(pid)


def test_a_server_running_other_code_is_replaced(project):
    assert build(project, "--quiet").returncode == 0
    old = address(project / "docs")
    (project / "docs" / CACHE / SERVER_FILE).write_text(json.dumps({**old, "fingerprint": "an older builder"}))
    assert build(project, "--quiet").returncode == 0
    assert address(project / "docs")["pid"] != old["pid"]
    assert gone_within(old["pid"], 10)


def test_the_address_of_a_server_that_died_is_replaced(project):
    assert build(project, "--quiet").returncode == 0
    old = address(project / "docs")
    os.kill(old["pid"], 9)
    assert gone_within(old["pid"], 10)
    assert build(project, "--quiet").returncode == 0
    assert alive(address(project / "docs")["pid"])


def test_stop_server_ends_it_and_says_when_none_runs(project):
    assert build(project, "--quiet").returncode == 0
    pid = address(project / "docs")["pid"]
    stopped = run("stop-server", "--docs", project / "docs")
    assert stopped.returncode == 0 and f"pid {pid}" in stopped.stderr
    assert gone_within(pid, 10)
    assert not (project / "docs" / CACHE / SERVER_FILE).exists()
    again = run("stop-server", "--docs", project / "docs")
    assert again.returncode == 0 and "no build server" in again.stderr


def test_an_idle_server_exits_by_itself(project):
    assert build(project, "--quiet", "--server", "0.02").returncode == 0    # idle for 1.2 s
    pid = address(project / "docs")["pid"]
    assert gone_within(pid, 15)
    assert not (project / "docs" / CACHE / SERVER_FILE).exists()


def test_when_no_server_can_start_the_command_builds_itself_and_warns(project):
    (project / "docs" / CACHE / SERVER_FILE).mkdir(parents=True)   # where the server would say where it listens
    result = build(project)
    assert result.returncode == 0
    assert "build server did not start" in result.stderr and "building in this process instead" in result.stderr
    assert (project / "docs" / "dossier.json").exists()


def test_server_and_no_cache_together_are_refused(project):
    result = build(project, "--no-cache")
    assert result.returncode == 1 and "--no-cache" in result.stderr


def test_an_interrupted_build_stops_the_server_and_leaves_the_site_as_it_was(project):
    from benchmarks.generate import write_dossier

    shutil.rmtree(project / "sources")
    write_dossier(project / "sources", 60, seed=3)    # long enough to be interrupted while recognising
    command = [sys.executable, "-m", "builder", "build", "--sources", project / "sources", "--docs", project / "docs",
               "--server"]
    process = subprocess.Popen(list(map(str, command)), stderr=subprocess.PIPE, text=True, cwd=ROOT)
    for line in process.stderr:
        if "recognising" in line:
            break
    pid = address(project / "docs")["pid"]
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 130
    assert "interrupted" in process.stderr.read()
    assert not alive(pid)
    assert not (project / "docs" / "dossier.json").exists()
