"""The downstream service: a slow HTTP API that the course's clients call.

Runs in its own process (`python -m helpers.service.server`), started by
helpers.service.Service, so that its work never competes for the GIL with the
client code being measured. Standard library only.

    GET /get_resource[?delay=S]  200 "resource" after S seconds (default: --delay)
    GET /stats                   JSON: one record per answered request, most held at once
    GET /reset                   forget the records (between experiments)

It binds to 127.0.0.1 on a port the OS picks, prints {"port": ...} as its first
line of output, and exits when its parent goes away (stdin closes or the parent
PID changes), so a dead kernel never leaves it behind.
"""
import argparse
import asyncio
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
# Room for 10,000 simultaneous connections; Linux caps it at net.core.somaxconn.
BACKLOG = 10_000
MAX_HEADER_BYTES = 16_384


class Downstream:
    """The state of one running service: its default delay and its records."""

    def __init__(self, delay):
        self.delay = delay
        self.records = []  # [arrived, answered, delay, client port] per request
        self.in_flight = 0
        self.most_at_once = 0
        # Bumped by /reset: requests left over from an earlier, aborted experiment
        # still finish, but no longer count in this one's records.
        self.generation = 0

    def route(self, method, target):
        """Answer now as (status, body, content type), or None for a delayed resource."""
        url = urlsplit(target)
        text = b"text/plain; charset=utf-8"
        if method != "GET":
            return 405, b"only GET is served\n", text
        if url.path == "/stats":
            stats = {"delay": self.delay, "most_at_once": self.most_at_once,
                     "in_flight": self.in_flight, "records": self.records}
            return 200, json.dumps(stats).encode(), b"application/json"
        if url.path == "/reset":
            self.generation += 1
            self.records = []
            self.in_flight = self.most_at_once = 0
            return 200, b"reset\n", text
        if url.path != RESOURCE_PATH:
            return 404, b"try /get_resource, /stats or /reset\n", text
        return None


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
        if b"\r\n\r\n" not in self.received:
            if len(self.received) > MAX_HEADER_BYTES:
                self.transport.close()
            return
        try:
            method, target, _version = self.received.split(b"\r\n", 1)[0].decode(
                "latin-1").split(" ", 2)
        except ValueError:
            return self.answer(400, b"not an HTTP request\n")
        answer = self.downstream.route(method, target)
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
        self.pending = False
        if self._leave():
            port = (self.transport.get_extra_info("peername") or (None, None))[1]
            self.downstream.records.append([self.arrived, time.time(), self.delay, port])
        self.answer(200, BODY)

    def answer(self, status, body, ctype=b"text/plain; charset=utf-8"):
        self.transport.write(
            b"HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
            b"Connection: close\r\n\r\n%s"
            % (status, b"OK" if status == 200 else b"Error", ctype, len(body), body))
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


async def serve(delay):
    downstream = Downstream(delay)
    open_file_limit = raise_open_file_limit()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Connection(downstream), HOST, 0, backlog=BACKLOG)
    port = server.sockets[0].getsockname()[1]
    print(json.dumps({"port": port, "pid": os.getpid(),
                      "open_file_limit": open_file_limit}), flush=True)
    async with server:
        await server.serve_forever()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=1.0)
    parser.add_argument("--parent-pid", type=int, default=os.getppid())
    args = parser.parse_args(argv)
    # A Ctrl-C or a kernel interrupt is for the client, not for the service.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_when_parent_leaves(args.parent_pid)
    try:
        delay = delay_seconds(args.delay)
    except InvalidParameter as error:
        sys.exit(f"downstream service: {error}")
    asyncio.run(serve(delay))


if __name__ == "__main__":
    main()
