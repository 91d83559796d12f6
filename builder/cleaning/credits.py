"""Bylines ("By Jane Doe, Reuters") and staff lines ("(Reporting by X; Editing by Y)").

Both only match when the names after "by" look like names (capitalised words joined by
"and", commas, ";"), so a sentence such as "Reporting by the Times revealed that ..." stays.
"""
from __future__ import annotations

import re

_PARTICLES_WORDS = ("de", "da", "del", "der", "van", "von", "bin", "al", "el", "la", "le", "di", "du", "ibn", "dos", "das")
_NAME_WORD = r"(?:[A-Z][\w.'’-]*|[A-Z]\.|(?:de|da|del|der|van|von|bin|al|el|la|le|di|du|ibn|dos|das)(?= ))"
_NAME = rf"{_NAME_WORD}(?: {_NAME_WORD}){{0,4}}"
_NAMES = rf"{_NAME}(?:(?:,| and| &|,? and) {_NAME}){{0,5}}"
_BYLINE = re.compile(
    rf"(?:By|BY|Written by|Words by|Story by|Reported by|Text by|Author|Authors|Byline)\s?:?\s+(?P<names>{_NAMES})"
    rf"(?:\s?(?:[,|/–—-]|\bin\b)\s?(?P<rest>[A-Za-z][^.!?]{{0,80}}))?"
)
_STAFF_ROLE = (r"(?:additional |further |contributing |)(?:reporting|editing|writing|compiled|research|translation|translated"
               r"|fact-checking|fact checking|fact-checked|fact checked|reviewed|medically reviewed|checked|verified|production|produced|graphics|video|photography|photos|illustrations?"
               r"|sub-editing|design|data|interviews|written|edited|compiled|contributions|contributed)"
               r"(?: and (?:reporting|editing|writing|research|translation|production|graphics|video|photography))?")
_STAFF_PART = re.compile(rf"{_STAFF_ROLE} by (?P<names>{_NAMES})(?: in {_NAME})?(?: and {_NAME})?", re.IGNORECASE)
_MAX_BYLINE_WORDS = 16
# Lower-case words a byline's tail may hold ("Nick Beake in Marrakech and Jaroslav Lukiv in London").
_BYLINE_GLUE = frozenset("and in of the for at & de van von".split())
_ROLE_WORDS = frozenset(
    "correspondent editor reporter writer staff contributor columnist bureau desk chief senior analyst "
    "photographer producer".split())
_AFFILIATION_WORDS = frozenset(
    "news daily times post press agency wire herald tribune journal gazette review weekly media network radio tv "
    "television online correspondent editor reporter writer staff contributor columnist bureau desk chief senior "
    "political economics business foreign affairs".split())


# Who filed the story and from where, alone on a line: "Reuters in Nairobi", "Mira Holt in Blatten".
_FILER = re.compile(r"(?P<name>[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}) in [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+)?")


def filer_name(line: str) -> str | None:
    """The name in a "Name in Place" line, else None."""
    match = _FILER.fullmatch(line.strip())
    return match.group("name") if match else None


# "Jane Doe, Senior Correspondent": a name, a comma, the author's role.
_NAME_AND_ROLE = re.compile(r"(?P<name>[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3}),\s(?P<role>[\w ]{3,60})")
# A role is a few words ("Senior Correspondent", "Science correspondent", "Staff Writer").
_ROLE_LINE_WORDS = 4


# Two to four capitalised words: a person's name as a credit line prints it, without a "By".
_BARE_NAME = re.compile(rf"[A-Z][\w.'’-]+(?: (?:[A-Z][\w.'’-]+|{'|'.join(sorted(_PARTICLES_WORDS))})){{1,3}}")


def bare_author(text: str) -> str | None:
    """ "Mira Holt" -> "Mira Holt"; a publication's or a desk's name ("Avalon Herald", "World News") is no author."""
    text = text.strip()
    if not _BARE_NAME.fullmatch(text) or _AFFILIATION_WORDS & {word.lower() for word in text.split()}:
        return None
    return text


def is_role(line: str) -> bool:
    """ "Senior Correspondent", "Business editor": what a byline says the author is."""
    words = line.strip().split()
    return (1 <= len(words) <= _ROLE_LINE_WORDS and bool(_ROLE_WORDS & {word.lower() for word in words})
            and all(word[:1].isupper() or word.lower() in _AFFILIATION_WORDS or word.lower() in _BYLINE_GLUE
                    for word in words))


def name_with_role(line: str) -> str | None:
    """ "Jane Doe, Senior Correspondent" -> "Jane Doe", else None."""
    match = _NAME_AND_ROLE.fullmatch(line.strip())
    return match.group("name") if match and is_role(match.group("role")) else None


def byline_author(line: str) -> str | None:
    """The author's name(s) when `line` is a byline, else None."""
    parts = _byline_parts(line)
    return parts[0] if parts else None


def byline_outlet(line: str) -> str | None:
    """ "By Jane Doe, Business Daily" -> "Business Daily"; a role ("China correspondent") is no outlet."""
    parts = _byline_parts(line)
    if not parts or not parts[1]:
        return None
    affiliation = parts[1]
    if _ROLE_WORDS & set(affiliation.lower().split()) or " in " in f" {affiliation} ":
        return None
    return affiliation if len(affiliation.split()) <= 4 else None


def author_names(text: str) -> str | None:
    """An extractor's author field ("Sanne Visser; Business Editor", "A Lima; B Costa") as a byline
    would name them: roles dropped, names joined ("A Lima and B Costa")."""
    names = [part.strip() for part in text.split(";")]
    names = [name for name in names if name and not _ROLE_WORDS & set(name.lower().split())]
    if len(names) <= 2:
        return " and ".join(names) or None
    return ", ".join(names[:-1]) + " and " + names[-1]


def _byline_parts(line: str) -> tuple[str, str | None] | None:
    text = " ".join(line.split()).strip(" .")
    if len(text.split()) > _MAX_BYLINE_WORDS:
        return None
    match = _BYLINE.fullmatch(text)
    if not match or not _names_only(match.group("rest") or ""):
        return None
    names = match.group("names").split(", ")
    # "By Jane Doe, Reuters" / "By Jane Doe, Business Daily": the comma often introduces the
    # outlet or the role rather than a second author.
    affiliation = match.group("rest")
    while len(names) > 1 and (len(names[-1].split()) == 1 or _AFFILIATION_WORDS & set(names[-1].lower().split())):
        affiliation = names.pop()
    author = ", ".join(names)
    if author.isupper() and len(author.split()) >= 2:
        author = _name_case(author)     # "By JANE DOE" names Jane Doe (a lone "AP" stays)
    return author, affiliation


def _name_case(names: str) -> str:
    """ "JANE DOE AND TOM O'NEIL" -> "Jane Doe and Tom O'Neil"."""
    words = [word.lower() if word in ("AND", "&") else re.sub(r"[^\W\d_]+", lambda m: m.group().capitalize(), word)
             for word in names.split()]
    return " ".join(words)


_LABELLED_STAFF = re.compile(
    rf"[\[(]?(?:editor|editors|edited by|editing|reporter|reporters|reporting|writer|writing|translator|translation"
    rf"|producer|sub-editor|compiled by|photographer|photos|camera|author)s?\s?:\s?{_NAMES}[\])]?", re.IGNORECASE)


def _names_only(text: str) -> bool:
    """What follows a byline's names is an outlet, role or place, in capitalised words or a
    role's own ("Science correspondent", "political editor"): "By Tuesday, Russia had withdrawn"
    is a sentence, not a byline."""
    words = text.replace(",", " ").split()
    return all(word[:1].isupper() or word.lower() in _BYLINE_GLUE or word.lower() in _AFFILIATION_WORDS
               for word in words)


def is_staff_line(line: str) -> bool:
    """"Reporting by X; Editing by Y" (in brackets or not), "Compiled by ...", "[Editor: X]"."""
    text = " ".join(line.split()).strip()
    if len(text) > 400:
        return False
    if _LABELLED_STAFF.fullmatch(text) and all(word[:1].isupper() for word in text.split(":", 1)[1].strip(" ])").split()
                                                 if word.lower() not in _PARTICLES | {"and", "&"}):
        return True
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    parts = [part.strip(" .") for part in re.split(r"[;,]\s*(?=[A-Za-z-]+(?: and \w+)? by\b)|;", text)]
    parts = [part for part in parts if part]
    return bool(parts) and all(_is_staff_part(part) for part in parts)


def _is_staff_part(part: str) -> bool:
    match = _STAFF_PART.fullmatch(part)
    if not match:
        return False
    # re.IGNORECASE lets "Reporting" be "REPORTING", but names must still be capitalised words.
    return all(word[:1].isupper() or word in {"and", "&", "in"} or word.lower() in _PARTICLES
               for word in re.split(r"[ ,]+", match.group("names")) if word)


_PARTICLES = frozenset(_PARTICLES_WORDS)
