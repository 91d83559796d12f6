"""Corroboration and unique claims kept per source by a serving process (builder/compare/claims.py):
a rebuild after an edit takes again the records and claims of every source whose share of the
work is unchanged (that the result equals a build with nothing kept, after every edit, is checked
by tests/test_compare_incremental_quotes.py, whose comparison passes the memo to corroborate)."""
from __future__ import annotations

from builder.cache import no_memo, source_memo
from builder.compare import claims as claims_module
from builder.compare.align import align_statements
from builder.compare.claims import corroborate
from builder.compare.quotes import group_quotations
from builder.compare.similarity import compare_whole_sources
from test_compare import article, glossary_for
from test_compare_incremental_quotes import _NAMES, _edits, _port_strike


def _corroborated(articles, memo):
    articles = tuple(articles)
    glossary = glossary_for(articles, _NAMES)
    alignment = align_statements(articles, glossary)
    _, near_copies, _ = compare_whole_sources(articles)
    return corroborate(articles, alignment, near_copies, group_quotations(articles, glossary, alignment), memo)


def _with_claims() -> list:
    """The dock strike, and an outlet reporting what no other does (unique claims)."""
    return _port_strike() + [article(
        "river-times", "Fishermen downstream reported that the river level dropped sharply after engineers "
        "opened three sluice gates overnight.", "Freight rates rose after the stoppage, brokers said.")]


def _by_source(found) -> dict[str, list]:
    out: dict[str, list] = {}
    for item in found:
        out.setdefault(item.source, []).append(item)
    return out


def test_unchanged_sources_get_the_very_records_and_claims_of_the_last_build(tmp_path):
    base = _with_claims()
    memo = source_memo(tmp_path / "memo", in_memory=True)
    old_records, old_claims = map(_by_source, _corroborated(base, memo))
    edited = base[:2] + base[3:]
    found = _corroborated(edited, memo)
    assert found == _corroborated(edited, no_memo)
    records, claims = map(_by_source, found)
    # harbour-post went; no record of river-times names a place of it, nor do its claims change
    assert "harbour-post" not in records and old_claims["river-times"]
    assert all(new is old for new, old in zip(records["river-times"], old_records["river-times"], strict=True))
    assert all(new is old for new, old in zip(claims["river-times"], old_claims["river-times"], strict=True))


def test_a_source_whose_support_changed_gets_new_records(tmp_path):
    base = _port_strike()
    memo = source_memo(tmp_path / "memo", in_memory=True)
    old = _by_source(_corroborated(base, memo)[0])
    new = _by_source(_corroborated(_edits(base)["remove"], memo)[0])
    # coast-news was supported by harbour-post, which went
    assert new["coast-news"] != old["coast-news"]
    assert new["coast-news"] == _by_source(_corroborated(_edits(base)["remove"], no_memo)[0])["coast-news"]


def test_a_build_that_does_not_serve_keeps_nothing(tmp_path):
    _corroborated(_port_strike(), source_memo(tmp_path / "memo"))
    assert claims_module._kept is None
    _corroborated(_port_strike(), source_memo(tmp_path / "memo", in_memory=True))
    assert claims_module._kept is not None
    _corroborated(_port_strike(), no_memo)
    assert claims_module._kept is None
