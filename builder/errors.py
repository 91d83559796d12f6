"""The one exception type the pipeline raises for problems a user can fix.

Stages raise `DossierError` with a message that says what went wrong, where, and how to
fix it; only the boundaries (the CLI and the MkDocs plugin) turn it into an exit code or a
MkDocs error, as sqlite-utils keeps domain errors out of its command layer.
"""
import re

# Line breaks and terminal controls, which a file name may hold ("a\nWARNING: forged.txt").
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class DossierError(Exception):
    """A fatal problem with the user's input or setup (not a bug in the builder)."""


def describe_file_error(error: Exception) -> str:
    """One line for why a YAML file could not be read: where (line, column) and what, so the
    user can go straight to it. YAML's own message spans several lines with a code excerpt."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        problem = getattr(error, "problem", None) or "malformed YAML"
        context, start = getattr(error, "context", None), getattr(error, "context_mark", None)
        if context:   # "while scanning a quoted scalar": and where that began, often the real culprit
            problem += f" {context}" + (f" at line {start.line + 1}, column {start.column + 1}"
                                        if start is not None and start.line != mark.line else "")
        return f"line {mark.line + 1}, column {mark.column + 1}: {problem}"
    if isinstance(error, UnicodeDecodeError):
        return f"not UTF-8 text (byte 0x{error.object[error.start]:02x} at offset {error.start})"
    if isinstance(error, OSError):
        return (error.strerror or type(error).__name__).lower()
    return " ".join(str(error).split())


def one_line(message: str) -> str:
    """A log message as one line of plain text: control characters shown as escapes, so a
    hostile file name can neither forge a second log line nor drive the user's terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), message)
