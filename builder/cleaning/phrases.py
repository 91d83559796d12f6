"""Known kinds of page furniture, recognised one line at a time.

`phrase_reason(line)` answers with the reason a reader is shown ("comment prompt", "photo
credit", ...) or None. Patterns match the WHOLE line (after light normalisation), so an
article sentence that merely contains "read more" or "share" is never touched. Every pattern
is bounded, and lines longer than `_MAX_FURNITURE_CHARS` are not examined at all: furniture
is short, and a huge line must not cost more than a glance.
"""
from __future__ import annotations

import re
from functools import lru_cache
from re import _constants, _parser

# Furniture lines (captions included) are at most a few hundred characters.
_MAX_FURNITURE_CHARS = 600
_SOCIAL = (r"(?:facebook|twitter|x|whatsapp|linkedin|reddit|telegram|pinterest|e-?mail|print|messenger"
           r"|flipboard|tumblr|vk|threads|bluesky|mastodon|copy link|copy url|sms|instagram|youtube|tiktok)")
_AGENCY = (r"(?:ap|afp|reuters|epa|epa-efe|efe|tass|xinhua|sputnik|ria novosti|anadolu(?: agency)?|bloomberg"
           r"|getty(?: images)?|shutterstock|istock(?:photo)?|alamy|dpa|ansa|kyodo|yonhap|kcna|pool|handout"
           r"|zuma(?: press)?|sipa|abaca|pa(?: media| wire)?|ap photo|reuters photo|afp photo|file photo|wikimedia commons)")

# The buttons closing a cookie banner.
_CONSENT_BUTTON = (r"(?:ok(?:ay)?|got it|i agree|agree|(?:accept|allow|reject|decline|refuse)(?: all)?(?: cookies)?"
                   r"|manage (?:preferences|settings|options|cookies|choices)|(?:cookie|privacy) settings"
                   r"|learn more|find out more|more info(?:rmation)?)")

# What a timestamp's label is followed by: a number, a month or weekday, "on"/"at" or a colon.
_WHEN = (r"\W{0,3}(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun"
         r"|on |at |:|by )")

# (reason, pattern) in order; the first full match names the reason. Patterns see the line
# lower-cased, with curly apostrophes straightened, whitespace collapsed and trailing
# punctuation/arrows removed (see `_key`).
_RULES: tuple[tuple[str, str], ...] = (
    ("comment prompt",
     # "What do you think? Leave a comment below.": a question to the reader, then the prompt
     r"(?:[^.!?]{3,80}\? )?(?:leave|post|add|write|submit|share) (?:a|your|the first) "
     r"(?:comment|reply|response|thoughts|views)(?: below| here| in the comments)?"
     r"|no comments?(?: yet)?|no responses?(?: yet)?|\d+ (?:comments?|responses?|replies)(?: to .{1,200})?"
     r"|(?:view|show|hide|load|read|see|open|close|display)(?: all| the| more)? (?:\d+ )?comments?(?: \(\d+\))?"
     r"|comments?(?: \(\d+\)| \d+)?|comments? (?:are )?closed|discussion(?: about this (?:post|article|story))?|join the (?:conversation|discussion|debate)"
     r"|please (?:enter|type|provide) your (?:comment|name|email|e-mail)(?: address)?(?: here)?!?"
     r"|your (?:email|e-mail)(?: address)? will not be published\.?(?: required fields are marked \*?)?"
     r"|required fields are marked \*?|(?:leave a reply )?cancel reply|reply|be the first to comment(?: on .{1,100})?"
     r"|save my name,? e-?mail,? and website in this browser for the next time i comment"
     r"|you must be logged in to (?:post a )?comment|(?:log ?in|sign in) to (?:comment|reply)"
     r"|(?:name|email|e-mail|website|comment|your (?:name|email|comment))\s?\*?|post (?:a )?comment|this site uses akismet to reduce spam.{0,120}"
     r"|(?:we|our) (?:welcome|moderate) (?:your )?comments.{0,150}|\d+ (?:thoughts|opinions) on .{1,200}"
     r"|(?:tell us|let us know) (?:what you think|your (?:thoughts|views|opinion)|in the comments).{0,100}|have your say.{0,100}"
     r"|(?:share|leave|post) your (?:thoughts|views|opinions?|comments?)(?: (?:below|here|with us|in the comments))?.{0,60}"),
    ("reaction prompt",
     r"what'?s your (?:reaction|opinion|take)\??|how (?:do|did) you feel about this(?: article| story| post)?\??"
     r"|did you (?:like|enjoy) this (?:article|story|post)\??|was this (?:article|story|page) (?:helpful|useful)\??"
     r"|did you find this (?:article|story|page|post) (?:helpful|useful|interesting|informative)\??"
     r"|rate this (?:article|story|post)|(?:like|love|haha|wow|sad|angry|happy|funny|surprised|in love|not sure"
     r"|silly|scary|excited|love it|lol|omg|wtf|geeky|cute|fail|win)(?: \d+)?"),
    ("feedback prompt",
     r"yes no|(?:thank you|thanks) for your feedback|send us (?:your )?feedback"
     r"|report an? (?:error|typo|mistake|correction)|(?:have|got) a (?:news )?(?:tip|story)\?.{0,120}"
     r"|contact the (?:author|reporter|writer|newsroom)"),
    ("share/follow prompt",
     rf"share(?: this| the)?(?: article| story| post| page| video| on| via| with| it)*"
     rf"(?:\s?:?\s?{_SOCIAL}(?:\s*[,|/·•]?\s*{_SOCIAL}){{0,12}})?"
     rf"|{_SOCIAL}(?:\s*[,|/·•]?\s*{_SOCIAL}){{0,12}}|share on {_SOCIAL}|(?:tweet|pin|email|print)(?: this| it)?"
     rf"(?: article| story| page)?|copy(?: the)? link|link copied(?: to clipboard)?"
     rf"|(?:follow|like|join|find) us(?: on| at)? .{{0,80}}|follow (?:us|@\S+|the author|this author|[\w .']{{1,40}} on {_SOCIAL}).{{0,80}}"
     rf"|follow [\w .'&]{{1,40}} on social (?:media|networks)[.!]?"
     rf"|spread the love|sharing is caring!?|like this|like loading|share this|(?:click to )?share on \w+(?: \(opens in new window\))?"
     rf"|(?:join|follow) (?:us on |our )(?:telegram|whatsapp|google news|youtube|instagram|facebook)(?: channel| group| page)?.{{0,80}}"
     rf"|about sharing|(?:close|open) (?:panel|menu|share panel)|partager(?: cet article| sur \w+)?|teilen|compartir|condividi"
     rf"|(?:stay|keep) (?:connected|updated|informed) with .{{1,80}}|gift (?:this )?article|share (?:the )?full article|send any friend a story|add to (?:your )?saved (?:stories|articles)|listen to (?:this )?article|save(?: this)?(?: article| story)?|saved|bookmark(?: this)?(?: article| story)?"),
    ("newsletter promo",
     r"(?:sign up|subscribe)(?: now| today| here| free| for free)?(?: for| to)?(?: our| the| my)?(?: free)?"
     r"(?: .{1,80})? (?:newsletters?|updates|alerts|e-?mails?|briefings?|digest|bulletins?|channel|podcast|feed)(?: .{0,120})?"
     r"|(?:sign up|subscribe)(?: now| today| here)?|newsletters?(?: sign ?up)?"
     # An article sentence never opens with the imperative; the length bound keeps it to one promo line.
     r"|(?:subscribe to|sign up (?:for|to)|sign up now for) .{1,140}"
     # "... in your inbox" only with a promise of delivery: a story about scams may mention inboxes.
     r"|.{0,120}\b(?:delivered|sent|straight|directly|direct)(?: straight| directly)? (?:to|into) your inbox\b.{0,80}"
     r"|(?:.{0,100}\b)?(?:get|receive|have) .{1,100} (?:in|to|into) your inbox\b.{0,80}|.{0,120}\byour inbox every\b.{0,60}"
     r"|.{0,200}\b(?:start|begin|claim|get) (?:your|a|our) (?:free|\d+-day|one-month|risk-free)(?: free)? trial\b.{0,100}"
     r"|get (?:the latest|our|breaking|the best|more|daily|weekly) .{1,100} (?:in|to|into|delivered to) your inbox.{0,60}"
     r"|(?:already a subscriber|not a subscriber|have an account)\?.{0,100}|become a (?:member|subscriber|patron|supporter).{0,100}"
     r"|support (?:our|independent|quality|local) journalism.{0,160}|(?:please )?(?:donate|subscribe)(?: now| today)?"
     r"|(?:thanks|thank you) for reading.{0,200}|enjoyed this (?:article|story|piece)\?.{0,120}|make a donation"
     r"|(?:skip past|after) newsletter promotion|already have an account\?.{0,100}|.{0,120}\bsubscribe (?:for free|now|today|here)\b.{0,200}"
     r"|(?:enter|your) e-?mail(?: address)?(?: here)?|(?:abonnez-vous|inscrivez-vous|abonnieren sie|suscr[ií]bete|iscriviti).{0,100}|sign in|log in|log out|register|create (?:a free )?account"
     r"|by (?:signing up|subscribing|clicking).{0,200}(?:privacy|terms|agree).{0,200}"),
    ("video promo",
     r"click (?:to|here to) (?:play|watch|view|see|listen)(?: the)? (?:video|clip|audio|gallery|slideshow|photos)?.{0,200}"
     r"|(?:watch|play)(?: the)? (?:video|clip)\s?[:|·-] .{1,200}|(?:listen|watch|play)(?: now)?\s?[·|:–-]\s?\d{1,2}:\d{2}(?: min)?"
     r"|video (?:duration|length)\s?:?.{0,30}"),
    ("click-through promo",
     r"click here.{0,160}|(?:read|learn|find out|see|discover) more(?: here| below| at .{1,80}| about .{1,100}| on .{1,100}|\s?: .{1,160})?"
     r"|continue reading(?: .{0,100})?|keep reading|read (?:the )?(?:full|whole|complete|original) (?:story|article|report|text).{0,100}"
     r"|(?:read|see|watch|listen to) (?:the )?(?:full|more) .{0,60}|more (?:from|on|about|in) .{1,80}"
     r"|(?:watch|listen|play)(?: now| live| here| video| the video| below)?|(?:watch|video|listen|audio|podcast|gallery|photos|in pictures)\s?[:|-] .{1,160}"
     r"|listen to (?:this|the) (?:article|story|podcast|episode).{0,60}"
     r"|follow (?:the latest|our live|live) (?:news |updates |coverage )?on our live (?:blog|page).{0,60}"
     r"|(?:read|follow) our live (?:coverage|blog|updates).{0,60}"
     # "Download the Harbour News app for the latest updates"
     r"|(?:download|get|install|open|try) (?:the |our )?(?:free )?(?:[\w&'’.-]+ ){0,4}app\b.{0,100}|open in app"
     r"|view (?:in|on) (?:app|browser)"
     r"|.{0,200}\b(?:get|buy|book|grab|reserve|register for) your (?:tickets?|seats?|pass(?:es)?|spot|place)\b.{0,100}"
     r"|(?:tap|swipe) (?:here|to) .{1,80}|for more (?:news|stories|information|updates),? (?:visit|go to|see) .{1,100}"),
    # A label set over the headline ("BREAKING NEWS"); alone on its line, never with a headline
    # glued to it ("Breaking: Ferry sinks ..." is the headline itself).
    ("news label",
     r"breaking(?: news)?(?: alert)?|just in|developing(?: story| news)?|live(?: updates| blog| coverage| now)?"
     r"|exclusive|eilmeldung|derni[eè]re minute|[uú]ltima hora|ultim'ora"),
    ("related stories",
     r"(?:see|read) also\b.{0,220}|also read\b.{0,220}|also see\b.{0,220}"
     r"|related(?: articles?| stories| news| posts?| content| reading| coverage| links?| topics| videos?)?(?:\s?[:|\-–—].{0,220})?"
     r"|you (?:may|might) (?:also )?(?:like|enjoy|be interested in|have missed)(?:\s?[:|\-–—].{0,220})?"
     r"|recommended(?: for you| stories| articles| reading| videos)?(?:\s?[:|\-–—].{0,220})?"
     r"|more (?:stories|articles|news|headlines|videos)(?: like this| for you)?(?:\s?[:|\-–—].{0,220})?"
     r"|(?:mehr zum thema|lesen sie (?:auch|mehr)|auch interessant|das könnte sie (?:auch )?interessieren|(?:à )?lire aussi"
     r"|sur le même sujet|à voir aussi|(?:te puede interesar|leer también|más información|lee también)|leggi anche)"
     r"(?:\s?[:|\-–—].{0,220})?"
     r"|(?:trending|popular|top stories|latest|editor'?s picks?|most (?:read|popular|viewed|shared)|(?:read|up|watch) next"
     r"|what to read next|don'?t miss|in case you missed it|explore more|further reading|must read)"
     r"(?: now| stories| news| articles| posts| videos| today| on \w+)?(?:\s?[:|\-–—].{0,220})?"),
    ("next/previous article",
     r"(?:next|previous|prev|older|newer)(?: article| post| story| page| item)?(?:\s?[:|\-–—].{0,200})?"),
    ("breadcrumb", r"(?:home|homepage|front page)(?:\s?[›»>]\s?|\s[/|]\s)[^.!?]{1,150}"),
    ("navigation",
     r"(?:https?://)?(?:www\.)?[a-z0-9-]{2,63}(?:\.[a-z0-9-]{1,63}){0,3}\.[a-z]{2,24}(?:/[^\s]{0,200})?|more|top|start writing"
     r"|exit mobile version|(?:back|go|scroll|return|jump) to (?:the )?top|skip to (?:main )?(?:content|navigation|footer)"
     r"|skip navigation|now (?:reading|playing|watching)|you are here:?.{0,160}|(?:main )?menu|search(?: for)?|home(?:page)?"
     r"|toggle (?:navigation|menu)|close|open|close (?:dialog(?:ue)?|window|overlay|pop-?up)|open (?:navigation|menu)"
     r"|back|continue|see all|view all|show all|sections|notifications|manage notifications|press esc to close"
     r"|not now|maybe later|no,? thanks|opens? (?:in )?(?:a )?new (?:tab|window)|reuse this content|terms (?:&|and) conditions"
     # a photo gallery's controls
     r"|(?:next|previous|prev) (?:image|photo|slide)|enlarge|full ?screen|(?:image|photo|slide) \d+ of \d+|\d{1,3}/\d{1,3}"
     r"|photo gallery|(?:view|see|open) (?:the )?(?:full )?(?:photo )?gallery"
     r"|load more|show more|show less|page \d+(?: of \d+)?|\d+ of \d+|table of contents|contents|in this article"
     r"|(?:terms of (?:use|service)|privacy(?: policy| notice)?|cookie policy|contact(?: us)?|about(?: us)?|careers|advertise(?: with us)?"
     r"|site ?map|imprint|impressum|help|faq|rss(?: feed)?|accessibility|corrections)(?:\s?[|·•/]\s?.{1,40}){0,12}"),
    ("counter", r"(?:(?:post )?views?\s?:\s?)?\d{1,3}(?:[.,]\d{1,3})*\s?[km]?"
                r"(?: (?:likes?|shares?|views?|restacks?|claps?|reactions?|reposts?|reads?))?"),
    ("page script notice",
     r"loading(?:\.\.\.|…)?|please wait|(?:please )?enable javascript.{0,120}|javascript is (?:disabled|required).{0,120}"
     r"|your browser does not support.{0,120}|hide caption|toggle caption|enlarge this image|expand|collapse"),
    ("press release furniture",
     r"for immediate release|(?:media|press|investor|news) (?:contacts?|inquiries|enquiries)\s?:?.{0,120}|contacts?\s?:.{0,120}"
     r"|#(?: ?#){2,}|-30-|-?ends-?|\+\d[\d ().-]{6,20}\d|\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}|[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,4}"),
    ("tags", r"(?:tags?|topics?|filed under|categories|category|posted in|keywords|sections?|more on)\s?:.{0,300}"
             r"|topics|explore more on (?:these|this) topics?"
             r"|(?:filed under|posted in|tagged(?: with)?) [\w&' ,-]{1,80}"),
    ("advertisement",
     r"(?:advertisements?|advertising|anzeige|publicit[ée])(?:\s?[·|•:-]\s?.{1,60})?|ad|ads|sponsored(?: content| post| links?| stories)?|promoted(?: content| stories)?"
     r"|paid (?:content|post|partnership|promotion)|partner content|story continues(?: below)?(?: (?:advertisement|ad))?|(?:story|article|content) continues (?:below|after)(?: the)?(?: advertisement| ad)?"
     r"|continue reading (?:below|the main story)|scroll (?:down )?to continue(?: with content| reading)?|remove ads|ad-free.{0,80}"
     r"|(?:this|our) (?:article|post|site|page) (?:may )?contains? affiliate links.{0,200}|report (?:this )?ad"
     r"|.{1,80} is (?:reader|audience|listener)-supported\b.{0,300}"
     r"|.{0,80}\b(?:when|if) you (?:buy|purchase|shop|click)(?: something)? (?:through|via|using|from) (?:the |our )?links\b.{0,200}"
     r"|.{0,120}\bwe may (?:earn|receive|get) (?:a |an )?(?:small )?(?:affiliate )?commission\b.{0,200}"),
    ("disclaimer",
     r"(?:disclaimer|legal disclaimer|disclosure|important (?:notice|information)|risk warning)\s?:.{0,500}"
     r"|(?:this|the) (?:article|content|information|post|material|report|newsletter)(?: on this (?:site|page|website))?"
     r" (?:is|are) (?:provided )?(?:(?:for|intended for) )?(?:general )?(?:information(?:al)?|educational) (?:purposes )?only\b.{0,300}"
     r"|(?:this|the|nothing in this) (?:article|content|information|post|material|report)"
     r" (?:is not|does not constitute|should not be (?:construed|taken) as|constitutes?) (?:intended as )?(?:an? )?"
     r"(?:financial|investment|legal|medical|tax|professional) advice\b.{0,300}"
     r"|the (?:views|opinions)(?: and opinions)? expressed (?:in this (?:article|piece|column|post)|here|herein|above)"
     r" (?:are|do not|does not).{1,200}"
     r"|.{0,200}\b(?:does not|do not|doesn't|cannot) (?:provide|give|offer) (?:personal )?(?:financial|investment|legal|medical|tax)"
     r" advice|(?:all )?investing involves risks?\b.{0,300}"),
    ("cookie notice",
     # "We and our partners use cookies ...", "This website and its partners store cookies ..."
     r".{0,200}\b(?:we|this (?:site|website)|our (?:site|website)|you)(?: and (?:our|its|selected|trusted|third)[\w -]{0,40})?"
     r" (?:use|uses|store|stores|set|sets|place|places|accept)(?: and (?:share|store|access|process))?(?: \w+){0,2}"
     r" cookies\b.{0,400}"
     # "Cookie notice: ...", "Privacy settings: ... cookies ...": a banner's label
     r"|cookies?(?: notice| policy| settings| preferences| consent| information| banner)?\s?:.{0,600}"
     r"|(?:privacy|consent|data protection)(?: notice| settings| preferences| choices| centre| center)?\s?:"
     r"(?=.{0,600}\bcookies?\b).{0,600}"
     # a sentence about cookies closed by the banner's buttons ("... our use of cookies. OK")
     rf"|.{{0,400}}\bcookies?\b.{{0,400}}(?:[.!?]|\s[|·•])\s?{_CONSENT_BUTTON}(?:\s?[|·•/]?\s?{_CONSENT_BUTTON}){{0,4}}"
     r"|(?:accept|reject|allow|decline|manage)(?: all)?(?: cookies| consent| preferences| settings| choices| options)?"
     r"|cookie (?:policy|settings|preferences|consent|notice)|i (?:accept|agree)|got it|agree|ok(?:ay)?"
     r"|we value your privacy|your privacy(?: choices| settings| options)?|privacy (?:settings|preferences|choices)"
     r"|do not sell or share my personal information|do not sell my (?:personal )?info(?:rmation)?"
     r"|by (?:continuing|using|browsing)(?: to (?:use|browse))? (?:this|our) (?:site|website).{0,300}"),
    ("copyright notice",
     r"(?:©|\(c\) ?\d{4}|copyright ?(?:©|\(c\)|\d{4})).{0,200}|copyright(?: notice| policy| information)?"
     r"|(?:.{0,160}[.,|©] )?all rights reserved(?: worldwide| by .{1,60})?"
     r"|this (?:material|article|content) may not be (?:published|reproduced|copied).{0,200}"),
    ("timestamp",
     r"(?:last |first )?(?:updated|published|posted|modified)"
     r"|(?:publi[ée]|mis à jour|ver[öo]ffentlicht|aktualisiert|publicado|actualizado|pubblicato|aggiornato)\b(?=.{0,80}\d).{0,80}"
     r"|(?:(?:last |first )?(?:updated|published|posted|modified|created|edited)(?: on| at)?:?|updated:?|published:?)"
     rf" (?={_WHEN}).{{1,80}}"
     r"|\d{1,2}:\d{2}(?:\s?(?:am|pm|a\.m|p\.m))?(?: [a-z]{2,5})?(?:,? .{0,30}\d{4})?"
     r"|\d+ (?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?) ago|just now|yesterday|today"
     r"|(?:reading|read) time:? .{1,30}|\d+ min(?:ute)?s?(?: (?:read|listen))?"),
    # A byline that names only a role, the writer unnamed ("Staff Correspondent", "Our Reporter",
    # "Web Desk"): nothing of the article; a named byline is handled with its name (credits.py).
    ("byline",
     # Only words that leave the writer unnamed: "Senior Correspondent" may be a named byline's next line.
     r"(?:our|a|staff|special|own)(?: (?:own|staff|special|foreign|political|diplomatic|regional))* "
     r"(?:correspondents?|reporters?|writers?)|(?:news|web|online|digital|city|metro|world) desk"),
    ("source line",
     r"sources?\s?: (?:agencies|afp|ap|reuters|[\w ,&'.-]{1,60})|\(?with (?:inputs?|additional reporting) from .{1,100}\)?"
     r"|agencies|\(?(?:afp|ap|reuters|agencies|ians|pti|ani|dpa|tass|xinhua)\)?"
     r"|\(?with (?:afp|ap|reuters|agencies|dpa|efe|ansa|xinhua)(?:,? (?:and |& )?(?:afp|ap|reuters|agencies|dpa|efe))?\)?"
     r"|.{1,100} contributed (?:reporting )?to this (?:report|story|article)"
     r"|this (?:story|article|report) (?:was|has been) (?:updated|corrected|amended|produced|edited).{0,200}"
     r"|this (?:article|story|content|page) is (?:more than|over|at least) .{1,20} old"
     r"|the post .{1,200} appeared first on .{1,100}|(?:this (?:article|story|piece) )?(?:was )?originally (?:appeared|published|posted)"
     r"(?: on| in| at| by)? .{1,120}|(?:first|originally) published (?:on|in|at|by) .{1,120}"
     r"|(?:editor'?s? note|correction|clarification)\s?:.{0,300}"),
)
# Wire services close a press release with "SOURCE <company>", in capitals.
_RELEASE_SOURCE = re.compile(r"SOURCE [A-Z][\w&.,' -]{1,60}")


class _WholeLine:
    """`re.compile(pattern).fullmatch(text)` as a yes/no, faster on lines it does not match.

    A line matches an alternation when it matches one of its alternatives. The alternatives
    that open with a bounded run of any characters (".{0,200}\\bsubscribe ...") cost a try at
    every length of that run on every line; each such alternative is tried only when the
    longest run of plain characters it must contain (" your inbox", "/") is in the line.
    The others are one regex, as before."""

    def __init__(self, pattern: str) -> None:
        plain, guarded = [], []
        for alternative in _top_alternatives(pattern):
            needed = _needed_literal(alternative) if alternative.startswith(".") else ""
            (guarded if needed else plain).append((needed, alternative))
        self._plain = re.compile("|".join(a for _, a in plain)) if plain else None
        self._guarded = tuple((needed, re.compile(a)) for needed, a in guarded)

    def fullmatch(self, text: str) -> bool:
        if self._plain is not None and self._plain.fullmatch(text):
            return True
        return any(needed in text and regex.fullmatch(text) for needed, regex in self._guarded)


def _top_alternatives(pattern: str) -> list[str]:
    """The pattern cut at its top-level "|" (outside brackets, classes and escapes)."""
    pieces, depth, start, i = [], 0, 0, 0
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]" or i == class_start + 1 or (i == class_start + 2 and pattern[class_start + 1] == "^")
        elif ch == "[":
            in_class, class_start = True, i
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            pieces.append(pattern[start:i])
            start = i + 1
        i += 1
    pieces.append(pattern[start:])
    # The cut is only trusted when the pieces are the alternation the regex engine sees.
    if len(pieces) != len(_parsed_alternatives(pattern)):
        return [pattern]
    return pieces


def _parsed_alternatives(pattern: str) -> list:
    parsed = _parser.parse(pattern)
    if len(parsed.data) == 1 and parsed.data[0][0] is _constants.BRANCH:
        return list(parsed.data[0][1][1])
    return [parsed]


def _needed_literal(alternative: str) -> str:
    """The longest run of plain characters every match of `alternative` holds: consecutive
    literals at its top level, where nothing repeats, branches or is optional ("" if none)."""
    parsed = _parser.parse(alternative)
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return ""
    best, run = "", ""
    for op, value in parsed.data:
        if op is _constants.LITERAL:
            run += chr(value)
            best = max(best, run, key=len)
        else:
            run = ""
    return best


_COMPILED = tuple((reason, _WholeLine(pattern)) for reason, pattern in _RULES)
# Every rule's unguarded alternatives in one regex, rule i's as group "r<i>": a full match
# takes the first alternative in order that matches, so its group names the first rule
# whose unguarded part matches; only the guarded parts of the rules before it remain to try.
_FIRST_PLAIN = re.compile("|".join(
    f"(?P<r{index}>{rule._plain.pattern})" for index, (_, rule) in enumerate(_COMPILED) if rule._plain is not None
))
_GUARDED = tuple((index, needed, regex) for index, (_, rule) in enumerate(_COMPILED) for needed, regex in rule._guarded)

_PHOTO_CAPTION = _WholeLine(
    r"in this (?:[\w,.'’-]+ ){0,9}?(?:file |handout |aerial |undated |combination |combo )?"
    r"(?:photos?|image|picture|pictures|handout|video still|still|screenshot|screengrab|screen grab|frame grab|grab)\b.{0,500}"
    r"|this (?:[\w,.'’-]+ ){0,4}?(?:photos?|image|picture|pictures|handout|video still|screenshot|screengrab|frame grab)"
    r"(?: [\w,.'’-]+){0,3}? (?:taken|provided|released|distributed|obtained|issued|supplied|made available|courtesy"
    r"|shows|showing|dated)\b.{0,500}"
    r"|file(?: photo)?\s?[-:–—] .{1,500}|(?:pictured|above|below|top|main image|inset|photo|image|picture|caption"
    r"|image caption|media caption|photo caption)\s?[:|] .{1,500}"
    r"|(?:image|media|photo|video) caption\s?, .{1,500}"
    r"|(?:image|media|photo|video) caption|caption"
    r"|.{10,500}\([^()]{0,60}\b(?:photos?|images|pool|handout|credit|getty|reuters|afp|ap|epa)\b[^()]{0,60}\)"
)
_PHOTO_CREDIT = re.compile(
    rf"\(?(?:(?:photo|photograph|image|picture|video|credit|photo credit|image credit|image source|source|courtesy)s?"
    rf"(?: by| of)?\s?[:,|]?\s?)?"
    rf"(?:[\w.'’ -]{{1,60}}\s?/\s?)*(?:via )?{_AGENCY}(?:\s?/\s?[\w.'’ -]{{1,60}})*(?: via .{{1,60}})?\)?"
    rf"|\(?(?:photo|photograph|image|picture|video)s? (?:by|credit|courtesy(?: of)?):? .{{1,80}}\)?"
    rf"|(?:photo|photograph|image|picture|video|illustration|graphic|foto|bild|imagen|immagine)s?(?: credits?)?\s?[:|] .{{1,80}}"
    rf"|purchase (?:licensing|reprint) rights"
    rf"|image source,? .{{1,80}}"
    rf"|courtesy(?: of)? .{{1,80}}|\(?(?:file|handout)(?: photo)?\)?"
)
# "Yuri Kadobnov/AP", "SPUTNIK/VIA REUTERS": capitalised words on both sides of a slash.
_SLASH_CREDIT = re.compile(
    r"\(?[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,4}(?: ?/ ?(?:[Vv][Ii][Aa] )?[A-Z][\w.'’&-]*(?: [A-Z][\w.'’&-]*){0,4}){1,3}\)?"
)
# "... in Marrakech, September 9, 2023. AGENCY/Photographer Name": a caption signed at its end.
_SIGNED_CAPTION = _WholeLine(
    r".{20,500}[.!?”\"]\s{1,3}(?:[A-Z]{2,}(?: [A-Z]{2,})?|AP Photo|Getty Images|[A-Z][a-z]+ Photo)\s?/\s?"
    r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,4}"
    # "... on Sunday. Photograph: Name/Agency", "Divers at the pier | Photo: Name"
    r"|.{8,500}(?:[.!?”\"]|\s[|—–-])\s{1,3}(?:Photo|Image|Picture|Photograph)(?: credit)?\s?:\s?"
    r"[A-Z][\w.'’-]*(?: [A-Z/][\w.'’/&-]*){0,6}"
    # "... on Sunday. Ana Ruiz/Harbour Post": a photographer's full name, a slash, the outlet
    r"|.{20,500}[.!?”\"]\s{1,3}[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3}\s?/\s?[A-Z][\w.'’&-]*(?: [A-Z][\w.'’&-]*){0,3}"
)
_CAPTION_WORDS = 90   # captions are one or two sentences


# Distinct lines and keys remembered: furniture recurs across the pages of a site, and a link
# bar's pieces ("Log in", "Subscribe") across sites. Bounded; an entry is a line and a reason.
_CACHE_SIZE = 1 << 16


@lru_cache(maxsize=_CACHE_SIZE)
def phrase_reason(line: str) -> str | None:
    """The reason `line` is furniture according to the known phrases, or None."""
    if len(line) > _MAX_FURNITURE_CHARS:
        return None
    if not any(ch.isalnum() for ch in line):
        return "separator"
    key = _key(line)
    if not key:
        return None
    reason = _rule_reason(key)
    if reason:
        return reason
    if _RELEASE_SOURCE.fullmatch(line.strip()):
        return "press release furniture"
    bar = _link_bar_reason(line)
    if bar:
        return bar
    if _spaced_menu(line):
        return "navigation"
    return photo_reason(line)


# "Subscribe | Log in", "Podcasts · Newsletters"; a scraped menu also spaces its links apart ("Log in   Subscribe").
_BAR_SEPARATOR = re.compile(r"\s[|·•]\s|\s{2,}|\t")
# Links in a bar are a word or three each ("Subscribe", "Log in", "Sign up free").
_BAR_SEGMENT_WORDS = 3


def _link_bar_reason(line: str) -> str | None:
    """ "Subscribe | Log in", "Newsletters · Podcasts · Sign in": a bar of links, each one furniture
    ("navigation"; "cookie notice" when every button is a cookie banner's: "Accept all | Reject all")."""
    segments = [segment.strip() for segment in _BAR_SEPARATOR.split(line)]
    if len(segments) == 1:
        segments = _menu_segments(line.split())
        # "Back home" cuts into two links as well: a menu without separators must hold an
        # account, subscription or sharing link to be told from a short subheading
        if not {_rule_reason(_key(segment)) for segment in segments} & _ACCOUNT_LINKS:
            return None
    if len(segments) < 2 or not all(segments) or any(len(segment.split()) > _BAR_SEGMENT_WORDS for segment in segments):
        return None
    reasons = {_rule_reason(_key(segment)) for segment in segments}
    if None in reasons:
        return None
    return "cookie notice" if reasons == {"cookie notice"} else "navigation"


# A menu whose links the page set apart by wide gaps ("News  World  Europe  Asia  Sport"): four or
# more capitalised items of a word or two, each gap two spaces or a tab. Text never looks like this.
_WIDE_GAP = re.compile(r"\s{2,}|\t")
_MENU_ITEM = re.compile(r"[A-Z][\w&'’.-]*(?: [A-Z&][\w&'’.-]*)?")
_SPACED_MENU_ITEMS = 4


def _spaced_menu(line: str) -> bool:
    items = [item for item in _WIDE_GAP.split(line.strip()) if item]
    return len(items) >= _SPACED_MENU_ITEMS and all(_MENU_ITEM.fullmatch(item) for item in items)


_ACCOUNT_LINKS = frozenset({"newsletter promo", "share/follow prompt", "cookie notice", "comment prompt"})
# A menu scraped without separators ("Log in Subscribe") is a few links of a word or three.
_MENU_LINE_WORDS = 6


def _menu_segments(words: list[str]) -> list[str]:
    """The line cut into known links ("Log in Subscribe" -> "Log in", "Subscribe"), shortest cut
    first, or [] when some words are no link."""
    if not 2 <= len(words) <= _MENU_LINE_WORDS or not _edge_is_link(words):
        return []       # most lines fail here, at the cost of a few matches
    # best[i]: a cut of words[:i] into links, fewest links first (None: no cut)
    best: list[list[str] | None] = [[]] + [None] * len(words)
    for end in range(1, len(words) + 1):
        for size in range(1, min(_BAR_SEGMENT_WORDS, end) + 1):
            before = best[end - size]
            segment = " ".join(words[end - size:end])
            if before is not None and _rule_reason(_key(segment)):
                if best[end] is None or len(before) + 1 < len(best[end]):
                    best[end] = before + [segment]
    return best[-1] or []


def _edge_is_link(words: list[str]) -> bool:
    """The line's first words, and its last words, are a link each (a quick test before the cut)."""
    sizes = range(1, min(_BAR_SEGMENT_WORDS, len(words)) + 1)
    return (any(_rule_reason(_key(" ".join(words[:size]))) for size in sizes)
            and any(_rule_reason(_key(" ".join(words[-size:]))) for size in sizes))


@lru_cache(maxsize=_CACHE_SIZE)
def _rule_reason(key: str) -> str | None:
    """The reason of the first rule that matches the whole key, or None."""
    plain = _FIRST_PLAIN.fullmatch(key)
    first = int(plain.lastgroup[1:]) if plain else len(_COMPILED)
    for index, needed, regex in _GUARDED:
        if index >= first:
            break
        if needed in key and regex.fullmatch(key):
            first = index
            break
    return _COMPILED[first][0] if first < len(_COMPILED) else None


@lru_cache(maxsize=_CACHE_SIZE)
def photo_reason(line: str) -> str | None:
    """"photo credit" or "photo caption" when the line is one, else None."""
    if len(line) > _MAX_FURNITURE_CHARS:
        return None
    stripped = " ".join(line.split())
    key = _key(line)
    words = len(stripped.split())
    if words <= 10 and (_SLASH_CREDIT.fullmatch(stripped.rstrip(".")) or _PHOTO_CREDIT.fullmatch(key)):
        return "photo credit"
    if words <= _CAPTION_WORDS and (_PHOTO_CAPTION.fullmatch(key) or _SIGNED_CAPTION.fullmatch(stripped)):
        return "photo caption"
    return None


def _key(line: str) -> str:
    """Lower-case, straight apostrophes, one space, no trailing punctuation or arrows."""
    text = line.replace("\u2019", "'").replace("\u2018", "'").lower()
    text = " ".join(text.split())
    return text.strip(" .,:;!…>»›→|·•-–—\u00bb").strip()
