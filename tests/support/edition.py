"""What every page of the static edition must hold: checked on the edition that
tests/test_edition.py builds, and on the whole course that tests/test_reruns.py runs."""
import re

from helpers.edition import notebooks

HREF = re.compile(r"""\b(?:href|src)=["']([^"']+)["']""", re.IGNORECASE)
REMOTE_RESOURCE = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["']https?:""",
                             re.IGNORECASE)


def pages(site):
    return {path.name: path.read_text(encoding="utf-8") for path in site.glob("*.html")}


def check_site(site, expected=None):
    """The pages of `expected` notebooks (default: every one) are in `site`, listed by its
    index, read offline, show their plots and a note where each widget was. Links between
    pages resolve in the site, or, in a partial site, name the page of a notebook that
    exists."""
    expected = notebooks() if expected is None else expected
    every_page = {path.with_suffix(".html").name for path in notebooks()}
    partial = len(expected) < len(every_page)
    found = pages(site)
    for notebook in expected:
        name = notebook.with_suffix(".html").name
        assert name in found, f"no page for {notebook.name}"
        assert f"href='{name}'" in found["index.html"], f"the index does not list {name}"
    for name, text in found.items():
        assert not REMOTE_RESOURCE.search(text), f"{name} loads a resource from the network"
        assert "@import url(http" not in text and "url(https://" not in text, name
        for target in HREF.findall(text):
            if target.startswith(("http://", "https://", "#", "data:", "mailto:")):
                continue
            file = target.split("#")[0]
            assert not file.endswith(".ipynb"), f"{name} links to {target}"
            assert (site / file).exists() or (partial and file in every_page), \
                f"{name}: {target} does not resolve"
        if name == "index.html":
            continue
        assert "data:image/png;base64," in text, f"{name} has no plot"
        assert "edition-widget-note" in text, f"{name} has no note for its widget"
        assert "application/vnd.jupyter.widget-view+json" not in text, name
