"""The static edition: the executed course as HTML pages that read offline.

    python3 course.py edition site/            # at the real delay (a few minutes)
    COURSE_DELAY=0.25 python3 course.py edition site/   # fast mode

Each notebook is executed (two at a time: they mostly wait on sockets), then written
as one self-contained page: plots inline as PNG, the page's own styles inline, no
script, style or font fetched from the network (the course uses no math, so MathJax and
require.js are left out). Links between notebooks point to the pages; where a widget
was, the page says that it runs only live and how. index.html lists every page.
"""
import html
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

NOTEBOOKS = Path(__file__).resolve().parent.parent.parent / "notebooks"
CELL_TIMEOUT = 600  # seconds: a cell that runs longer has hung
# jupyter_client picks a kernel's ports by binding port 0 and letting go; another process
# may take one first, and the kernel dies at start (jupyter/jupyter_client#154).
KERNEL_DIED = "Kernel died before replying to kernel_info"
KERNEL_STARTS = 3
WIDGET = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ("<p class='edition-widget-note'><em>An interactive control stood here. It "
               "runs only in a live notebook: open this notebook in JupyterLab (<code>python3 "
               "course.py lab</code>) and run it there.</em></p>")
_NOTEBOOK_LINK = re.compile(r"\]\(([\w-]+)\.ipynb(#[^)]*)?\)")
_REMOTE = re.compile(r"<(script|link)\b[^>]*\b(src|href)=[\"']https?://[^>]*>(\s*</script>)?",
                     re.IGNORECASE)


def notebooks():
    return sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def build(outdir, workers=2, log=print, paths=None):
    """Execute every notebook (or those in `paths`) and write its page, and index.html,
    to outdir."""
    paths = notebooks() if paths is None else list(paths)

    def run(path):
        log(f"executing {path.name} ...")
        return executed(path)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        done = dict(zip(paths, pool.map(run, paths)))
    return write(outdir, done, log)


def write(outdir, executed_notebooks, log=lambda line: None):
    """Write the page of each executed notebook ({path: notebook}, in course order) and
    index.html to outdir; the files written, index.html first."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    pages = []
    for path, notebook in executed_notebooks.items():
        name = path.with_suffix(".html").name
        (outdir / name).write_text(page(notebook), encoding="utf-8")
        log(f"wrote {name}")
        pages.append((name, title(notebook, path)))
    (outdir / "index.html").write_text(index(pages), encoding="utf-8")
    return [outdir / "index.html", *(outdir / name for name, _title in pages)]


def died_at_start(error, attempt):
    """Whether `error` on start number `attempt` is that port race, worth another start."""
    return KERNEL_DIED in str(error) and attempt < KERNEL_STARTS


def executed(path):
    """The notebook at path, run in a kernel of its own; started again if it dies at start."""
    for attempt in range(1, KERNEL_STARTS + 1):
        notebook = nbformat.read(path, as_version=4)
        try:
            NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
            return notebook
        except RuntimeError as error:
            if not died_at_start(error, attempt):
                raise


def page(notebook):
    """One executed notebook as an offline HTML page (it edits the notebook it is given)."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = _NOTEBOOK_LINK.sub(r"](\1.html\2)", cell.source)
        for output in cell.get("outputs", []):
            if WIDGET in output.get("data", {}):
                output["data"] = {"text/html": WIDGET_NOTE}
    notebook.metadata.pop("widgets", None)  # no widget state: nothing here renders it
    body, _resources = HTMLExporter(template_name="lab").from_notebook_node(notebook)
    return _REMOTE.sub("", body)


def title(notebook, path):
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


def index(pages):
    items = "\n".join(f"<li><a href='{html.escape(name)}'>{html.escape(text)}</a></li>"
                      for name, text in pages)
    return ("<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
            "<title>Event-driven I/O in Python, from the ground up</title></head><body>"
            "<h1>Event-driven I/O in Python, from the ground up</h1>"
            "<p>The course's notebooks, executed"
            f"{' in fast mode' if os.environ.get('COURSE_DELAY') else ''}. To run them "
            "yourself, with their sliders, use <code>python3 course.py lab</code>.</p>"
            f"<ol start='0'>\n{items}\n</ol></body></html>\n")
