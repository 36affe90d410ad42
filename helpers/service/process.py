"""Start, share and stop the downstream service from a notebook or a test.

    with Service(delay=1.0) as service:      # a private one, stopped at the end
        urllib.request.urlopen(service.url)

    service = shared_service()               # one per kernel, reused by re-runs

The service is a child process (see helpers.service.server). Its port is picked by
the OS, so a re-run never meets "address already in use"; it exits by itself
when this process goes away.
"""
import atexit
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
from dataclasses import dataclass

from ..errors import InvalidParameter, ServiceError
from ..validate import delay_seconds
from ..wire import BODY, HOST, RESOURCE_PATH, direct_opener

DELAY_VARIABLE = "COURSE_DELAY"
START_TIMEOUT = 15.0
SERVICE_MODULE = "helpers.service.server"  # what the child process runs


def default_delay():
    """The service's delay: $COURSE_DELAY seconds if set (the tests' fast mode), else 1 s."""
    value = os.environ.get(DELAY_VARIABLE)
    if value is None or value.strip() == "":
        return 1.0
    return lesson_delay(value, name=f"the environment variable {DELAY_VARIABLE}")


def lesson_delay(delay, *, name="delay"):
    """A delay the notebooks can count time in: a delay the service serves, and not 0."""
    delay = delay_seconds(delay, name=name)
    if delay == 0:
        raise InvalidParameter(
            f"{name} must be more than 0 seconds: the notebooks measure time in delays "
            "(N requests in about one delay, or N delays). Try 0.25 for a fast run.")
    return delay


def _child_environment():
    """Our environment, with this package importable even if it is not installed."""
    env = dict(os.environ)
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    root = os.path.dirname(package)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    return env


def _exit_status(code):
    """'exit code 1', or 'killed by SIGKILL' for a process that a signal ended."""
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            pass
    return f"exit code {code}"


@dataclass(frozen=True)
class Record:
    """One answered request, as the service saw it (times in seconds since the epoch)."""
    arrived: float
    answered: float
    delay: float
    client_port: int


@dataclass(frozen=True)
class Stats:
    delay: float
    most_at_once: int
    in_flight: int
    records: list


class Service:
    """The downstream service in a child process; a context manager."""

    def __init__(self, delay=None):
        self.delay = default_delay() if delay is None else delay_seconds(delay)
        self.port = None
        self._process = None
        self._stderr = None

    # -- life cycle ------------------------------------------------------------
    def start(self):
        if self.running:
            return self
        self._stderr = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [sys.executable, "-m", SERVICE_MODULE,
             "--delay", repr(self.delay), "--parent-pid", str(os.getpid())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
            # Its own session: a kernel interrupt (SIGINT to the group) must not reach it.
            start_new_session=True,
            env=_child_environment(),
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            line = self._read_first_line(deadline)
            try:
                self.port = json.loads(line)["port"]
            except (ValueError, KeyError, TypeError):
                self._fail(f"it printed {line!r} instead of its port")
            self._wait_until_answering(deadline)
        except BaseException:
            self.stop()  # also on Ctrl-C: never leave a half-started child behind
            raise
        return self

    def _read_first_line(self, deadline):
        with selectors.DefaultSelector() as sel:
            sel.register(self._process.stdout, selectors.EVENT_READ)
            if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
                self._fail(f"it did not report its port within {START_TIMEOUT:g} s")
        line = self._process.stdout.readline()
        if not line:
            self._fail("it exited before it was ready")
        return line

    def _wait_until_answering(self, deadline):
        while True:
            try:
                self.stats()
                return
            except ServiceError:
                if time.monotonic() > deadline or self._process.poll() is not None:
                    self._fail("it never answered on its port")
                time.sleep(0.05)

    def _fail(self, what):
        code = self._process.poll()
        cause = self._stderr_text()
        self.stop()
        raise ServiceError(
            f"The downstream service failed to start: {what}"
            + (f" (exit code {code})" if code is not None else "")
            + (f".\nIts error output:\n{cause}" if cause else ".")
        )

    def _stderr_text(self):
        if self._stderr is None or self._stderr.closed:
            return ""
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace").strip()[-2000:]

    def stop(self):
        """Stop the process and release everything; safe to call twice."""
        process, self._process = self._process, None
        if process is not None:
            process.stdin.close()  # the service exits when its stdin closes
            try:
                process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    @property
    def running(self):
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self):
        return self._process.pid if self._process is not None else None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def __repr__(self):
        state = f"running on {self.address}" if self.running else "stopped"
        return f"<Service {state}, delay {self.delay:g} s>"

    # -- addresses ---------------------------------------------------------------
    def _require_running(self):
        if self._process is None:
            raise ServiceError(
                "This service is stopped. Start it with service.start(), or use "
                "helpers.shared_service() for one that restarts by itself.")
        if self._process.poll() is not None:
            raise ServiceError(
                f"The downstream service (pid {self._process.pid}) has exited "
                f"({_exit_status(self._process.returncode)}). Start it again with "
                "service.stop(); service.start(), or use helpers.shared_service().")

    @property
    def host(self):
        return HOST

    @property
    def address(self):
        """(host, port), for sockets and http.client."""
        self._require_running()
        return (HOST, self.port)

    @property
    def url(self):
        """The resource's URL, served after the service's own delay."""
        self._require_running()
        return f"http://{HOST}:{self.port}{RESOURCE_PATH}"

    def url_with_delay(self, delay):
        """The resource's URL, served after `delay` seconds instead."""
        return f"{self.url}?delay={delay_seconds(delay)!r}"

    @property
    def path(self):
        """The path part of url: what a hand-written HTTP request asks for."""
        return RESOURCE_PATH

    expected_body = BODY

    # -- records ------------------------------------------------------------------
    def _get(self, path):
        self._require_running()
        try:
            with direct_opener.open(f"http://{HOST}:{self.port}{path}", timeout=10) as reply:
                return reply.read()
        except (urllib.error.URLError, OSError) as error:
            raise ServiceError(
                f"The downstream service at {HOST}:{self.port} did not answer {path} "
                f"({error}). Restart it: service.stop(); service.start().") from None

    def stats(self):
        """What the service recorded since it started or was last reset."""
        data = json.loads(self._get("/stats"))
        data["records"] = [Record(*r) for r in data["records"]]
        return Stats(**data)

    def reset(self):
        """Forget the records, so the next experiment's stats are its own."""
        self._get("/reset")


_shared = None


def shared_service(delay=None):
    """The kernel's one service, started on first use and reused by every re-run.

    A dead or stopped one is replaced. Asking for another delay restarts it; asking
    for none keeps whatever delay it runs with (or starts with default_delay()).
    """
    global _shared
    wanted = None if delay is None else lesson_delay(delay)
    if _shared is not None and (not _shared.running or wanted not in (None, _shared.delay)):
        _shared.stop()
        _shared = None
    if _shared is None:
        _shared = Service(delay=wanted).start()
    return _shared


def running_shared_service():
    """The kernel's shared service if it is running, else None (never starts one)."""
    return _shared if _shared is not None and _shared.running else None


@atexit.register
def _stop_shared():
    if _shared is not None:
        _shared.stop()
