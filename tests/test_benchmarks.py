"""The benchmark's generator and reporting, at a tiny size (the timed runs are `dev.py bench`)."""
from __future__ import annotations

import os
import re

from benchmarks.generate import change_one_source, write_dossier
from benchmarks.run import Result, Run, _tree_rss, stage_table, table


def texts(folder):
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_the_same_seed_gives_byte_identical_dossiers(tmp_path):
    write_dossier(tmp_path / "a", 5, seed=11)
    write_dossier(tmp_path / "b", 5, seed=11)
    assert texts(tmp_path / "a") == texts(tmp_path / "b")


def test_another_seed_gives_another_dossier(tmp_path):
    write_dossier(tmp_path / "a", 5, seed=11)
    write_dossier(tmp_path / "b", 5, seed=12)
    assert texts(tmp_path / "a") != texts(tmp_path / "b")


def test_each_source_is_an_article_of_about_five_hundred_words_in_site_furniture(tmp_path):
    paths = write_dossier(tmp_path, 5, seed=11)
    assert len(paths) == 5
    for text in texts(tmp_path).values():
        words = len(re.sub(r"<[^>]+>", " ", text).split())
        assert 450 <= words <= 800, words
        assert "All rights reserved." in text
        assert "Advertisement" in text


def test_sources_quote_the_same_speakers_in_their_own_words(tmp_path):
    write_dossier(tmp_path, 40, seed=11)
    quotes = [q for text in texts(tmp_path).values() for q in re.findall(r"“([^”]+)”", text)]
    assert len(quotes) > len(set(quotes)) > 10       # some repeated word for word, most not


def test_changing_one_source_changes_exactly_one_file(tmp_path):
    write_dossier(tmp_path, 5, seed=11)
    before = texts(tmp_path)
    changed = change_one_source(tmp_path, stamp="(x)")
    after = texts(tmp_path)
    assert [name for name in before if before[name] != after[name]] == [changed.name]
    assert "(x)" in after[changed.name]


def test_the_table_reports_every_measure_per_size():
    run = Run(seconds=12.5, peak_bytes=300 * 1024 * 1024, log="INFO: stage times: read 0.10 s, clean 2.00 s\n",
              returncode=0, cpu_seconds=20.2)
    preview = Run(seconds=40.0, peak_bytes=0, log="preview rebuild: 2.25 s\nINFO: stage times: read 0.05 s, clean 0.30 s\n",
                  returncode=0)
    served = Run(seconds=2.75, peak_bytes=900 * 1024 * 1024, log="INFO: stage times: read 0.04 s, clean 0.08 s\n",
                 returncode=0, cpu_seconds=0.2)
    result = Result(1000, cold=run, rebuild=run, preview=preview, served=served, mkdocs=run, pages=2100,
                    search_bytes=5 * 1024 * 1024, site_bytes=80 * 1024 * 1024)
    printed = table([result])
    assert ("| 1,000 | 12.5 s (20 s CPU) | 12.5 s (20 s CPU) | 2.8 s (0 s CPU) | 2.2 s | 12.5 s (20 s CPU) | 900 MB "
            "| 2,100 | 5.0 MB | 80 MB |" in printed)
    stages = stage_table([result])
    assert "| stage | cold N=1,000 | rebuild N=1,000 | preview N=1,000 | --server N=1,000 |" in stages
    assert "| clean | 2.00 s | 2.00 s | 0.30 s | 0.08 s |" in stages
    assert "| peak memory | 300 MB | 300 MB | 0 MB | 900 MB |" in stages


def test_peak_memory_counts_at_least_this_process():
    if not os.path.isdir("/proc"):
        return
    assert _tree_rss(os.getpid()) > 1024 * 1024


def test_a_timed_command_reports_its_cpu_time_memory_and_output():
    import sys

    from benchmarks.run import _timed

    run = _timed([sys.executable, "-c", "print(sum(range(3 * 10**7)))"])
    assert run.returncode == 0 and str(sum(range(3 * 10**7))) in run.log
    assert run.cpu_seconds > 0.1
    assert run.seconds >= run.cpu_seconds * 0.5


def test_a_command_past_its_time_limit_is_stopped_with_its_children():
    import sys
    import time

    from benchmarks.run import _timed

    started = time.perf_counter()
    script = "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"
    run = _timed([sys.executable, "-c", script], timeout=1)
    assert time.perf_counter() - started < 20
    assert run.returncode != 0 and "stopped after 1 s" in run.log
