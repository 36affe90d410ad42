"""`NotebookPage`: one notebook opened in JupyterLab in the browser, run, and read the way
a learner sees it.

nbval cannot see a widget that fails to render, a button that does nothing or a plot
that never shows; this can. Each check fails with a NotebookFailure that names the
notebook and the cell.
"""
import contextlib
import json
from pathlib import Path

from support.chromium import VIEWPORT
from support.notebook_file import expected_views_and_images, first_line, uses_matplotlib
from support.page_scripts import (BLANK_IMAGES_JS, CELLS_JS, CLOSE_NOTEBOOKS_JS,
                                  KERNEL_JS, OPEN_NOTEBOOK_JS, PROMPTS_JS)
from support.timing import wait_until

# Why a plot drawn by a widget callback can come out blank (seen with JupyterLab 4.6 and
# ipykernel 7): Lab sends widget messages to a kernel subshell, whose thread runs the
# callback while pyplot's global state is shared with the main thread.
SUBSHELL_HINT = (
    " A plot drawn by a widget callback can come out blank when JupyterLab sends widget "
    "messages to a kernel subshell (Lab >= 4.4 with ipykernel >= 7): the callback then runs on "
    "another thread than pyplot's. See jupyterlab/jupyterlab#19719; the workarounds are the "
    "Lab setting commsOverSubshells = disabled, ipykernel < 7, or drawing without pyplot.")


# Without this text anywhere in a cell's output, every widget rendered.
WIDGET_ERROR = "Error displaying widget"


def where(index, cell):
    """'cell 8 ("first line of its source")': how a failure names its cell."""
    return f"cell {index} ({first_line(cell['source'])!r})"


class NotebookFailure(AssertionError):
    """What a learner would see go wrong, said with the notebook and the cell."""


class LabTab:
    """One browser tab with JupyterLab loaded, which the notebooks take in turn.

    Loading Lab costs 2 to 3 s of CPU, as much as running a short notebook, so the next
    notebook opens in the Lab already loaded once the last one's panel is closed. After a
    notebook fails, its tab is thrown away: whatever it left never reaches the next one.
    """

    def __init__(self, context, lab):
        self.context = context
        self.lab = lab
        self.page = None

    def take(self):
        """(the browser page, whether Lab is already loaded in it)."""
        if self.page is not None:
            return self.page, True
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)
        return self.page, False

    def hand_back(self, clean):
        """Close the notebook's panel for the next one to open in this Lab; or, if the
        notebook did not pass or its panel will not close cleanly, the whole tab."""
        if clean:
            with contextlib.suppress(Exception):
                if self.page.evaluate(CLOSE_NOTEBOOKS_JS) == 0:
                    return
        with contextlib.suppress(Exception):
            self.page.close()
        self.page = None


class NotebookPage:
    """One notebook, open in JupyterLab in a browser tab (a LabTab)."""

    def __init__(self, tab, path):
        self.lab = tab.lab
        self.path = Path(path)
        self.relative = self.path.relative_to(self.lab.root_dir).as_posix()
        self.name = self.path.name
        self.page, self.lab_loaded = tab.take()

    def fail(self, message):
        raise NotebookFailure(f"{self.name}: {message}")

    # opening and running

    def open(self):
        """Open it alone: in the Lab already loaded, whose last notebook was closed, or
        else by loading Lab in a workspace of its own (?reset), with no other notebook."""
        if self.lab_loaded:
            self.page.evaluate(OPEN_NOTEBOOK_JS, self.relative)
        else:
            workspace = f"/lab/workspaces/{self.path.stem}/tree/{self.relative}"
            self.page.goto(self.lab.url(workspace) + "&reset")
        self.page.locator(".jp-Notebook .jp-Cell").first.wait_for()

    def kernel_state(self):
        return self.page.evaluate(KERNEL_JS)

    def kernel_idle_on_the_server(self):
        with contextlib.suppress(OSError, ValueError):
            return any(session["path"] == self.relative
                       and session["kernel"]["execution_state"] == "idle"
                       for session in self.lab.api("GET", "/api/sessions"))
        return False

    def wait_for_kernel(self, seconds=90):
        """Wait for a real kernel, idle. The toolbar says idle before any kernel exists
        (Run All would then run nothing), so the name must not be "No Kernel" either."""
        def ready():
            state = self.kernel_state()
            name = state["name"].strip()
            return (name and name != "No Kernel" and state["status"] == "idle"
                    and not state["dialog"] and self.kernel_idle_on_the_server())

        if not wait_until(ready, seconds):
            state = self.kernel_state()
            self.fail(f"no idle kernel after {seconds} s (the toolbar says "
                      f"{state['name']!r}, {state['status']!r}"
                      + (f"; a dialog asks: {state['dialog'][:300]!r}" if state["dialog"] else "")
                      + f"). JupyterLab's log ends with:\n{self.lab.log_tail(2000)}")

    def run_all(self):
        """Run ▸ Run All Cells, matched exactly ("Restart Kernel and Run All Cells…" holds
        the same words; Lab 4 has no shortcut for it). Returns once the cells are queued."""
        self.page.locator(".lm-MenuBar-itemLabel").get_by_text("Run", exact=True).click()
        self.page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        queued = wait_until(lambda: any(c["code"] and c["prompt"].strip(" []:")
                                        for c in self.cells()), 30)
        if not queued:
            self.fail("Run ▸ Run All Cells started nothing in 30 s")

    def cells(self):
        return self.page.evaluate(CELLS_JS)

    def wait_until_every_cell_ran(self, seconds):
        """Wait until no cell is queued or running ("[*]") and the kernel is idle; then
        every code cell must show a number. A cell that raises stops Run All: say which."""
        def finished():  # the prompts only: reading every cell's text lays out the page
            prompts = self.page.evaluate(PROMPTS_JS)
            busy = any("*" in prompt for prompt in prompts)
            return prompts and not busy and self.kernel_state()["status"] == "idle"

        done = wait_until(finished, seconds, interval=0.5)
        cells = self.cells()
        if not done:
            running = [i for i, c in enumerate(cells) if c["code"] and "*" in c["prompt"]]
            self.fail(f"Run All did not finish in {seconds} s; still running: "
                      + (where(running[0], cells[running[0]]) if running else "(kernel busy)"))
        self.check_outputs(cells)
        not_run = [i for i, c in enumerate(cells) if c["code"] and c["source"].strip()
                   and not any(ch.isdigit() for ch in c["prompt"])]
        if not_run:
            ran = [i for i in range(not_run[0]) if cells[i]["code"] and cells[i]["stderr"]]
            stopped_by = (f"; Run All stopped after {where(ran[-1], cells[ran[-1]])}, which "
                          f"shows:\n{cells[ran[-1]]['stderr'][-1][-2000:]}" if ran else "")
            self.fail(f"{len(not_run)} code cells did not run, the first is "
                      f"{where(not_run[0], cells[not_run[0]])}{stopped_by}")

    def save(self, seconds=60):
        """Save, and return the notebook as stored. The file says which outputs the kernel
        sent (widgets, images, errors), whatever the page managed to render of them."""
        before = self.path.stat().st_mtime_ns
        self.page.locator(".jp-NotebookPanel").first.focus()
        self.page.keyboard.press("ControlOrMeta+s")  # Cmd on macOS

        def saved():
            if self.path.stat().st_mtime_ns == before:
                return None
            with contextlib.suppress(ValueError):
                notebook = json.loads(self.path.read_text())
                ran = all(c.get("execution_count") for c in notebook["cells"]
                          if c["cell_type"] == "code" and "".join(c["source"]).strip())
                return notebook if ran else None
            return None

        notebook = wait_until(saved, seconds)
        if not notebook:
            self.fail(f"saving the notebook after Run All did not finish in {seconds} s")
        return notebook

    # what the learner sees

    def check_outputs(self, cells=None):
        """No traceback, no widget that failed to render, no broken or blank image."""
        cells = cells or self.cells()
        for index, cell in enumerate(cells):
            tracebacks = [text for text in cell["stderr"] if "Traceback" in text]
            if tracebacks:
                self.fail(f"{where(index, cell)} shows an error:\n{tracebacks[0][-2000:]}")
            if WIDGET_ERROR in cell["text"]:  # (prose may quote it: outputs only)
                line = next(l for l in cell["text"].splitlines() if WIDGET_ERROR in l)
                self.fail(f"{where(index, cell)}: a widget failed to render: {line.strip()!r}")
            if cell["brokenImages"]:
                self.fail(f"{where(index, cell)} shows {cell['brokenImages']} broken image(s)")
        for index, blank in enumerate(self.page.evaluate(BLANK_IMAGES_JS)):
            if blank:
                self.fail(f"{where(index, cells[index])} shows a blank plot ({blank[0]}): "
                          "under 1% of its pixels are drawn." + (SUBSHELL_HINT if
                                                                 "widget" in blank[0] else ""))

    def check_no_error_outputs(self, notebook):
        """Error outputs without the word Traceback (a SyntaxError, say) show in the file."""
        for index, cell in enumerate(notebook["cells"]):
            for output in cell.get("outputs", []):
                if output["output_type"] == "error":
                    self.fail(f"cell {index} ({first_line(''.join(cell['source']))!r}) raised "
                              f"{output['ename']}: {output['evalue']}")

    def check_widgets_and_images(self, notebook, seconds=30):
        """Each widget the kernel displayed shows as a widget, each image it sent as a
        decoded <img>. Widgets render asynchronously: wait for them, then judge."""
        expected = [expected_views_and_images(cell) for cell in notebook["cells"]]

        def shortfalls():
            cells = self.cells()
            if len(cells) != len(expected):
                self.fail(f"the page shows {len(cells)} cells, the file has {len(expected)}")
            return cells, [(i, cells[i], views, images)
                           for i, (views, images) in enumerate(expected)
                           if cells[i]["widgetViews"] < views or cells[i]["images"] < images]

        wait_until(lambda: not shortfalls()[1], seconds)
        cells, missing = shortfalls()
        self.check_outputs(cells)
        for index, cell, views, images in missing:
            if cell["widgetViews"] < views:
                self.fail(f"{where(index, cell)} displayed {views} widget(s) but the page shows "
                          f"{cell['widgetViews']} (is the jupyterlab_widgets front-end extension "
                          f"missing or disabled?); in their place it shows:\n{cell['text'][:500]}")
            self.fail(f"{where(index, cell)} sent {images} image(s) but the page shows "
                      f"{cell['images']} decoded <img>")

    def check_a_plot_shows(self, notebook):
        """A notebook that uses matplotlib shows at least one plot as an image (counting
        those the Run buttons drew)."""
        if uses_matplotlib(notebook) and not any(cell["images"] for cell in self.cells()):
            self.fail("the notebook uses matplotlib but no plot shows as an image")

    def press_every_run_button(self, seconds):
        """Press each rerun widget's Run button: its output must change, without errors.

        helpers.widgets.rerun makes an ipywidgets `interactive` with a manual "Run"
        button: its output is empty until a press, and the button stays disabled while
        the experiment runs. Returns how many buttons were pressed.
        """
        run = self.page.get_by_role("button", name="Run", exact=True)
        panels = self.page.locator(".widget-interact").filter(has=run)
        for number in range(panels.count()):
            what = f"Run button {number + 1} (counting from the top)"
            button = panels.nth(number).get_by_role("button", name="Run", exact=True)
            output = panels.nth(number).locator(".widget-output").first
            before = output.inner_html()
            button.scroll_into_view_if_needed()
            button.click()

            def done():
                return (output.inner_html() != before and has_content(output)
                        and button.is_enabled() and self.kernel_state()["status"] == "idle")

            if not wait_until(done, seconds, interval=0.3):
                self.fail(f"pressing {what} changed nothing in its output in {seconds} s "
                          f"(or the experiment is still running); it shows:\n"
                          f"{output.inner_text()[:500]}")
            text = output.inner_text()
            if "Traceback" in text or "Could not run the experiment" in text:
                self.fail(f"pressing {what} printed an error:\n{text[-2000:]}")
        return panels.count()

    def move_a_free_slider(self, seconds):
        """Move the first slider that no Run button governs, one step, from the keyboard;
        its cell's output (apart from the sliders) must follow. Returns whether there was
        such a slider."""
        sliders = self.page.locator(".jp-OutputArea-output .widget-slider").all()
        free = [s for s in sliders if s.evaluate("""el => {
          const panel = el.closest('.widget-interact');
          return !panel || ![...panel.querySelectorAll('button')]
                              .some(b => b.innerText.trim() === 'Run');
        }""")]
        if not free:
            return False
        cell = free[0].locator("xpath=ancestor::*[contains(@class,'jp-Cell-outputWrapper')]").first
        before = without_sliders(cell)
        handle = free[0].locator(".noUi-handle").first
        handle.focus()
        self.page.keyboard.press("Home" if handle.get_attribute("aria-valuenow") ==
                                 handle.get_attribute("aria-valuemax") else "ArrowRight")
        if not wait_until(lambda: without_sliders(cell) != before, seconds):
            self.fail(f"moving a slider changed nothing in its cell's output in {seconds} s; "
                      f"the output still reads:\n{cell.inner_text()[:500]}")
        return True

    def screenshot(self, path, whole):
        """The notebook's first screenful; or, if whole, all of it from the top (the window
        grows to fit, which costs Chromium a second or two of CPU)."""
        if not whole:
            self.page.screenshot(path=str(path))
            return
        hidden = self.page.evaluate("""() => {
          const scroller = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
          if (!scroller) return 0;
          scroller.scrollTop = 0;
          return scroller.scrollHeight - scroller.clientHeight;
        }""")
        self.page.set_viewport_size({"width": VIEWPORT["width"],
                                     "height": min(VIEWPORT["height"] + hidden, 16000)})
        try:
            self.page.screenshot(path=str(path))
        finally:
            self.page.set_viewport_size(VIEWPORT)


def has_content(locator):
    """Some text or an image: what an experiment's output shows once it has run."""
    return locator.evaluate("el => Boolean(el.innerText.trim() || el.querySelector('img'))")


def without_sliders(locator):
    """An output's HTML without its sliders, which change with any move: what is left
    changes only if the move reached the kernel and came back (text, a new plot)."""
    return locator.evaluate("""el => {
      const copy = el.cloneNode(true);
      copy.querySelectorAll('.widget-slider').forEach(slider => slider.remove());
      return copy.innerHTML;
    }""")
