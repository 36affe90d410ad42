"""JupyterLab in a real browser, for tests/test_browser.py.

nbval runs notebooks without a front end, so it cannot see a widget that fails to
render, a button that does nothing or a plot that never shows. This module starts an
isolated JupyterLab, drives it with Playwright and the system's Chromium, and reads
the page the way a learner sees it.

Three parts:
- the browser: find Chromium, install Debian's package when we may, launch it;
- the server: `Lab`, a JupyterLab on 127.0.0.1 with its own token, port and folders,
  stopped with its kernels however the test ends;
- the page: `NotebookPage`, one notebook opened, run and inspected.
"""
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from support.leaks import free_port

# Loopback needs no proxy, and an http_proxy setting must not send Lab's API calls away.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# Override for machines without Debian's package (macOS, snap-only Ubuntu).
CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
# Headless, as root, offline, with nothing phoning home.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
STDERR = "application/vnd.jupyter.stderr"


# --- the browser ---------------------------------------------------------------------

def browser_problem():
    """Why this machine cannot run the browser test, or None when it can.

    Installs Debian's chromium package first when it is missing and we may
    (root on Debian): CI machines start fresh. Never `playwright install`: it
    downloads its own browser, which is neither needed nor reachable everywhere.
    """
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return ("the Python package 'playwright' is missing; "
                "`python3 course.py test` installs it (the [test] extra of pyproject.toml)")
    if not CHROMIUM.exists() and may_install_with_apt():
        failure = install_chromium_with_apt()
        if failure:
            return f"installing Debian's chromium failed: {failure}"
    if not CHROMIUM.exists():
        return (f"no Chromium at {CHROMIUM}. Install it (Debian/Ubuntu: "
                "`sudo apt-get install chromium`) or point COURSE_CHROMIUM at a "
                "Chromium or Chrome executable")
    return None


def may_install_with_apt():
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    return (CHROMIUM == Path("/usr/bin/chromium") and is_root
            and Path("/etc/debian_version").exists() and shutil.which("apt-get") is not None)


def install_chromium_with_apt():
    """apt-get update && apt-get install -y chromium; the error text, or None on success."""
    print("\nInstalling Debian's chromium for the browser test (about 30 s, once) ...",
          flush=True)
    environment = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        try:
            done = subprocess.run(command, env=environment, capture_output=True, text=True,
                                  timeout=900)
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"{' '.join(command)}: {error}"
        if done.returncode != 0:
            return f"{' '.join(command)} exited {done.returncode}: {done.stderr.strip()[-800:]}"
    return None


@contextlib.contextmanager
def chromium(playwright, scratch):
    """A headless Chromium with a fresh profile and a home folder inside `scratch`."""
    home = Path(scratch, "browser-home")
    home.mkdir(parents=True, exist_ok=True)
    environment = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                       XDG_CACHE_HOME=str(home / ".cache"))
    context = playwright.chromium.launch_persistent_context(
        str(Path(scratch, "browser-profile")), executable_path=str(CHROMIUM), headless=True,
        args=CHROMIUM_FLAGS, env=environment, viewport=VIEWPORT)
    try:
        yield context
    finally:
        with contextlib.suppress(Exception):
            context.close()


# --- stopping cleanly ----------------------------------------------------------------

@contextlib.contextmanager
def sigterm_stops_the_run():
    """Turn SIGTERM into pytest's orderly exit while inside, so teardowns still run.

    CI stops a job that runs too long with SIGTERM. Python's default for it is to die
    at once, skipping every `finally:`, and JupyterLab (in its own session) would
    live on. A second SIGTERM during the teardown is ignored, not allowed to cut it.
    """
    import pytest

    if sys.platform == "win32":
        yield
        return

    def stop(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        pytest.exit("stopped by SIGTERM: shutting JupyterLab down", returncode=128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def signals_deferred():
    """Hold SIGTERM and SIGINT back while inside: a second stop request must not cut a
    cleanup short. They are delivered (and acted on) on leaving."""
    held = {signal.SIGTERM, signal.SIGINT}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def descendants(pid):
    """PIDs of every process below `pid` (Linux /proc; elsewhere an empty list)."""
    children = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            after_name = entry.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(after_name[1]), []).append(int(entry.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def signal_each(pids, signum):
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signum)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError, IndexError):  # a zombie counts as gone
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def wait_until_gone(pids, seconds):
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [pid for pid in pids if alive(pid)]


# --- the server ----------------------------------------------------------------------

def write_lab_settings(settings_dir):
    """User settings that keep the page quiet and every cell in the page.

    No news or update toast over the notebook; no windowing, so cells far below the
    fold exist in the page (and in the screenshot) instead of being rendered lazily.
    """
    settings = {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
            {"fetchNews": "false", "checkForUpdates": False},
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings":
            {"windowingMode": "none"},
    }
    for name, values in settings.items():
        path = Path(settings_dir, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def isolated_environment(scratch):
    """os.environ (so COURSE_DELAY reaches the kernels) with every Jupyter, IPython and
    matplotlib folder moved into `scratch`, so nothing lands in the home folder.

    The kernelspec and the widgets extension still come from sys.prefix/share/jupyter,
    which Jupyter searches after JUPYTER_DATA_DIR.
    """
    folders = {
        "JUPYTER_CONFIG_DIR": "config", "JUPYTER_DATA_DIR": "data",
        "JUPYTER_RUNTIME_DIR": "runtime", "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces", "IPYTHONDIR": "ipython",
        "MPLCONFIGDIR": "matplotlib",
    }
    environment = dict(os.environ)
    for variable, folder in folders.items():
        environment[variable] = str(Path(scratch, folder))
        Path(scratch, folder).mkdir(parents=True, exist_ok=True)
    environment.pop("JUPYTER_TOKEN", None)
    environment["PYTHONUNBUFFERED"] = "1"
    return environment


class Lab:
    """A JupyterLab serving `root_dir` on 127.0.0.1, a random free port and a random
    token, with its folders in `scratch`. Use as a context manager: leaving stops it
    and its kernels, also on errors, timeouts and (with sigterm_stops_the_run) SIGTERM.
    """

    STARTUP_SECONDS = 90
    GRACE_SECONDS = 10

    def __init__(self, root_dir, scratch):
        self.root_dir = Path(root_dir)
        self.scratch = Path(scratch)
        self.token = secrets.token_hex(24)
        self.port = None
        self.process = None
        self.log_path = self.scratch / "jupyterlab.log"

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def url(self, path):
        return f"{self.base_url}{path}?token={self.token}"

    def command(self):
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
                   f"--port={self.port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={self.root_dir}",
                   "--ServerApp.terminals_enabled=False"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        return command

    def start(self, attempts=3):
        """Start Lab and wait for /api/status; retry when another process took the port."""
        environment = isolated_environment(self.scratch)
        write_lab_settings(environment["JUPYTERLAB_SETTINGS_DIR"])
        for _ in range(attempts):
            self.port = free_port()
            with open(self.log_path, "ab") as log:
                # Its own session: a Ctrl-C meant for pytest doesn't hit Lab half-way, and
                # stop() can signal Lab with everything it started as one group.
                self.process = subprocess.Popen(
                    self.command(), env=environment, cwd=self.scratch, stdin=subprocess.DEVNULL,
                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            if self.wait_until_ready():
                return
            if "is not available" not in self.log_tail():
                break
        self.stop()
        raise RuntimeError(f"JupyterLab did not start in {self.STARTUP_SECONDS} s; its log "
                           f"ends with:\n{self.log_tail()}")

    def wait_until_ready(self):
        deadline = time.monotonic() + self.STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            with contextlib.suppress(OSError, ValueError):
                self.api("GET", "/api/status", timeout=2)
                return True
            time.sleep(0.2)
        return False

    def log_tail(self, characters=3000):
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace")[-characters:]
        return ""

    def api(self, method, path, timeout=10):
        """Call the REST API with the token in a header; the decoded JSON answer."""
        request = urllib.request.Request(self.base_url + path, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with DIRECT.open(request, timeout=timeout) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self):
        """Stop every kernel (and with it the notebook's service), politely, via the API."""
        with contextlib.suppress(OSError, ValueError):
            for kernel in self.api("GET", "/api/kernels"):
                with contextlib.suppress(OSError, ValueError):
                    self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=30)

    def stop(self):
        """Stop kernels, then Lab's process group: SIGTERM, a grace period, SIGKILL.

        Kernels run in sessions of their own, out of reach of the group signal, so
        their PIDs are noted first and any that outlive Lab are stopped the same way.
        """
        if self.process is None or self.process.poll() is not None:
            return
        with signals_deferred():
            self._stop()

    def _stop(self):
        self.shut_down_kernels()
        below = descendants(self.process.pid)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(self.GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        leftovers = wait_until_gone(below, 2)
        signal_each(leftovers, signal.SIGTERM)
        signal_each(wait_until_gone(leftovers, self.GRACE_SECONDS), signal.SIGKILL)


def copy_notebooks(notebooks_dir, scratch):
    """A throw-away copy of notebooks/ (solutions/ too): running it writes outputs there,
    never into the committed notebooks."""
    target = Path(scratch, "notebooks")
    shutil.copytree(notebooks_dir, target,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return target


@contextlib.contextmanager
def scratch_folder():
    folder = tempfile.mkdtemp(prefix="course-browser-")
    try:
        yield Path(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- the page ------------------------------------------------------------------------

# One look at every cell of the notebook, taken inside the page. Cells are counted in
# page order, which is the file's order (windowing is off, so every cell is there).
CELLS_JS = """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell')).map(cell => {
  const outputs = Array.from(cell.querySelectorAll('.jp-OutputArea-output'));
  // The cell's own outputs, not those nested inside an Output widget.
  const own = outputs.filter(o => !o.parentElement.closest('.jp-OutputArea-output'));
  const images = Array.from(cell.querySelectorAll('.jp-OutputArea-output img'));
  return {
    code: cell.classList.contains('jp-CodeCell'),
    prompt: (cell.querySelector('.jp-InputArea-prompt') || {}).innerText || '',
    source: (cell.querySelector('.jp-InputArea-editor') || {}).innerText || '',
    text: (cell.querySelector('.jp-Cell-outputWrapper') || {}).innerText || '',
    stderr: outputs.filter(o => o.dataset.mimeType === '%(stderr)s').map(o => o.innerText),
    widgetViews: own.filter(o => o.querySelector(':scope > .jupyter-widgets')
                                 && !o.innerText.includes('Error displaying widget')).length,
    images: images.filter(img => img.complete && img.naturalWidth > 0).length,
    brokenImages: images.filter(img => img.complete && img.naturalWidth === 0).length,
  };
})""" % {"stderr": STDERR}

# For each cell, the images that are (nearly) empty: under 1% of their pixels drawn in
# anything darker than light grey. Course plots draw 3% or more (axes, labels, legend,
# lines); a sparse one-line plot about 2%. Data-URI images can be read back freely.
BLANK_IMAGES_JS = """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell')).map(cell =>
  Array.from(cell.querySelectorAll('.jp-OutputArea-output img'))
    .filter(img => img.complete && img.naturalWidth > 0)
    .filter(img => {
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const context = canvas.getContext('2d');
      context.drawImage(img, 0, 0);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let drawn = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        if (pixels[i + 3] > 32 && Math.min(pixels[i], pixels[i + 1], pixels[i + 2]) < 200) drawn++;
      }
      return drawn < 0.01 * canvas.width * canvas.height;
    })
    .map(img => img.closest('.widget-output') ? 'in a widget' : 'in the cell'))"""

KERNEL_JS = """() => ({
  name: (document.querySelector('.jp-NotebookPanel .jp-KernelName') || {}).innerText || '',
  status: ((document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator')
            || {}).dataset || {}).status || '',
  dialog: (document.querySelector('.jp-Dialog') || {}).innerText || '',
})"""

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


def first_line(source):
    lines = [line for line in source.splitlines() if line.strip()]
    return lines[0].strip()[:80] if lines else "(empty)"


def where(index, cell):
    """'cell 8 ("first line of its source")': how a failure names its cell."""
    return f"cell {index} ({first_line(cell['source'])!r})"


def wait_until(condition, seconds, interval=0.25):
    """Poll condition() until it returns something true or `seconds` pass; return its last value."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


class NotebookFailure(AssertionError):
    """What a learner would see go wrong, said with the notebook and the cell."""


class NotebookPage:
    """One notebook, open in its own browser tab and JupyterLab workspace."""

    def __init__(self, context, lab, path):
        self.lab = lab
        self.path = Path(path)
        self.relative = self.path.relative_to(lab.root_dir).as_posix()
        self.name = self.path.name
        self.page = context.new_page()
        self.page.set_default_timeout(60_000)

    def fail(self, message):
        raise NotebookFailure(f"{self.name}: {message}")

    def close(self):
        with contextlib.suppress(Exception):
            self.page.close()

    # opening and running

    def open(self):
        """Open in a workspace of its own (?reset): no other notebook comes along."""
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
                      + ")")

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
        def finished():
            cells = self.cells()
            busy = any(c["code"] and "*" in c["prompt"] for c in cells)
            return not busy and self.kernel_state()["status"] == "idle" and cells

        cells = wait_until(finished, seconds, interval=0.5)
        if not cells:
            cells = self.cells()
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

    def screenshot(self, path):
        """The whole notebook from the top, not just one screenful: the window grows to fit."""
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


def expected_views_and_images(cell):
    """(widget views, images) the kernel sent to this cell, as stored in the file."""
    views = images = 0
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        views += WIDGET_VIEW in data
        images += any(kind.startswith("image/") for kind in data)
    return views, images


def uses_matplotlib(notebook):
    source = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    return any(word in source for word in ("matplotlib", "helpers.views"))


def shows_widgets(notebook):
    return any(expected_views_and_images(cell)[0] for cell in notebook["cells"])
