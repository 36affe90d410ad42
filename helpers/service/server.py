"""The downstream service: a slow HTTP API that the course's clients call.

Runs in its own process (`python -m helpers.service.server`), started by
helpers.service.Service, so that its work never competes for the GIL with the
client code being measured. Standard library only; uvloop if asked for.

    GET /get_resource[?delay=S]  200 "resource" after S seconds (default: --delay)
    GET /stats[?records=0]       JSON: the records, the most held at once, the loop it
                                 runs and its own share (helpers.service.share)
    GET /reset                   forget the records (between experiments)

/stats and /reset need the header `X-Course-Secret: <secret>`: on a shared host any
user can reach 127.0.0.1, and must not read or reset another's measurements. The
secret is the first line the parent writes to this process's stdin (never an argument:
`ps` shows those to every user). A header rather than `?secret=`: URLs end up in error
messages, tracebacks and logs. /get_resource stays plain, so hand-written requests work.

It binds to 127.0.0.1 on a port the OS picks, prints {"port": ...} as its first
line of output, and exits when its parent goes away (stdin closes or the parent
PID changes), so a dead kernel never leaves it behind.
"""
import argparse
import asyncio
import hmac
import json
import os
import signal
import sys
import threading
import time
from urllib.parse import parse_qs, urlsplit

from ..errors import InvalidParameter
from ..limits import raise_open_file_limit
from ..validate import delay_seconds
from ..wire import BODY, HOST, RESOURCE_PATH
from .share import cpu_seconds, retransmitted_segments, share

# Room for 10,000 simultaneous connections; Linux caps it at net.core.somaxconn.
BACKLOG = 10_000
MAX_HEADER_BYTES = 16_384
SECRET_HEADER = "X-Course-Secret"
TEXT = b"text/plain; charset=utf-8"
PRIVATE = ("/stats", "/reset")


class Downstream:
    """The state of one running service: its delay, secret, loop and records."""

    def __init__(self, delay, secret, loop_name):
        self.delay = delay
        self.secret = secret.encode()
        self.loop_name = loop_name
        self.records = []  # [arrived, answered, delay, client port] per request
        self.in_flight = 0
        self.most_at_once = 0
        self.retransmissions_at_reset = retransmitted_segments()
        self.cpu_at_reset = cpu_seconds()
        # Bumped by /reset: requests left over from an earlier, aborted experiment
        # still finish, but no longer count in this one's records.
        self.generation = 0

    def route(self, method, target, head):
        """Answer now as (status, body, content type), or None for a delayed resource."""
        url = urlsplit(target)
        if method != "GET":
            return 405, b"only GET is served\n", TEXT
        if url.path in PRIVATE:
            refused = self.refuse(url.path, head)
            if refused is not None:
                return 403, refused, TEXT
        if url.path == "/stats":
            with_records = parse_qs(url.query).get("records", ["1"])[0] != "0"
            stats = {"delay": self.delay, "loop": self.loop_name,
                     "most_at_once": self.most_at_once, "in_flight": self.in_flight,
                     "records": self.records if with_records else None,
                     "share": share(self.records, self.retransmissions_at_reset,
                                    self.cpu_at_reset)}
            return 200, json.dumps(stats).encode(), b"application/json"
        if url.path == "/reset":
            self.generation += 1
            self.records = []
            self.in_flight = self.most_at_once = 0
            self.retransmissions_at_reset = retransmitted_segments()
            self.cpu_at_reset = cpu_seconds()
            return 200, b"reset\n", TEXT
        if url.path != RESOURCE_PATH:
            return 404, b"try /get_resource, /stats or /reset\n", TEXT
        return None

    def refuse(self, path, head):
        """Why a request for a private path is refused (bytes), or None if it may pass."""
        given = None
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == SECRET_HEADER.lower().encode():
                given = value.strip()
        if given is None:
            return (f"403 Forbidden: {path} needs this service's secret in the "
                    f"{SECRET_HEADER} header. Only the process that started the service "
                    "knows it: call service.stats() or service.reset() there.\n").encode()
        if not hmac.compare_digest(given, self.secret):
            return (f"403 Forbidden: the {SECRET_HEADER} header does not hold this "
                    "service's secret (another service's, or a stale one?). Only the "
                    "process that started the service knows it.\n").encode()
        return None


def reply(status, body, ctype=TEXT):
    """The bytes of a whole `Connection: close` reply."""
    reason = {200: b"OK", 403: b"Forbidden"}.get(status, b"Error")
    return (b"HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
            b"Connection: close\r\n\r\n%s" % (status, reason, ctype, len(body), body))


RESOURCE_REPLY = reply(200, BODY)  # made once: it is most of what the service sends


class Connection(asyncio.Protocol):
    """One client connection: read a request, answer it (after the delay), close.

    A protocol with a timer, rather than a coroutine per connection, keeps the
    service's cost per request small, so it is never the bottleneck at 10,000.
    """

    def __init__(self, downstream):
        self.downstream = downstream
        self.received = b""
        self.timer = None  # the scheduled answer of a /get_resource request
        self.pending = False  # True while the timer has not fired yet
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        if self.timer is not None:
            return  # already answering; ignore anything more
        self.received += data
        head, separator, _rest = self.received.partition(b"\r\n\r\n")
        if not separator:
            if len(self.received) > MAX_HEADER_BYTES:
                self.transport.close()
            return
        try:
            method, target, _version = head.split(b"\r\n", 1)[0].decode(
                "latin-1").split(" ", 2)
        except ValueError:
            return self.answer(400, b"not an HTTP request\n")
        if target == RESOURCE_PATH:  # the usual request, at 10,000 a second: no parsing
            return self.start_resource({})
        answer = self.downstream.route(method, target, head)
        if answer is not None:
            return self.answer(*answer)
        self.start_resource(parse_qs(urlsplit(target).query))

    def start_resource(self, query):
        d = self.downstream
        try:
            delay = delay_seconds(query["delay"][0]) if "delay" in query else d.delay
        except InvalidParameter as error:
            return self.answer(400, str(error).encode())
        self.generation, self.arrived, self.delay = d.generation, time.time(), delay
        d.in_flight += 1
        d.most_at_once = max(d.most_at_once, d.in_flight)
        self.pending = True
        self.timer = asyncio.get_running_loop().call_later(delay, self.finish_resource)

    def _leave(self):
        if self.generation == self.downstream.generation:
            self.downstream.in_flight -= 1
            return True
        return False

    def finish_resource(self):
        now = time.time()
        early = self.arrived + self.delay - now
        if early > 0:
            # uvloop's timers count whole milliseconds: never answer before the delay.
            self.timer = asyncio.get_running_loop().call_later(early, self.finish_resource)
            return
        self.pending = False
        if self._leave():
            port = (self.transport.get_extra_info("peername") or (None, None))[1]
            self.downstream.records.append([self.arrived, now, self.delay, port])
        self.transport.write(RESOURCE_REPLY)
        self.transport.close()

    def answer(self, status, body, ctype=TEXT):
        self.transport.write(reply(status, body, ctype))
        self.transport.close()

    def connection_lost(self, exc):
        if self.pending:
            # The client gave up before its answer: it is no longer held.
            self.pending = False
            self.timer.cancel()
            self._leave()


def exit_when_parent_leaves(parent_pid):
    """Exit if stdin (a pipe from the parent) closes or the parent PID changes."""
    def on_stdin_closed():
        sys.stdin.buffer.read()
        os._exit(0)

    def on_parent_gone():
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=on_stdin_closed, daemon=True).start()
    threading.Thread(target=on_parent_gone, daemon=True).start()


def loop_factory(name):
    """(a function that makes the event loop, how /stats names it) for 'uvloop' or 'asyncio'."""
    if name == "uvloop":
        import uvloop  # only here: the service runs without it where it has no wheels
        return uvloop.new_event_loop, f"uvloop {uvloop.__version__}"
    return asyncio.new_event_loop, "asyncio"


async def serve(downstream):
    open_file_limit = raise_open_file_limit()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Connection(downstream), HOST, 0, backlog=BACKLOG)
    port = server.sockets[0].getsockname()[1]
    print(json.dumps({"port": port, "pid": os.getpid(), "loop": downstream.loop_name,
                      "open_file_limit": open_file_limit}), flush=True)
    async with server:
        await server.serve_forever()


def run_forever(main, new_loop):
    if hasattr(asyncio, "Runner"):  # Python 3.11 and later
        with asyncio.Runner(loop_factory=new_loop) as runner:
            return runner.run(main)
    loop = new_loop()  # Python 3.10
    asyncio.set_event_loop(loop)
    return loop.run_until_complete(main)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=1.0)
    parser.add_argument("--loop", choices=("asyncio", "uvloop"), default="asyncio")
    parser.add_argument("--parent-pid", type=int, default=os.getppid())
    args = parser.parse_args(argv)
    # A Ctrl-C or a kernel interrupt is for the client, not for the service.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    secret = sys.stdin.buffer.readline().strip().decode("ascii", errors="replace")
    if not secret:
        sys.exit("downstream service: expected its secret as the first line on stdin")
    exit_when_parent_leaves(args.parent_pid)
    try:
        delay = delay_seconds(args.delay)
    except InvalidParameter as error:
        sys.exit(f"downstream service: {error}")
    try:
        new_loop, loop_name = loop_factory(args.loop)
    except ImportError as error:
        sys.exit(f"downstream service: --loop uvloop needs uvloop installed ({error})")
    run_forever(serve(Downstream(delay, secret, loop_name)), new_loop)


if __name__ == "__main__":
    main()
