"""Shared fixtures: the sample site, built once per test session with the real pipeline."""
from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden files from the current output")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def sources(self) -> Path:
        return self.root / "sources"

    def mkdocs(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=self.root, capture_output=True, text=True, timeout=600)


def copy_project(target: Path, sources: Path | None = None) -> Project:
    """A copy of the repository's MkDocs project (config, hand-written pages) with the given sources."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    (target / "docs").mkdir(exist_ok=True)
    for page in ("index.md", "about.md"):
        shutil.copy(ROOT / "docs" / page, target / "docs" / page)
    shutil.copytree(sources or ROOT / "sources", target / "sources")
    return Project(target)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Project:
    """The sample dossier built by `mkdocs build --strict`, exactly as a user would."""
    project = copy_project(tmp_path_factory.mktemp("sample"))
    result = project.mkdocs("build", "--strict")
    assert result.returncode == 0, result.stderr[-3000:]
    return project


def spying_memo(memo, computed: list):
    """`memo` (builder.cache), noting (kind, index) of every result it had to compute, whether
    one at a time or several at once (`many`)."""
    def spy(kind, keys, compute=None, many=None, fills=False):
        if many is not None:
            return memo(kind, keys, compute, many=lambda todo: computed.extend((kind, i) for i in todo) or many(todo),
                        fills=fills)
        return memo(kind, keys, lambda index: computed.append((kind, index)) or compute(index), fills=fills)
    return spy
