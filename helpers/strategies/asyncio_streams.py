"""N requests at once with asyncio's streams: the standard library's own event loop.

    asyncio_streams(n, service)   one asyncio.open_connection() per request, all at once

Each request is a coroutine: connect, write the request, read until the service
closes, check the reply. The strategy runs its own loop in the calling thread with
asyncio.run's machinery, and closes every connection before it returns, also on an
error or Ctrl-C (the runner cancels the tasks, and each one closes its writer).

Inside a Jupyter kernel an asyncio loop is already running in the main thread, and
asyncio.run() refuses to start a second one there ("cannot be called from a running
event loop"). Only then does the loop run in a short-lived worker thread, which this
thread waits for; a Ctrl-C while it waits cancels the loop's tasks the same way.
"""
import asyncio
import http.client
import socket
import threading

from ..errors import BadResponse
from ..limits import is_out_of_descriptors, too_many_open_files
from ..validate import timeout_seconds
from ..wire import (DEFAULT_TIMEOUT, MAX_REPLY_BYTES, check_response, explain_failure,
                    parse_reply, request_bytes)


def asyncio_streams(n, service):
    """n requests at once on asyncio's own loop: about one delay, whatever n."""
    return run_requests(n, service, asyncio.new_event_loop)


def run_requests(n, service, new_loop):
    """n requests at once as coroutines on a loop that new_loop() makes; the bodies."""
    (host, port), path = service.address, service.path
    return run_on_new_loop(lambda: fetch_all(n, host, port, path), new_loop)


async def fetch_all(n, host, port, path):
    """Every request at once; on the first failure, cancel the rest and raise it."""
    tasks = [asyncio.ensure_future(fetch(host, port, path)) for _ in range(n)]
    try:
        return await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        # Let every cancelled task run its `finally` (closing its connection) before
        # the loop closes; their own errors are already reported by the first one.
        await asyncio.gather(*tasks, return_exceptions=True)


async def fetch(host, port, path, timeout=DEFAULT_TIMEOUT):
    """One request on a connection of its own; the checked body."""
    timeout = timeout_seconds(timeout)  # a notebook calls this too (as asyncio_fetch)
    where = f"{host}:{port}{path}"
    connected = False
    writer = None
    try:
        async with deadline(timeout):
            reader, writer = await asyncio.open_connection(host, port)
            connected = True
            writer.write(request_bytes(host, path))
            await writer.drain()
            data = await reader.read(MAX_REPLY_BYTES + 1)
            while data and len(data) <= MAX_REPLY_BYTES:
                more = await reader.read(MAX_REPLY_BYTES + 1 - len(data))
                if not more:
                    break
                data += more
    except (OSError, asyncio.TimeoutError) as error:
        if isinstance(error, asyncio.TimeoutError):
            error = socket.timeout("timed out")
        raise explain_failure(error, where, timeout, connecting=not connected) from None
    finally:
        if writer is not None:
            writer.close()  # the transport closes its socket now, not at garbage collection
    if len(data) > MAX_REPLY_BYTES:
        raise BadResponse(f"The reply from {where} is over {MAX_REPLY_BYTES:,} bytes: "
                          "not our service's.")
    return checked_body(data, where, timeout)


def deadline(seconds):
    """asyncio.timeout(seconds) where it exists (3.11), else a stand-in with wait_for's effect."""
    if hasattr(asyncio, "timeout"):
        return asyncio.timeout(seconds)
    return _Deadline(seconds)


class _Deadline:
    """Python 3.10: cancel the running task after `seconds`, and say it timed out."""

    def __init__(self, seconds):
        self.seconds = seconds

    async def __aenter__(self):
        task = asyncio.current_task()
        self.expired = False

        def expire():
            self.expired = True
            task.cancel()
        self.timer = asyncio.get_running_loop().call_later(self.seconds, expire)

    async def __aexit__(self, kind, error, traceback):
        self.timer.cancel()
        if self.expired and kind is asyncio.CancelledError:
            raise asyncio.TimeoutError from None
        return False


def checked_body(data, where, timeout):
    """The body of a whole `Connection: close` reply, checked as the service's.

    A reply cut short is worded as http.client words it (the course's other clients),
    so every strategy names a fault the same way.
    """
    if not data:
        cut = http.client.RemoteDisconnected("the server closed the connection, no reply")
        raise explain_failure(cut, where, timeout, connecting=False)
    head, separator, body = data.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0]
    if not status_line.startswith(b"HTTP/"):
        raise explain_failure(http.client.BadStatusLine(status_line.decode("latin-1")),
                              where, timeout, connecting=False)
    if not separator:  # the headers were cut: http.client reads that as no body
        status, body = parse_reply(head.split(b"\r\n", 1)[0] + b"\r\n\r\n")
        return check_response(status, b"")
    try:
        status, body = parse_reply(data)
    except BadResponse:  # the body is shorter than its Content-Length said
        raise explain_failure(http.client.IncompleteRead(body), where, timeout,
                              connecting=False) from None
    return check_response(status, body)


# -- running a loop from synchronous code -------------------------------------------------
def run_on_new_loop(make_main, new_loop):
    """make_main()'s coroutine, run to the end on a new loop; its result.

    In this thread if no loop runs here (a script, the benchmark's child process), else
    (a Jupyter kernel) in a worker thread that lives as long as the run.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _run(make_main(), new_loop)
    return _run_in_a_worker_thread(make_main, new_loop)


def _run(main, new_loop):
    try:
        if hasattr(asyncio, "Runner"):  # 3.11: Ctrl-C cancels the main task, cleanly
            with asyncio.Runner(loop_factory=new_loop) as runner:
                return runner.run(main)
        loop = new_loop()  # 3.10: what asyncio.run does, on a loop of our choice
        try:
            return loop.run_until_complete(main)
        finally:
            leftovers = asyncio.all_tasks(loop)
            for task in leftovers:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))
            loop.close()
    except OSError as error:  # the loop itself could not be made: no descriptor left
        if is_out_of_descriptors(error):
            raise too_many_open_files() from None
        raise


def _run_in_a_worker_thread(make_main, new_loop):
    outcome = {}
    started, finished = threading.Event(), threading.Event()

    async def main():
        outcome["loop"], outcome["task"] = asyncio.get_running_loop(), asyncio.current_task()
        started.set()
        return await make_main()

    def work():
        try:
            outcome["result"] = _run(main(), new_loop)
        except BaseException as error:  # handed to the waiting thread, raised there
            outcome["error"] = error
        finally:
            started.set()
            finished.set()

    worker = threading.Thread(target=work, name="course-asyncio-run")
    worker.start()
    try:
        # An Event, not worker.join(): a Ctrl-C inside join() can leave Python 3.11
        # believing the thread has ended while it still runs.
        while not finished.wait(0.1):  # short waits: Ctrl-C reaches this thread between
            pass
    except BaseException:  # Ctrl-C in the kernel: cancel the run and wait for its cleanup
        started.wait()
        if "task" in outcome:
            try:
                outcome["loop"].call_soon_threadsafe(outcome["task"].cancel)
            except RuntimeError:
                pass  # the loop finished and closed in the meantime: nothing to cancel
        finished.wait()
        raise
    finally:
        worker.join()
    if "error" in outcome:
        raise outcome.pop("error")
    return outcome["result"]
