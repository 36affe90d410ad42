"""The benchmark's flags, each checked before anything starts: a typo costs one line
and exit status 2, never a five-minute run that fails at the end."""
import argparse
import importlib.util
import os
import sys
from dataclasses import dataclass
from typing import Optional

from ..errors import InvalidParameter
from ..service import lesson_delay, service_loop
from ..strategies import STRATEGIES
from ..validate import request_count, worker_count

DEFAULT_NS = "1,100,1000,10000"
USAGE_ERROR = 2


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad flag gets one line that says what to do, not the whole usage."""

    def error(self, message):
        self.exit(USAGE_ERROR, f"{self.prog}: {message} (--help lists the flags)\n")


@dataclass(frozen=True)
class Options:
    ns: list
    delay: float
    repeats: int
    strategies: list
    json: Optional[str]
    plot: Optional[str]
    service_loop: str
    list: bool
    workers: Optional[int] = None  # the pool size of sized strategies (thread_pool_workers)


def default_strategies():
    return [name for name, strategy in STRATEGIES.items() if strategy.benchmark]


def parser():
    p = OneLineParser(
        prog="python -m helpers.bench",
        description="Time every strategy at every request count against one downstream "
                    "service; each run in a fresh process, every response checked.")
    p.add_argument("--list", action="store_true", help="list the strategies and exit")
    p.add_argument("--n", default=DEFAULT_NS, metavar="N,N,...",
                   help=f"request counts, comma-separated (default {DEFAULT_NS})")
    p.add_argument("--delay", default="1.0", metavar="SECONDS",
                   help="the service's delay per request (default 1.0)")
    p.add_argument("--repeats", default="3", metavar="R",
                   help="runs of each strategy and N; the table shows medians (default 3)")
    p.add_argument("--strategies", default=None, metavar="A,B,...",
                   help="which strategies, by name (default: every one --list marks *)")
    p.add_argument("--workers", default=None, metavar="W",
                   help="the pool size of thread_pool_workers (default: ThreadPoolExecutor's)")
    p.add_argument("--json", default=None, metavar="PATH", help="write every run here")
    p.add_argument("--plot", default=None, metavar="PATH",
                   help="draw latency against N here (PNG or SVG; needs matplotlib)")
    p.add_argument("--service-loop", default=None, choices=("uvloop", "asyncio"),
                   help="the service's event loop (default: uvloop where installed)")
    return p


def parse(argv):
    """Options from the command line; one line and exit status 2 for anything wrong."""
    p = parser()
    args = p.parse_args(argv)
    try:
        return Options(
            ns=request_counts(args.n), delay=lesson_delay(args.delay, name="--delay"),
            repeats=request_count(whole(args.repeats, "--repeats"), name="--repeats",
                                  maximum=100, unit="run"),
            strategies=strategy_names(args.strategies), json=writable(args.json, "--json"),
            plot=plottable(args.plot), service_loop=service_loop(args.service_loop),
            list=args.list, workers=pool_size(args.workers))
    except InvalidParameter as error:
        p.error(str(error))


def whole(text, flag):
    try:
        return int(text.strip())
    except ValueError:
        raise InvalidParameter(f"{flag} must be a whole number, like 3; got {text!r}.") from None


def pool_size(text):
    if text is None:
        return None
    return worker_count(whole(text, "--workers"), name="--workers")


def request_counts(text):
    counts = [request_count(whole(part, "--n"), name="--n")
              for part in text.split(",") if part.strip()]
    if not counts:
        raise InvalidParameter(f"--n must list request counts, like {DEFAULT_NS}; got {text!r}.")
    return sorted(set(counts))


def strategy_names(text):
    if text is None:
        return default_strategies()
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in STRATEGIES]
    choose = f"choose from {', '.join(STRATEGIES)} (python -m helpers.bench --list)."
    if not names:
        raise InvalidParameter(f"--strategies must name at least one strategy; {choose}")
    if unknown:
        raise InvalidParameter(f"--strategies: unknown {', '.join(map(repr, unknown))}; "
                               + choose)
    return list(dict.fromkeys(names))  # each once, in the order given


def writable(path, flag):
    """path, if a file can be written there (checked now, not after the run)."""
    if path is None:
        return None
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise InvalidParameter(f"{flag}: the folder {folder!r} does not exist.")
    if os.path.isdir(path) or not os.access(folder, os.W_OK):
        raise InvalidParameter(f"{flag}: cannot write a file at {path!r}.")
    return path


def plottable(path):
    path = writable(path, "--plot")
    if path is not None and importlib.util.find_spec("matplotlib") is None:
        raise InvalidParameter("--plot needs matplotlib, which is not installed here "
                               "(python3 course.py bench installs it).")
    return path


def print_list(out=None):
    """One line per strategy; * marks those the benchmark runs by default."""
    out = sys.stdout if out is None else out
    width = max(map(len, STRATEGIES))
    for name, strategy in STRATEGIES.items():
        mark = "*" if strategy.benchmark else " "
        why_not = strategy.missing()
        note = f" (not here: {why_not})" if why_not else ""
        limit = f" [at most {strategy.most_requests:,}]" if strategy.most_requests else ""
        print(f"{mark} {name:<{width}}  {strategy.summary}{limit}{note}", file=out)
