"""Every notebook, run in JupyterLab in a real browser, the way a learner runs it.

nbval proves that the cells run. Only a browser shows whether the widgets render
("Error displaying widget" means the front-end extension is missing), whether the
plots appear as images, and whether the Run buttons and sliders do what they promise.

For each notebooks/*.ipynb (a throw-away copy: the committed files stay output-free):
open it alone in JupyterLab (in the Lab that the notebook before it left loaded, once it
passed and its panel and kernel are closed), wait for its kernel, Run ▸ Run All Cells,
wait for every cell, then check there is no error, every widget and image the kernel
sent is rendered (and no plot is blank), and pressing each Run button (or moving a
slider) changes the output. A screenshot of each goes to test-artifacts/browser/ (not
committed) for review: the whole notebook if it failed, its first screenful if it passed.

Needs the `playwright` package (the [test] extra) and Chromium at /usr/bin/chromium,
which the test installs from Debian's package when it runs as root on Debian; never
`playwright install`. Under CI (CI=true) a missing browser fails; elsewhere it skips
and says how to fix it.
"""
import contextlib
import time
from pathlib import Path

import pytest

from support.chromium import browser_problem, chromium
from support.ci import running_in_ci
from support.lab import Lab, copy_notebooks, scratch_folder
from support.notebook_file import shows_widgets
from support.page import LabTab, NotebookPage
from support.signals import sigterm_stops_the_run

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SCREENSHOTS = ROOT / "test-artifacts" / "browser"
# Fast mode runs a notebook in seconds; these catch hangs, not slowness.
RUN_ALL_SECONDS = 180
BUTTON_SECONDS = 120


@pytest.fixture(scope="module")
def lab_in_browser():
    """A LabTab: one JupyterLab serving a copy of notebooks/, in one Chromium."""
    problem = browser_problem()
    if problem and running_in_ci():
        pytest.fail(f"the browser test must run under CI, but {problem}", pytrace=False)
    if problem:
        pytest.skip(f"no browser test: {problem}")
    from playwright.sync_api import sync_playwright

    with contextlib.ExitStack() as stack:
        stack.enter_context(sigterm_stops_the_run())
        scratch = stack.enter_context(scratch_folder())
        root = copy_notebooks(ROOT / "notebooks", scratch)
        context = stack.enter_context(chromium(stack.enter_context(sync_playwright()), scratch))
        # Entered last, so it leaves first: Lab and its kernels stop before anything else.
        lab = stack.enter_context(Lab(root, scratch))
        yield LabTab(context, lab)


# Under pytest-xdist, LABS workers share the notebooks, each with one Lab and one Chromium
# for its share (a Lab per notebook would start eleven).
LABS = 3


@pytest.mark.parametrize("notebook", [
    pytest.param(path, marks=pytest.mark.xdist_group(f"browser-{index % LABS}"))
    for index, path in enumerate(NOTEBOOKS)], ids=lambda path: path.name)
def test_notebook_works_in_jupyterlab(lab_in_browser, notebook, capsys):
    tab = lab_in_browser
    page = NotebookPage(tab, tab.lab.root_dir / notebook.name)
    started = time.monotonic()
    passed = False
    laps = {}

    def lap(name):
        laps[name] = time.monotonic() - started - sum(laps.values())

    try:
        page.open()
        page.wait_for_kernel()
        lap("open")
        page.run_all()
        page.wait_until_every_cell_ran(RUN_ALL_SECONDS)
        lap("run all")
        stored = page.save()
        page.check_no_error_outputs(stored)
        page.check_widgets_and_images(stored)
        lap("checks")
        buttons = page.press_every_run_button(BUTTON_SECONDS)
        slider = page.move_a_free_slider(BUTTON_SECONDS)
        if shows_widgets(stored) and not (buttons or slider):
            page.fail("it displays widgets but has no Run button or slider to try")
        page.check_outputs()
        page.check_a_plot_shows(stored)
        lap("controls")
        passed = True
    finally:
        shot = take_screenshot(page, notebook, whole=not passed)
        tab.hand_back(clean=passed)
        tab.lab.shut_down_kernels()
        with capsys.disabled():  # shown even when pytest captures output
            timings = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in laps.items())
            print(f"\n[browser] {notebook.name}: {time.monotonic() - started:.1f} s "
                  f"({timings}); screenshot: {shot}")


def take_screenshot(page, notebook, whole):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{notebook.stem}.png"
    try:
        page.screenshot(path, whole)
    except Exception as error:  # a screenshot is for review; never hide the real failure
        return f"none ({type(error).__name__}: {error})"
    return path
