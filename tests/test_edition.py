"""The static edition command, end to end, in fast mode, on the start notebook: executed
in a kernel of its own, written as a page that reads offline, listed by the index.

Every notebook's page is built and checked the same way (tests/support/edition.py) from
the whole course run in one kernel, in tests/test_reruns.py, so that no notebook runs
once more only for its page.
"""
import pytest

from helpers.edition import build, notebooks
from helpers.edition.__main__ import main

from support.edition import check_site, pages

START = notebooks()[:1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("site")
    build(outdir, log=lambda line: None, paths=START)
    return outdir


def test_the_start_notebook_becomes_a_page_that_reads_offline(site):
    check_site(site, expected=START)
    assert set(pages(site)) == {"index.html", "00-start-here.html"}


def test_its_links_to_other_notebooks_point_to_their_pages(site):
    text = pages(site)["00-start-here.html"]
    assert 'href="01-make-blocking-calls.html"' in text
    assert 'href="01-make-blocking-calls.ipynb"' not in text


def test_the_check_sees_a_page_that_fetches_from_the_network(site, tmp_path):
    for path in site.iterdir():
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    page = tmp_path / "00-start-here.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</head>", "<script src='https://cdn.example/require.js'></script></head>"),
        encoding="utf-8")
    with pytest.raises(AssertionError, match="loads a resource from the network"):
        check_site(tmp_path, expected=START)


def test_the_command_says_how_to_call_it(capsys):
    assert main([]) == 2 and "usage: python3 course.py edition OUTDIR" in capsys.readouterr().err
