"""Stand-ins for the service: an address nobody serves, a fake handle, a server that
answers wrongly, a listener that never accepts; and clients that give up sooner."""
import contextlib
import socket
import threading


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
