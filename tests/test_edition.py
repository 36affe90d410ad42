"""The static edition, built in fast mode: every notebook a page that reads offline."""
import re

import pytest

from helpers.edition import build, notebooks

# One build for every test here: under pytest-xdist they all go to one worker.
pytestmark = pytest.mark.xdist_group("edition")

HREF = re.compile(r"""\b(?:href|src)=["']([^"']+)["']""", re.IGNORECASE)
REMOTE_RESOURCE = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["']https?:""",
                             re.IGNORECASE)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("site")
    build(outdir, log=lambda line: None)
    return outdir


def pages(site):
    return {path.name: path.read_text(encoding="utf-8") for path in site.glob("*.html")}


def test_every_notebook_has_a_page_and_the_index_lists_it(site):
    found = pages(site)
    for notebook in notebooks():
        name = notebook.with_suffix(".html").name
        assert name in found, f"no page for {notebook.name}"
        assert f"href='{name}'" in found["index.html"]


def test_every_relative_link_resolves_and_none_points_to_a_notebook(site):
    for name, text in pages(site).items():
        for target in HREF.findall(text):
            if target.startswith(("http://", "https://", "#", "data:", "mailto:")):
                continue
            assert not target.split("#")[0].endswith(".ipynb"), f"{name} links to {target}"
            assert (site / target.split("#")[0]).exists(), f"{name}: {target} does not resolve"


def test_no_page_fetches_anything_from_the_network(site):
    for name, text in pages(site).items():
        assert not REMOTE_RESOURCE.search(text), f"{name} loads a resource from the network"
        assert "@import url(http" not in text and "url(https://" not in text, name


def test_every_page_has_its_plots_inline_and_a_note_where_each_widget_was(site):
    for name, text in pages(site).items():
        if name == "index.html":
            continue
        assert "data:image/png;base64," in text, f"{name} has no plot"
        assert "edition-widget-note" in text, f"{name} has no note for its widget"
        assert "application/vnd.jupyter.widget-view+json" not in text, name
