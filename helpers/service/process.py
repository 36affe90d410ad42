"""Start, share and stop the downstream service from a notebook or a test.

    with Service(delay=1.0) as service:      # a private one, stopped at the end
        urllib.request.urlopen(service.url)

    service = shared_service()               # one per kernel, reused by re-runs
    with Service(loop="asyncio") as service: # the stdlib's loop instead of uvloop

The service is a child process (see helpers.service.server). Its port is picked by
the OS, so a re-run never meets "address already in use"; it exits by itself
when this process goes away. It runs on uvloop where uvloop is installed (faster at
10,000 requests at once), else on asyncio's own loop; $COURSE_SERVICE_LOOP or
Service(loop=...) chooses. Its records are behind a secret that only this process
knows (a random token written to the child's stdin), so other users of a shared host
can neither read nor reset them.
"""
import atexit
import json
import os
import secrets
import selectors
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from ..errors import ServiceError
from ..validate import delay_seconds
from ..wire import BODY, HOST, RESOURCE_PATH, direct_opener
from .records import Record, Share, Stats
from .server import SECRET_HEADER
from .settings import child_environment, default_delay, lesson_delay, service_loop

START_TIMEOUT = 15.0
SERVICE_MODULE = "helpers.service.server"  # what the child process runs


def _exit_status(code):
    """'exit code 1', or 'killed by SIGKILL' for a process that a signal ended."""
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            pass
    return f"exit code {code}"


class Service:
    """The downstream service in a child process; a context manager."""

    def __init__(self, delay=None, loop=None):
        self.delay = default_delay() if delay is None else delay_seconds(delay)
        self.loop = service_loop(loop)
        self.loop_version = None  # as the running service reports it: 'uvloop 0.23.0'
        self.port = None
        self._process = None
        self._stderr = None
        self._secret = None

    # -- life cycle ------------------------------------------------------------
    def start(self):
        if self.running:
            return self
        self._stderr = tempfile.TemporaryFile()
        self._secret = secrets.token_urlsafe(32)
        self._process = subprocess.Popen(
            [sys.executable, "-m", SERVICE_MODULE, "--delay", repr(self.delay),
             "--loop", self.loop, "--parent-pid", str(os.getpid())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
            # Its own session: a kernel interrupt (SIGINT to the group) must not reach it.
            start_new_session=True,
            env=child_environment(),
        )
        try:
            self._send_secret()
            deadline = time.monotonic() + START_TIMEOUT
            line = self._read_first_line(deadline)
            try:
                first = json.loads(line)
                self.port, self.loop_version = first["port"], first.get("loop", self.loop)
            except (ValueError, KeyError, TypeError):
                self._fail(f"it printed {line!r} instead of its port")
            self._wait_until_answering(deadline)
        except BaseException:
            self.stop()  # also on Ctrl-C: never leave a half-started child behind
            raise
        return self

    def _send_secret(self):
        """The secret goes down the stdin pipe, where no other user can read it (an
        argument or an environment variable would show in `ps` or /proc)."""
        try:
            self._process.stdin.write(self._secret.encode() + b"\n")
            self._process.stdin.flush()
        except BrokenPipeError:
            pass  # it died already: _read_first_line says so, with its error output

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
        if self.running:
            return (f"<Service running on {self.address}, delay {self.delay:g} s, "
                    f"on {self.loop_version}>")
        return f"<Service stopped, delay {self.delay:g} s, on {self.loop}>"

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
        request = urllib.request.Request(f"http://{HOST}:{self.port}{path}",
                                         headers={SECRET_HEADER: self._secret})
        try:
            with direct_opener.open(request, timeout=10) as reply:
                return reply.read()
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors="replace").strip()
            raise ServiceError(f"The service at {HOST}:{self.port} refused {path}: "
                               f"HTTP {error.code}: {text}") from None
        except (urllib.error.URLError, OSError) as error:
            raise ServiceError(
                f"The downstream service at {HOST}:{self.port} did not answer {path} "
                f"({error}). Restart it: service.stop(); service.start().") from None

    def stats(self, records=True):
        """What the service recorded since it started or was last reset.

        records=False leaves the per-request records out (Stats.records is None): at
        10,000 requests they are most of a megabyte of JSON, and a benchmark needs only
        the summary in Stats.share.
        """
        data = json.loads(self._get("/stats" if records else "/stats?records=0"))
        if data["records"] is not None:
            data["records"] = [Record(*r) for r in data["records"]]
        data["share"] = Share(**data["share"])
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
