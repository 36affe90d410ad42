"""A listener with a small backlog, to watch the kernel turn connections away.

`listen(backlog)` sizes the queue of connections that the kernel has completed but the
program has not yet taken with `accept()`. On Linux the queue holds backlog + 1. Once it
is full, the kernel drops a new connection's first packet (its SYN) without a word: the
client hears nothing, and sends the SYN again after its first retransmission timeout,
one second, then after two more, four more... So a connection that found the queue full
is accepted a second late (or three), however fast the program accepts by then. That is
why the course's service listens with a large backlog, and why a loop that opens 10,000
connections at once shows retransmissions when it does not.

    run = connect_to_slow_listener(16, backlog=8, hold=0.2)
    run.waits    # seconds from connect() to accept(), one per connection
    run.late()   # how many waited a retransmission timeout or more

One thread, no service: the clients connect without blocking, the listener sleeps for
`hold` seconds (a program busy elsewhere), then accepts everything as fast as it can.
Everything is closed before it returns, also on an error or Ctrl-C.
"""
import selectors
import socket
import time
from dataclasses import dataclass

from .validate import request_count, seconds

SYN_RESENT_AFTER = 1.0  # Linux's first retransmission timeout for a SYN (TCP_TIMEOUT_INIT)
MOST_CONNECTIONS = 1_000  # a toy: enough to fill any small backlog many times over
MOST_BACKLOG = 65_535
GIVE_UP_AFTER = 4.0     # seconds after `hold`: two retransmissions (after 1 s, then 2 s more) fit
SOMAXCONN_FILE = "/proc/sys/net/core/somaxconn"

__all__ = ["BacklogRun", "SYN_RESENT_AFTER", "connect_to_slow_listener", "largest_backlog"]


def largest_backlog():
    """The most that listen() grants here: Linux caps it at net.core.somaxconn."""
    try:
        with open(SOMAXCONN_FILE) as value:
            return int(value.read())
    except (OSError, ValueError):
        return socket.SOMAXCONN  # macOS and others: Python's constant (128)


@dataclass(frozen=True)
class BacklogRun:
    """What happened to `connections` connections against a listener with `backlog`."""
    connections: int
    backlog: int            # as asked of listen(); the kernel may grant less
    hold: float             # seconds the listener waited before its first accept()
    waits: tuple            # seconds from connect() to accept(), per connection, in order
    never_accepted: int     # still waiting when the listener gave up

    def late(self, after=SYN_RESENT_AFTER):
        """How many connections waited at least `after` seconds (a resent SYN)."""
        return sum(wait >= 0.9 * after for wait in self.waits) + self.never_accepted

    def on_time(self):
        """How many were accepted before the first retransmission could have come."""
        return len(self.waits) - self.late() + self.never_accepted

    def __str__(self):
        return (f"{self.connections} connections, backlog {self.backlog}, accepting after "
                f"{self.hold:g} s: {self.on_time()} waited for the listener only, "
                f"{self.late()} waited a resent SYN (≥ {SYN_RESENT_AFTER:g} s)"
                + (f", {self.never_accepted} never accepted" if self.never_accepted else ""))


def connect_to_slow_listener(connections, *, backlog, hold, give_up=GIVE_UP_AFTER):
    """Open `connections` connections at once to a listener with `backlog` that starts
    accepting after `hold` seconds; return how long each waited to be accepted."""
    connections = request_count(connections, name="connections", maximum=MOST_CONNECTIONS,
                                unit="connection")
    backlog = request_count(backlog, name="backlog", maximum=MOST_BACKLOG, unit="connection")
    hold = seconds(hold, name="hold")
    give_up = seconds(give_up, name="give_up")
    listener = socket.socket()
    clients, accepted = [], []
    selector = selectors.DefaultSelector()
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(backlog)
        listener.setblocking(False)
        started = {}  # client port -> when its connect() was called
        for _ in range(connections):
            client = socket.socket()
            clients.append(client)
            client.setblocking(False)
            client.connect_ex(listener.getsockname())  # the handshake starts, or its SYN is lost
            started[client.getsockname()[1]] = time.monotonic()
        time.sleep(hold)
        waits = {}
        selector.register(listener, selectors.EVENT_READ)
        stop = time.monotonic() + give_up
        while len(waits) < connections and time.monotonic() < stop:
            if not selector.select(timeout=max(0.0, stop - time.monotonic())):
                continue
            while True:
                try:
                    conn, (_host, port) = listener.accept()
                except BlockingIOError:
                    break
                accepted.append(conn)
                waits[port] = time.monotonic() - started[port]
        order = [client.getsockname()[1] for client in clients]
        return BacklogRun(connections, backlog, hold,
                          tuple(waits[port] for port in order if port in waits),
                          sum(port not in waits for port in order))
    finally:
        selector.close()
        for sock in accepted + clients + [listener]:
            sock.close()
