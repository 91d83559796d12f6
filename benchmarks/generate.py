"""Realistic synthetic dossiers of any size, for the benchmarks (never for quality figures).

    python -m benchmarks.generate 1000 /tmp/bench/sources [--seed 7]

A generic invented world: the people, places, organisations and outlets are made of random
syllables, so nothing is borrowed from a real story. One dossier follows several threads
(a flood, a merger, a summit, ...), each with its own people, figures and quotations; every
source picks a thread and reports it in its own words, with

- about 500 words of body text, of which some sentences are the thread's facts (shared with
  other sources), some are the source's own background (unique claims), some quote the
  thread's speakers with varied wording (full, partial, one word changed);
- figures that differ now and then between sources (a toll of 14 here, 16 there) and dates;
- its outlet's boilerplate: navigation, share buttons, newsletter prompts, photo credits,
  related headlines, a copyright footer;
- a few near-copies of an earlier source (a wire story republished with small edits);
- mostly `.txt`, some Markdown with front matter, some HTML pages.

Deterministic: the same (n, seed) gives byte-identical files.
"""
from __future__ import annotations

import argparse
import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

# One thread per this many sources (at least a few): a dossier of thousands of articles
# follows many sub-stories, so the glossary and the topics grow with it, as in real life.
_SOURCES_PER_THREAD = 25
_MIN_THREADS = 3
# The cast: people and organisations recur across a dossier, so the glossary grows more slowly
# than the sources (about one new person per two sources, one organisation per four).
_SOURCES_PER_PERSON = 2
_SOURCES_PER_ORG = 4
# One outlet per this many sources: big dossiers gather many sites, each with its own furniture.
_SOURCES_PER_OUTLET = 8
_MIN_OUTLETS = 5
_TARGET_WORDS = 500
_NEAR_COPY_SHARE = 0.04     # wire copies republished with small edits
_HTML_SHARE = 0.08
_MARKDOWN_SHARE = 0.12
_FIGURE_DISAGREEMENT = 0.2  # how often a source reports a figure differently

_ONSETS = ("b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
           "br", "dr", "gr", "st", "tr", "ch", "sh", "kl", "pr")
_VOWELS = ("a", "e", "i", "o", "u", "a", "e", "o", "ai", "ou", "ea", "ie")
_CODAS = ("", "", "", "n", "r", "l", "s", "th", "nd", "rk", "m", "v")
_PLACE_ENDINGS = ("ford", "port", "burg", "vale", "holm", "ton", "field", "mouth", "stad", "ova")
_COUNTRY_ENDINGS = ("ia", "land", "avia", "istan", "ora")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ROLES = ("the mayor of {place}", "the regional governor", "a spokesperson for {org}", "the head of {org}",
          "the minister for {domain}", "a senior engineer at {org}", "an opposition lawmaker",
          "the chief executive of {org}", "a local resident", "a professor at the University of {place}")
_DOMAINS = ("Transport", "Water", "Energy", "Trade", "Health", "Housing", "Fisheries", "Labour")
_ORG_PATTERNS = ("{place} Harbour Authority", "Ministry of {domain}", "{surname} Industries",
                 "National {domain} Agency", "{place} General Hospital", "{surname} and {surname2} Holdings",
                 "{country} Rail", "{place} Workers' Union", "Bank of {country}", "{place} Red Cross")
_OUTLET_PATTERNS = ("The {place} Courier", "{place} Daily Ledger", "{country} Today", "The {place} Observer",
                    "{country} Broadcasting", "{place} Evening Post", "Radio {place}", "The {country} Monitor")


@dataclass(frozen=True)
class _Theme:
    name: str
    headlines: tuple[str, ...]
    facts: tuple[str, ...]          # sentences every report of the thread tends to carry
    quotes: tuple[str, ...]         # what the thread's speakers say


_THEMES = (
    _Theme(
        "flood",
        ("Floods swamp {place} as river bursts its banks", "{n1} dead after flash floods hit {place}",
         "Rescue crews search {place} after the worst floods in decades"),
        ("Floodwaters swept through {place} on {weekday}, killing {n1} people and forcing {n2} from their homes.",
         "The river rose {n3} metres in less than six hours, according to {org}.",
         "{person}, {role}, said emergency shelters had been opened in {n4} schools.",
         "Officials estimated the damage at {n5} million dollars.",
         "The last comparable flood in {place} was recorded in {year0}."),
        ("We have never seen the water rise this fast, and we were not ready for it",
         "Every family that lost a home will be housed before winter, I promise you that",
         "The warnings were sent, but too many people never received them",
         "Our crews have been working for two days without rest"),
    ),
    _Theme(
        "merger",
        ("{org} agrees to buy {org2} for {n5} million", "{org} and {org2} announce merger",
         "Regulators to review {org} takeover of {org2}"),
        ("{org} said on {weekday} it would buy {org2} in a deal worth {n5} million dollars.",
         "The combined company would employ about {n2} people across {n4} countries.",
         "Shares in {org2} rose {n3} per cent after the announcement.",
         "{person}, {role}, said the deal was expected to close in {month} {year}.",
         "The regulator in {country} has {n1} days to open an inquiry."),
        ("This deal makes us stronger and it protects every job we have today",
         "We will look very carefully at what this means for prices",
         "Nobody asked the workers what they thought of this merger",
         "The two companies fit together better than anyone expected"),
    ),
    _Theme(
        "summit",
        ("Leaders meet in {place} for {country} summit", "{place} summit ends with a joint statement",
         "Talks in {place} stall over border dispute"),
        ("Delegations from {n1} countries gathered in {place} on {weekday} for two days of talks.",
         "{person}, {role}, opened the summit with a call for calm.",
         "The final statement was signed by {n4} of the delegations present.",
         "Around {n2} police officers were deployed across {place} for the meeting.",
         "The next summit is due to be held in {month} {year}."),
        ("We came here to talk, not to shout at each other across a table",
         "The door to an agreement remains open, but time is running short",
         "Our country will not sign anything that gives away a single village",
         "This is the first step of a long road and we know it"),
    ),
    _Theme(
        "strike",
        ("Rail workers walk out across {country}", "Strike halts trains in {place} for a third day",
         "Union and {org} return to talks as strike bites"),
        ("Members of {org} walked out on {weekday} after talks over pay collapsed.",
         "About {n2} workers joined the strike, according to the union.",
         "The union is asking for a rise of {n3} per cent, against the {n1} per cent offered.",
         "{person}, {role}, said the strike had cost {n5} million dollars so far.",
         "The last national strike in the sector took place in {year0}."),
        ("We did not want this strike, but we were left with no other choice",
         "The offer on the table is fair and it will not be improved",
         "Passengers are paying the price for a dispute they did not start",
         "We will stay out for as long as it takes"),
    ),
    _Theme(
        "earthquake",
        ("Earthquake of magnitude {n3} strikes near {place}", "{n1} killed as quake shakes {country}",
         "Aftershocks rattle {place} a day after deadly quake"),
        ("An earthquake of magnitude {n3} struck near {place} early on {weekday}.",
         "At least {n1} people were killed and {n2} injured, according to {org}.",
         "{person}, {role}, said {n4} buildings had collapsed in the old town.",
         "Rescuers were still searching the rubble on {weekday2} evening.",
         "A quake of similar strength hit the same region in {year0}."),
        ("The ground shook for almost a minute and then everything went dark",
         "We are still pulling people out alive, so we will not stop searching",
         "These buildings should have been reinforced years ago",
         "Help is arriving from every province of the country"),
    ),
    _Theme(
        "trial",
        ("Former official goes on trial in {place}", "Court in {place} hears bribery case",
         "Verdict due in {place} corruption trial"),
        ("The trial of {person}, {role}, opened in {place} on {weekday}.",
         "Prosecutors say {n5} million dollars was paid in bribes over {n1} years.",
         "The court heard from {n4} witnesses on the first day.",
         "If convicted, the defendant faces up to {n3} years in prison.",
         "A verdict is expected in {month} {year}."),
        ("My client has done nothing wrong and he will be cleared",
         "The evidence shows a pattern of payments that cannot be explained away",
         "This case is about whether the law applies to everyone",
         "I have served this city honestly for twenty years"),
    ),
)

# Background sentences: each source adds its own, built from a small grammar so that they
# share the dossier's vocabulary (as real reports do) but are rarely word-for-word the same.
_SUBJECTS = ("{person}, {descriptor},", "Residents of {place2}", "Officials at {org}", "The {org}",
             "A spokesperson for {org}", "{person}", "Volunteers from {place2}", "Business owners in {place}",
             "Analysts at {org}", "The council in {place2}", "Opposition politicians in {country}",
             "Engineers from {org}", "Several aid groups", "Teachers in {place}")
_PREDICATES = (
    "said {thing} had been neglected since {year0}",
    "warned that {thing} could take {n4} months to repair",
    "called for an independent inquiry into {thing}",
    "estimated the cost of {thing} at {n3} million dollars",
    "reported more than {n2} calls from the public about {thing}",
    "described long queues outside {thing}",
    "complained that nobody had explained what would happen to {thing}",
    "said they had learned about {thing} from neighbours rather than from officials",
    "asked the government of {country} to pay for {thing}",
    "said {thing} was the main worry for families in the area",
    "recalled that {thing} had last made the news in {year0}",
    "expected {thing} to be back to normal within {n4} weeks",
    "said the budget for {thing} had been cut by {n3} per cent",
    "promised to publish a review of {thing} before {month}",
    "pointed out that {thing} serves about {n2} people",
    "had been warning about {thing} for {n1} years",
    "said that {thing} would be discussed at a meeting in {place2}",
    "declined to say who was responsible for {thing}",
    "sent inspectors to check {thing}",
    "said {n1} people had volunteered to help with {thing}",
)
_THINGS = ("the water supply", "the old bridge", "the rail link to {place2}", "the district hospital",
           "the school buildings", "the power grid", "the harbour", "the warning system", "the main road",
           "the bus network", "the grain stores", "the fishing fleet", "the town hall", "local shops",
           "the telephone network", "the emergency shelters", "the market on {street}", "petrol stations",
           "the sewage plant", "the airport in {place2}")
_WHEN = ("", "", " on {weekday}", " last week", " earlier this year", " late on {weekday} night",
         " in an interview", " at a press conference")
_DESCRIPTORS = ("a shopkeeper", "a retired teacher", "a local farmer", "a nurse", "a taxi driver",
                "a student", "a city councillor", "a fisherman", "an economist")
_OTHER_THREAD = (
    "The events come weeks after a report headlined “{headline}”.",
    "Separately, {person}, {role}, commented on the story “{headline}”.",
    "Earlier this year, a story titled “{headline}” drew attention to the same questions.",
)
_STREETS = ("Market Street", "river road", "old harbour", "station square", "North Avenue", "Mill Lane")
_QUOTE_VERBS = ("said", "told reporters", "said in a statement", "told {outlet}", "added")
_SYNONYMS = {"never": "not once", "fast": "quickly", "ready": "prepared", "every": "each", "stronger": "better",
             "carefully": "closely", "first": "opening", "long": "lengthy", "talk": "speak", "fair": "reasonable",
             "rest": "a break", "years": "years now", "honestly": "faithfully", "wrong": "illegal"}


def write_dossier(folder: Path, n: int, seed: int = 7) -> list[Path]:
    """Write n sources into folder (created); returns their paths, sorted."""
    folder.mkdir(parents=True, exist_ok=True)
    world = _World(random.Random(seed), n)
    paths = []
    bodies: list[tuple[str, list[list[str]]]] = []
    for index in range(n):
        rng = random.Random(f"{seed}-{index}")
        outlet = world.outlets[rng.randrange(len(world.outlets))]
        if bodies and rng.random() < _NEAR_COPY_SHARE:
            title, paragraphs = _near_copy(rng, bodies[rng.randrange(len(bodies))])
        else:
            thread = world.threads[rng.randrange(len(world.threads))]
            title, paragraphs = _article(rng, world, thread, outlet)
        bodies.append((title, paragraphs))
        date = world.date(rng)
        kind = _kind(rng)
        text = _render(kind, rng, world, outlet, title, date, paragraphs)
        digest = hashlib.sha256(f"{seed}-{index}".encode()).hexdigest()[:16]
        path = folder / f"{index:05d}_{digest}.{kind}"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return sorted(paths)


def change_one_source(folder: Path, stamp: str = "") -> Path:
    """Append one new paragraph to the middle source, as a journalist fixing a scrape would."""
    paths = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md", ".html"))
    path = paths[len(paths) // 2]
    text = path.read_text(encoding="utf-8")
    addition = f"A correction was issued later that day to clarify the figures {stamp}.".strip()
    if path.suffix == ".html":
        text = text.replace("</article>", f"<p>{addition}</p>\n</article>", 1)
    else:
        text = text.rstrip("\n") + f"\n\n{addition}\n"
    path.write_text(text, encoding="utf-8")
    return path


# --- the world ---------------------------------------------------------------------------

class _World:
    def __init__(self, rng: random.Random, n: int) -> None:
        self.rng = rng
        self.countries = _unique(rng, lambda: _word(rng, 2) + rng.choice(_COUNTRY_ENDINGS), 8)
        self.places = _unique(rng, lambda: _word(rng, rng.choice((1, 2))) + rng.choice(_PLACE_ENDINGS),
                              max(12, n // 10))
        self.surnames = _unique(rng, lambda: _word(rng, rng.choice((2, 3))), max(40, n // 2))
        self.first_names = _unique(rng, lambda: _word(rng, 2), max(30, n // 8))
        self.cast = sorted(_unique(rng, self._new_person, 40 + n // _SOURCES_PER_PERSON))
        self.orgs = sorted(_unique(rng, lambda: self._new_org(rng), 20 + n // _SOURCES_PER_ORG))
        self.outlets = sorted(_unique(rng, self._outlet, max(_MIN_OUTLETS, n // _SOURCES_PER_OUTLET)))
        self.threads = [self._thread(i) for i in range(max(_MIN_THREADS, n // _SOURCES_PER_THREAD))]

    def person(self, rng: random.Random) -> str:
        return rng.choice(self.cast)

    def org(self, rng: random.Random) -> str:
        return rng.choice(self.orgs)

    def _new_person(self) -> str:
        return f"{self.rng.choice(self.first_names)} {self.rng.choice(self.surnames)}"

    def _new_org(self, rng: random.Random) -> str:
        return rng.choice(_ORG_PATTERNS).format(
            place=rng.choice(self.places), domain=rng.choice(_DOMAINS), surname=rng.choice(self.surnames),
            surname2=rng.choice(self.surnames), country=rng.choice(self.countries))

    def date(self, rng: random.Random) -> tuple[int, int, int]:
        return rng.randrange(2019, 2025), rng.randrange(1, 13), rng.randrange(1, 29)

    def _outlet(self) -> str:
        return self.rng.choice(_OUTLET_PATTERNS).format(place=self.rng.choice(self.places),
                                                        country=self.rng.choice(self.countries))

    def _thread(self, number: int) -> dict:
        rng = self.rng
        theme = _THEMES[number % len(_THEMES)]
        orgs = [self.org(rng) for _ in range(2)]
        people = [self.person(rng) for _ in range(4)]
        slots = {
            "place": rng.choice(self.places), "place2": rng.choice(self.places), "country": rng.choice(self.countries),
            "org": orgs[0], "org2": orgs[1], "domain": rng.choice(_DOMAINS),
            "n1": rng.randrange(3, 60), "n2": rng.randrange(200, 20000), "n3": rng.randrange(2, 9),
            "n4": rng.randrange(5, 40), "n5": rng.randrange(10, 900), "year0": rng.randrange(1950, 2015),
            "year": rng.randrange(2019, 2026), "month": rng.choice(_MONTHS),
            "weekday": rng.choice(_WEEKDAYS), "weekday2": rng.choice(_WEEKDAYS),
        }
        roles = [rng.choice(_ROLES).format(**slots) for _ in people]
        speakers = list(zip(people, roles))
        headline = rng.choice(theme.headlines).format(**slots)
        return {"theme": theme, "slots": slots, "speakers": speakers, "headline": headline}


def _word(rng: random.Random, syllables: int) -> str:
    text = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)) + rng.choice(_CODAS)
    return text.capitalize()


def _unique(rng: random.Random, make, count: int) -> list[str]:
    found: dict[str, None] = {}
    attempts = 0
    while len(found) < count and attempts < count * 20:
        found.setdefault(make(), None)
        attempts += 1
    return list(found)


# --- one article -------------------------------------------------------------------------

def _article(rng: random.Random, world: _World, thread: dict, outlet: str) -> tuple[str, list[list[str]]]:
    theme: _Theme = thread["theme"]
    slots = dict(thread["slots"])
    for figure in ("n1", "n2", "n4", "n5"):
        if rng.random() < _FIGURE_DISAGREEMENT:     # this outlet got a different figure
            slots[figure] = max(1, int(slots[figure] * rng.choice((0.8, 0.9, 1.1, 1.25))))
    speaker, role = rng.choice(thread["speakers"])
    slots.update(person=speaker, role=role)
    title = rng.choice(theme.headlines).format(**slots)
    sentences = [fact.format(**slots) for fact in theme.facts if rng.random() < 0.8]
    for text, (who, what) in zip(theme.quotes, thread["speakers"]):
        if rng.random() < 0.6:
            sentences.append(_quotation(rng, text, who, what, outlet))
    other = world.threads[rng.randrange(len(world.threads))]
    if other is not thread:
        sentences.append(rng.choice(_OTHER_THREAD).format(
            headline=other["headline"], person=world.person(rng),
            role=rng.choice(_ROLES).format(place=rng.choice(world.places), org=world.org(rng),
                                           domain=rng.choice(_DOMAINS))))
    while sum(len(s.split()) for s in sentences) < _TARGET_WORDS:
        sentences.append(_background(rng, world, slots))
    lead, rest = sentences[0], sentences[1:]
    rng.shuffle(rest)
    ordered = [lead, *rest]
    paragraphs, at = [], 0
    while at < len(ordered):
        size = rng.randrange(2, 5)
        paragraphs.append(ordered[at:at + size])
        at += size
    return title, paragraphs


def _quotation(rng: random.Random, text: str, speaker: str, role: str, outlet: str) -> str:
    """The same words told differently: whole, partial, one word changed, speaker first or last."""
    words = text.split()
    choice = rng.random()
    if choice < 0.25 and len(words) > 8:
        words = words[: rng.randrange(6, len(words))]
    elif choice < 0.5:
        swappable = [i for i, w in enumerate(words) if w in _SYNONYMS]
        if swappable:
            at = rng.choice(swappable)
            words[at] = _SYNONYMS[words[at]]
    quote = " ".join(words)
    verb = rng.choice(_QUOTE_VERBS).format(outlet=outlet)
    surname = speaker.split()[-1]
    if rng.random() < 0.5:
        return f"“{quote},” {speaker}, {role}, {verb}."
    return f"{surname} {verb.split(' in ')[0]}: “{quote}.”"


def _background(rng: random.Random, world: _World, slots: dict) -> str:
    local = dict(slots)
    local.update(person=world.person(rng), org=world.org(rng), place2=rng.choice(world.places),
                 street=rng.choice(_STREETS), n1=rng.randrange(2, 70), n2=rng.randrange(100, 90000),
                 n3=rng.randrange(2, 40), n4=rng.randrange(2, 12), year0=rng.randrange(1960, 2018),
                 weekday=rng.choice(_WEEKDAYS), month=rng.choice(_MONTHS), descriptor=rng.choice(_DESCRIPTORS))
    local["thing"] = rng.choice(_THINGS).format(**local)
    sentence = f"{rng.choice(_SUBJECTS)} {rng.choice(_PREDICATES)}{rng.choice(_WHEN)}.".format(**local)
    return sentence[0].upper() + sentence[1:]


def _near_copy(rng: random.Random, original: tuple[str, list[list[str]]]) -> tuple[str, list[list[str]]]:
    """A republished wire story: same text, one sentence dropped and the title reworded."""
    title, paragraphs = original
    copy = [list(p) for p in paragraphs]
    longest = max(copy, key=len)
    if len(longest) > 1:
        longest.pop(rng.randrange(len(longest)))
    return f"{title}: what we know", copy


# --- the page around it ----------------------------------------------------------------

def _kind(rng: random.Random) -> str:
    roll = rng.random()
    return "html" if roll < _HTML_SHARE else "md" if roll < _HTML_SHARE + _MARKDOWN_SHARE else "txt"


def _furniture(rng: random.Random, world: _World, outlet: str, year: int) -> tuple[list[str], list[str]]:
    """(lines before the article, lines after it), from the outlet's own site template."""
    site = random.Random(outlet)      # the same site furniture on every page of one outlet
    sections = site.sample(("World", "Politics", "Business", "Sport", "Culture", "Opinion", "Science", "Video"), 5)
    before = [outlet, " | ".join(["Home", *sections]), "Advertisement",
              site.choice(("Share on Facebook", "Share this article", "Share")), f"Follow {outlet} on social media"]
    related = [t["headline"] for t in rng.sample(world.threads, min(3, len(world.threads)))]
    after = [site.choice(("Sign up for our morning newsletter", "Subscribe to our newsletter")),
             site.choice(("Related stories", "More on this story", "Read more")), *related,
             site.choice(("Leave a comment", "Comments are closed", "Show comments")),
             f"© {year} {outlet}. All rights reserved."]
    return before, after


def _render(kind: str, rng: random.Random, world: _World, outlet: str, title: str,
            date: tuple[int, int, int], paragraphs: list[list[str]]) -> str:
    year, month, day = date
    before, after = _furniture(rng, world, outlet, year)
    credit = f"Photo: {world.person(rng)}/{outlet}"
    byline = f"By {world.person(rng)}"
    stamp = f"Published {_MONTHS[month - 1]} {day}, {year} {rng.randrange(6, 23):02d}:{rng.randrange(60):02d}"
    body = [" ".join(p) for p in paragraphs]
    if kind == "html":
        return _html_page(outlet, title, f"{year}-{month:02d}-{day:02d}", byline, credit, body, before, after)
    lines = [*before, title, byline, stamp, credit, *body, *after]
    text = "\n\n".join(lines) + "\n"
    if kind == "md":
        front = f"---\ntitle: \"{title}\"\noutlet: \"{outlet}\"\ndate: {year}-{month:02d}-{day:02d}\n---\n\n"
        return front + text
    return text


def _html_page(outlet: str, title: str, iso_date: str, byline: str, credit: str, body: list[str],
               before: list[str], after: list[str]) -> str:
    nav = "".join(f"<li><a href=\"#\">{item}</a></li>" for item in before[1].split(" | "))
    paragraphs = "\n".join(f"<p>{p}</p>" for p in body)
    footer = "".join(f"<p>{line}</p>" for line in after)
    return (f"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} | {outlet}</title>\n"
            f"<meta property=\"og:site_name\" content=\"{outlet}\">\n"
            f"<meta property=\"article:published_time\" content=\"{iso_date}\"></head>\n"
            f"<body><header><a href=\"/\">{outlet}</a><nav><ul>{nav}</ul></nav></header>\n"
            f"<div class=\"ad\">Advertisement</div>\n<main><article>\n<h1>{title}</h1>\n"
            f"<p class=\"byline\">{byline}</p>\n<figure><figcaption>{credit}</figcaption></figure>\n"
            f"{paragraphs}\n</article></main>\n<footer>{footer}</footer></body></html>\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic dossier of N sources.")
    parser.add_argument("n", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    write_dossier(args.folder, args.n, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
