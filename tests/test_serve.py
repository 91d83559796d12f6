"""Live preview: `mkdocs serve` on 127.0.0.1 rebuilds the dossier when a source is added,
edited or deleted, and a broken source costs a warning, never the server.

One server runs for the whole module, in a temporary copy of the project, and is stopped at
the end whatever happens. Every wait is bounded; the time each change took to show is printed
in pytest's captured output (-rP) for the README's "within a few seconds".
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import copy_project

FIRST_BUILD_SECONDS = 180   # spaCy's model loads on the first build; a slow CI machine needs time
CHANGE_SECONDS = 60         # a rebuild of the sample takes a few seconds; this bound only stops a hang
POLL_SECONDS = 0.25

NEW_SOURCE = """Harbour reopens after the storm

Port officials in Valmora said on Thursday that the harbour had reopened to cargo ships.

"We expect normal traffic by the weekend," said harbour master Ilse Brandvold.
"""
EDIT_MARKER = "Councillor Orsolya Demeter said the repairs would be paid from the reserve fund."


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


class Server:
    def __init__(self, project, port: int):
        self.project = project
        self.url = f"http://127.0.0.1:{port}/"
        self.log_path = project.root / "serve.log"
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project.root, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, condition, seconds: float, what: str) -> float:
        """Poll until condition() holds; returns the seconds it took."""
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            if self.process.poll() is not None:
                pytest.fail(f"mkdocs serve exited ({self.process.returncode}) while waiting for {what}:\n{self.log()[-3000:]}")
            if condition():
                return time.monotonic() - started
            time.sleep(POLL_SECONDS)
        pytest.fail(f"not within {seconds} s: {what}\n{self.log()[-3000:]}")

    def dossier(self) -> dict:
        status, body = _get(self.url + "dossier.json")
        return json.loads(body) if status == 200 and body else {"sources": []}

    def source_page(self, path: str) -> str | None:
        """The served page of the source read from `path`, if the dossier lists it."""
        for source in self.dossier()["sources"]:
            if source["path"] == path:
                status, body = _get(self.url + source["page"].removesuffix(".md") + "/")
                return body if status == 200 else None
        return None

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)
        self._log.close()


def served_sample(tmp_path_factory, name: str):
    """A copy of the sample project under `mkdocs serve`, once its first build is served; stopped after."""
    project = copy_project(tmp_path_factory.mktemp(name) / "project")
    running = Server(project, _free_port())
    try:
        running.wait_for(lambda: _get(running.url)[0] == 200 and running.dossier()["sources"],
                         FIRST_BUILD_SECONDS, "the first build to be served")
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from served_sample(tmp_path_factory, "serve")


def test_editing_a_source_shows_on_its_page(server):
    path = sorted(p.name for p in server.project.sources.glob("*.txt"))[0]
    source = server.project.sources / path
    source.write_text(source.read_text(encoding="utf-8").rstrip() + f"\n\n{EDIT_MARKER}\n", encoding="utf-8")
    took = server.wait_for(lambda: EDIT_MARKER in (server.source_page(path) or ""), CHANGE_SECONDS, "the edit to show")
    print(f"edit shown after {took:.1f} s")


def test_adding_a_source_gives_it_a_page_and_deleting_it_removes_it(server):
    new = server.project.sources / "harbour-reopens.txt"
    new.write_text(NEW_SOURCE, encoding="utf-8")
    took = server.wait_for(lambda: "Ilse Brandvold" in (server.source_page(new.name) or ""), CHANGE_SECONDS,
                           "the new source's page")
    print(f"new source shown after {took:.1f} s")
    new.unlink()
    took = server.wait_for(lambda: all(s["path"] != new.name for s in server.dossier()["sources"]),
                           CHANGE_SECONDS, "the deleted source to leave the dossier")
    print(f"deleted source gone after {took:.1f} s")
    assert _get(server.url + "sources/harbour-reopens/")[0] == 404


def test_a_broken_source_is_a_warning_and_the_server_keeps_serving(server):
    broken = server.project.sources / "scan.txt"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    server.wait_for(lambda: "scan.txt" in server.log() and "WARNING" in server.log(), CHANGE_SECONDS,
                    "a warning naming the broken file")
    warning = next(line for line in server.log().splitlines() if "scan.txt" in line)
    assert "WARNING" in warning and "skipped" in warning
    assert _get(server.url)[0] == 200 and server.process.poll() is None
    # ...and the server still rebuilds after it.
    path = sorted(p.name for p in server.project.sources.glob("0*.txt"))[-1]
    source = server.project.sources / path
    source.write_text(source.read_text(encoding="utf-8").rstrip() + "\n\nThe ferry timetable was restored on Friday.\n",
                      encoding="utf-8")
    server.wait_for(lambda: "ferry timetable was restored" in (server.source_page(path) or ""), CHANGE_SECONDS,
                    "an edit after the broken file")
    broken.unlink()
