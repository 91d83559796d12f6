"""A topic's label: its two strongest label-worthy keywords as a short phrase."""
from __future__ import annotations

from ..text import fold_case
from .keywords import Keyword
from .lexicon import Lexicon

# A phrase or a named event heads a label over a single word scoring up to this much higher;
# other names (people, places) somewhat less, since "who" and "where" describe a subject less
# well than "what".
_PHRASE_BONUS = 1.5
_NAME_BONUS = 1.2

# Single words with these endings are mostly adjectives or adverbs ("tactical", "hostile",
# "bilateral", "reportedly"): good keywords, poor labels.
_ADJECTIVE_ENDINGS = ("al", "ic", "ive", "ous", "ian", "ese", "ful", "less", "able", "ible", "ed", "ly", "ish", "ile", "ary", "ent", "ant")

# A term used by more than this share of all paragraphs is the story's own subject ("the
# earthquake", "the merger"): true of every topic, so it names none.
_SUBJECT_SHARE = 0.4


def topic_label(keywords: list[Keyword], share: dict[str, float], lexicon: Lexicon, used: set[str]) -> str:
    """The two strongest label-worthy keywords as a short phrase: "Sanctions and isolation".

    Names and word pairs come first among near-equals since they read as subjects; single
    adjectives, demonyms and the dossier's ubiquitous subject are passed over.
    """
    fit = (
        [k for k in keywords if _labelable(k, share, lexicon)]
        or [k for k in keywords if _labelable(k, {}, lexicon)]     # a small dossier: its subject will do
        or keywords
    )
    ranked = sorted(fit, key=lambda k: (-k.score * _label_weight(k, lexicon), k.form))
    forms = [k.form for k in ranked]
    candidates = [forms[:2]] + [[forms[0], f] for f in forms[2:]] + [forms[:1]]
    for parts in candidates:
        text = " and ".join(parts)
        text = text[:1].upper() + text[1:]
        if text.casefold() not in used:
            return text
    return forms[0][:1].upper() + forms[0][1:]


def _label_weight(keyword: Keyword, lexicon: Lexicon) -> float:
    """How well a kind of term names a subject: a phrase ("emergency aid") or a named event
    ("World War II") best, another name (a person, a place) next, a single word last."""
    if keyword.term.startswith("@"):
        return _PHRASE_BONUS if keyword.term in lexicon.events else _NAME_BONUS
    return _PHRASE_BONUS if " " in keyword.term else 1.0


def _labelable(keyword: Keyword, share: dict[str, float], lexicon: Lexicon) -> bool:
    """Names, and phrases or words that read as nouns: not the dossier's ubiquitous subject,
    not a demonym, not a word the text uses as a verb ("help", "turn") or an adjective."""
    if share.get(keyword.term, 0.0) > _SUBJECT_SHARE or fold_case(keyword.form) in lexicon.demonyms:
        return False
    if keyword.term.startswith("@"):
        return True
    words = keyword.term.split()
    if words[0] in lexicon.verbs or words[-1] in lexicon.verbs:
        return False
    if len(words) > 1:
        return not fold_case(keyword.form).endswith(_ADJECTIVE_ENDINGS)
    return words[0] in lexicon.nouns and not fold_case(keyword.form).endswith(_ADJECTIVE_ENDINGS)
