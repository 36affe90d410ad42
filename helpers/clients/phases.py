"""Where the time of one request goes: connect, send, wait, read.

A blocking call hides four steps behind one line. time_phases() makes one request
with http.client, one step at a time, and times each step:

    connect   open the TCP connection (the handshake with the service)
    send      write the request into the socket
    wait      until the status line and headers come back: the service is working,
              and this thread sits blocked in recv() doing nothing else
    read      read the body that follows

Its start is also taken from time.time(), the clock the service uses for its
records, so the client's view and the service's view fit on one timeline.
"""
import http.client
import statistics
import time
from dataclasses import dataclass

from .. import validate
from ..errors import InvalidParameter
from ..wire import DEFAULT_TIMEOUT, RESOURCE_PATH, check_response, explain_failure

PHASES = ("connect", "send", "wait", "read")


@dataclass(frozen=True)
class Phases:
    """How long each step of one request took (seconds), and when it started."""
    started: float      # time.time() when connecting began: comparable with the service's records
    connect: float
    send: float
    wait: float
    read: float
    client_port: int    # our end of the connection: the service's Record.client_port

    @property
    def total(self):
        return self.connect + self.send + self.wait + self.read

    def durations(self):
        """{phase name: seconds}, in the order the phases happen."""
        return {name: getattr(self, name) for name in PHASES}

    def spans(self):
        """[(phase name, start as time.time(), seconds)], one per phase, back to back."""
        spans, start = [], self.started
        for name, seconds in self.durations().items():
            spans.append((name, start, seconds))
            start += seconds
        return spans

    def __str__(self):
        parts = ", ".join(f"{name} {1000 * s:.2f} ms" for name, s in self.durations().items())
        return f"{parts} (total {1000 * self.total:.1f} ms)"


def time_phases(address, path=RESOURCE_PATH, timeout=DEFAULT_TIMEOUT):
    """Make one GET request step by step; check the answer and return its Phases."""
    host, port = validate.address(address)
    timeout = validate.timeout_seconds(timeout)
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        started = time.time()
        t0 = time.perf_counter()
        conn.connect()
        t1 = time.perf_counter()
        client_port = conn.sock.getsockname()[1]
        conn.request("GET", path)
        t2 = time.perf_counter()
        reply = conn.getresponse()
        t3 = time.perf_counter()
        body = reply.read()
        t4 = time.perf_counter()
    except (OSError, http.client.HTTPException) as error:
        raise explain_failure(error, f"{host}:{port}{path}", timeout) from None
    finally:
        conn.close()
    check_response(reply.status, body)
    return Phases(started, t1 - t0, t2 - t1, t3 - t2, t4 - t3, client_port)


def require_phases(phases, to="draw"):
    if not phases:
        raise InvalidParameter(f"No requests to {to}: time some with time_phases() first.")


def median_durations(phases):
    """{phase name: median seconds over the requests}."""
    require_phases(phases, to="measure")
    return {name: statistics.median(p.durations()[name] for p in phases) for name in PHASES}


def waiting_share(phases):
    """The fraction of the requests' whole time spent in the wait, from 0 to 1."""
    require_phases(phases, to="measure")
    return sum(p.wait for p in phases) / sum(p.total for p in phases)
