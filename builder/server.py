"""The build server: `dossier build --server` builds in a process that stays running, so the next
`dossier build --server` of the same docs folder starts from the last build held in memory, as
`mkdocs serve` does between edits.

A command-line build otherwise starts from nothing: it imports spaCy and loads the model, reads
the stages' kept results back from SQLite, and redoes the cross-source work a serving process
keeps (measured at 1,000 sources, one source changed: 8.4 s, against 2.3 s in a process that
kept its last build).

One server per cache folder. `DOCS/.dossier-cache/server.json` (readable by its owner only) says
where it listens, on localhost, and the random key a client must prove it holds (HMAC challenge,
both ways) before anything is unpickled. It builds one request at a time, the command's own
options and log level, sends the log records and progress back as they come, and answers only a
client running the very code it loaded (the builder's files, the Python, the installed packages);
a client running other code stops it and starts a new one. It exits when idle for the minutes
`--server` was given, when `dossier stop-server` asks, when its dossier is too large to be kept
in memory (then it would only cost memory), when interrupted, and after any unexpected error.
Its own output goes to `server.log` beside it.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import AuthenticationError, Client, Connection, answer_challenge, deliver_challenge
from pathlib import Path

from builder.paths import CACHE_FOLDER
from builder.errors import DossierError

log = logging.getLogger(__name__)

SERVER_FILE = "server.json"
_LOCK_FILE = "server.lock"
_LOG_FILE = "server.log"
# Long enough to span the pauses of a working session (read the page, edit a source, build
# again); short enough that a forgotten server, about a gigabyte at 1,000 sources, goes away.
DEFAULT_IDLE_MINUTES = 15.0
# A new server listens within a second (it imports the builder only when asked to build); this
# allows for a machine busy with something else.
_START_SECONDS = 30.0
# How often a waiting server looks at its idle time and at whether server.json still names it.
_LOOK_SECONDS = 1.0
_BUILDER_FOLDER = Path(__file__).resolve().parent


class ServerUnavailable(Exception):
    """No build server could be started or reached, or it stopped during the build: the caller
    builds in its own process instead."""


@dataclass(frozen=True)
class ServedReport:
    """What the command line prints of a build the server ran (the dossier stays there)."""
    summary_line: str
    timings_line: str
    server_pid: int

    def summary(self) -> str:
        return self.summary_line

    def timings(self) -> str:
        return self.timings_line


@dataclass(frozen=True)
class _Request:
    sources: str
    docs: str
    cwd: str                # paths are as the user gave them, so warnings name files alike
    jobs: int | None
    level: int              # the command's log level: the server logs no more than it shows
    progress: bool
    fingerprint: str


@dataclass(frozen=True)
class _Address:
    pid: int
    port: int
    key: str
    fingerprint: str


def build_on_server(sources: Path, docs: Path, jobs: int | None = None,
                    idle_minutes: float = DEFAULT_IDLE_MINUTES,
                    progress: Callable[[str, int, int], None] | None = None) -> ServedReport:
    """Build on this docs folder's server, started if none runs (or one of other code does):
    its log records are logged here as they come. Raises DossierError as a build would, and
    ServerUnavailable when no server could do it."""
    folder = Path(docs) / CACHE_FOLDER
    request = _Request(str(sources), str(docs), os.getcwd(), jobs, logging.getLogger().getEffectiveLevel(),
                       progress is not None, _fingerprint())
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _locked(folder):
            connection, pid = _connect_or_start(folder, request.fingerprint, idle_minutes)
    except OSError as error:
        raise ServerUnavailable(f"{folder}: no build server ({error})") from error
    with connection:
        try:
            connection.send(("build", request))
            return _follow(connection, pid, progress)
        except KeyboardInterrupt:
            _signal(pid, signal.SIGINT)   # the server is in a session of its own: pass it on,
            _wait_gone(pid, _START_SECONDS)   # and say "interrupted" only once it has stopped
            raise
        except (EOFError, OSError) as error:
            raise ServerUnavailable(f"the build server (pid {pid}) stopped during the build; "
                                    f"see {folder / _LOG_FILE}") from error


def stop_server(docs: Path) -> int | None:
    """Ask the docs folder's build server to exit; the pid of the one that did, None if none ran."""
    folder = Path(docs) / CACHE_FOLDER
    address = _read_address(folder)
    if address is None or not _is_server(address.pid):
        return None
    connection = _connect(address)
    if connection is None:
        return None
    with connection:
        try:
            connection.send(("stop",))
            connection.recv()
        except (EOFError, OSError):
            pass
    _wait_gone(address.pid, _START_SECONDS)
    return address.pid


def run_server(folder: Path, idle_seconds: float) -> None:
    """Serve builds until idle for `idle_seconds`, asked to stop, or replaced."""
    server = _Server(secrets.token_bytes(32), _fingerprint())
    with socket.create_server(("127.0.0.1", 0)) as listening:
        listening.settimeout(_LOOK_SECONDS)
        port = listening.getsockname()[1]
        _write_address(folder, _Address(os.getpid(), port, server.key.hex(), server.fingerprint))
        log.info("build server %d: listening on port %d", os.getpid(), port)
        last_request = time.monotonic()
        try:
            while True:
                try:
                    accepted, _ = listening.accept()
                except TimeoutError:
                    if time.monotonic() - last_request > idle_seconds or not _names_me(folder):
                        log.info("build server %d: idle or replaced; exiting", os.getpid())
                        return
                    continue
                accepted.setblocking(True)
                with Connection(accepted.detach()) as connection:
                    go_on = server.serve(connection)
                last_request = time.monotonic()
                if not go_on:
                    return
        finally:
            if _names_me(folder):
                (folder / SERVER_FILE).unlink(missing_ok=True)


# --- the client ---------------------------------------------------------------------------

def _connect_or_start(folder: Path, fingerprint: str, idle_minutes: float) -> tuple[Connection, int]:
    address = _read_address(folder)
    if address is not None and _is_server(address.pid):
        if address.fingerprint == fingerprint and (connection := _connect(address)) is not None:
            return connection, address.pid
        if address.fingerprint != fingerprint:
            log.info("the build server %d runs other code than this command: starting another", address.pid)
            stop_server(folder.parent)
    address = _start(folder, idle_minutes)
    if address.fingerprint != fingerprint:
        raise ServerUnavailable("the new build server runs other code than this command (was the builder being changed?)")
    connection = _connect(address)
    if connection is None:
        raise ServerUnavailable(f"the new build server (pid {address.pid}) does not answer; see {folder / _LOG_FILE}")
    return connection, address.pid


def _start(folder: Path, idle_minutes: float) -> _Address:
    with open(folder / _LOG_FILE, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "builder.server", str(folder.resolve()), str(idle_minutes * 60)],
            stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,     # not stopped by the terminal's Ctrl-C, nor with the command
        )
    deadline = time.monotonic() + _START_SECONDS
    while time.monotonic() < deadline:
        address = _read_address(folder)
        if address is not None and address.pid == process.pid:
            return address
        if process.poll() is not None:
            raise ServerUnavailable(f"the build server did not start: {_last_line(folder / _LOG_FILE)}")
        time.sleep(0.02)
    process.kill()
    raise ServerUnavailable(f"the build server did not start within {_START_SECONDS:.0f} s")


def _follow(connection: Connection, pid: int, progress: Callable[[str, int, int], None] | None) -> ServedReport:
    """Log what the server sends until its answer."""
    while True:
        kind, *rest = connection.recv()
        if kind == "log":
            name, level, message = rest
            logging.getLogger(name).handle(logging.makeLogRecord(
                {"name": name, "levelno": level, "levelname": logging.getLevelName(level), "msg": message}))
        elif kind == "progress" and progress is not None:
            progress(*rest)
        elif kind == "done":
            return ServedReport(*rest, server_pid=pid)
        elif kind == "failed":
            raise DossierError(rest[0])
        elif kind == "interrupted":
            raise KeyboardInterrupt
        elif kind == "crashed":
            raise RuntimeError(f"the build server (pid {pid}) failed:\n{rest[0]}")
        elif kind == "refused":
            raise ServerUnavailable(rest[0])


def _connect(address: _Address) -> Connection | None:
    try:
        return Client(("127.0.0.1", address.port), authkey=bytes.fromhex(address.key))
    except (OSError, EOFError, AuthenticationError, ValueError):
        return None


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One command at a time finds or starts the server: two would start two."""
    with open(folder / _LOCK_FILE, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# --- the server ---------------------------------------------------------------------------

class _Server:
    def __init__(self, key: bytes, fingerprint: str) -> None:
        self.key, self.fingerprint = key, fingerprint
        self.holds_a_build = False

    def serve(self, connection: Connection) -> bool:
        """Answer one client; whether to wait for another."""
        try:
            deliver_challenge(connection, self.key)
            answer_challenge(connection, self.key)
            message = connection.recv()
        except (AuthenticationError, EOFError, OSError) as error:
            log.info("build server %d: a connection was refused or lost: %s", os.getpid(), error)
            return True
        if message[0] != "build":
            _send(connection, ("stopped",))
            return False
        request: _Request = message[1]
        if request.fingerprint != self.fingerprint:
            _send(connection, ("refused", "the build server runs other code than this command"))
            return False
        kept = _build(connection, request)
        if kept is None:      # the build failed on the user's input: the next may mend it
            return True
        if kept and not self.holds_a_build:
            _prepare(request)
        self.holds_a_build = kept
        return kept


def _build(connection: Connection, request: _Request) -> bool | None:
    """Run the request's build; whether this process now holds it for the next (None: it
    failed with a DossierError, which leaves what was held as it was)."""
    from builder.pipeline import BuildOptions, build, forget_last_build   # only once asked: it listens at once

    root = logging.getLogger()
    forward, level = _Forward(connection, request.level), root.level
    root.addHandler(forward)
    root.setLevel(request.level)
    os.chdir(request.cwd)
    progress = (lambda *state: _send(connection, ("progress", *state))) if request.progress else None
    try:
        report = build(Path(request.sources), Path(request.docs),
                       options=BuildOptions(jobs=request.jobs, serving=True, progress=progress))
    except DossierError as error:
        _send(connection, ("failed", str(error)))
        return None
    except KeyboardInterrupt:
        forget_last_build()      # what the stages kept may be half updated
        _send(connection, ("interrupted",))
        raise SystemExit(0)
    except Exception:
        _send(connection, ("crashed", traceback.format_exc()))
        raise SystemExit(1)
    finally:
        root.removeHandler(forward)
        root.setLevel(level)
    _send(connection, ("done", report.summary(), report.timings()))
    if not report.kept:
        log.info("build server %d: this dossier is too large to keep in memory; exiting", os.getpid())
    return report.kept


def _prepare(request: _Request) -> None:
    """While the user reads the first build, get ready for the next: load what a changed source
    needs and a build from the cache did not (the recogniser, the language identifier, the HTML
    extractors), and build the same sources again, preparing (BuildOptions.preparing): every
    stage computed from the cache, whole results that fill what the stages keep computed again.
    Measured at 1,000 sources, the first edit's rebuild then costs what later ones do (2.2-2.5 s
    CPU); with nothing prepared it took 1.2-1.5 s more (the model, the language identifier, the
    topics' tallies). That build logs nothing: a build that follows gives its warnings again."""
    import bs4          # noqa: F401  (imported by cleaning when it reads an HTML source)
    import trafilatura  # noqa: F401

    from builder.cleaning.language import language_identifier
    from builder.nlp import load_recognizer
    from builder.pipeline import BuildOptions, build

    started = time.perf_counter()
    language_identifier()
    root, muted = logging.getLogger(), logging.NullHandler()
    root.addHandler(muted)
    try:
        load_recognizer()
        build(Path(request.sources), Path(request.docs), options=BuildOptions(jobs=request.jobs, serving=True, preparing=True))
    except DossierError:          # the next build asked for will say so to its client
        pass
    finally:
        root.removeHandler(muted)
    log.info("build server %d: ready for the next build in %.1f s", os.getpid(), time.perf_counter() - started)


class _Forward(logging.Handler):
    """Send each record to the client, as text: its arguments may not pickle."""

    def __init__(self, connection: Connection, level: int) -> None:
        super().__init__(level=level)
        self.connection = connection

    def emit(self, record: logging.LogRecord) -> None:
        _send(self.connection, ("log", record.name, record.levelno, record.getMessage()))


def _send(connection: Connection, message: tuple) -> None:
    """A client that went away (killed) does not stop the build it asked for."""
    try:
        connection.send(message)
    except OSError:
        pass


# --- both sides ---------------------------------------------------------------------------

def _fingerprint() -> str:
    """The code a build runs: the Python, the builder's files (any edit changes their size or
    modification time) and the folders packages are installed in (installing one changes them)."""
    digest = hashlib.sha256(f"{sys.executable}\0{sys.version}".encode())
    folders = {sysconfig.get_paths()[kind] for kind in ("purelib", "platlib")}
    # Files only: a folder's time changes when Python first writes its __pycache__ into it.
    files = [path for path in _BUILDER_FOLDER.rglob("*") if "__pycache__" not in path.parts and path.is_file()]
    for path in sorted(folders) + sorted(map(str, files)):
        try:
            stat = os.stat(path)
        except OSError:
            continue
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _read_address(folder: Path) -> _Address | None:
    try:
        return _Address(**json.loads((folder / SERVER_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _write_address(folder: Path, address: _Address) -> None:
    temporary = folder / f".{SERVER_FILE}.{address.pid}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)   # the key: owner only
    with open(descriptor, "w", encoding="utf-8") as stream:
        json.dump(address.__dict__, stream)
    os.replace(temporary, folder / SERVER_FILE)


def _names_me(folder: Path) -> bool:
    address = _read_address(folder)
    return address is not None and address.pid == os.getpid()


def _is_server(pid: int) -> bool:
    """A live build server, not another process that took a dead server's pid."""
    try:
        return b"builder.server" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _wait_gone(pid: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while _is_server(pid) and time.monotonic() < deadline:
        time.sleep(0.02)


def _signal(pid: int, signum: int) -> None:
    if _is_server(pid):
        os.kill(pid, signum)


def _last_line(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return "(no log)"
    return lines[-1] if lines else "(no output)"


if __name__ == "__main__":
    # Only the server's own comings and goings go to server.log; a build's records go to its client.
    own = logging.StreamHandler()
    own.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    log.addHandler(own)
    log.setLevel(logging.INFO)
    run_server(Path(sys.argv[1]), float(sys.argv[2]))
