#!/usr/bin/env python3
"""Set everything up and run the project, on a fresh machine with only Python 3.11 and pip.

    python3 dev.py serve     # build the sample dossier and serve it at http://127.0.0.1:8000
    python3 dev.py test      # run the whole test suite (installs Debian's chromium if missing)
    python3 dev.py bench     # print the speed and memory figures (see README)

Standard library only: this script is what installs everything else, into .venv/.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".dossier-installed"
BROWSER = "chromium"


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    return COMMANDS[argv[0]](argv[1:])


def serve(args: list[str]) -> int:
    _install(extras="")
    return _run([BIN / "mkdocs", "serve", "--dev-addr", "127.0.0.1:8000", *args])


def test(args: list[str]) -> int:
    _install(extras="[test]")
    _ensure_browser()
    return _run([BIN / "python", "-m", "pytest", *args])


def bench(args: list[str]) -> int:
    _install(extras="[test]")
    return _run([BIN / "python", "-m", "benchmarks.run", *args])


def _install(extras: str) -> None:
    """Create .venv and install the project into it, again only when pyproject.toml changed."""
    if not (BIN / "python").exists():
        print("dev.py: creating .venv", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    have = STAMP.read_text().split() if STAMP.exists() else []
    if wanted in have:
        return
    print(f"dev.py: installing the project{extras} into .venv", file=sys.stderr)
    _check([BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    _check([BIN / "python", "-m", "pip", "install", "--quiet", "-e", f".{extras}"])
    STAMP.write_text(" ".join([*have, wanted]))


def _ensure_browser() -> None:
    """The reader-facing tests drive Debian's chromium; install it where we may (as root)."""
    if shutil.which(BROWSER):
        return
    apt = shutil.which("apt-get")
    if apt and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("dev.py: installing Debian's chromium for the browser tests", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        _check([apt, "update", "-qq"], env=env)
        _check([apt, "install", "-y", "-qq", "--no-install-recommends", BROWSER], env=env)
        return
    sys.exit(f"dev.py: the browser tests need Debian's '{BROWSER}'; install it (sudo apt-get install {BROWSER}) and run again")


def _check(command: list, env: dict | None = None) -> None:
    code = _run(command, env=env)
    if code:
        sys.exit(f"dev.py: {' '.join(map(str, command))} failed with exit code {code}")


def _run(command: list, env: dict | None = None) -> int:
    # Material's banner about its successor is not about this project; keep the log ours.
    env = {"NO_MKDOCS_2_WARNING": "1", **(env or os.environ)}
    return subprocess.call([str(c) for c in command], cwd=ROOT, env=env)


COMMANDS = {"serve": serve, "test": test, "bench": bench}

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
