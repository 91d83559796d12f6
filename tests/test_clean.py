"""The clean stage: the article and only the article, and every dropped line with its reason."""
from __future__ import annotations

import hashlib
import re
import time
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.clean import clean_sources
from builder.model import Metadata, RawSource
from builder.read import read_sources
from tests.conftest import spying_memo

FIXTURES = Path(__file__).parent / "fixtures" / "clean"


def _raw(text: str, path: str = "story.txt", kind: str = "text", metadata: Metadata | None = None) -> RawSource:
    return RawSource(id=re.sub(r"[^a-z0-9]+", "-", path.lower()), path=path,
                     sha256=hashlib.sha256(text.encode()).hexdigest(), kind=kind, text=text,
                     encoding="utf-8", metadata=metadata or Metadata())


def _clean(text: str, **kwargs):
    (article,) = clean_sources([_raw(text, **kwargs)])
    return article


def _reasons(article) -> dict[str, str]:
    return {line.text: line.reason for line in article.removed}


BODY = ("Rescue teams reached the remote mountain villages on Sunday after roads were cleared, "
        "the interior ministry said in a statement.")
BODY2 = "More than two thousand people were injured, many of them critically, officials told reporters on Monday."


# --- measured against hand-made gold ------------------------------------------------------

def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(re.sub(r"[\u2010-\u2015\-]", " ", text).split()).casefold()


def _score(folder: Path, gold_file: Path) -> dict:
    """Line-level figures, the way the project's scorer counts them."""
    gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
    sources, _ = read_sources(folder)
    articles = {Path(a.path).name: a for a in clean_sources(sources)}
    tp = fp = fn = content = kept_content = titles = 0
    for name, boilerplate in gold["boilerplate"].items():
        article = articles[name]
        body = " ".join(_norm(p) for p in article.paragraphs)
        furniture = {_norm(line) for line in boilerplate}
        either_way = {_norm(line) for line in gold.get("boilerplate_ambiguous", {}).get(name, ())}
        title = _norm(gold["titles"][name])
        titles += _norm(article.title) == title
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            key = _norm(line)
            if not key or key in either_way or (key == title and key not in furniture):
                continue
            kept = key in body
            if key in furniture:
                tp, fn = tp + (not kept), fn + kept
            else:
                content, kept_content, fp = content + 1, kept_content + kept, fp + (not kept)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return {"f1": 2 * precision * recall / (precision + recall), "retention": kept_content / content,
            "titles": titles / len(gold["titles"])}


def test_own_fixture_dossier_meets_the_targets():
    figures = _score(FIXTURES / "dossier", FIXTURES / "gold.yaml")
    assert figures["retention"] == 1.0
    assert figures["f1"] >= 0.95
    assert figures["titles"] == 1.0


def test_own_fixture_dossier_dates_and_outlets():
    sources, _ = read_sources(FIXTURES / "dossier")
    articles = {Path(a.path).stem: a for a in clean_sources(sources)}
    assert {name: a.date for name, a in articles.items()} == {
        "deal_business": "2024-03-12", "quake_broadcaster": "2023-09-10", "quake_wire": "2023-09-09",
        "seisme_fr": None, "summit_blog": "2023-09-06", "climate_longform": "2024-09-05",
        "deal_substack": "2024-03-14", "quake_statemedia": "2023-09-10", "summit_agency": "2023-03-16",
        "deal_release": "2024-03-12", "quake_de": "2023-09-10", "armistice_history": "2023-07-27",
        "summit_tabloid": "2023-09-06", "deal_ledger": "2024-03-13", "quake_peru": "2024-05-27",
        "flood_weekly": None, "rail_tv": "2024-09-22", "drought_farm": "2025-03-03", "glacier_ledger": "2025-06-14",
        "coal_guardian": None}
    assert articles["deal_business"].outlet == "Business Daily"
    assert articles["quake_wire"].outlet == "Newswire"
    assert articles["summit_blog"].outlet == "Daily Savannah"       # from the copyright line
    assert articles["deal_business"].author == "Jane Doe"
    # mastheads: in capitals (the copyright names the company, not the paper), with a tagline, as a heading
    assert articles["summit_tabloid"].outlet == "Daily Beacon"
    assert articles["quake_peru"].outlet == "Andes Observer"
    assert articles["deal_ledger"].outlet == "The Harbour Ledger"
    assert articles["deal_ledger"].author == "Tom Alder"     # from "By X · Reviewed by Y · date"


# --- titles and metadata ----------------------------------------------------------------

def test_site_name_suffix_is_cut_from_the_title_and_becomes_the_outlet():
    article = _clean(f"Floods sweep through the valley | The Valley Post\n\n{BODY}\n")
    assert (article.title, article.outlet) == ("Floods sweep through the valley", "The Valley Post")


def test_outlet_and_date_line_under_the_headline_is_not_taken_for_the_headline():
    article = _clean(f"Harbour bridge collapses in storm\n\nAvalon Herald | 12 March 2024\n\n{BODY}\n")
    assert article.title == "Harbour bridge collapses in storm"
    assert article.date == "2024-03-12"
    assert _reasons(article) == {"Avalon Herald | 12 March 2024": "timestamp"}


@pytest.mark.parametrize("head, outlet", [
    ("THE HARBOUR COURIER\nSubscribe | Sign in\nLocal", "The Harbour Courier"),
    ("Metro Dispatch | Local news since 1998", "Metro Dispatch"),
    ("Lowland Gazette\nRegions | Politics | Sport | Weather", "Lowland Gazette"),
    ("Northfield Eagle", "Northfield Eagle"),          # named by the copyright line below
])
@pytest.mark.parametrize("headline", ["Ferry service suspended after storm damages pier", "Storm Shuts Harbour Ferry"])
def test_masthead_above_the_headline_is_the_outlet_not_the_title(head, outlet, headline):
    article = _clean(f"{head}\n{headline}\nMarch 12, 2024 | 07:45\n\n"
                     f"{BODY}\n\n{BODY2}\n\n© 2024 Northfield Eagle Media Ltd.\n")
    assert article.title == headline
    assert article.outlet == outlet
    assert article.paragraphs == (BODY, BODY2)
    assert _reasons(article)[head.split("\n")[0]] == "site name (masthead)"


@pytest.mark.parametrize("text", [
    # A Title Case headline with a dek under it: no publication's word, no site name.
    "Markets Tumble Worldwide\nInvestors flee as rates rise\nBy Jane Doe\n\n{BODY}\n",
    # A Title Case headline ending in a word that also names papers ("Report"), with a dek under it.
    "UN Releases Climate Report\nScientists warn of faster warming in the Arctic\nBy Jane Doe\n\n{BODY}\n",
    # Ends in a publication's word, but the byline hangs from it, not from the line below.
    "Farm Life In Hard Times\nBy Jane Doe\nGrain prices fall for a third year\n\n{BODY}\n",
])
def test_title_case_headline_is_not_taken_for_a_masthead(text):
    article = _clean(text.format(BODY=BODY))
    assert article.title == text.split("\n")[0]
    assert "site name (masthead)" not in _reasons(article).values()


@pytest.mark.parametrize("line, author", [("Reuters in Lowmoor", "Reuters"), ("Maria Lopes in Lima", "Maria Lopes")])
def test_name_and_filing_place_beside_the_timestamp_is_the_byline(line, author):
    article = _clean(f"Dam bursts after days of rain\n{line}\nTue 30 Apr 2024 10.12 BST\n\n{BODY}\n\n{BODY2}\n")
    assert _reasons(article)[line] == "byline"
    assert (article.author, article.paragraphs) == (author, (BODY, BODY2))


def test_section_name_between_headline_and_byline_is_removed_but_a_subheading_stays():
    article = _clean(f"Dam bursts after days of rain\nMiddle East\nBy Jane Doe\n\n{BODY}\n\nWhat Next\n\n{BODY2}\n")
    assert _reasons(article) == {"Middle East": "section label (under the headline)", "By Jane Doe": "byline"}
    assert article.paragraphs == (BODY, "What Next", BODY2)


@pytest.mark.parametrize("line, author", [
    ("By Lin Mei-hua, Science correspondent", "Lin Mei-hua"),
    ("By Jane Doe, political editor", "Jane Doe"),
])
def test_byline_with_the_authors_role_in_lower_case(line, author):
    article = _clean(f"Dam bursts after days of rain\n{line}\n\n{BODY}\n")
    assert (article.author, _reasons(article)) == (author, {line: "byline"})


def test_wire_dateline_with_dashes_dates_the_release():
    lead = ("Springfield, Ill. – March 13, 2024 – The board of Lowmoor Water today recommended the offer "
            "from Acme Corp, the company said in a statement.")
    assert _clean(f"Lowmoor Board Recommends Acme Offer\n{lead}\n").date == "2024-03-13"


def test_bare_name_beside_a_timestamp_in_the_head_is_the_byline_and_the_author():
    article = _clean(f"Dam bursts after days of rain\nMaria Lopes\n@marialopes / 9:15 AM PDT • April 2, 2024\n\n"
                     f"{BODY}\n\n{BODY2}\n")
    assert (article.author, article.date) == ("Maria Lopes", "2024-04-02")
    assert _reasons(article) == {"Maria Lopes": "byline", "@marialopes / 9:15 AM PDT • April 2, 2024": "timestamp"}


@pytest.mark.parametrize("line, iso", [
    ("Tue March 12, 2024", "2024-03-12"),
    ("MAR 12, 2024 9:02 AM", "2024-03-12"),
    ("12 Sept. 2024", "2024-09-12"),
    ("Tuesday, 12 March 2024 | 11:20", "2024-03-12"),
    ("2024/03/12", "2024-03-12"),
    ("12.03.2024", "2024-03-12"),
    ("Marching 12, 2024", None),
    ("February 30, 2024", None),
])
def test_dates_are_found_written_the_ways_page_furniture_writes_them(line, iso):
    from builder.cleaning.dates import parse_date

    assert parse_date(line) == iso


@pytest.mark.parametrize("line", [
    "March 12, 2024 9:02 AM GMT · Updated 12 min ago",
    "12 March 2024 · Last updated 2 hours ago",
])
def test_date_and_relative_update_time_is_a_timestamp_that_dates_the_source(line):
    article = _clean(f"{line}\nHarbour bridge collapses in storm\n\n{BODY}\n")
    assert article.title == "Harbour bridge collapses in storm"
    assert article.date == "2024-03-12"
    assert _reasons(article) == {line: "timestamp"}


@pytest.mark.parametrize("line, outlet", [
    ("By Mark Ellison, Coast Daily", "Coast Daily"),
    ("By Mark Ellison, China correspondent", None),
    ("Avalon Herald | 12 March 2024", "Avalon Herald"),
    ("Updated | 12 March 2024", None),
])
def test_outlet_named_beside_the_byline_or_dateline(line, outlet):
    assert _clean(f"Harbour bridge collapses in storm\n\n{line}\n\n{BODY}\n").outlet == outlet


def test_html_copyright_year_is_not_the_publication_date(tmp_path):
    page = ("<html><head><title>Ferry service resumes</title></head><body><article><h1>Ferry service resumes</h1>"
            f"<p>{BODY}</p><p>{BODY2}</p></article><footer>Copyright 2024 Ferry Times. All rights reserved.</footer>"
            "</body></html>")
    assert _clean(page, path="ferry.html", kind="html").date is None


def test_dash_in_a_headline_is_not_mistaken_for_a_site_suffix():
    article = _clean(f"Ceasefire holds - for now, say residents of the border town\n\n{BODY}\n")
    assert article.title == "Ceasefire holds - for now, say residents of the border town"
    assert article.outlet is None


def test_repeated_headline_is_removed_and_the_title_is_not_a_paragraph():
    article = _clean(f"Dam bursts after days of rain\n\nDam bursts after days of rain\n\n{BODY}\n")
    assert article.title == "Dam bursts after days of rain"
    assert article.paragraphs == (BODY,)
    assert [(r.text, r.reason) for r in article.removed] == [("Dam bursts after days of rain", "repeated headline")]


def test_breadcrumb_ending_in_the_headline_is_removed():
    article = _clean(f"Home News Asia Dam bursts after days of rain\n\nDam bursts after days of rain\n\n{BODY}\n")
    assert article.title == "Dam bursts after days of rain"
    assert _reasons(article) == {"Home News Asia Dam bursts after days of rain": "breadcrumb"}


def test_breadcrumb_under_the_headline_is_removed_but_a_table_row_in_the_body_stays():
    text = f"Dam bursts after days of rain\nHome » News » Asia\n\n{BODY}\n\nYes | No | Abstain\n\n{BODY2}\n"
    article = _clean(text)
    assert _reasons(article) == {"Home » News » Asia": "breadcrumb"}


def test_dateline_before_the_headline_gives_the_date_and_the_next_line_the_title():
    article = _clean(f"March 3, 2021\nDam bursts after days of rain\n\n{BODY}\n")
    assert article.title == "Dam bursts after days of rain"
    assert article.date == "2021-03-03"
    assert article.paragraphs[0] == "March 3, 2021"      # what the source states stays readable


def test_short_title_case_headline_beside_the_dateline_is_not_taken_for_a_name():
    article = _clean(f"March 3, 2021\nKim Visits Moscow\n\n{BODY}\n")
    assert article.title == "Kim Visits Moscow"


def test_byline_above_the_headline_does_not_swallow_it():
    article = _clean(f"By Jane Doe\nKim Visits Moscow\n\n{BODY}\n")
    assert (article.title, article.author) == ("Kim Visits Moscow", "Jane Doe")


def test_bare_author_name_beside_the_dateline_is_a_byline():
    article = _clean(f"Kim visits Moscow for talks\nDana Whitfield\nMar 14, 2024\n\n{BODY}\n")
    assert _reasons(article) == {"Dana Whitfield": "byline"}
    assert article.date == "2024-03-14"


def test_copyright_year_is_never_the_publication_date():
    article = _clean(f"Dam bursts after days of rain\n\n{BODY}\n\n© 2019 Valley Post. All rights reserved.\n")
    assert article.date is None
    assert _reasons(article) == {"© 2019 Valley Post. All rights reserved.": "copyright notice"}


def test_dates_inside_the_story_are_not_the_publication_date():
    article = _clean(f"Dam bursts after days of rain\n\nThe dam was completed on June 4, 1998, engineers said.\n\n{BODY}\n")
    assert article.date is None


def test_sidecar_metadata_overrides_what_cleaning_inferred():
    meta = Metadata(title="Editor's headline", outlet="Given Outlet", date="2020-01-02", url="https://example.org/x",
                    author="A. Writer", language="en")
    article = _clean(f"Dam bursts | Valley Post\n\nMarch 3, 2021\n\n{BODY}\n", metadata=meta)
    assert (article.title, article.outlet, article.date, article.url, article.author) == (
        "Editor's headline", "Given Outlet", "2020-01-02", "https://example.org/x", "A. Writer")


def test_metadata_title_line_in_the_text_is_the_headline_not_a_paragraph():
    meta = Metadata(title="Dam bursts after days of rain")
    article = _clean(f"Dam bursts after days of rain | Valley Post\n\n{BODY}\n", metadata=meta)
    assert article.paragraphs == (BODY,)
    assert article.removed == ()


def test_headline_line_is_no_paragraph_when_the_metadata_retitles_the_article():
    article = _clean(f"Dam bursts after days of rain | Valley Post\n\n{BODY}\n", metadata=Metadata(title="Dam failure"))
    assert (article.title, article.outlet, article.paragraphs) == ("Dam failure", "Valley Post", (BODY,))
    assert _reasons(article) == {"Dam bursts after days of rain | Valley Post": "headline (the metadata gives the title)"}


def test_first_sentence_stays_a_paragraph_when_the_metadata_gives_the_title():
    article = _clean(f"The dam burst.\n\n{BODY}\n", metadata=Metadata(title="Dam failure"))
    assert article.paragraphs == ("The dam burst.", BODY)


def test_text_without_a_headline_is_named_by_its_first_sentence_and_loses_nothing():
    text = f"{BODY} {BODY2}\n\n{BODY2}\n"
    article = _clean(text)
    assert article.title == BODY
    assert article.paragraphs[0] == f"{BODY} {BODY2}"


def test_header_fields_at_the_top_are_metadata():
    article = _clean(f"Title: Dam bursts after days of rain\nDate: 2021-03-03\nSource: Valley Post\n\n{BODY}\n")
    assert (article.title, article.date, article.outlet) == ("Dam bursts after days of rain", "2021-03-03", "Valley Post")
    assert set(_reasons(article).values()) == {"metadata header"}
    assert article.paragraphs == (BODY,)


# --- kinds of furniture -------------------------------------------------------------------

@pytest.mark.parametrize("line, reason", [
    ("Yuri Kadobnov/AP", "photo credit"),
    ("SPUTNIK/VIA REUTERS", "photo credit"),
    ("Image source, Getty Images", "photo credit"),
    ("Photo: Getty Images", "photo credit"),
    ("In this Thursday, April 25, 2019, photo, the two leaders walk past honour guards.", "photo caption"),
    ("Leave a Reply", "comment prompt"),
    ("Your email address will not be published. Required fields are marked *", "comment prompt"),
    ("View Comments (0)", "comment prompt"),
    ("Share this article", "share/follow prompt"),
    ("Follow us on Twitter", "share/follow prompt"),
    ("Follow The Harbour Courier on social media", "share/follow prompt"),
    ("Sign up for our newsletter", "newsletter promo"),
    ("CLICK HERE FOR MORE FROM THE VALLEY POST", "click-through promo"),
    ("read more…", "click-through promo"),
    ("See also 8000 Bitcoins missing in landfill: AI and robots need to find them", "related stories"),
    ("Related: Dam inspections were cut last year", "related stories"),
    ("Exit mobile version", "navigation"),
    ("Back To Top", "navigation"),
    ("Advertisement", "advertisement"),
    ("We use cookies to improve your experience on our site.", "cookie notice"),
    ("All rights reserved", "copyright notice"),
    ("Updated 3:45 PM EDT", "timestamp"),
    ("(Reporting by Jane Doe; Editing by John Smith)", "editor and source line"),
    ("Editing by Frances Kerry", "editor and source line"),
    ("By Jane Doe, Reuters", "byline"),
    ("Spread the love", "share/follow prompt"),
    ("Posted in World, Asia", "tags"),
    ("Join our Telegram channel for the latest updates", "share/follow prompt"),
    ("Subscribe to our YouTube channel", "newsletter promo"),
    ("Post Views: 1,234", "counter"),
    ("The post Dam bursts after days of rain appeared first on Valley Post.", "source line"),
    ("This article originally appeared on The Conversation.", "source line"),
    ("Your browser does not support the video tag.", "page script notice"),
    ("Subscribe to The Harbour Brief for more shipping news every Tuesday.", "newsletter promo"),
    ("Sign up for the Valley Morning email", "newsletter promo"),
    ("The week's best reads, straight to your inbox every Sunday.", "newsletter promo"),
    ("Fact checked by Maria Lopes", "editor and source line"),
    ("Medically reviewed by Dr. Anil Gupta", "editor and source line"),
    ("Disclaimer: The views expressed are the author's own.", "disclaimer"),
    ("This content is provided for informational purposes only.", "disclaimer"),
    ("Nothing in this article constitutes financial advice.", "disclaimer"),
    ("Valley Gear is reader-supported: we may earn a commission when you buy through links on our site.",
     "advertisement"),
    ("Media caption, Volunteers carry sandbags to the river bank", "photo caption"),
    ("Share this story: Facebook · LinkedIn · Email", "share/follow prompt"),
    ("Newsletters | Sign in", "navigation"),
    ("Home / Regions / Lowlands", "breadcrumb"),
    ("Tell us what you think in the comments below", "comment prompt"),
    ("Have your say", "comment prompt"),
    ("Image Credits: Valley Water Board", "photo credit"),
    ("Valley Summit 2024 comes to Lowmoor on June 3. Get your tickets now and save 20%.", "click-through promo"),
    ("The views expressed in this article are the author's own.", "disclaimer"),
])
def test_furniture_line_in_the_body_is_removed_with_its_reason(line, reason):
    article = _clean(f"Dam bursts after days of rain\n\n{BODY}\n\n{line}\n\n{BODY2}\n")
    assert _reasons(article) == {line: reason}
    assert article.paragraphs == (BODY, BODY2)


@pytest.mark.parametrize("line", [
    "Support the war in Ukraine",
    "What happens next",
    "Share the pain of those who lost everything, the king urged.",
    "Follow the money: analysts said the price was steep but defensible.",
    "Follow the money on social media, investigators say, and the trail leads abroad.",
    "Related to this, the ministry opened an inquiry into the contractor.",
    "Reporting by the Valley Post revealed that the inspections were skipped.",
    "In this village, every family lost someone.",
    "He wrote in his newsletter that the dam was unsafe.",
    "Sources said the talks had stalled over the inspection regime.",
    "The talks were held under the OSCE/ODIHR framework in Vienna last week.",
    "3.50 million people were displaced.",
    "By Tuesday, Russia had withdrawn its troops.",
    "By then, the dam had burst.",
    "Updated figures showed 2,000 deaths.",
    "Copyright disputes have slowed the deal.",
    "Share prices fell 5% on Monday.",
    "Search and rescue teams arrived.",
    "Next week, the leaders meet again.",
    "Comments from the minister were not immediately available.",
    "Subscribers to the water scheme were told to boil their water.",
    "Home prices in the valley fell 5% after the flood.",
    "Residents said the dam was not investment grade engineering.",
    "The ministry said the figures were for information only and could change.",
    "What do you think happened to the inspection reports, the judge asked.",
    "Checked by engineers in May, the dam showed no cracks.",
    "The views expressed by residents at the meeting were mixed.",
    "Fans queued for hours to get their tickets refunded.",
    "If a suspicious email lands in your inbox, delete it, police advised.",
])
def test_article_lines_that_resemble_furniture_are_kept(line):
    article = _clean(f"Dam bursts after days of rain\n\n{BODY}\n\n{line}\n\n{BODY2}\n")
    assert article.paragraphs == (BODY, line, BODY2)
    assert article.removed == ()


def test_question_to_the_reader_above_the_reaction_buttons_is_a_comment_prompt():
    article = _clean(f"Dam bursts after days of rain\n\n{BODY}\n\n{BODY2}\n\nWhat do you think?\nLike 4\nSad 12\n")
    assert _reasons(article)["What do you think?"] == "comment prompt"
    assert article.paragraphs == (BODY, BODY2)


def test_question_to_the_reader_inside_an_interview_stays():
    article = _clean(f"Dam bursts after days of rain\n\n{BODY}\n\nWhat do you think?\n\n"
                     f"I think the engineers knew the dam was weak.\n\n{BODY2}\n")
    assert "What do you think?" in article.paragraphs


def test_short_last_sentence_of_the_article_is_kept():
    article = _clean(f"Dam bursts after days of rain\n\n{BODY}\n\nTalks resume on Monday.\n\nLeave a Reply\n")
    assert article.paragraphs[-1] == "Talks resume on Monday."


def test_photo_title_glued_to_a_caption_is_removed_with_it():
    text = (f"Dam bursts after days of rain\n\n{BODY}\n\nBroken Promises\nIn this March 2, 2021, photo, water "
            f"pours through the breach.\nJane Roe/AP\n\n{BODY2}\n")
    reasons = _reasons(_clean(text))
    assert reasons == {"Broken Promises": "photo title",
                       "In this March 2, 2021, photo, water pours through the breach.": "photo caption",
                       "Jane Roe/AP": "photo credit"}


def test_subheading_beside_a_credit_in_a_text_without_blank_lines_stays():
    text = (f"Dam bursts after days of rain\n{BODY}\nWater pours through the breach on Monday.\nJane Roe/AP\n"
            f"What happens next\n{BODY2}\nThe long wait\nPhoto: Jane Roe/AP\nTalks resume on Monday.\n")
    article = _clean(text)
    assert "What happens next" in article.paragraphs
    assert "The long wait" in article.paragraphs


def test_caption_sentence_beside_a_credit_under_the_headline_is_removed():
    caption = "Volunteers stack sandbags along the river bank in Lowmoor on Monday."
    article = _clean(f"Dam bursts after days of rain\nBy Jane Doe\n{caption}\nJohn Smith/Reuters\n\n{BODY}\n\n{BODY2}\n")
    assert _reasons(article)[caption] == "photo caption (beside its credit, under the headline)"
    assert article.paragraphs == (BODY, BODY2)


@pytest.mark.parametrize("text", [
    # the credit belongs to a photo further down: the lead is its own block
    "Dam bursts after days of rain\n\n{lead}\n\nPhoto: Reuters\n\n{BODY2}\n",
    # a lead paragraph is longer than a caption, or quotes someone
    "Dam bursts after days of rain\n{lead} {BODY}\nJohn Smith/Reuters\n\n{BODY2}\n",
    "Dam bursts after days of rain\n{lead} \"We lost everything,\" a farmer said.\nJohn Smith/Reuters\n\n{BODY2}\n",
])
def test_lead_paragraph_beside_a_credit_is_kept(text):
    lead = "Water poured into Lowmoor on Monday."
    article = _clean(text.format(lead=lead, BODY=BODY, BODY2=BODY2))
    assert article.paragraphs[0].startswith(lead)


WRAPPED_LEAD = ("Sirens sounded across the valley shortly before dawn as the reservoir\n"
                "wall gave way, sending water through three villages and forcing hundreds\n"
                "of families onto higher ground, the civil protection agency said.")


@pytest.mark.parametrize("picture", [
    # the caption with its credit in italics, then a blank line
    "*Rescue boats gather by the submerged church. Photo: Ilse Brandt/Valley Courier*\n",
    # the credit alone, right above the paragraph (no blank line between)
    "*Photo: Ilse Brandt/Valley Courier*",
    "![Rescue boats by the church](boats.jpg)\n*Picture: Ilse Brandt/Valley Courier*",
])
def test_hard_wrapped_first_paragraph_under_a_photo_credit_is_kept_whole(picture):
    text = f"# Reservoir wall gives way above three villages\n\n{picture}\n{WRAPPED_LEAD}\n\n{BODY2}\n"
    article = _clean(text, path="story.md", kind="markdown")
    assert article.paragraphs == (" ".join(WRAPPED_LEAD.split("\n")), BODY2)


def test_caption_filled_to_the_wrap_width_is_not_glued_to_the_paragraph_under_it():
    caption = "In this photo taken on Saturday, lifeboats wait beside the flooded chapel. (AP Photo)"
    second = ("Engineers had inspected the dam in the spring and found no cracks, the\nregional government said, "
              "adding that an inquiry would begin this week once\nthe water had receded from the lower streets.")
    text = f"Reservoir wall gives way above three villages\n\n{caption}\n{WRAPPED_LEAD}\n\n{second}\n"
    article = _clean(text)
    assert article.paragraphs[0] == " ".join(WRAPPED_LEAD.split("\n"))
    assert _reasons(article) == {caption: "photo caption"}


@pytest.mark.parametrize("path, kind", [("story.md", "markdown"), ("story.txt", "text")])
def test_capitalised_line_a_wrapped_sentence_runs_into_after_a_joining_word_is_kept(path, kind):
    wrapped = "The council said it would send warnings by text message and urged residents to\nSign up for the alerts."
    article = _clean(f"Storm cuts power along the coast\n\n{BODY}\n\n{wrapped}\n\n{BODY2}\n", path=path, kind=kind)
    assert article.paragraphs == (BODY, wrapped.replace("\n", " "), BODY2)


def test_short_hard_wrapped_text_is_joined_where_a_sentence_runs_over_the_line_break():
    text = f"Reservoir wall gives way above three villages\n\n{WRAPPED_LEAD}\n\nShort line.\nAnother one.\n"
    article = _clean(text)
    assert article.paragraphs == (" ".join(WRAPPED_LEAD.split("\n")), "Short line.", "Another one.")


def test_line_a_wrapped_sentence_runs_into_is_kept_even_when_it_reads_as_furniture():
    # "today." alone is a timestamp word; here it ends the paragraph's sentence
    text = ("# Storm cuts power along the coast\n\nWinds tore down power lines along the coast, leaving thousands\n"
            f"of homes without electricity, the grid operator said\ntoday.\n\n{BODY2}\n")
    article = _clean(text, path="story.md", kind="markdown")
    assert article.paragraphs[0].endswith("the grid operator said today.")
    assert article.removed == ()


def test_headline_between_a_breaking_label_and_a_day_first_timestamp_is_the_title():
    text = ("METRO RADIO | Listen | Podcasts | Traffic\nBREAKING\nTram collides with lorry in city centre; twelve hurt\n"
            "05/11/2024 08:47 | Updated 05/11/2024 10:02\nVideo: Dashcam footage of the collision (00:48)\n\n"
            f"{BODY}\n\n{BODY2}\n")
    article = _clean(text)
    assert article.title == "Tram collides with lorry in city centre; twelve hurt"
    assert article.date == "2024-11-05"      # the day comes first
    assert article.paragraphs == (BODY, BODY2)
    assert _reasons(article)["BREAKING"] == "news label"


@pytest.mark.parametrize("stamp, date", [
    ("Published 09/07/2023 14:20", "2023-07-09"),     # ambiguous: the day first
    ("Published 07/29/2023 14:20", "2023-07-29"),     # no month 29: the US order
    ("Published 9-7-2023", "2023-07-09"),
])
def test_numeric_timestamp_date_is_read_day_first_unless_impossible(stamp, date):
    article = _clean(f"Tram collides with lorry in city centre\n{stamp}\n\n{BODY}\n")
    assert article.date == date


def test_teaser_label_above_the_headline_does_not_take_the_headline_with_it():
    text = f"Most Read\nWildfire forces evacuation of hillside suburbs\nBy Omar Haddad\n\n{BODY}\n\n{BODY2}\n"
    article = _clean(text)
    assert article.title == "Wildfire forces evacuation of hillside suburbs"
    assert article.paragraphs == (BODY, BODY2)


def test_breaking_label_under_the_article_heads_a_list_of_other_stories():
    text = (f"Tram collides with lorry in city centre\n\n{BODY}\n\n{BODY2}\n\nBreaking News\n"
            "Heatwave warning extended to the weekend\nCouncil approves new cycle lanes\n\nAbout us\n")
    reasons = _reasons(_clean(text))
    assert reasons["Heatwave warning extended to the weekend"] == "related stories"
    assert reasons["Council approves new cycle lanes"] == "related stories"


@pytest.mark.parametrize("banner", [
    "Cookie consent: We and our trusted partners store cookies to measure audiences and show ads. Manage choices | OK",
    "Privacy preferences: This site and its partners set cookies for analytics and advertising. Allow all | Refuse all",
    "Cookies make our services work. By using this site you agree to our use of cookies. Got it",
])
def test_cookie_banner_before_the_headline_is_a_cookie_notice_never_the_title(banner):
    text = f"{banner}\nHarvest fails as drought grips the eastern provinces\nBy Ruth Acheampong\n{BODY}\n{BODY2}\n"
    article = _clean(text)
    assert article.title == "Harvest fails as drought grips the eastern provinces"
    assert _reasons(article)[banner] == "cookie notice"
    assert article.paragraphs == (BODY, BODY2)


@pytest.mark.parametrize("line", ["Allow all | Reject all", "Manage settings | OK", "Your privacy choices"])
def test_cookie_banner_buttons_are_a_cookie_notice(line):
    assert _reasons(_clean(f"Harvest fails in the east\n\n{BODY}\n\n{line}\n"))[line] == "cookie notice"


def test_article_sentence_about_cookies_stays():
    sentence = "Websites and their partners use cookies to follow readers, and the regulator said most never ask."
    article = _clean(f"Regulator fines ad firms over tracking\n\n{BODY}\n\n{sentence}\n")
    assert article.paragraphs[-1] == sentence


@pytest.mark.parametrize("menu", ["Sign in    Register", "Log in Subscribe Newsletters"])
def test_menu_without_bars_under_a_masthead_is_navigation_and_the_headline_is_the_title(menu):
    text = (f"THE UPLAND GAZETTE\nNews | Business | Science | Video\n{menu}\nScience\n"
            "Landslide cuts off mountain road as villagers are evacuated\nSunday 9 February 2025\n"
            "Tomas Verhoeven in Kessel\n"
            "Soldiers clear rubble from the road above the village. Photograph: Lena Ortiz/EPA\n"
            f"{BODY}\n{BODY2}\n")
    article = _clean(text)
    assert article.title == "Landslide cuts off mountain road as villagers are evacuated"
    assert article.author == "Tomas Verhoeven"
    assert article.paragraphs == ("Sunday 9 February 2025", BODY, BODY2)
    reasons = _reasons(article)
    assert reasons[menu] == "navigation"
    assert reasons["Tomas Verhoeven in Kessel"] == "byline"
    assert reasons["Soldiers clear rubble from the road above the village. Photograph: Lena Ortiz/EPA"] == "photo caption"


def test_reporter_in_place_alone_under_the_headline_is_the_byline():
    text = f"Landslide cuts off mountain road as villagers flee\nAnnika Lindqvist in Tromso\n\n{BODY}\n\n{BODY2}\n"
    article = _clean(text)
    assert article.author == "Annika Lindqvist"
    assert article.paragraphs == (BODY, BODY2)


@pytest.mark.parametrize("line, reason", [
    ("Download the Upland Gazette app for breaking news alerts.", "click-through promo"),
    ("Get the free Metro Daily app", "click-through promo"),
    ("Have you been affected? Share your views below.", "comment prompt"),
    ("What do you make of it? Leave a comment below.", "comment prompt"),
    ("Rescuers at the pier. Photo: Ana Lind/Coast Weekly", "photo caption"),
    ("Rescuers at the flooded pier on Sunday. Ana Lind/Coast Weekly", "photo caption"),
    ("Rescuers at the flooded pier | Photo: Ana Lind", "photo caption"),
])
def test_promo_prompt_and_caption_variants_are_removed_with_reason(line, reason):
    article = _clean(f"Landslide cuts off mountain road\n\n{BODY}\n\n{line}\n\n{BODY2}\n")
    assert _reasons(article) == {line: reason}


def test_short_subheading_made_of_link_words_stays():
    article = _clean(f"Landslide cuts off mountain road\n\n{BODY}\n\nBack home\n\n{BODY2}\n")
    assert "Back home" in article.paragraphs


def test_article_sentence_about_an_app_stays():
    sentence = "The ministry told residents to download the app, which warns of new tremors."
    assert _clean(f"Landslide cuts off mountain road\n\n{BODY}\n\n{sentence}\n").paragraphs[-1] == sentence


def test_lone_topic_label_between_the_headline_and_the_lead_is_a_section_label():
    article = _clean(f"Glacier collapse buries alpine hamlet\n\nEnvironment\n\n{BODY}\n\n{BODY2}\n")
    assert _reasons(article) == {"Environment": "section label (under the headline)"}


def test_shouted_place_between_the_headline_and_the_lead_stays():
    article = _clean(f"Glacier collapse buries alpine hamlet\n\nBLATTEN\n\n{BODY}\n")
    assert article.paragraphs == ("BLATTEN", BODY)


def test_two_section_breadcrumb_above_a_markdown_headline_is_no_title():
    text = (f"[Energy](/energy) › [Utilities](/utilities)\n\n# Grid operator fined over winter blackouts\n\n"
            f"**By Sanne Visser** · 4 February 2025 · 6 min read\n\n{BODY}\n")
    article = _clean(text, path="story.md", kind="markdown")
    assert article.title == "Grid operator fined over winter blackouts"
    assert (article.author, article.date) == ("Sanne Visser", "2025-02-04")
    assert _reasons(article) == {"Energy › Utilities": "breadcrumb",
                                 "By Sanne Visser · 4 February 2025 · 6 min read": "byline and timestamp"}


def test_html_page_with_a_cookie_bar_and_a_label_lists_only_what_it_left_out():
    page = ("<html><body><div>We and our partners use cookies to measure traffic. <button>Settings</button> | "
            "<button>OK</button></div><main><article><p>EXCLUSIVE</p><h1>Tram collides with lorry in city centre</h1>"
            f"<p>05/11/2024 08:47 | Updated 05/11/2024 10:02</p><p>{BODY}</p><p>{BODY2}</p></article>"
            "</main></body></html>")
    article = _clean(page, path="tram.html", kind="html")
    assert article.title == "Tram collides with lorry in city centre"
    assert article.date == "2024-11-05"
    removed = [line.text for line in article.removed]
    assert "Tram collides with lorry in city centre" not in removed     # the title is no removed line
    assert removed.count("EXCLUSIVE") == 1
    assert _reasons(article)["OK"] == "cookie notice"


@pytest.mark.parametrize("promo", [
    "Get unlimited digital access for just $2 a month. Cancel anytime.",
    "Independent reporting needs readers like you. Please support us with a gift of any size today.",
])
def test_promo_sentence_above_the_headline_is_not_the_title(promo):
    text = f"{promo}\nTyphoon batters northern islands, cutting power\nBy Hana Sato\n\n{BODY}\n\n{BODY2}\n"
    article = _clean(text)
    assert article.title == "Typhoon batters northern islands, cutting power"
    assert article.paragraphs == (BODY, BODY2)


def test_sentence_talking_to_the_reader_in_the_headline_slot_is_not_dropped_as_a_promo():
    lead = "Our correspondent reached the islands on Monday, where you can still see the damage everywhere."
    article = _clean(f"{lead}\nTyphoon toll rises to forty\n\n{BODY}\n\n{BODY2}\n")
    assert article.title == lead        # no byline or date hangs from the next line: no headline there
    assert article.removed == ()


@pytest.mark.parametrize("head, author", [
    ("Hana Sato, Asia Correspondent\n", "Hana Sato"),
    ("Hana Sato\nSenior Correspondent\nMarch 12, 2024 at 10:45 a.m. EST\n", "Hana Sato"),
    ("By HANA SATO AND LIAM O'BRIEN\n", "Hana Sato and Liam O'Brien"),
])
def test_byline_forms_without_by_or_in_capitals_name_the_author(head, author):
    article = _clean(f"Typhoon batters northern islands, cutting power\n{head}\n{BODY}\n\n{BODY2}\n")
    assert article.author == author
    assert article.paragraphs == (BODY, BODY2)


def test_bare_name_under_the_timestamp_past_the_share_buttons_is_the_byline():
    text = (f"Typhoon batters northern islands\n3 September 2024, 06:10 GMT\nShare\nSave\nHana Sato\n"
            f"Asia Desk, Naha\n\n{BODY}\n\n{BODY2}\n")
    article = _clean(text)
    assert article.author == "Hana Sato"
    assert article.paragraphs == (BODY, BODY2)


def test_bare_name_beside_a_date_under_the_headline_is_the_byline_but_a_paper_name_is_not():
    article = _clean(f"Typhoon batters northern islands\nHana Sato – 3 September 2024\n\n{BODY}\n")
    assert (article.author, article.date) == ("Hana Sato", "2024-09-03")
    article = _clean(f"Typhoon batters northern islands\nNaha Herald – 3 September 2024\n\n{BODY}\n")
    assert article.author is None


def test_title_case_chronology_entry_in_the_body_is_no_byline():
    entry = "Armistice Signed – July 27, 1953"
    article = _clean(f"Typhoon batters northern islands\n\n{BODY}\n\n{entry}\n\n{BODY2}\n")
    assert entry in article.paragraphs


@pytest.mark.parametrize("masthead", ["Island Public Radio", "The Coastal Voice", "Northern Citizen"])
def test_broadcaster_or_paper_name_above_the_headline_is_a_masthead(masthead):
    article = _clean(f"{masthead}\nTyphoon batters northern islands\nBy Hana Sato\n\n{BODY}\n")
    assert article.title == "Typhoon batters northern islands"
    assert article.outlet == masthead


def test_lead_sentence_in_the_headline_slot_names_the_article_and_stays_its_text():
    lead = "A strong earthquake shook the northern coast early on Tuesday, toppling old buildings in two ports."
    article = _clean(f"Skip to content\nWorld\n{lead}\n\n{BODY}\n\n{BODY2}\n")
    assert article.title == lead
    assert article.paragraphs == (lead, BODY, BODY2)
    assert _reasons(article) == {"Skip to content": "navigation", "World": "navigation (before the headline)"}


@pytest.mark.parametrize("line, reason", [
    ("Story continues below advertisement", "advertisement"),
    ("Got a news tip? Email the newsroom", "feedback prompt"),
    ("Report an error", "feedback prompt"),
    ("Image 2 of 7", "navigation"),
    ("Close dialogue", "navigation"),
    ("Skip past newsletter promotion", "newsletter promo"),
    ("Already have an account? Sign in", "newsletter promo"),
    ("Share full article", "share/follow prompt"),
    ("Illustration: Marta Ruiz", "photo credit"),
    ("(with AFP and Reuters)", "source line"),
    ("Follow the latest updates on our live blog", "click-through promo"),
    ("Explore more on these topics", "tags"),
])
def test_common_page_furniture_inside_the_article_is_removed_with_reason(line, reason):
    article = _clean(f"Landslide cuts off mountain road\n\n{BODY}\n\n{line}\n\n{BODY2}\n")
    assert _reasons(article) == {line: reason}


@pytest.mark.parametrize("sentence", [
    "Rescuers said they would continue searching through the night.",
    "Back in the capital, ministers met to discuss the response.",
    "The story continues to unfold, the mayor said.",
    "Residents were told to report any damage to the council.",
])
def test_article_sentences_with_furniture_words_stay(sentence):
    article = _clean(f"Landslide cuts off mountain road\n\n{BODY}\n\n{sentence}\n\n{BODY2}\n")
    assert sentence in article.paragraphs


def test_reaction_widget_buttons_go_with_their_prompt():
    text = f"Dam bursts after days of rain\n\n{BODY}\n\nWhat's Your Reaction?\nIn Love\nNot Sure\nSad\n"
    article = _clean(text)
    assert article.paragraphs == (BODY,)
    assert set(_reasons(article)) == {"What's Your Reaction?", "In Love", "Not Sure", "Sad"}


def test_next_article_label_takes_the_headline_after_it():
    text = f"Dam bursts after days of rain\n\n{BODY}\n\n{BODY2}\n\nNext article\nRiver levels fall after the storm\n"
    article = _clean(text)
    assert article.paragraphs == (BODY, BODY2)
    assert _reasons(article)["River levels fall after the storm"] == "next/previous article"


def test_related_header_takes_the_headlines_listed_under_it():
    text = (f"Dam bursts after days of rain\n\n{BODY}\n\nRelated Posts\nRiver levels fall after the storm\n"
            f"Farmers count the cost of the floods\n\n{BODY2}\n")
    article = _clean(text)
    assert article.paragraphs == (BODY, BODY2)
    assert _reasons(article)["Farmers count the cost of the floods"] == "related stories"


def test_all_capitals_promoted_headline_is_removed_but_short_capitals_subheading_stays():
    text = (f"Dam bursts after days of rain\n\n{BODY}\n\nTHE AFTERMATH\n\n"
            f"‘WATER EVERYWHERE’: HOW A SMALL TOWN LOST ITS HOMES\n\n{BODY2}\n")
    article = _clean(text)
    assert article.paragraphs == (BODY, "THE AFTERMATH", BODY2)


def test_short_lines_after_the_last_sentence_are_the_page_footer():
    text = f"Dam bursts after days of rain\n\n{BODY}\n\n{BODY2}\n\nValley Post\nAbout the paper\nCareers desk\n"
    article = _clean(text)
    assert article.paragraphs == (BODY, BODY2)
    assert set(_reasons(article).values()) == {"page footer (after the article)"}


def test_readers_comments_after_the_comment_prompt_are_removed():
    text = (f"Dam bursts after days of rain\n\n{BODY}\n\n{BODY2}\n\n2 thoughts on “Dam bursts”\n"
            "Marta says:\nSo sad for the families!\nReply\n")
    article = _clean(text)
    assert article.paragraphs == (BODY, BODY2)


def test_lines_shared_by_two_outlets_are_site_furniture():
    first = _raw(f"Dam bursts after days of rain\n\n{BODY}\n\nThe Valley Weekly Digest\n\n{BODY2}\n", "a.txt")
    second = _raw("River levels fall after the storm\n\nWater levels fell sharply overnight across the region, "
                  "officials said on Tuesday morning.\n\nThe Valley Weekly Digest\n\nFarmers said the damage "
                  "to crops would take years to repair.\n", "b.txt")
    a, b = clean_sources([first, second])
    assert _reasons(a) == {"The Valley Weekly Digest": "repeated across sources (site furniture)"}
    assert "The Valley Weekly Digest" not in b.paragraphs


def test_site_name_above_the_headline_in_two_sources_is_not_the_title():
    first = _raw(f"The Valley Post\nDam bursts after days of rain\n\n{BODY}\n", "a.txt")
    second = _raw("The Valley Post\nRiver levels fall after the storm\n\nWater levels fell sharply overnight "
                  "across the region, officials said on Tuesday morning.\n", "b.txt")
    assert [a.title for a in clean_sources([first, second])] == [
        "Dam bursts after days of rain", "River levels fall after the storm"]


def test_identical_headline_of_two_outlets_stays_each_ones_title():
    first = _raw(f"Dam bursts after days of rain in the northern valley\n\n{BODY}\n", "a.txt")
    second = _raw("Dam bursts after days of rain in the northern valley\n\nWater levels fell sharply overnight "
                  "across the region, officials said on Tuesday morning.\n", "b.txt")
    assert [a.title for a in clean_sources([first, second])] == [
        "Dam bursts after days of rain in the northern valley"] * 2


def test_subheading_shared_by_near_copies_of_one_text_is_kept():
    text = f"Dam bursts after days of rain\n\n{BODY}\n\nWhat happens next\n\n{BODY2}\n\n{BODY} Again.\n"
    a, b = clean_sources([_raw(text, "a.txt"), _raw(text.replace("Dam bursts", "Dam breaks"), "b.txt")])
    assert "What happens next" in a.paragraphs and "What happens next" in b.paragraphs


def test_chronology_at_the_end_of_the_article_is_not_a_footer():
    text = (f"Seventy years after the armistice\n\n{BODY}\n\nKey dates\nJune 25, 1950 – Troops cross the border\n"
            "July 27, 1953 – Armistice signed\n\nRead more\nShare\n")
    article = _clean(text)
    assert article.paragraphs == (BODY, "Key dates", "June 25, 1950 – Troops cross the border",
                                  "July 27, 1953 – Armistice signed")


def test_press_release_labels_and_contacts_are_removed_and_the_wire_dateline_dates_it():
    text = ("FOR IMMEDIATE RELEASE\nAcme to Acquire Globex\nSPRINGFIELD, Ill., March 12, 2024 /PRNewswire/ -- Acme "
            "today announced a definitive agreement to acquire Globex for $48.00 per share in cash.\n"
            "Media Contact:\nJohn Smith\n+1 555 0100\npress@acme.example\nSOURCE Acme Corp\n###\n")
    article = _clean(text)
    assert (article.title, article.date) == ("Acme to Acquire Globex", "2024-03-12")
    assert len(article.paragraphs) == 1
    assert _reasons(article)["FOR IMMEDIATE RELEASE"] == "press release furniture"


def test_common_furniture_of_other_languages_is_removed():
    sources, _ = read_sources(FIXTURES / "dossier")
    article = next(a for a in clean_sources(sources) if a.path == "quake_de.txt")
    assert article.language == "de" and article.date == "2023-09-10"
    assert {"Teilen", "Anzeige", "Foto: dpa", "Mehr zum Thema", "Stand: 10.09.2023 14:32 Uhr"} <= set(_reasons(article))
    assert len(article.paragraphs) == 4


def test_caption_label_line_takes_the_caption_after_it():
    text = f"Dam bursts after days of rain\n\n{BODY}\nImage caption,\nWater poured into the valley overnight\n{BODY2}\n"
    article = _clean(text)
    assert article.paragraphs == (BODY, BODY2)


# --- formats ------------------------------------------------------------------------------

def test_html_is_extracted_without_markup_and_with_its_metadata():
    sources, _ = read_sources(FIXTURES / "html")
    (article,) = clean_sources(sources)
    assert article.title == "G20 leaders agree on debt relief framework"
    assert article.outlet == "The Harbour Tribune"
    assert article.url == "https://harbourtribune.example/world/g20-debt-relief"
    assert article.date == "2023-09-10"
    text = "\n".join(article.paragraphs)
    assert not re.search(r"<[a-z/][^>]*>", text.replace("<for years>", ""))
    assert "&amp;" not in text and "meeting & chaired" in text
    assert "better terms <for years>." in text        # a literal angle bracket is article text
    assert "What happens next" in article.paragraphs
    assert "window.dataLayer" not in text and "color: red" not in text


@pytest.mark.parametrize("field, author", [
    ("Sanne Visser; Business Editor", "Sanne Visser"),
    ("Marina Costa; Rafael Lima", "Marina Costa and Rafael Lima"),
    ("Ana Souza", "Ana Souza"),
])
def test_html_author_field_is_read_as_a_byline_names_them(field, author):
    page = (f'<html><head><meta name="author" content="{field}"><title>Floods sweep the valley</title></head>'
            f"<body><article><h1>Floods sweep the valley</h1><p>{BODY}</p><p>{BODY2}</p></article></body></html>")
    assert _clean(page, path="story.html", kind="html").author == author


def test_html_page_text_outside_the_article_is_listed_as_removed():
    sources, _ = read_sources(FIXTURES / "html")
    (article,) = clean_sources(sources)
    reasons = _reasons(article)
    assert reasons["We use cookies to improve your experience."] == "cookie notice"
    assert reasons["Leaders pose for a group photo at the summit venue in New Delhi. (AP Photo/Manish Swarup)"] == "photo caption"
    assert reasons["Storm batters coast"] == "outside the article (page layout)"
    assert not any("debt relief for the poorest" in line for line in reasons)


def test_markdown_loses_its_syntax_and_wrapped_lines_join_into_paragraphs():
    text = ("# Acme to buy Globex\n\nAcme said on Tuesday it had agreed to buy **Globex** for $12 billion,\n"
            "its largest deal and a bet on [factory software](https://example.org/x).\n\n"
            "![Chart](chart.png)\n\n- Shareholders get $48 a share\n- The deal closes in 2025\n\n## Why it matters\n\n"
            "The purchase gives Acme a foothold in _automation_.\n")
    article = _clean(text, path="deal.md", kind="markdown")
    assert article.title == "Acme to buy Globex"
    assert article.paragraphs == (
        "Acme said on Tuesday it had agreed to buy Globex for $12 billion, its largest deal and a bet on factory software.",
        "Shareholders get $48 a share", "The deal closes in 2025", "Why it matters",
        "The purchase gives Acme a foothold in automation.")
    # A picture alone on its line is no article text: its description goes with it.
    assert _reasons(article) == {"Chart": "picture (its description)"}


def test_hard_wrapped_plain_text_is_joined_into_paragraphs():
    paragraph = ("The storm made landfall early on Tuesday near the fishing port, bringing winds of up to 180 "
                 "kilometres an hour and a surge that flooded the harbour district, where hundreds of boats "
                 "were moored for the night. Emergency services said they had evacuated more than four "
                 "thousand residents from low-lying streets before the worst of the weather arrived.")
    wrapped = "\n".join(_wrap(paragraph, 70))
    second = "\n".join(_wrap(BODY + " " + BODY2, 70))
    article = _clean(f"Storm floods fishing port\n\n{wrapped}\n\nShare this article\n\n{second}\n")
    assert article.title == "Storm floods fishing port"
    assert article.paragraphs == (paragraph, BODY + " " + BODY2)
    assert _reasons(article) == {"Share this article": "share/follow prompt"}


def _wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return lines + [current]


# --- language -------------------------------------------------------------------------------

def test_non_english_source_is_kept_and_marked():
    sources, _ = read_sources(FIXTURES / "dossier")
    article = next(a for a in clean_sources(sources) if a.path == "seisme_fr.txt")
    assert article.language == "fr" and not article.is_english
    assert len(article.paragraphs) == 3


def test_short_text_defaults_to_english():
    assert _clean("Kurz\n\nEin Satz.\n").language == "en"


def test_metadata_language_wins_over_detection():
    assert _clean(f"Dam bursts\n\n{BODY}\n", metadata=Metadata(language="cy")).language == "cy"


def test_phrase_rules_name_the_first_rule_that_matches_as_trying_them_in_order_would():
    import re as regex

    from builder.cleaning.phrases import _RULES, _rule_reason

    keys = [
        "sign up for our newsletter", "get the best stories delivered straight to your inbox",
        "start your free trial today", "we may earn a commission when you buy through links",
        "we use cookies to improve your experience. accept all", "contact us", "share on facebook",
        "the ferry left the harbour at dawn and the crew reported calm seas near the cape",
        "this article does not constitute financial advice", "updated 3 hours ago", "cookies: we use them",
    ]
    for key in keys:
        expected = next((reason for reason, pattern in _RULES if regex.fullmatch(pattern, key)), None)
        assert _rule_reason.__wrapped__(key) == expected, key


def test_a_guarded_caption_pattern_still_matches_a_caption_signed_at_its_end():
    from builder.cleaning.phrases import photo_reason

    assert photo_reason("Rescuers search the rubble in Tarvik on Sunday. KADO BREL/Harbour Wire") == "photo caption"
    assert photo_reason("Rescuers searched the rubble in Tarvik on Sunday and found two survivors.") is None


@pytest.mark.parametrize("text", [
    "The ferry left the harbour at dawn and the crew reported calm seas near the cape.",
    "Le conseil municipal a voté le budget après un long débat sur les écoles.",
    "Москва — столица России, крупнейший город страны по численности населения.",
    "東京は日本の首都であり、人口が最も多い都市です。",
    "A",
    "🙂🙂 12:30 — ok",
])
def test_vectorised_language_scan_counts_the_features_py3langid_counts(text):
    from py3langid.langid import LanguageIdentifier, MODEL_FILE, visit_counts

    from builder.cleaning.language import _visit_counts, language_identifier

    fast = language_identifier()
    slow = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    data = slow._encode(text)
    expected = visit_counts(slow.tk_nextmove, slow._rowbase, slow.tk_output, data)
    counted = _visit_counts(fast._tables, data)
    # same features, same counts, same order (the order the scores are summed in)
    assert (counted is None and expected is None) or list(counted.items()) == list(expected.items())
    assert fast.classify(text) == slow.classify(text)


# --- robustness -------------------------------------------------------------------------------

def test_a_five_megabyte_single_line_is_cleaned_quickly():
    text = "Headline of the huge page\n\n" + "All work and no play makes a dull story, " * 120_000 + "\n"
    started = time.perf_counter()
    article = _clean(text)
    assert len(article.paragraphs) == 1
    assert time.perf_counter() - started < 10


def test_output_is_in_the_order_of_the_input():
    raws = [_raw(f"Story {n} headline here\n\n{BODY} {n}\n", f"{n}.txt") for n in (3, 1, 2)]
    assert [a.path for a in clean_sources(raws)] == ["3.txt", "1.txt", "2.txt"]


_LINES = st.sampled_from([BODY, BODY2, "Leave a Reply", "Support the war in Ukraine", "Yuri Kadobnov/AP",
                          "March 3, 2021", "Share", "Dam bursts after days of rain", "Home World Dam bursts",
                          "In Love", "What's Your Reaction?", "", "", "  "])


@settings(max_examples=60, deadline=None)
@given(st.lists(_LINES, min_size=1, max_size=14))
def test_every_raw_line_is_the_title_a_paragraph_or_removed(lines):
    text = "\n".join(lines)
    if not text.strip():
        return
    article = _clean(text)
    accounted = list(article.paragraphs) + [r.text for r in article.removed]
    for line in (line.strip() for line in lines):
        if line and line not in accounted:
            assert line == article.title
    assert all(r.reason for r in article.removed)


# --- nothing silently lost ------------------------------------------------------------

def _words_of(text: str) -> str:
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))


def _accounted_for(line: str, article) -> bool:
    """A raw line is in the body, among the removed lines, or is the title: nothing else."""
    words = _words_of(re.sub(r"\]\([^)]*\)", "]", line))   # Markdown link targets are no text
    if not words:
        return True
    body = _words_of(" ".join(article.paragraphs))
    return (words in body or words in _words_of(f"{article.title} {article.outlet or ''}")   # "Title | Site"
            or any(words in _words_of(r.text) or _words_of(r.text) in words for r in article.removed))


def test_the_first_line_of_a_wrapped_paragraph_under_a_credited_caption_is_never_lost(tmp_path):
    (tmp_path / "note.md").write_text(
        "---\ntitle: What the harbour wall could not hold\ndate: 2024-02-02\n---\n\n"
        "![Divers at the flooded pier](https://example.org/pier.jpg)\n\n"
        "*Divers at the flooded pier. Photo: Ana Ruiz/Harbour Post*\n\n"
        "When the sea came over the harbour wall at Port Ellis last Sunday, it\n"
        "did so where the engineers had warned it would for a decade.\n\n"
        "In January the port authority asked the council for money to raise\n"
        "the wall. The request was turned down.\n", encoding="utf-8")
    raws, _ = read_sources(tmp_path)
    article = clean_sources(raws)[0]
    assert article.title == "What the harbour wall could not hold"
    assert article.paragraphs[0].startswith("When the sea came over the harbour wall at Port Ellis last Sunday, it did so")


@pytest.mark.parametrize("folder", ["tests/fixtures/clean/dossier", "sources",
                                   "tests/fixtures/eval/quake/sources", "tests/fixtures/eval/deal/sources"])
def test_every_raw_line_of_a_text_source_is_kept_removed_or_the_title(folder):
    raws, _ = read_sources(Path(__file__).resolve().parent.parent / folder)
    for raw, article in zip(raws, clean_sources(raws)):
        if raw.kind == "html":
            continue
        lost = [line for line in raw.text.splitlines() if not _accounted_for(line, article)]
        assert not lost, (raw.path, lost[:3])


def test_article_text_extracted_from_html_is_capped_with_a_warning(tmp_path, caplog):
    from builder.read import MAX_TEXT_CHARS

    paragraphs = "".join(f"<p>Meeting {n}: " + f"the council met again to discuss the harbour wall, item {n}. " * 20
                         + "</p>\n" for n in range(400))   # distinct: extractors drop repeated paragraphs
    (tmp_path / "long.html").write_text("<html><body><article><h1>A long page</h1>\n"
                                        + paragraphs + "</article></body></html>", encoding="utf-8")
    raws, _ = read_sources(tmp_path)
    with caplog.at_level("WARNING"):
        article = clean_sources(raws)[0]
    assert sum(len(p) + 1 for p in article.paragraphs) <= MAX_TEXT_CHARS
    assert "long.html: truncated" in caplog.text


@pytest.mark.parametrize("line", ["Staff Correspondent", "Our Reporter", "Web Desk", "Special Correspondents"])
def test_a_byline_naming_only_a_role_is_removed(line):
    text = (f"Harbour wall gives way as storm hits Port Ellis\n{line}\n\n"
            "The harbour wall at Port Ellis gave way late on Sunday as the storm reached the coast, officials said.\n")
    article = _clean(text)
    assert [r.reason for r in article.removed] == ["byline"]
    assert article.paragraphs[0].startswith("The harbour wall")


def test_a_filer_line_under_a_standfirst_is_the_byline():
    text = ("Ferry strike ends with a pay deal, but unions say the fight goes on\n"
            "Crews return to work on Monday after a week of cancellations, while the union warned it could walk out again\n"
            "Tomas Berg in Port Ellis\n"
            "Mon 3 Mar 2025 08.30 GMT\n\n"
            "Ferry crews voted on Sunday to accept a pay offer, ending a strike that stranded thousands of passengers.\n")
    article = _clean(text)
    assert article.author == "Tomas Berg"
    assert "Tomas Berg in Port Ellis" in [r.text for r in article.removed]
    assert article.paragraphs[0].startswith("Crews return to work")


def test_a_menu_set_apart_by_wide_gaps_is_navigation_not_the_title():
    text = ("The Harbour Chronicle\nNews  World  Europe  Asia  Business  Sport\n"
            "Ferry strike ends with a pay deal, but unions say the fight goes on\nBy Tomas Berg\n\n"
            "Ferry crews voted on Sunday to accept a pay offer, ending a strike that stranded thousands of passengers.\n")
    article = _clean(text)
    assert article.title == "Ferry strike ends with a pay deal, but unions say the fight goes on"
    assert ("News  World  Europe  Asia  Business  Sport", "navigation") in [(r.text, r.reason) for r in article.removed]


# --- kept between builds ------------------------------------------------------------------------

def _recording_memo(folder: Path, computed: list):
    from builder.cache import source_memo

    return spying_memo(source_memo(folder), computed)


_FURNITURE = "Most read this week"


def _outlet_page(n: int, extra: str = "") -> RawSource:
    text = (f"Harbour crane collapses in storm number {n}\n\n{_FURNITURE}\n\n"
            f"A crane at the north quay fell during the storm on night {n}, the port said.{extra}\n\n"
            f"Workers had left the quay an hour before, said a spokeswoman for the port.\n")
    return _raw(text, path=f"s{n}.txt")


def test_a_rebuild_cleans_only_the_changed_source_and_gives_what_a_fresh_clean_gives(tmp_path):
    raws = [_outlet_page(n) for n in range(3)]
    first_computed, second_computed = [], []
    first = clean_sources(raws, _recording_memo(tmp_path, first_computed))
    changed = [raws[0], _outlet_page(1, " Nobody was hurt."), raws[2]]
    second = clean_sources(changed, _recording_memo(tmp_path, second_computed))
    assert first == clean_sources(raws)
    assert second == clean_sources(changed)
    assert second_computed == [("extracted text", 1), ("article", 1)]
    assert any(r.text == _FURNITURE for r in second[0].removed)


def test_a_line_that_starts_recurring_elsewhere_re_cleans_the_sources_that_hold_it(tmp_path):
    raws = [_outlet_page(0), _raw("A quiet day at the port.\n\nNothing happened at the quay today, officials said.\n", path="x.txt")]
    clean_sources(raws, _recording_memo(tmp_path, []))
    computed = []
    again = clean_sources([raws[0], _outlet_page(1)], _recording_memo(tmp_path, computed))
    assert again == clean_sources([raws[0], _outlet_page(1)])
    assert ("article", 0) in computed       # its "Most read" line is now shared furniture


def test_cleaning_in_worker_processes_gives_the_same_articles_and_warnings_in_the_same_order(monkeypatch, caplog):
    from builder import workers

    raws = [_raw(f"Headline number {n}\n\n{BODY}\n\n{BODY2}\n\nLeave a Reply\n", path=f"s{n}.txt") for n in range(6)]
    raws.insert(3, _raw("Only a headline\n", path="empty.txt"))       # warns: no article text
    raws.append(_raw("<html><body><p>no article</p></body></html>", path="page.html", kind="html"))
    with caplog.at_level("WARNING", logger="builder"):
        alone = clean_sources(raws, jobs=1)
    warned_alone = [(r.name, r.getMessage()) for r in caplog.records]
    caplog.clear()
    monkeypatch.setattr(workers, "POOL_MIN_CALLS", 2)     # a pool even for these few sources
    with caplog.at_level("INFO", logger="builder"):
        pooled = clean_sources(raws, jobs=2)
    assert pooled == alone
    assert [r.getMessage() for r in caplog.records if r.name == "builder.workers"] == [
        "extract and what follows in 2 worker processes"]
    assert [(r.name, r.getMessage()) for r in caplog.records if r.levelname == "WARNING"] == warned_alone
    assert any("empty.txt" in message for _, message in warned_alone)
