"""The command line of CONTRACT.md: exit codes, warnings, --strict, --quiet."""
import json
import subprocess
import sys

from tests.conftest import ROOT


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "builder", *map(str, args)], capture_output=True, text=True, cwd=cwd or ROOT, timeout=600)


def two_sources(folder):
    folder.mkdir()
    (folder / "a.txt").write_text("Quake hits town\n\nA strong earthquake hit the town of Avalon on Monday, officials said.\n")
    (folder / "b.txt").write_text("Town counts damage\n\nResidents of Avalon counted the damage on Tuesday after the earthquake.\n")


def test_build_writes_dossier_json_and_exits_zero(tmp_path):
    two_sources(tmp_path / "src")
    result = run("build", "--sources", tmp_path / "src", "--docs", tmp_path / "docs", "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert len(json.loads((tmp_path / "docs/dossier.json").read_text())["sources"]) == 2


def test_a_skipped_file_is_a_warning_naming_it_and_still_exit_zero(tmp_path):
    two_sources(tmp_path / "src")
    (tmp_path / "src/broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    result = run("build", "--sources", tmp_path / "src", "--docs", tmp_path / "docs", "--quiet")
    assert result.returncode == 0
    assert "WARNING" in result.stderr and "broken.txt" in result.stderr


def test_strict_turns_a_warning_into_exit_one(tmp_path):
    two_sources(tmp_path / "src")
    (tmp_path / "src/broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    result = run("build", "--sources", tmp_path / "src", "--docs", tmp_path / "docs", "--strict", "--quiet")
    assert result.returncode == 1


def test_a_missing_sources_folder_is_a_one_line_error(tmp_path):
    result = run("build", "--sources", tmp_path / "nowhere", "--docs", tmp_path / "docs")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "nowhere" in result.stderr


def test_without_quiet_a_summary_line_ends_the_log(tmp_path):
    two_sources(tmp_path / "src")
    result = run("build", "--sources", tmp_path / "src", "--docs", tmp_path / "docs")
    assert result.returncode == 0
    assert "2 sources read, 0 skipped" in result.stderr.strip().splitlines()[-1]
