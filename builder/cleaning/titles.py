"""Find the headline among the first lines, and cut the site name glued to it."""
from __future__ import annotations

import re

from builder.cleaning.dates import find_date
from builder.cleaning.judgement import (
    BODY_LINE_WORDS, Judgement, MIN_TITLE_WORDS, TITLE_WINDOW, ends_sentence, is_anchored, line_key,
)

# A "title" this long (or made of several sentences) is really the lead paragraph.
_MAX_TITLE_CHARS = 250
# A first line this short without a full stop reads as a headline even when the metadata
# names the article differently.
_MAX_UNPUNCTUATED_HEADLINE_WORDS = 20
_SITE_SEPARATORS = re.compile(r"\s+(\||::|•|·|«|»|[-–—])\s+")
_BREADCRUMB_SEPARATOR = re.compile(r"\s[›»>/|·•]\s|[›»]")
# Breadcrumb segments are section names: a few words each (the last may be the headline).
_BREADCRUMB_SEGMENT_WORDS = 4
_HOME_WORDS = frozenset({"home", "homepage", "start", "front page", "news"})
# A masthead is a name: a few capitalised words ("The Harbour Courier", "METRO DAILY").
_MASTHEAD_WORDS = 5
_NAME_GLUE = frozenset("of the and & for on in at de la le du des der die das del van von y e".split())
# Words newspapers and sites are named with: a short name ending in one is a masthead, not a headline.
# Only words a Title Case headline rarely ends with ("UN Releases Climate Report", "Oil Hits Record"
# do, so "report", "record", "review", "leader", "star", "standard" are left out).
_PUBLICATION_WORDS = frozenset(
    "times post herald courier wire dispatch journal gazette tribune news daily weekly chronicle observer "
    "guardian telegraph express mirror monitor examiner inquirer enquirer sentinel bulletin press today online "
    "insider investor digest ledger globe magazine advertiser informer pulse media beacon echo "
    "tv radio fm broadcasting voice mail independent bugle clarion argus courant citizen spectator statesman "
    "register recorder".split())
# A motto is a few words; what mottos are made of, in the languages scraped pages most often come in.
_TAGLINE_WORDS = 8
_TAGLINE_VOCABULARY = frozenset(
    "news independent trusted voice source stories journalism since est established founded latest "
    "nachrichten noticias nouvelles notizie informations".split())
# A section's name is a word or two ("World", "Middle East").
_SECTION_LABEL_WORDS = 2
# Company-form words a copyright line adds to the site's name ("Harbour Courier Media Ltd").
_COMPANY_WORDS = frozenset("media group inc ltd llc plc limited bv b.v co company corp corporation sa ag gmbh com".split())


def choose_title(judged: Judgement, given: str | None, site_names: tuple[str, ...] = ()) -> tuple[str, str | None]:
    """(title, outlet named by a site-name suffix or the masthead). Sets judged.title_index to
    the headline line. `site_names`: what the page calls itself elsewhere (copyright line, metadata)."""
    masthead = _mark_masthead(judged, site_names)
    title, outlet = _choose_title(judged, given)
    return title, outlet or masthead


def _choose_title(judged: Judgement, given: str | None) -> tuple[str, str | None]:
    if given:
        title, outlet = split_site_suffix(given)
        wanted = {line_key(given), line_key(title)}
        for index in range(min(len(judged.lines), TITLE_WINDOW)):
            if judged.reasons[index] is None and line_key(split_site_suffix(judged.lines[index].text)[0]) in wanted:
                judged.title_index = index
                return title, outlet
        # The metadata corrects the headline: the page's own headline line is still no paragraph.
        index = _headline_index(judged)
        if index is not None and _is_own_headline(judged, index):
            judged.title_index = index
            outlet = outlet or split_site_suffix(judged.lines[index].text)[1]
        return title, outlet
    index = _headline_index(judged)
    if index is None:
        return "", None
    text = judged.lines[index].text
    if _is_lead_paragraph(text) and not _repeated_later(judged, index):
        # No headline line: name the article by its first sentence, keep the line as body.
        return _first_sentence(text), None
    judged.title_index = index
    judged.title_in_body = _reads_as_lead(judged, index)
    return split_site_suffix(text)


def _mark_masthead(judged: Judgement, site_names: tuple[str, ...]) -> str | None:
    """The site's name printed above the headline ("THE HARBOUR COURIER", "Metro Dispatch | Local
    news since 1998") is no headline. Only the first line still unjudged qualifies, only when a
    headline-shaped line follows before the body, and only when the line is shaped like a name and
    is known to be one: the site's name given elsewhere (copyright line, metadata), or a name ending
    in a publication's word ("Times", "Courier"). A Title Case headline ("Markets Tumble Worldwide")
    has neither, and one the byline hangs from (when the next line has no byline) stays the headline.
    Returns the outlet the masthead names."""
    index = _first_unjudged(judged)
    if index is None or index >= TITLE_WINDOW:
        return None
    name = _masthead_name(judged.lines[index].text)
    headline = _later_headline(judged, index)
    if name is None or headline is None:
        return None
    named = _matching_site_name(name, site_names)
    if named is None and name.split()[-1].casefold() not in _PUBLICATION_WORDS:
        return None
    if is_anchored(judged, index) and not is_anchored(judged, headline):
        return None
    judged.drop(index, "site name (masthead)")
    _mark_tagline(judged, index)
    return (named or name.title()) if name.isupper() else name


def _mark_tagline(judged: Judgement, masthead: int) -> None:
    """The motto printed under a masthead ("Your city. Your news.", "Local news since 1998").
    A short headline may sit there too, so the line must read like a motto: fragments ending in
    a full stop (a headline has none), a founding year, or the words mottos are made of."""
    index = masthead + 1
    if index >= len(judged.lines) or not judged.kept(index) or index in judged.datelines:
        return
    text = judged.lines[index].text
    words = re.findall(r"[^\W\d_]+", text.casefold())
    if len(text.split()) > _TAGLINE_WORDS or _later_headline(judged, index) is None:
        return
    if text.rstrip().endswith((".", "!")) or re.search(r"\b(?:1[89]|20)\d{2}\b", text) or _TAGLINE_VOCABULARY & set(words):
        judged.drop(index, "site tagline")


def _masthead_name(text: str) -> str | None:
    """The name in a masthead line: the whole line, or what precedes a tagline ("| Local news since 1998")."""
    text = " ".join(text.split())
    parts = _SITE_SEPARATORS.split(text, maxsplit=1)
    if len(parts) == 3:
        name, tagline = parts[0], parts[2]
        if len(tagline.split()) < 2 or not any(word[:1].islower() for word in tagline.split()):
            return None     # "Headline Words | Site": the site's name is the suffix, not the head
        text = name
    return text if _is_name_shaped(text) else None


def _is_name_shaped(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= _MASTHEAD_WORDS or any(ch.isdigit() for ch in text) or ends_sentence(text):
        return False
    return (words[0][:1].isupper() and all(re.fullmatch(r"[\w.'’&-]+", word) for word in words)
            and all(word[:1].isupper() or word.casefold() in _NAME_GLUE for word in words))


def _later_headline(judged: Judgement, start: int) -> int | None:
    """The next headline-shaped unjudged line after `start`, before the body begins."""
    for index in range(start + 1, min(len(judged.lines), TITLE_WINDOW)):
        if judged.reasons[index] is not None or index in judged.datelines:
            continue
        text = judged.lines[index].text
        words = len(text.split())
        if words >= BODY_LINE_WORDS and text.rstrip().endswith("."):
            return None     # the body has begun
        if judged.lines[index].heading or (
                MIN_TITLE_WORDS <= words <= _MAX_UNPUNCTUATED_HEADLINE_WORDS and not text.rstrip().endswith(".")
                and not _is_breadcrumb(judged, index)):
            return index
    return None


def _matching_site_name(name: str, site_names: tuple[str, ...]) -> str | None:
    key = _name_key(name)
    for site_name in site_names:
        other = _name_key(site_name)
        shorter, longer = sorted((key, other), key=len)
        if shorter and (shorter == longer or (len(shorter) >= 2 and longer[: len(shorter)] == shorter)):
            return site_name
    return None


def _name_key(name: str) -> list[str]:
    """ "The Harbour Courier Media Ltd." -> ["harbour", "courier"]."""
    words = [word.strip(".,") for word in name.casefold().split()]
    while words and words[-1] in _COMPANY_WORDS:
        words.pop()
    if words and words[0] == "the":
        words = words[1:]
    return words


def _is_own_headline(judged: Judgement, index: int) -> bool:
    """A heading, or a short unpunctuated first line: shaped like a headline, not like prose."""
    line = judged.lines[index]
    if line.heading:
        return True
    return (index == _first_unjudged(judged) and len(line.text.split()) <= _MAX_UNPUNCTUATED_HEADLINE_WORDS
            and not ends_sentence(line.text))


def _first_unjudged(judged: Judgement) -> int | None:
    return next((i for i, reason in enumerate(judged.reasons) if reason is None and i not in judged.datelines), None)


def _headline_index(judged: Judgement) -> int | None:
    candidates = [i for i in range(min(len(judged.lines), TITLE_WINDOW))
                  if judged.reasons[i] is None and i not in judged.datelines and not _is_breadcrumb(judged, i)]
    headline_like = [i for i in candidates if _word_count(judged.lines[i].text) >= MIN_TITLE_WORDS
                     or judged.lines[i].heading]
    # Before the body starts, a line carrying a site-name suffix ("... | Site") is the page's
    # headline even when a tagline or a section name comes first.
    for index in headline_like:
        if len(judged.lines[index].text.split()) >= BODY_LINE_WORDS:
            break
        head, outlet = split_site_suffix(judged.lines[index].text)
        if outlet and len(head.split()) >= MIN_TITLE_WORDS:
            return index
    if headline_like:
        return (_repeated_headline(judged, headline_like) or _headline_after_promo(judged, headline_like)
                or headline_like[0])
    if candidates:
        return candidates[0]
    return next((i for i in range(len(judged.lines)) if judged.reasons[i] is None and i not in judged.datelines), None)


# A promo talks to the reader: about "you" and "us", or in the imperative.
_READER_WORDS = frozenset("you your you're we our us".split())
_PROMO_VERBS = frozenset(
    "get subscribe support join sign download try start read listen watch enjoy unlock register donate follow "
    "discover upgrade save claim".split())
# The headline under a promo is near it: the promo, then the headline, a label at most between.
_PROMO_HEADLINE_GAP = 2


def _headline_after_promo(judged: Judgement, candidates: list[int]) -> int | None:
    """ "Get unlimited access for $1 a week. Cancel anytime." above the headline: a sentence that
    talks to the reader, on top of the page, with nothing hanging from it, while the unpunctuated
    line right under it has the byline, timestamp or dateline under it: that line is the headline."""
    first = candidates[0]
    text = judged.lines[first].text
    words = [word.strip(".,!?:;\"'“”‘’").casefold() for word in text.split()]
    if (first != _first_unjudged(judged) or judged.lines[first].heading or not ends_sentence(text)
            or is_anchored(judged, first) or not (_READER_WORDS & set(words) or words[0] in _PROMO_VERBS)):
        return None
    for index in candidates[1:]:
        if index - first > _PROMO_HEADLINE_GAP:
            return None
        line = judged.lines[index].text
        if (MIN_TITLE_WORDS < len(line.split()) <= _MAX_UNPUNCTUATED_HEADLINE_WORDS and not ends_sentence(line)
                and is_anchored(judged, index)):
            return index
    return None


def _word_count(text: str) -> int:
    """Words with a letter or digit: "›" and "|" between section names are no words."""
    return len(_WORD_WITH_ALNUM.findall(text))


# A run of non-spaces holding a letter or digit (`[^\W_]` is exactly `str.isalnum`, `\s` exactly
# `str.isspace`): one match per such word of `text.split()`, found in C.
_WORD_WITH_ALNUM = re.compile(r"\S*[^\W_]\S*")


def _repeated_headline(judged: Judgement, candidates: list[int]) -> int | None:
    """A page that prints its headline twice (share card, then article) names it by the repeat:
    a site name or tagline may come first. Only headline-shaped lines qualify, and only when
    the first candidate is not itself the repeated one (a repeated lead in the headline slot)."""
    first = candidates[0]
    if _repeated_later(judged, first):
        return None
    for index in candidates[1:]:
        text = judged.lines[index].text
        if len(text.split()) >= BODY_LINE_WORDS:
            break
        if _repeated_later(judged, index) and not text.endswith(".") and len(text.split()) >= MIN_TITLE_WORDS:
            return index
    return None


def _is_breadcrumb(judged: Judgement, index: int) -> bool:
    """ "Home › World › ..." or "Home World <the headline>" (the headline follows on its own)."""
    text = judged.lines[index].text
    if len(text) > 300:
        return False
    if _has_breadcrumb_separators(text):
        return True
    key = judged.keys[index]
    for later in range(index + 1, min(len(judged.lines), index + 6)):
        tail = judged.keys[later]
        if len(tail.split()) >= MIN_TITLE_WORDS and key.endswith(" " + tail):
            prefix = key[: -len(tail)].split()
            if len(prefix) <= 6:
                return True
    return False


def _has_breadcrumb_separators(text: str) -> bool:
    """ "Home › World › Asia", "Politics | World | Asia": short segments between separators."""
    segments = [segment.strip() for segment in _BREADCRUMB_SEPARATOR.split(text)]
    if len(segments) < 2 or not all(segments) or ends_sentence(text):
        return False
    short = all(len(segment.split()) <= _BREADCRUMB_SEGMENT_WORDS for segment in segments[:-1])
    # "Markets › Deals": two section names behind the arrow only breadcrumbs use (» also
    # separates a site's name from the headline)
    two_sections = (len(segments) == 2 and re.search(r"›|\s>\s", text) is not None
                    and len(segments[1].split()) <= _BREADCRUMB_SEGMENT_WORDS)
    return short and (len(segments) >= 3 or segments[0].lower() in _HOME_WORDS or two_sections)


def _is_lead_paragraph(text: str) -> bool:
    """Too long for a headline; two-sentence headlines ("X. Where is the money?") stay short."""
    sentences = re.findall(r"[.!?](?:\s|$)", text.rstrip() + " ")
    return len(text) > _MAX_TITLE_CHARS or (len(sentences) >= 2 and len(text.split()) >= BODY_LINE_WORDS * 2)


def _reads_as_lead(judged: Judgement, index: int) -> bool:
    """A sentence of article length closed by a full stop, printed once: the lead paragraph in the
    headline slot. Headlines have no full stop; a lead printed again below is the page's own
    headline-sized summary, and its copy goes as a repeat."""
    line = judged.lines[index]
    return (not line.heading and len(line.text.split()) >= BODY_LINE_WORDS and line.text.rstrip().endswith(".")
            and not _repeated_later(judged, index))


def _repeated_later(judged: Judgement, index: int) -> bool:
    return judged.keys[index] in judged.keys[index + 1:]


def _first_sentence(text: str) -> str:
    match = re.match(r"(.{20,}?[.!?])(?:\s|$)", text)
    sentence = match.group(1) if match else text
    if len(sentence) > _MAX_TITLE_CHARS:
        sentence = sentence[:_MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return sentence


def split_site_suffix(title: str) -> tuple[str, str | None]:
    """ "Headline | Site" -> ("Headline", "Site"); a dash needs a short capitalised site name."""
    title = " ".join(title.split())
    parts = _SITE_SEPARATORS.split(title)
    if len(parts) < 3:
        return title, None
    head, separator, suffix = " ".join(parts[:-2]), parts[-2], parts[-1].strip()
    if not head or len(head.split()) < 2 or ends_sentence(suffix) or not suffix:
        return title, None
    words = suffix.split()
    if find_date(suffix) or not any(ch.isalpha() for ch in suffix):
        return title, None      # "Avalon Herald | 12 March 2024": a dateline, not a headline
    if separator in ("|", "::", "•", "·", "«", "»"):
        plausible = len(words) <= 6
    else:
        plausible = len(words) <= 4 and all(w[:1].isupper() or w[:1].isdigit() or "." in w for w in words)
    if not plausible:
        return title, None
    return head, suffix


def mark_before_title(judged: Judgement) -> None:
    """Whatever precedes the headline (except a dateline) is navigation: breadcrumbs, labels."""
    if judged.title_index is None:
        return
    for index in range(judged.title_index):
        if index in judged.datelines:
            continue
        judged.drop(index, "breadcrumb" if _is_breadcrumb(judged, index) else "navigation (before the headline)")
    # Some pages print the breadcrumb under the headline, before the article starts.
    for index in range(judged.title_index + 1, min(len(judged.lines), judged.title_index + TITLE_WINDOW)):
        text = judged.lines[index].text
        if len(text.split()) >= BODY_LINE_WORDS:
            break
        if len(text) <= 300 and _has_breadcrumb_separators(text):
            judged.drop(index, "breadcrumb")


def mark_section_label(judged: Judgement) -> None:
    """Run after the bylines are known (a bare name there is the author). "Asia" between the headline and the byline: the section's name, not a subheading (which
    follows article text). Only a word or two in capitals, first of the kept lines under the
    headline, with the byline, timestamp or dateline still to come."""
    title = judged.title_index
    if title is None:
        return
    first = next((i for i in range(title + 1, len(judged.lines)) if judged.kept(i) and i not in judged.datelines), None)
    if first is None or first - title > TITLE_WINDOW:
        return
    text = judged.lines[first].text
    words = text.split()
    if (len(words) > _SECTION_LABEL_WORDS or judged.lines[first].heading or ends_sentence(text)
            or any(ch.isdigit() for ch in text) or not all(word[:1].isupper() for word in words)):
        return
    for later in range(first + 1, min(len(judged.lines), first + 4)):
        if judged.reasons[later] in ("byline", "timestamp", "byline and timestamp") or later in judged.datelines:
            judged.drop(first, "section label (under the headline)")
            return
        if judged.kept(later):
            # "Climate" between the headline and the lead paragraph: a subheading follows article
            # text, never the headline (an all-capitals word there may be the dateline's place)
            if len(judged.lines[later].text.split()) >= BODY_LINE_WORDS and not text.isupper():
                judged.drop(first, "section label (under the headline)")
            return
