"""Probes of learner code, shared by the checks: they watch what a function does while
it runs (the sockets it leaves open, the threads it starts, what select() tells it, the
bytes it sends) without changing what it does.

Each is a context manager that yields a list, filled in by the end of the block:

    with counting_unclosed_sockets() as unclosed, recording_sent_bytes() as sent:
        answer = learner_function(...)
    require(not unclosed, "close your socket")
"""
import contextlib
import gc
import select
import socket
import threading
import warnings


@contextlib.contextmanager
def counting_unclosed_sockets():
    """List the sockets that were garbage-collected without being closed in the block."""
    gc.collect()  # garbage from earlier cells is not the learner's function's doing
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        unclosed = []
        yield unclosed
        gc.collect()  # a socket dropped without close() warns when it is collected
    unclosed += [w for w in caught if issubclass(w.category, ResourceWarning)
                 and "socket" in str(w.message)]


@contextlib.contextmanager
def counting_new_threads():
    """List the threads this thread starts inside the block (a thread pool starts some).

    Threads started by others (the kernel's own, say) are not counted.
    """
    started = []
    original_start = threading.Thread.start
    checker = threading.current_thread()

    def start(thread):
        if threading.current_thread() is checker:
            started.append(thread)
        return original_start(thread)

    threading.Thread.start = start
    try:
        yield started
    finally:
        threading.Thread.start = original_start


@contextlib.contextmanager
def watching_select():
    """List, per select.select() call made in the block, the ids of what it returned as
    readable (ids, not the sockets: holding them would keep unclosed ones alive)."""
    readable_per_call = []
    original_select = select.select

    def watched(rlist, wlist, xlist, *timeout):
        readable, writable, exceptional = original_select(rlist, wlist, xlist, *timeout)
        readable_per_call.append([id(sock) for sock in readable])
        return readable, writable, exceptional

    select.select = watched
    try:
        yield readable_per_call
    finally:
        select.select = original_select


@contextlib.contextmanager
def recording_sent_bytes():
    """List, per socket that this thread sent on in the block, the bytes it sent (in the
    order the sockets first sent). Only send() and sendall() are watched."""
    sent = {}  # id(sock) -> bytearray; ids, not sockets: holding them would keep them open
    checker = threading.current_thread()
    names = ("send", "sendall")
    own = {name: socket.socket.__dict__.get(name) for name in names}  # usually inherited

    def recorder(name):
        original = getattr(socket.socket, name)

        def record(sock, data, *args):
            result = original(sock, data, *args)
            if threading.current_thread() is checker:
                count = len(memoryview(data)) if name == "sendall" else result
                sent.setdefault(id(sock), bytearray()).extend(memoryview(data)[:count])
            return result
        return record

    for name in names:
        setattr(socket.socket, name, recorder(name))
    requests = []
    try:
        yield requests
    finally:
        for name in names:
            if own[name] is None:
                delattr(socket.socket, name)
            else:
                setattr(socket.socket, name, own[name])
        requests += [bytes(data) for data in sent.values()]
