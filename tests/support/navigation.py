"""The navigation line of every notebook: previous, contents, next.

Each notebook ends with a cell holding only this line, and its first cell ends with it,
so a learner can move on from the top or the bottom. The line is derived from the file
names, so adding or renaming a notebook changes it everywhere; tests/test_navigation.py
checks that every notebook holds the line it should. After adding a notebook, run

    .venv/bin/python tests/support/navigation.py

to rewrite the lines (it changes nothing else).
"""
import pathlib
import sys
import uuid

import nbformat

NOTEBOOK_DIR = pathlib.Path(__file__).resolve().parents[2] / "notebooks"
START = "00-start-here"
CONTENTS = f"[Contents]({START}.ipynb#Contents)"


def notebooks():
    return sorted(NOTEBOOK_DIR.glob("[0-9][0-9]-*.ipynb"))


def short_title(path):
    """'06-grow-a-general-event-loop.ipynb' -> '06 · Grow a general event loop'."""
    number, _, words = path.stem.partition("-")
    return f"{number} · {words.replace('-', ' ').capitalize()}"


def line_for(path, paths=None):
    paths = notebooks() if paths is None else paths
    at = paths.index(path)
    parts = []
    if at > 0:
        parts.append(f"[← {short_title(paths[at - 1])}]({paths[at - 1].name})")
    parts.append(CONTENTS)
    if at + 1 < len(paths):
        parts.append(f"[{short_title(paths[at + 1])} →]({paths[at + 1].name})")
    return " · ".join(parts)


def is_navigation(line):
    return CONTENTS in line


def first_cell_line(notebook):
    """The navigation line the first cell ends with, or None."""
    lines = notebook.cells[0].source.rstrip().splitlines()
    return lines[-1] if lines and is_navigation(lines[-1]) else None


def last_cell_line(notebook):
    """The last cell's source if it is only a navigation line, or None."""
    last = notebook.cells[-1]
    source = last.source.strip()
    return source if last.cell_type == "markdown" and is_navigation(source) \
        and "\n" not in source else None


def rewrite(path, paths):
    notebook = nbformat.read(path, as_version=4)
    line = line_for(path, paths)
    first = notebook.cells[0]
    kept = [text for text in first.source.rstrip().splitlines() if not is_navigation(text)]
    first.source = "\n".join(kept).rstrip() + "\n\n" + line
    if last_cell_line(notebook) is not None:
        notebook.cells[-1].source = line
    else:
        cell = nbformat.v4.new_markdown_cell(line)
        cell.id = uuid.uuid4().hex[:8]
        notebook.cells.append(cell)
    nbformat.write(notebook, path)


def main():
    paths = notebooks()
    for path in paths:
        rewrite(path, paths)
        print(f"{path.name}: {line_for(path, paths)}")


if __name__ == "__main__":
    sys.exit(main())
