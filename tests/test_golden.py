"""Golden files: the exact pages and dossier.json for a small hand-built dossier.

A change to a template or to the export shows here as a diff to review. When the change is
intended, rewrite the golden files with `python3 dev.py test --update-golden` and commit them.
"""
from pathlib import Path

import pytest

from builder.export import export_dossier
from builder.render import SiteOptions, render_site
from tests.dossiers import quake_dossier, raw

GOLDEN = Path(__file__).parent / "golden"
PAGES = ["sources/one.md", "entities/marrakesh.md", "compare/index.md", "timeline/index.md"]


def outputs() -> dict[str, str]:
    dossier = quake_dossier()
    files = render_site(dossier, [raw(a) for a in dossier.articles], SiteOptions())
    chosen = {page: files[page] for page in PAGES}
    chosen["dossier.json"] = export_dossier(dossier)
    return chosen


@pytest.mark.parametrize("name", PAGES + ["dossier.json"])
def test_output_matches_its_golden_file(name, update_golden):
    golden = GOLDEN / name.replace("/", "__")
    produced = outputs()[name]
    if update_golden:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(produced, encoding="utf-8")
    assert golden.exists(), f"no golden file for {name}: run `python3 dev.py test --update-golden`"
    assert produced == golden.read_text(encoding="utf-8"), (
        f"{name} differs from {golden}; if the change is intended, run `python3 dev.py test --update-golden`")
