"""One type per entity, decided by the whole dossier rather than one sentence.

The small model is often wrong about a single mention (a town taken for a product, a
newspaper for a person); the dossier usually says better. Evidence, strongest first:
- the writer's own description of the name ("the city of Elbistan", "state media Yonhap",
  "Antakya, the ancient city", "the Al Haouz province", "President Lula"): when present and
  unanimous it decides; so do what only a country has ("Kaldoria's prime minister", "the
  government of Kaldoria", "President Ana Rusk of Kaldoria", "held in Kaldoria", and its
  demonym before one: "the Kaldorian president"), which the model misses in unfamiliar names,
  and being one of the world's countries;
- the name's own head word ("... News Agency", "... Peninsula", "Bank of ...", "... Earthquake";
  a document, "... Treaty", "... Declaration", is OTHER, not the body that signed it);
- the model's label on every mention (vague labels like PRODUCT count half; "the X" is no person);
- the company a name keeps ("Amizmiz and Asni"), a place preposition ("near Elbistan").
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from operator import itemgetter

from builder.glossary.grouping import NameGroup
from builder.glossary.names import (
    COUNTRIES,
    LABEL_TYPES,
    NameIndex,
    Occurrence,
    demonym_places,
    is_all_caps_acronym,
    key_tokens,
    literal_atoms,
    name_key,
    ordered_alternation,
)

# Nouns a writer puts right before a name to say what it is ("agency", "city of").
_DESCRIBED_AS = {
    "PERSON": frozenset((
        "mr mrs ms miss dr prof sir dame president minister leader ambassador spokesman spokeswoman "
        "spokesperson chairman chairwoman chair ceo executive director secretary governor senator "
        "congressman congresswoman lawmaker mayor general commander colonel captain lieutenant "
        "sergeant admiral pope king queen prince princess emperor sheikh premier chancellor judge "
        "justice professor analyst expert economist colleague counterpart founder cofounder co-founder "
        "editor correspondent reporter journalist actor actress singer author writer coach player "
        "striker midfielder goalkeeper lawyer attorney prosecutor official envoy diplomat deputy "
        "officer researcher scientist seismologist geologist volcanologist boss manager chief head "
        "mr. mrs. ms. dr. prof. gen. sen. rep. gov. lt. col. sgt. st. rev. father sister brother "
        "wife husband son daughter mother widow investor billionaire entrepreneur activist "
        "dictator rival opponent candidate nominee advisor adviser aide negotiator mediator"
    ).split()),
    "ORG": frozenset((
        "agency newspaper daily outlet broadcaster network channel company firm group publisher "
        "magazine tabloid website regulator watchdog ministry bank giant maker startup carrier "
        "airline insurer lender retailer manufacturer developer media party organisation "
        "organization club team studio brand conglomerate automaker chipmaker operator utility "
        "charity nonprofit union association federation institute university council committee "
        "commission court agency's paper"
    ).split()),
    "PLACE": frozenset((
        "city town village province region district county state island capital port municipality "
        "country republic kingdom prefecture oblast neighbourhood neighborhood suburb area "
        "cities towns villages provinces regions districts counties islands"
    ).split()),
}
# "city of X": the description joined by "of".
_DESCRIBED_OF = {
    # "residents of Tomohon", "the outskirts of Tomohon", "the mayor of Tomohon" (not "governor of":
    # central banks have governors).
    "PLACE": set(_DESCRIBED_AS["PLACE"]) | set(
        "residents inhabitants villagers outskirts streets suburbs mayor north south east west northeast "
        "northwest southeast southwest".split()
    ),
    "ORG": {"ministry", "university", "bank"},
}
# The last letters of the describing nouns: a word ending otherwise is none of them.
_DESCRIBED_ENDINGS = frozenset(noun[-1] for nouns in _DESCRIBED_AS.values() for noun in nouns)
# Who lives in a place, after its name: "Tomohon residents", "Tomohon's villagers".
_INHABITANTS = frozenset({"residents", "inhabitants", "villagers", "townspeople", "mayor"})

# A name's own last word says what it names ("Kyodo News Agency", "Gulf War").
_HEAD_WORDS = {
    "ORG": frozenset((
        "agency ministry department times news post journal herald tribune gazette press inc corp "
        "corporation company co ltd llc plc group bank authority council committee commission "
        "university college institute party army navy police court parliament assembly congress "
        "senate foundation association service services office board organisation organization "
        "network media airlines airways club fc bureau command fund trust exchange tv radio "
        "magazine daily review studios entertainment motors technologies systems labs holdings "
        "guard forces force telegraph observer guardian telegram societies society league "
        "management capital partners investments ventures securities insurance pharmaceuticals "
        "therapeutics semiconductor semiconductors solutions software logistics industries "
        "enterprises brands foods petroleum mining telecom communications energy"
    ).split()),
    "PLACE": frozenset((
        "city county province region island islands mountain mountains mount river sea ocean lake "
        "bay gulf peninsula valley desert coast strait district square street avenue bridge airport "
        "port asia africa europe america oblast prefecture basin plateau park area"
    ).split()),
    "EVENT": frozenset((
        "war day summit olympics cup championship championships earthquake quake hurricane "
        "storm typhoon cyclone flood floods conference parade festival election elections "
        "revolution crisis forum expo marathon tournament massacre invasion offensive "
        "uprising protests eruption tsunami wildfire disaster"
    ).split()),
    # Documents: "the Harbour Declaration", "the Kyoto Protocol" are texts, not the bodies that
    # signed them nor the meetings that agreed them.
    "OTHER": frozenset("declaration accord accords treaty agreement convention conventions protocol charter".split()),
}
# "Republican National Convention", "the party's annual convention": a convention that meets.
_MEETING_CONVENTION = frozenset({"national", "annual", "party"})
# Particles that open a family name used alone ("von der Leyen", "van der Bellen").
_SURNAME_PARTICLES = frozenset({("von", "der"), ("van", "der"), ("van", "den")})
# Words that open a natural feature's name (abbreviated ones as name_key leaves them).
_PLACE_FIRST_WORDS = frozenset({"mount", "mt", "lake", "cape", "st", "ste", "saint", "sainte", "sankt"})
# Words that open an event's name.
_EVENT_FIRST_WORDS = frozenset({"hurricane", "typhoon", "cyclone", "storm", "tropical", "operation"})
# In "X of Y" the word before "of" says it: "Bank of England", "Republic of Chile", "Battle of Mosul".
_HEAD_BEFORE_OF = {
    "ORG": frozenset((
        "bank university ministry department office council committee commission institute court "
        "federation union league association society organisation organization agency authority "
        "academy school college board group party bureau church order confederation house"
    ).split()),
    "PLACE": frozenset("republic kingdom state city province gulf bay sea isle isles strait cape lake mount".split()),
    "EVENT": frozenset("battle siege festival day war summit".split()),
    "OTHER": frozenset("treaty convention charter protocol declaration".split()),   # "Treaty of Rome"
}
# "analysts at X", "a professor at X": where people work is an organisation.
_WORKS_AT = re.compile(
    r"\b(?:analysts?|economists?|strategists?|researchers?|scientists?|officials?|staff|employees?|"
    r"workers?|executives?|experts?|traders?|professor|lecturer|director|engineers?|forecasters?|"
    r"meteorologists?|seismologists?|volcanologists?|doctors?|surgeons?|bankers?|lawyers?|"
    r"spokes(?:man|woman|person)) at\s+$",
    re.IGNORECASE,
)
# What only a company has or undergoes ("shares in X", "the takeover of X", "X shareholders").
_COMPANY_THINGS = frozenset(
    "shares stock stocks shareholders investors subsidiary subsidiaries acquisition takeover "
    "buyout merger stake".split()
)
_OWNED_OF = re.compile(r"\b(?:" + "|".join(sorted(_COMPANY_THINGS)) + r") (?:of|in)\s+$", re.IGNORECASE)
# Place words written after a name, lower case ("the Al Haouz province").
_DESCRIBED_AFTER = frozenset(
    "province region district county prefecture governorate oblast municipality valley "
    "neighbourhood neighborhood river volcano glacier".split()
)
# ", near the border", ", 70 km (43 miles) south of the capital": only a place is located so.
_LOCATED_AFTER = re.compile(
    r",\s+(?:(?:about|some|roughly|around)\s+)?(?:[\d.,]+\s*(?:km|kilometres|kilometers|miles|mi)\b[^,]{0,20}?\s+)?"
    r"(?:near(?!\s+(?:the\s+)?(?:end|start|beginning|top|bottom|record|tears)\b)|close to|"
    r"(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of)\s"
)
# ", the ancient city", ", the Red Cross regional director": a describing phrase after a name,
# looked at over its first few words.
_APPOSITION = re.compile(r",\s+(?:the|a|an)\s+")
_APPOSITION_WORDS = 5
# Words that end the describing phrase ("Chile, a country that the ministry...").
_PHRASE_ENDS = frozenset(
    "that which who whom whose where when of in on at for with by from to and or but as than".split()
)
_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")
# What `_last_letter` gives where no letter can open a pattern that ends in whitespace.
_NO_LETTER = " "
# "the city of": the word before an "of" before a name.
_OF_BEFORE = re.compile(r"([A-Za-z][\w'’.-]*)\s+of\s+$")
_NAME_CHARS_RUN = re.compile(r"[\w'’.-]*")
_WORD_RUN = re.compile(r"\w*")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_THE_ADJECTIVE_BEFORE = re.compile(r"\b[Tt]he\s+[a-z][\w-]*\s+$")

# What only a country has, after its name ("Kaldoria's prime minister"). Not "government",
# "army" or "troops": "Putin's government", "Putin's army" are said of leaders.
_STATE_OWNS = re.compile(
    r"['’]s\s+(?:(?:prime|foreign|defence|defense|interior|finance)\s+minister|president|capital|parliament|"
    r"embassy|borders?|territory|airspace|coastline|constitution|citizens)\b"
)
# ... and before it ("the government of Kaldoria"); not "the president of", which firms have too.
_STATE_OF = re.compile(
    r"\b(?:government|people|prime minister|parliament|capital|citizens|king|queen|emir|premier|"
    r"foreign minister|ambassador|embassy|president and prime minister) of\s+$",
    re.IGNORECASE,
)
# "President Ulla Brant of Kaldoria", "Prime Minister Jon Ekke of Kaldoria".
_LEADER_OF = re.compile(
    r"\b(?:President|Prime Minister|Premier|King|Queen|Emir|Sultan|Chancellor|Foreign Minister)"
    r"(?:\s+[A-Z][\w'’.-]*){1,4}\s+of\s+$"
)
_HELD_IN = re.compile(r"\b(?:held|hosted|took place|staged) in\s+$")
# A demonym before what only a country has: "the Kaldorian president", "Kaldorian troops".
_DEMONYM_OF_STATE = re.compile(
    r"\b([A-Z][a-z]{3,}(?:ian|an|ese|ish|i|ic))\s+(?:(?:prime|foreign|defence|defense|interior)\s+minister|"
    r"president|government|troops|army|navy|air force|military|forces|authorities|parliament|embassy|"
    r"capital|border|coast guard|police|soldiers)\b"
)

# A company's people named after it: "Jefferies analyst Tom Reed", "Vestkyst founder Lars Bech".
_COMPANY_ROLE_AFTER = re.compile(
    r"\s+(?:analysts?|strategists?|economists?|chief executive|chief financial officer|CEO|chairman|chairwoman|"
    r"founder|co-founder)\s+[A-Z]"
)

# "its Helios light sources": a company's own name for something it makes.
_ITS_BEFORE = re.compile(r"\b(?:[Ii]ts|[Tt]heir)\s+$")
# "buy Helios modules", "sells Vela drones": a name bought or sold, before what it names, is a product.
_TRADES_IN = re.compile(r"\b(?:buy|buys|bought|buying|sell|sells|sold|selling|supplies|supplied|ships|shipped)\s+$")
# What a company has in a place or a market rather than makes.
_NOT_PRODUCTS = frozenset(
    "office offices plant plants factory factories headquarters unit units subsidiary subsidiaries branch "
    "branches division divisions arm operations operation business businesses staff workers employees site "
    "sites facility facilities campus base rival rivals partner partners sales revenue revenues market markets "
    "customers clients exports imports stores shops team teams listing shares stake expansion investment "
    "investments presence rollout launch debut".split()
)
# Who leads, chairs or founds something is mostly a person ("led by the US" is not: "the").
_LED_BY = re.compile(r"\b(?:led|headed|chaired|founded|co-founded) by\s+$")

_SENTENCE_OPENS_IN = re.compile(r"(?:^|[.!?]\s+)In\s+$")
_GOES_TO = re.compile(
    r"\b(?:visit|visits|visited|visiting|toured|touring|(?:arrived|arriving|landed|travell?ed|flew|fled|returned)"
    r"\s+(?:in|to|at))\s+$"
)
# Words a place name follows; weak, since "in" also precedes organisations and years.
_PLACE_PREPOSITIONS = frozenset({"in", "throughout", "across", "around"})
# Words that almost only precede a place ("near Elbistan"); as strong as a label.
_NEAR_PREPOSITIONS = frozenset({"near", "outside", "nearby", "towards", "toward"})
_PREPOSITION_LAST_LETTERS = frozenset(word[-1] for word in _NEAR_PREPOSITIONS | _PLACE_PREPOSITIONS)
# Adjectives said only of places, right before a name ("nearby Golbasi", "neighbouring Armenia").
_NEIGHBOURING = re.compile(r"\b(?:and|or|in|to|from|of|,)\s+(?:nearby|neighbou?ring)\s+$")
# Verbs people do right after being named; weak, organisations "say" too.
_PERSON_VERBS = frozenset(
    "said says told added wrote hosted met visited urged stressed noted argued insisted recalled "
    "warned smiled tweeted replied answered explained".split()
)
# '..." said Dina Khan of the ...': a quotation put to a name is mostly put to a person.
_SPEAKER_ENDS = re.compile(r"\s*(?:[,.;)]|$|(?:of|from|at)\s)")
_SAID_BEFORE = re.compile(r"[,\"”’]\s*(?:said|says|added|asked|wrote)\s+$")
# Only "and"/"or" join a list: a bare comma as often starts an apposition ("X, the Y director").
_LIST_JOINT = re.compile(r",?\s+(?:and|or)\s+(?:the\s+)?")
_TYPE_PREFERENCE = ("PERSON", "PLACE", "ORG", "EVENT", "OTHER")   # on a tie, first wins

# Weights: a model label is one vote; vague labels (PRODUCT, WORK_OF_ART, LAW) half, because
# the small model uses them for names it does not know; the head word counts as two labels.
_MODEL_VOTE = 1.0
_VAGUE_MODEL_VOTE = 0.5
_CONTEXT_VOTE = 1.0
# Characters before and after a name that the context rules look at: a few words.
_BEFORE_WINDOW = 48
_AFTER_WINDOW = 80
# Descriptions that disagree (one "city of X", one "agency X") still weigh more than labels.
_DESCRIPTION_VOTE = 2.0
# "in" precedes places but also wars, years and organisations: never enough to outvote one label.
_PREPOSITION_VOTE = 0.5


# Patterns the functions below use many times, compiled once.
_PHRASE_TOKEN = re.compile(r"[\w'’-]+|[^\w\s]")
_WORD_TOKEN = re.compile(r"[\w'’-]+")
_VERB_LIKE = re.compile(r"[a-z]+(?:ed|s)")
_NEXT_WORD_AFTER_NAME = re.compile(r"(?:['’]s)?\s+([a-z]+)\b")
_APOSTROPHE = re.compile(r"['’]")
_NEXT_NOUN = re.compile(r"\s+([a-z][a-z-]+)\b")
_NEXT_WORD = re.compile(r"\s+(\w+)")
_BY_SPAN = itemgetter(2, 3)   # an occurrence's (start, end), read in C


def vote_types(
    groups: Sequence[NameGroup], paragraphs: dict[tuple[str, int], str], memo: dict | None = None,
    demonyms: Counter | None = None,
) -> tuple[str | None, ...]:
    """The type of each group, or None where nothing says it is a name at all.

    memo: a dict to share between calls on the same paragraphs (the glossary types each spelling,
    then each group of spellings): what the words around each place say is read once.
    demonyms: `read_demonyms` of the paragraphs, where the caller has it already.
    """
    memo = {} if memo is None else memo
    if demonyms is not None:
        memo["demonyms"] = demonyms
    # Both depend on the occurrences alone, not on how they are grouped: the same for every
    # grouping of the same occurrences.
    occurrences = frozenset(o for g in groups for o in g.occurrences)
    if memo.get("occurrences") != occurrences:
        memo["occurrences"] = occurrences
        memo["kinds"] = _occurrence_kinds(groups)
        memo["neighbours"] = _coordinated(groups, paragraphs)
        memo["taken"] = _taken_stretches(occurrences)
        memo["votes"] = {}
    kind_of, neighbours, votes = memo["kinds"], memo["neighbours"], memo["votes"]
    states = _states_by_demonym(groups, paragraphs, memo)
    unlabelled = _unlabelled_evidence(groups, paragraphs, memo)
    kinds = []
    for i, group in enumerate(groups):
        elsewhere = unlabelled.get(i, (Counter(), Counter()))
        # A group's vote depends on its occurrences and the evidence found for it elsewhere: a
        # spelling typed alone that stays a group of its own, found alike, is not voted on again.
        evidence = (group.occurrences, states.get(i, 0), *(tuple(sorted(c.items())) for c in elsewhere))
        if evidence not in votes:
            votes[evidence] = _vote(group, paragraphs, kind_of, neighbours, evidence[1], elsewhere, memo)
        kinds.append(votes[evidence])
    return tuple(kinds)


def _vote(
    group: NameGroup, paragraphs, kind_of, neighbours, state_demonyms: int = 0,
    elsewhere: tuple[Counter, Counter] = (Counter(), Counter()), memo: dict | None = None,
) -> str | None:
    memo = {} if memo is None else memo
    described = Counter({"PLACE": state_demonyms} if state_demonyms else {}) + elsewhere[0]
    if all(name_key(o.text) in COUNTRIES for o in group.occurrences):
        described["PLACE"] += len(group.occurrences)   # "Malawi" the model took for a person
    surroundings = []
    for occurrence in group.occurrences:
        where = (occurrence.source, occurrence.paragraph)
        found = _surroundings(paragraphs[where], where, occurrence.start, occurrence.end, memo)
        if found[2]:
            described[found[2]] += 1
        surroundings.append(found)
    if len(described) == 1:
        return next(iter(described))
    head = _head_word_type(group)
    if head:
        return head
    # Only now are the weaker votes needed. Every weight is a multiple of a half, so the sums
    # are exact whatever the order they are added in.
    votes = dict(elsewhere[1])
    for occurrence, (after_the, after_the_adjective, _, context) in zip(group.occurrences, surroundings):
        model_vote = _model_vote(occurrence, after_the, after_the_adjective)
        if model_vote:
            votes[model_vote[0]] = votes.get(model_vote[0], 0) + model_vote[1]
        for kind, weight in context:
            votes[kind] = votes.get(kind, 0) + weight
        for other in neighbours.get(occurrence, ()):
            if kind_of.get(other):
                votes[kind_of[other]] = votes.get(kind_of[other], 0) + _CONTEXT_VOTE
    for kind, n in described.items():
        votes[kind] = votes.get(kind, 0) + n * _DESCRIPTION_VOTE
    if not votes or max(votes.values()) <= 0:
        # Only an acronym the writer spelled out is left: those are mostly organisations.
        return "ORG" if any(is_all_caps_acronym(o.text) for o in group.occurrences) else None
    return sorted(votes.items(), key=lambda kv: (-kv[1], _TYPE_PREFERENCE.index(kv[0])))[0][0]


def _context_votes(before: str, after: str) -> dict[str, float]:
    """What the words around one use of a name say of its kind, short of a description."""
    last = _last_letter(before)
    votes = {"PLACE": _place_preposition_vote(before, last) + _place_context_vote(before, after, last)}
    if (
        last in "sr" and _ITS_BEFORE.search(before)
        or last in "ystgld" and _TRADES_IN.search(before)
    ) and _product_noun_after(after):
        votes["OTHER"] = _DESCRIPTION_VOTE   # "its Helios light sources", "buy Helios modules": a product line
    if _COMPANY_ROLE_AFTER.match(after):
        votes["ORG"] = _DESCRIPTION_VOTE   # "Jefferies analyst Tom Reed": only a vote, "a Russia analyst" exists too
    person = 0.0
    if _followed_by_person_verb(after) and not _THE_BEFORE.search(before) or _quotation_put_to(before, after, last):
        person += _CONTEXT_VOTE
    if last == "y" and _LED_BY.search(before):
        person += _CONTEXT_VOTE   # "a delegation led by Moussa Faki Mahamat"
    if person:
        votes["PERSON"] = person
    return votes


def _surroundings(text: str, where: tuple[str, int], start: int, end: int, memo: dict) -> Surroundings:
    """`read_surroundings`, read once per place (typing each spelling and then each group meets
    the same places)."""
    key = (where, start, end)
    found = memo.get(key)
    if found is None:
        found = memo[key] = read_surroundings(text, start, end)
    return found


# Whether "the" stands before a name, and "the" and a lower-case word; the description the words
# around it give; the context votes they give, (kind, weight) with a weight above nothing.
Surroundings = tuple[bool, bool, str | None, tuple[tuple[str, float], ...]]


def read_surroundings(text: str, start: int, end: int) -> Surroundings:
    """What the words around the name at text[start:end] say of it: what `vote_types` reads
    at each place a name stands, which a caller may read ahead and give it in `memo` under
    ((source, paragraph), start, end)."""
    # Only the few words around a name matter; a short window keeps the regexes cheap.
    before = text[max(0, start - _BEFORE_WINDOW):start]
    after = text[end:end + _AFTER_WINDOW]
    # A vote of nothing changes no sum and no winner: left out, which keeps what is kept small.
    votes = tuple((kind, weight) for kind, weight in _context_votes(before, after).items() if weight > 0)
    after_the = bool(_THE_BEFORE.search(before))
    return after_the, not after_the and bool(_THE_ADJECTIVE_BEFORE.search(before)), _description(before, after), votes


def _last_letter(before: str) -> str:
    """The character before the whitespace the words before a name end in; a space where they
    end in no whitespace. The patterns that end in "\\s+$" each need one of a few letters
    there: seeing that is much quicker than a search, which tries every place in the text."""
    tail = before.rstrip()
    return (tail[-1:] or _NO_LETTER) if len(tail) < len(before) else _NO_LETTER


def _word_before(before: str) -> tuple[str, str] | None:
    """The word right before the name and the comma after it if any ("leader, "), as
    `([A-Za-z][\\w'’.-]*)(,?)\\s+$` finds them, but found backwards: searching from the front is slow."""
    tail = before.rstrip()
    if len(tail) == len(before):
        return None
    comma = "," if tail.endswith(",") else ""
    tail = tail[:len(tail) - len(comma)]
    run = tail[len(tail) - _NAME_CHARS_RUN.match(tail[::-1]).end():]
    first_letter = _ASCII_LETTER.search(run)
    return (run[first_letter.start():], comma) if first_letter else None


def _description(before: str, after: str) -> str | None:
    last = _last_letter(before)
    return (
        _description_before(before, last) or _description_after(after) or _apposition_after(after)
        or _state_context(before, after, last)
    )


def _unlabelled_evidence(
    groups: Sequence[NameGroup], paragraphs: dict[tuple[str, int], str], memo: dict
) -> dict[int, tuple[Counter, Counter]]:
    """What the writers say of a name where the model did not label it ("Tomohon residents swept
    ash" beside two unlabelled mentions): (descriptions, context votes) that count like any other."""
    owners: dict[str, set[int]] = {}
    for index, group in enumerate(groups):
        # Each distinct text of the group once: most names are written alike many times.
        for text in {o.text for o in group.occurrences}:
            owners.setdefault(" ".join(text.split()), set()).add(index)
    taken = memo["taken"]   # `vote_types` made it for these occurrences
    spellings = sorted((s for s, found in owners.items() if len(found) == 1), key=lambda s: (-len(s), s))
    # Noted for a caller that checks later whether a text edit changed what the searches find.
    memo.setdefault("searched", []).append(tuple(spellings))
    if not spellings:
        return {}
    found: dict[int, Counter] = {}
    # In any order: what is found is only counted.
    for where, start, end, spelling in _unlabelled_uses(spellings, taken, paragraphs, memo):
        [owner] = owners[spelling]
        _, _, description, votes = _surroundings(paragraphs[where], where, start, end, memo)
        if description:
            found.setdefault(owner, (Counter(), Counter()))[0][description] += 1
        if votes:
            found.setdefault(owner, (Counter(), Counter()))[1].update(dict(votes))
    return found


def _taken_stretches(occurrences: Iterable[Occurrence]) -> dict[tuple[str, int], list[tuple[int, int]]]:
    """(start, end) of the names in each paragraph, in any order: the same for every grouping
    of the same occurrences, so made once for both votes."""
    taken: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for o in occurrences:
        taken.setdefault((o.source, o.paragraph), []).append((o.start, o.end))
    return taken


def _unlabelled_uses(
    spellings: list[str], taken: dict[tuple[str, int], list[tuple[int, int]]],
    paragraphs: dict[tuple[str, int], str], memo: dict,
) -> list[tuple[tuple[str, int], int, int, str]]:
    """(paragraph, start, end, spelling) of every use of the spellings outside the `taken` names.

    Typing the groups looks for fewer spellings than typing each spelling did (a spelling two
    groups share is left out), in the same paragraphs around the same names: a paragraph where
    the former search met none of the spellings left out gives what it gave then (the same
    alternatives win at the same places), and only the others are searched again.
    """
    wanted = frozenset(spellings)
    former = memo.get("unlabelled")
    again = None
    if former and former[0] is memo.get("occurrences") and wanted <= former[1]:
        again = {where for spelling in former[1] - wanted for where in former[2].get(spelling, ())}
    pattern = searched = None
    met: dict[str, list[tuple[str, int]]] = {}
    uses: dict[tuple[str, int], list[tuple[tuple[str, int], int, int, str]]] = {}
    for where, text in paragraphs.items():
        if again is not None and where not in again:
            if where in former[3]:
                uses[where] = former[3][where]
            continue
        if pattern is None:
            pattern = _any_of(tuple(spellings))
            searched = _Searched(pattern)
        matches = searched.matches(text)
        if not matches:
            continue
        spans = sorted(taken.get(where, ()))
        exact = set(spans)
        starts = [s for s, _ in spans]
        for start, end, spelling in matches:
            met.setdefault(spelling, []).append(where)
            if (start, end) in exact:
                continue   # most spellings found are the labelled names themselves
            # Labelled names do not overlap: only the last one starting before this match can cover it.
            last = bisect_left(starts, end) - 1
            if last >= 0 and spans[last][1] > start:
                continue
            uses.setdefault(where, []).append((where, start, end, spelling))
    if searched is not None and memo.get("keep searches"):
        searched.keep()
    if again is None:
        memo["unlabelled"] = (memo.get("occurrences"), wanted, met, uses)
    return [use for found in uses.values() for use in found]


class _Searched:
    """(start, end, text) of every match of one pattern in each paragraph, by the paragraph's text,
    kept between the builds of a serving process (`keeps_last_build`, told by the caller's
    memo["keep searches"]): a rebuild after an
    edit that leaves the spellings alone searches only the paragraphs it has not seen. A pure
    function of the pattern and the text, so what is kept is never stale; what the last search of
    the pattern met is all that is kept, so it holds no more text than one build's."""

    # By pattern, the matches of the last search with it, as many patterns as `_any_of` keeps.
    _last: dict[re.Pattern, dict[str, tuple[tuple[int, int, str], ...]]] = {}

    def __init__(self, pattern: re.Pattern):
        self._pattern = pattern
        self._known = self._last.get(pattern, {})
        self._met: dict[str, tuple[tuple[int, int, str], ...]] = {}

    def matches(self, text: str) -> tuple[tuple[int, int, str], ...]:
        found = self._known.get(text)
        if found is None:
            found = tuple((m.start(), m.end(), m.group(0)) for m in self._pattern.finditer(text))
        self._met[text] = found
        return found

    def keep(self) -> None:
        last = type(self)._last
        last.pop(self._pattern, None)
        last[self._pattern] = self._met
        while len(last) > _any_of.cache_info().maxsize:
            del last[next(iter(last))]   # the oldest pattern's


@lru_cache(maxsize=4)   # the patterns of the last builds: the same spellings, the same pattern
def _any_of(spellings: tuple[str, ...]) -> re.Pattern:
    """One pattern for the spellings, tried in their order, each a whole word."""
    return re.compile("(?:" + ordered_alternation([literal_atoms(s) for s in spellings], not_after=r"[\w'’-]") + r")(?![\w-])")


def _model_vote(occurrence: Occurrence, after_the: bool, after_the_adjective: bool) -> tuple[str, float] | None:
    """The kind the model's label gives one use of a name, and its weight."""
    if occurrence.label is None:
        return None
    kind = LABEL_TYPES.get(occurrence.label)
    if kind == "PERSON" and after_the:
        return "ORG", _MODEL_VOTE   # "the Red Cross", "the Elysee": people are not "the X"
    if kind == "PERSON" and len(occurrence.text.split()) == 1 and after_the_adjective:
        return None   # "the retreating Wagnerites": a plural noun, not a person
    if kind is None:
        return "OTHER", _VAGUE_MODEL_VOTE
    return kind, _MODEL_VOTE


def _apposition_after(after: str) -> str | None:
    """The first describing noun in the phrase: "Antakya, the ancient city once known as"."""
    apposition = _APPOSITION.match(after)
    if not apposition:
        return None
    tokens = _PHRASE_TOKEN.findall(after[apposition.end():])[:_APPOSITION_WORDS]
    for word, following in zip(tokens, tokens[1:] + [""]):
        if not _WORD_TOKEN.fullmatch(word) or word in _PHRASE_ENDS:
            return None   # the phrase ended without a describing noun
        if _VERB_LIKE.fullmatch(following):
            return None   # "in Osaka, the newspaper reported": a new clause, not a description
        for kind, nouns in _DESCRIBED_AS.items():
            if word in nouns:
                return kind
    return None


def _description_after(after: str) -> str | None:
    """ "the Al Haouz province": a place word right after the name; "Broadcom shares",
    "Activision's employees": what only a company has."""
    if _LOCATED_AFTER.match(after):
        return "PLACE"   # "Elbistan, near the epicentre", "Amizmiz, 50 km south of Marrakech"
    nxt = _NEXT_WORD_AFTER_NAME.match(after)
    if nxt and nxt.group(1) in _DESCRIBED_AFTER and not after.startswith(("'", "’")):
        return "PLACE"
    if nxt and nxt.group(1) in _INHABITANTS:
        return "PLACE"
    if nxt and nxt.group(1) in _COMPANY_THINGS:
        return "ORG"
    return None


def _description_before(before: str, last: str) -> str | None:
    """The kind a describing noun just before the name gives ("city of", "newspaper");
    `last` is `_last_letter(before)`."""
    if last == _NO_LETTER:
        return None   # every pattern here ends in whitespace
    if last in "tT" and _WORKS_AT.search(before) or last in "fFnN" and _OWNED_OF.search(before):
        return "ORG"   # "analysts at Morgan Stanley", "shares in Activision Blizzard"
    if last in "yg" and _NEIGHBOURING.search(before):
        return "PLACE"   # "and nearby Golbasi": only places are nearby or neighbouring
    of = last == "f" and _OF_BEFORE.search(before)
    if of:
        word = of.group(1).casefold()
        for kind, nouns in _DESCRIBED_OF.items():
            if word in nouns:
                return kind
        return None
    word_end = before.rstrip().removesuffix(",")[-1:]
    if word_end not in _DESCRIBED_ENDINGS and word_end.casefold()[-1:] not in _DESCRIBED_ENDINGS:
        return None   # no describing noun ends so
    last = _word_before(before)
    if not last:
        return None
    word, comma = last
    if comma:   # "The group's leader, Raed al-Saleh": only a role takes a comma
        return "PERSON" if word.islower() and word in _DESCRIBED_AS["PERSON"] else None
    for kind, nouns in _DESCRIBED_AS.items():
        if word.casefold() in nouns:
            # A capitalised "State" or "Bank" before a name is part of a longer name;
            # a capitalised title ("President", "Foreign Minister") still describes a person.
            return kind if kind == "PERSON" or word.islower() else None
    return None


def _state_context(before: str, after: str, last: str) -> str | None:
    """What only a country has or is: "Kaldoria's prime minister", "the government of Kaldoria",
    "President Ulla Brant of Kaldoria", "the summit, held in Kaldoria"."""
    if _STATE_OWNS.match(after) or last in "fF" and (_STATE_OF.search(before) or _LEADER_OF.search(before)):
        return "PLACE"
    if last == "n" and _HELD_IN.search(before) and not _APOSTROPHE.match(after):
        return "PLACE"
    return None


def _states_by_demonym(
    groups: Sequence[NameGroup], paragraphs: dict[tuple[str, int], str], memo: dict
) -> dict[int, int]:
    """How often each one-word name's demonym stands before what only a country has ("the
    Kaldorian president", "Kaldorian troops"): the small model takes an unfamiliar country for a
    person or a company, but nobody writes "the Smithian president"."""
    if "demonyms" not in memo:
        memo["demonyms"] = read_demonyms(paragraphs.values())
    demonyms = memo["demonyms"]
    if not demonyms:
        return {}
    single = {}
    for index, group in enumerate(groups):
        keys = {name_key(o.text) for o in group.occurrences}
        if all(" " not in k for k in keys):
            single.update((k, index) for k in keys)
    found: Counter = Counter()
    names = NameIndex(single)
    for demonym, count in sorted(demonyms.items()):
        for place in demonym_places(demonym, names):
            found[single[place]] += count
    return dict(found)


def read_demonyms(paragraphs: Iterable[str]) -> Counter:
    """How often each demonym stands before what only a country has ("the Kaldorian president"),
    casefolded: what `vote_types` reads in every paragraph, which a caller may count ahead."""
    return Counter(match.group(1).casefold() for text in paragraphs for match in _DEMONYM_OF_STATE.finditer(text))


def _product_noun_after(after: str) -> bool:
    """ "Helios light sources", not "Texas plant" or "China sales": a thing a company makes."""
    nxt = _NEXT_NOUN.match(after)
    return bool(nxt) and nxt.group(1) not in _NOT_PRODUCTS


def _place_preposition_vote(before: str, last: str) -> float:
    if last not in _PREPOSITION_LAST_LETTERS:
        return 0.0   # no preposition right before the name
    tail = before.rstrip()
    # The run of word characters it ends in, found backwards: searching from the front is slow.
    last = tail[len(tail) - _WORD_RUN.match(tail[::-1]).end():]
    if last in _NEAR_PREPOSITIONS:
        return _CONTEXT_VOTE
    return _PREPOSITION_VOTE if last in _PLACE_PREPOSITIONS else 0.0


def _place_context_vote(before: str, after: str, last: str) -> float:
    """ "In Hatay, rescuers ...": a sentence opening on "In X," sets the scene in a place;
    "visited X", "flew to X": where people go."""
    if last == "n" and _SENTENCE_OPENS_IN.search(before) and after.startswith(","):
        return _DESCRIPTION_VOTE
    return _CONTEXT_VOTE if last in "tsdgno" and _GOES_TO.search(before) else 0.0


def _quotation_put_to(before: str, after: str, last: str) -> bool:
    """ '"...," said Lena Okafor of the institute.' (not "said Europe stood", "said Pentagon press
    secretary X", where the name opens what was said or describes the speaker)."""
    return bool(last in "dse" and _SAID_BEFORE.search(before) and _SPEAKER_ENDS.match(after))


def _followed_by_person_verb(after: str) -> bool:
    nxt = _NEXT_WORD.match(after)
    return bool(nxt) and nxt.group(1) in _PERSON_VERBS


def _head_word_type(group: NameGroup) -> str | None:
    heads = Counter()
    for occurrence in group.occurrences:
        kind = _head_kind(key_tokens(name_key(occurrence.text)))
        if kind:
            heads[kind] += 1
    if not heads:
        return None
    return sorted(heads.items(), key=lambda kv: (-kv[1], _TYPE_PREFERENCE.index(kv[0])))[0][0]


def _head_kind(tokens: tuple[str, ...]) -> str | None:
    if len(tokens) < 2:
        return None
    if tokens[0] in _EVENT_FIRST_WORDS:
        return "EVENT"   # "Hurricane Ian", "Operation Desert Storm"
    if "of" in tokens[1:-1]:
        before_of = tokens[tokens.index("of", 1) - 1]
        return next((kind for kind, heads in _HEAD_BEFORE_OF.items() if before_of in heads), None)
    if tokens[-1] == "convention" and tokens[-2] in _MEETING_CONVENTION:
        return "EVENT"
    head = next((kind for kind, heads in _HEAD_WORDS.items() if tokens[-1] in heads), None)
    if head is None and tokens[0] in _PLACE_FIRST_WORDS:
        return "PLACE"   # "Mount Lokon", "Lake Teren"; "Mount Sinai Hospital" goes by its last word
    if head is None and (tokens[:2] in _SURNAME_PARTICLES or any(t in ("bin", "ibn") for t in tokens[1:-1])):
        return "PERSON"   # "Von der Leyen" alone, "Mohammed bin Salman": names of people
    return head


def _occurrence_kinds(groups: Sequence[NameGroup]) -> dict[Occurrence, str]:
    """The model's own kind for each occurrence, to lend to the names listed with it."""
    out = {}
    for group in groups:
        for occurrence in group.occurrences:
            kind = LABEL_TYPES.get(occurrence.label or "")
            if kind:
                out[occurrence] = kind
    return out


def _coordinated(
    groups: Sequence[NameGroup], paragraphs: dict[tuple[str, int], str]
) -> dict[Occurrence, list[Occurrence]]:
    """Names listed together ("Amizmiz and Asni") are alike."""
    by_paragraph: dict[tuple[str, int], list[Occurrence]] = {}
    for group in groups:
        for occurrence in group.occurrences:
            by_paragraph.setdefault((occurrence.source, occurrence.paragraph), []).append(occurrence)
    neighbours: dict[Occurrence, list[Occurrence]] = {}
    for where, occurrences in by_paragraph.items():
        ordered = sorted(occurrences, key=_BY_SPAN)
        for left, right in zip(ordered, ordered[1:]):
            if _LIST_JOINT.fullmatch(paragraphs[where][left.end:right.start]):
                neighbours.setdefault(left, []).append(right)
                neighbours.setdefault(right, []).append(left)
    return neighbours
