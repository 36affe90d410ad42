"""Running the plan: one service for the whole benchmark, one child process per run.

Runs go N by N, and within one N the strategies take turns, repeat after repeat, so
that a slow minute of a shared machine falls on every strategy alike rather than on
all of one. Before each run the service is reset (and, after a big run, the ports it
closed get two seconds to become reusable); after it, its own share is read.
Ctrl-C (or SIGTERM) stops the run in progress, waits for its child to clean up (then
kills it), and stops the service: nothing is left behind.
"""
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Optional

from ..service import Service
from ..service.settings import child_environment
from ..strategies import STRATEGIES
from ..wire import HOST, RESOURCE_PATH

CHILD_MODULE = "helpers.bench.child"
HOPELESS_DELAYS = 20  # a combination predicted to take longer than this many delays is skipped
STOP_WITHIN = 5.0     # seconds a child has to clean up after Ctrl-C before it is killed
# A client that closes first leaves its port in TIME_WAIT for a minute. On loopback, Linux
# lets a new connect() take such a port once it is a second old (tcp_tw_reuse=2); before
# that, connect() searches the range for a free one, and a run right after 10,000 closes
# paid for them in system time (general_loop: 2.1 s instead of 1.6 s, after floor).
PORTS_SETTLE = 2.0    # seconds to wait after a run of BIG_RUN requests or more
BIG_RUN = 1000


@dataclass
class Run:
    """One run of one strategy at one N, as measured (or why it was not)."""
    strategy: str
    n: int
    repeat: int
    seconds: Optional[float] = None
    cpu_seconds: Optional[float] = None
    peak_rss_bytes: Optional[int] = None
    rss_before_bytes: Optional[int] = None
    threads: Optional[int] = None
    service: dict = field(default_factory=dict)  # most_at_once and the service's share
    error: Optional[dict] = None  # {"skip": bool, "type": ..., "message": ...}


@dataclass(frozen=True)
class Skip:
    """A combination not run (hopeless, or beyond the strategy), or a run that failed."""
    strategy: str
    n: int
    reason: str
    predicted_seconds: Optional[float] = None
    failed: bool = False


def plan(options):
    """(the runs to make, in order, as (strategy, n, repeat); the combinations skipped)."""
    todo, skipped = [], []
    for n in options.ns:
        runnable = []
        for name in options.strategies:
            strategy = STRATEGIES[name]
            predicted = strategy.predict(n, options.delay, **strategy.sized_by(options.workers))
            why_not = strategy.cannot_take(n)
            if why_not is not None:
                skipped.append(Skip(name, n, why_not))
            elif predicted > HOPELESS_DELAYS * options.delay:
                skipped.append(Skip(name, n, f"hopeless: predicted {seconds(predicted)} s, "
                                    f"more than {HOPELESS_DELAYS} delays", predicted))
            else:
                runnable.append(name)
        todo += [(name, n, repeat) for repeat in range(1, options.repeats + 1)
                 for name in runnable]
    return todo, skipped


def seconds(value):
    """1.5, 17, 1,000: as many digits as a reader needs."""
    return f"{value:,.0f}" if value >= 10 else f"{value:.2g}"


class Progress:
    """A line on stderr per run: what runs, how many are left, the time so far."""

    def __init__(self, total, out=sys.stderr):
        self.total, self.done, self.out = total, 0, out
        self.start = time.monotonic()

    def starting(self, name, n, repeat, repeats):
        elapsed = time.monotonic() - self.start
        self.out.write(f"[{self.done + 1}/{self.total}, {self.total - self.done - 1} left, "
                       f"{elapsed:.0f} s elapsed] {name} N={n:,} repeat {repeat}/{repeats} ... ")
        self.out.flush()

    def finished(self, run):
        self.done += 1
        if run.error is None:
            outcome = f"{run.seconds:.3f} s"
        else:
            outcome = ("skipped: " if run.error["skip"] else "FAILED: ") + \
                run.error["message"].splitlines()[0][:120]
        self.out.write(outcome + "\n")
        self.out.flush()


class Bench:
    """The service and the child in progress, so that an interrupt can stop both."""

    def __init__(self, options, out=None):
        self.options = options
        self.out = sys.stderr if out is None else out  # progress and skips (a notebook: stdout)
        self.child = None
        self.runs = []
        self.skipped = []
        self.previous_n = 0
        self.service = Service(delay=options.delay, loop=options.service_loop)

    def run_all(self):
        """Every run of the plan; a strategy that fails or meets a limit at some N is
        not run again at that N or above (it would only fail again, slowly)."""
        todo, self.skipped = plan(self.options)
        for skip in self.skipped:
            label = STRATEGIES[skip.strategy].label(self.options.workers)
            self.out.write(f"skipping {label} N={skip.n:,}: {skip.reason}\n")
        given_up = {}  # strategy -> its run that failed or met a limit
        progress = Progress(len(todo), self.out)
        for name, n, repeat in todo:
            if name in given_up:
                progress.done += 1
                first = given_up[name]
                if not any(s.strategy == name and s.n == n for s in self.skipped):
                    what = "met a limit" if first.error["skip"] else "failed"
                    self.skipped.append(Skip(name, n, f"not run: it {what} at N={first.n:,}"))
                continue
            progress.starting(STRATEGIES[name].label(self.options.workers), n, repeat,
                              self.options.repeats)
            run = self.run_one(name, n, repeat)
            progress.finished(run)
            self.runs.append(run)
            if run.error is not None:
                given_up[name] = run
                self.skipped.append(Skip(name, n, run.error["message"].splitlines()[0],
                                         failed=not run.error["skip"]))

    def run_one(self, name, n, repeat):
        if self.previous_n >= BIG_RUN:
            time.sleep(PORTS_SETTLE)  # let the last run's closed ports become reusable
        self.previous_n = n
        self.service.reset()
        strategy = STRATEGIES[name]
        sized = strategy.sized_by(self.options.workers)  # {"workers": W}, or {}
        spec = {"strategy": name, "n": n, "host": HOST, "port": self.service.port,
                "path": RESOURCE_PATH, "delay": self.options.delay, **sized}
        predicted = strategy.predict(n, self.options.delay, **sized)
        run = Run(name, n, repeat)
        self.child = subprocess.Popen(
            [sys.executable, "-m", CHILD_MODULE, json.dumps(spec)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            # Its own process group: a Ctrl-C reaches the benchmark, which passes it on once.
            start_new_session=True, env=child_environment())
        limit = 3 * predicted + 120  # seconds; the clients' own timeouts end a hang sooner
        try:
            out, err = self.child.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            self.stop_child()
            run.error = {"skip": False, "type": "Timeout",
                         "message": f"did not finish within {limit:.0f} s"}
            return run
        code, self.child = self.child.returncode, None
        try:
            measured = json.loads(out.decode().strip().splitlines()[-1])
        except (ValueError, IndexError):
            last = (err.decode(errors="replace").strip().splitlines() or ["no output"])[-1]
            run.error = {"skip": False, "type": "ChildFailed",
                         "message": f"the run's process ended with status {code}: {last}"}
            return run
        for key, value in measured.items():
            setattr(run, key, value)
        if run.error is None:
            stats = self.service.stats(records=False)
            run.service = {"most_at_once": stats.most_at_once, "loop": stats.loop,
                           **asdict(stats.share)}
        return run

    def stop_child(self):
        """Pass a Ctrl-C on to the child, give it STOP_WITHIN to clean up, then kill it."""
        child, self.child = self.child, None
        if child is None or child.poll() is not None:
            return
        for sig, wait in ((signal.SIGINT, STOP_WITHIN), (signal.SIGKILL, STOP_WITHIN)):
            try:
                os.killpg(child.pid, sig)
            except ProcessLookupError:
                break
            try:
                child.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        for pipe in (child.stdout, child.stderr):
            if pipe is not None:
                pipe.close()

    def __enter__(self):
        self.service.start()
        return self

    def __exit__(self, *exc_info):
        try:
            self.stop_child()
        finally:
            self.service.stop()
