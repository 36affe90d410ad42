"""The server for tests/test_browser.py: `Lab`, a JupyterLab on 127.0.0.1 with its own
token, port and folders, stopped with its kernels however the test ends.

nbval runs notebooks without a front end; this, with support.chromium and
support.page, runs them the way a learner does.
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

from support.fakes import free_port
from support.processes import descendants, signal_each, wait_until_gone
from support.signals import signals_deferred

# Loopback needs no proxy, and an http_proxy setting must not send Lab's API calls away.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


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
                   "--ServerApp.terminals_enabled=False",
                   # window.jupyterapp: support.page opens the next notebook in the loaded Lab.
                   "--LabApp.expose_app_in_browser=True"]
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
