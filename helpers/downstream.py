"""The downstream service: a slow HTTP API that the course's clients call.

Runs in its own process (`python -m helpers.downstream`), started by
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

from .validate import delay_seconds
from .errors import InvalidParameter
from .limits import raise_open_file_limit

HOST = "127.0.0.1"
BODY = b"resource"
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

    async def handle(self, reader, writer):
        arrived = time.time()
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            method, target, _version = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
            status, body, ctype = await self.route(method, target, arrived, writer)
            writer.write(
                b"HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
                b"Connection: close\r\n\r\n%s"
                % (status, b"OK" if status == 200 else b"Error", ctype, len(body), body)
            )
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError,
                ConnectionError):
            pass  # a client that hung up or sent garbage: nothing to answer
        finally:
            writer.close()

    async def route(self, method, target, arrived, writer):
        url = urlsplit(target)
        query = parse_qs(url.query)
        text = b"text/plain; charset=utf-8"
        if method != "GET":
            return 405, b"only GET is served\n", text
        if url.path == "/get_resource":
            try:
                delay = delay_seconds(query["delay"][0]) if "delay" in query else self.delay
            except InvalidParameter as error:
                return 400, str(error).encode(), text
            generation = self.generation
            self.in_flight += 1
            self.most_at_once = max(self.most_at_once, self.in_flight)
            try:
                await asyncio.sleep(delay)
            finally:
                if generation == self.generation:
                    self.in_flight -= 1
            if generation == self.generation:
                peer = writer.get_extra_info("peername") or (None, None)
                self.records.append([arrived, time.time(), delay, peer[1]])
            return 200, BODY, text
        if url.path == "/stats":
            stats = {"delay": self.delay, "most_at_once": self.most_at_once,
                     "in_flight": self.in_flight, "records": self.records}
            return 200, json.dumps(stats).encode(), b"application/json"
        if url.path == "/reset":
            self.generation += 1
            self.records = []
            self.in_flight = self.most_at_once = 0
            return 200, b"reset\n", text
        return 404, b"try /get_resource, /stats or /reset\n", text


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
    server = await asyncio.start_server(
        downstream.handle, HOST, 0, backlog=BACKLOG, limit=MAX_HEADER_BYTES)
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
