"""Counting what a process holds, to prove that nothing leaked; and ways to break things."""
import contextlib
import faulthandler
import os
import signal
import socket
import threading
import time

import pytest


def open_descriptors():
    """Open file descriptors of this process (Linux /proc, or /dev/fd on macOS)."""
    for folder in ("/proc/self/fd", "/dev/fd"):
        if os.path.isdir(folder):
            return len(os.listdir(folder))
    raise RuntimeError("cannot count open descriptors on this system")


def snapshot():
    return {"descriptors": open_descriptors(), "threads": threading.active_count()}


def settled(before, timeout=5.0):
    """Wait until the counts are back to `before` (threads take a moment to end)."""
    deadline = time.monotonic() + timeout
    while True:
        now = snapshot()
        if all(now[k] <= before[k] for k in before) or time.monotonic() > deadline:
            return now
        time.sleep(0.05)


def process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return True


# -- hard time bounds -----------------------------------------------------------------
class TimeLimitExceeded(BaseException):
    """A test ran past its hard time bound (a BaseException, so no `except Exception` eats it)."""


@contextlib.contextmanager
def time_limit(seconds):
    """Fail what runs inside after `seconds`: a hang becomes a failure, never a stuck run.

    SIGALRM interrupts blocking calls in the main thread; if even that cannot run (stuck
    in C), faulthandler dumps every thread's stack and ends the process a bit later.
    Main thread only, and not nested (there is one alarm clock per process).
    """
    def on_alarm(signum, frame):
        raise TimeLimitExceeded(f"still running after the hard limit of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    faulthandler.dump_traceback_later(seconds + 30, exit=True)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        faulthandler.cancel_dump_traceback_later()


# -- what a process holds, in detail (also run inside notebook kernels) ----------------
def process_counts():
    """Descriptors by kind, threads and child processes of this process, as plain data.

    Self-contained (imports inside), so its source can be sent to a Jupyter kernel and
    run there: tests/test_reruns.py does that.
    """
    import os
    import stat
    import subprocess
    import threading

    def describe(fd):
        mode = os.fstat(fd).st_mode
        kind = ("socket" if stat.S_ISSOCK(mode) else "pipe" if stat.S_ISFIFO(mode)
                else "file" if stat.S_ISREG(mode) else "other")
        try:
            path = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            path = ""
        return kind, path

    folder = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"
    descriptors = {}
    for name in os.listdir(folder):
        try:
            descriptors[int(name)] = describe(int(name))
        except OSError:
            pass  # the descriptor listdir() itself used, closed by now

    pid, children = os.getpid(), []
    if os.path.isdir("/proc/self"):
        for entry in os.listdir("/proc"):
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == pid:
                children.append([int(entry), fields[0]])
    else:  # macOS: ask ps (a child itself while it runs, so leave it out)
        ps = subprocess.Popen(["ps", "-A", "-o", "pid=,ppid=,stat="],
                              stdout=subprocess.PIPE, text=True)
        listing = ps.communicate()[0]
        for line in listing.splitlines():
            child, parent, state = line.split()[:3]
            if int(parent) == pid and int(child) != ps.pid:
                children.append([int(child), state[0]])

    return {"descriptors": descriptors,
            "threads": sorted(f"{t.name} ({type(t).__module__}.{type(t).__qualname__})"
                              for t in threading.enumerate()),
            "children": sorted(children)}


def pending_tasks(package="helpers"):
    """Unfinished asyncio tasks, and suspended generators or coroutines from `package`.

    A task left suspended holds whatever it was waiting on (usually a socket).
    Generator expressions are left out: they hold no resources of their own.
    """
    import asyncio
    import gc
    import inspect

    folder = os.sep + package + os.sep
    found = []
    for obj in gc.get_objects():
        if isinstance(obj, asyncio.Task) and not obj.done():
            found.append(obj)
        elif inspect.isgenerator(obj) or inspect.iscoroutine(obj):
            code = obj.gi_code if inspect.isgenerator(obj) else obj.cr_code
            frame = obj.gi_frame if inspect.isgenerator(obj) else obj.cr_frame
            if frame is not None and folder in code.co_filename and code.co_name != "<genexpr>":
                found.append(obj)
    return found


# -- CI ---------------------------------------------------------------------------------
def running_in_ci():
    """CI services set CI=true (GitHub, GitLab) or CI=1; `.ci/run` sets it too."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def skip_or_fail(reason):
    """Skip on a learner's machine that lacks a tool; under CI a missing check is a failure."""
    if running_in_ci():
        pytest.fail(f"{reason} (under CI this check must run, not skip)")
    pytest.skip(reason)


# -- stand-ins for the service ----------------------------------------------------------
def free_port():
    """A loopback port that nothing listens on (connecting to it is refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeService:
    """What measure() and the strategies use of a helpers.Service, pointed at any address."""
    path = "/get_resource"
    running = True

    def __init__(self, address, delay=1.0):
        self.address = address
        self.delay = delay

    @property
    def url(self):
        host, port = self.address
        return f"http://{host}:{port}{self.path}"

    def reset(self):
        pass

    def stats(self):
        from helpers.service import Stats
        return Stats(delay=self.delay, most_at_once=0, in_flight=0, records=[])


class MisbehavingServer:
    """A loopback server that reads each request, then sends `reply` (bytes) and hangs up.

        with MisbehavingServer(b"HTTP/1.1 500 Oops\\r\\n...") as server:
            helpers.measure(serial, 3, FakeService(server.address))
    """

    def __init__(self, reply):
        self.reply = reply
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self._listener.settimeout(0.05)
        self.address = self._listener.getsockname()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="misbehaving-server")

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except socket.timeout:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    request = b""
                    while b"\r\n\r\n" not in request:
                        chunk = conn.recv(4096)
                        if not chunk:
                            break
                        request += chunk
                    conn.sendall(self.reply)
                except OSError:
                    pass

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join(timeout=5)
        self._listener.close()


@contextlib.contextmanager
def silent_listener(backlog=1):
    """A socket that listens with a tiny backlog and never accepts: yields its address."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(backlog)
        yield listener.getsockname()


def shorten_client_timeouts(monkeypatch, seconds):
    """Make every helpers client give up after `seconds` instead of DEFAULT_TIMEOUT (30 s).

    Functions bind their default timeout when they are defined, so patch every default
    named `timeout` that equals DEFAULT_TIMEOUT, in every helpers module loaded: new
    strategies that follow the same pattern are covered too.
    """
    import inspect
    import sys

    from helpers import wire

    original = wire.DEFAULT_TIMEOUT
    monkeypatch.setattr(wire, "DEFAULT_TIMEOUT", seconds)
    modules = [m for name, m in list(sys.modules.items())
               if m is not None and (name == "helpers" or name.startswith("helpers."))]
    for module in modules:
        for function in list(vars(module).values()):
            if not inspect.isfunction(function) or function.__module__ != module.__name__:
                continue
            parameters = inspect.signature(function).parameters
            timeout = parameters.get("timeout")
            if timeout is None or timeout.default != original:
                continue
            if timeout.kind == timeout.KEYWORD_ONLY:
                monkeypatch.setitem(function.__kwdefaults__, "timeout", seconds)
            else:
                names = [p.name for p in parameters.values()
                         if p.default is not p.empty and p.kind != p.KEYWORD_ONLY]
                defaults = tuple(seconds if name == "timeout" else value
                                 for name, value in zip(names, function.__defaults__))
                monkeypatch.setattr(function, "__defaults__", defaults)


# -- who listens where ----------------------------------------------------------------
def listening_addresses(port):
    """The local addresses with a TCP socket listening on `port`, from /proc/net/tcp{,6}.

    Linux only (no psutil needed): returns None where /proc/net/tcp does not exist.
    """
    import ipaddress

    if not os.path.exists("/proc/net/tcp"):
        return None
    found = set()
    for table, size in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        if not os.path.exists(table):
            continue
        with open(table) as f:
            next(f)  # the header
            for line in f:
                local, _remote, state = line.split()[1:4]
                host, port_hex = local.split(":")
                if state != "0A" or int(port_hex, 16) != port:  # 0A: LISTEN
                    continue
                raw = bytes.fromhex(host)  # the kernel prints each 32-bit word little-endian
                raw = b"".join(raw[i:i + 4][::-1] for i in range(0, size, 4))
                found.add(str(ipaddress.ip_address(raw)))
    return found
