"""Every notebook links to the previous one, the contents and the next one, at its top and
its bottom; the contents (in 00 and in the README) list every notebook."""
import pathlib
import re

import nbformat
import pytest

from support.navigation import (CONTENTS, START, first_cell_line, last_cell_line, line_for,
                                notebooks, short_title)

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = notebooks()
FIX = "run .venv/bin/python tests/support/navigation.py to rewrite the navigation lines"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebook_links_to_its_neighbours_and_the_contents_top_and_bottom(path):
    notebook = nbformat.read(path, as_version=4)
    expected = line_for(path, NOTEBOOKS)
    assert first_cell_line(notebook) == expected, f"{path.name}, first cell: {FIX}"
    assert last_cell_line(notebook) == expected, f"{path.name}, last cell: {FIX}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_link_between_notebooks_names_a_notebook_that_exists(path):
    text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                     if c.cell_type == "markdown")
    for target in re.findall(r"\]\(([^)#]+\.ipynb)", text):
        assert (path.parent / target).exists(), f"{path.name} links to {target}: no such file"


def test_the_line_says_where_you_are():
    first, middle, last = NOTEBOOKS[0], NOTEBOOKS[1], NOTEBOOKS[-1]
    assert line_for(first, NOTEBOOKS) == f"{CONTENTS} · [{short_title(middle)} →]({middle.name})"
    assert line_for(middle, NOTEBOOKS).startswith(f"[← {short_title(first)}]({first.name}) · ")
    assert line_for(last, NOTEBOOKS).endswith(CONTENTS), "the last notebook has no next"
    assert short_title(ROOT / "notebooks/06-grow-a-general-event-loop.ipynb") == \
        "06 · Grow a general event loop"


def test_the_start_notebook_has_the_contents_and_lists_every_notebook():
    start = nbformat.read(ROOT / "notebooks" / f"{START}.ipynb", as_version=4)
    [contents] = [c.source for c in start.cells
                  if c.cell_type == "markdown" and c.source.startswith("## Contents")]
    for path in NOTEBOOKS:
        if path.stem != START:
            assert f"]({path.name})" in contents, f"00's contents do not link {path.name}"


def test_the_readme_lists_every_notebook_with_its_run_all_time():
    readme = (ROOT / "README.md").read_text()
    contents = readme.split("## Contents", 1)[1].split("\n## ", 1)[0]
    for path in NOTEBOOKS:
        assert f"](notebooks/{path.name})" in contents, f"README's contents miss {path.name}"
    teachers = readme.split("## For teachers", 1)[1].split("\n## ", 1)[0]
    for path in NOTEBOOKS:
        number = path.name[:2]
        assert re.search(rf"^\| {number} \| about \d+ s \|", teachers, re.MULTILINE), \
            f"README's Run All table has no time for {number}"
