"""`python -m helpers.bench`: check the flags, run the plan, print the table, write the
JSON and the plot. Exit status: 0 done, 1 the service failed, 2 a bad flag, 130 Ctrl-C."""
import signal
import sys
import textwrap
import time

from ..errors import ServiceError
from .options import parse, print_list
from .report import LEGEND, document, header, load_average, rows, say, table, write_json
from .runner import Bench

INTERRUPTED = 130


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    options = parse(argv)
    if options.list:
        print_list()
        return 0
    # SIGTERM (a closed terminal, a test's timeout) cleans up just as Ctrl-C does.
    previous = signal.signal(signal.SIGTERM, _as_ctrl_c)
    load_before, started = load_average(), _now()
    interrupted = False
    try:
        with Bench(options) as bench:
            try:
                bench.run_all()
            except KeyboardInterrupt:
                interrupted = True
    except KeyboardInterrupt:  # while the service started or stopped
        say("bench: interrupted; nothing was measured, nothing is left running.", sys.stderr)
        return INTERRUPTED
    except ServiceError as error:
        say(f"bench: the downstream service failed, so no time is reported: {error}",
            sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, previous)
    return report(bench, options, argv, load_before, started, interrupted)


def report(bench, options, argv, load_before, started, interrupted):
    load_after = load_average()
    measured = rows(bench.runs, bench.skipped, options)
    if interrupted:
        done = sum(1 for r in bench.runs)
        say(f"\nbench: interrupted after {done} run{'' if done == 1 else 's'}; the run in "
            "progress and the service are stopped. What was measured so far:", sys.stderr)
        measured = [r for r in measured if r["status"] == "ok"]
    say(header(options, bench.service.loop_version, load_before, load_after))
    say("")
    say(table(measured))
    say("\n" + textwrap.fill(LEGEND, 100))
    data = document(bench, measured, started, _now(), load_before, load_after, argv)
    data["interrupted"] = interrupted
    if options.json:
        write_json(options.json, data)
        say(f"\nevery run: {options.json}")
    if options.plot and not interrupted:
        from ..views.benchmark import plot_benchmark  # matplotlib only when asked for
        plot_benchmark(measured, delay=options.delay, path=options.plot)
        say(f"plot: {options.plot}")
    return INTERRUPTED if interrupted else 0


def _as_ctrl_c(signum, frame):
    raise KeyboardInterrupt


def _now():
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")
