"""What the benchmark prints and writes: one row per strategy and N, as a Markdown
table, and every run as JSON.

Per strategy and N: the median wall time of its repeats; that time over the ideal (one
delay: every request at once, answered on time) and over the floor's median at the
same N in the same run; and, from the run with the median time, the client's CPU per
request, its peak memory and threads, and what the service held at once and how late
its p99 answer went out, and the service's CPU time (near the wall time, it had no
core to spare). Retransmissions are the sum over the repeats (system-wide).
"""
import json
import os
import platform
import statistics
import sys

from ..errors import InvalidParameter
from ..strategies import STRATEGIES

FLOOR = "floor"  # the leanest honest client: the in-run reference for every other row


def rows(runs, skipped, options):
    """One dict per (strategy, N), in the order of the plan: measured, skipped or failed."""
    out = []
    for n in options.ns:
        floor = _median([r for r in runs if r.strategy == FLOOR and r.n == n])
        for name in options.strategies:
            label = _label(name, options)
            mine = [r for r in runs if r.strategy == name and r.n == n]
            skip = next((s for s in skipped if s.strategy == name and s.n == n), None)
            if skip is not None or not mine:
                out.append({"strategy": name, "label": label, "n": n,
                            "status": "failed" if skip and skip.failed else "skipped",
                            "reason": skip.reason if skip else "not run",
                            "predicted_seconds": skip.predicted_seconds if skip else None})
                continue
            median = _median(mine)
            typical = sorted(mine, key=lambda r: r.seconds)[(len(mine) - 1) // 2]
            retransmitted = [r.service.get("retransmissions") for r in mine]
            out.append({
                "strategy": name, "label": label, "n": n, "status": "ok", "repeats": len(mine),
                "median_seconds": median, "times_ideal": median / options.delay,
                "times_floor": median / floor if floor else None,
                "cpu_us_per_request": typical.cpu_seconds / n * 1e6,
                "peak_rss_mib": typical.peak_rss_bytes / 2**20,
                "threads": typical.threads,
                "most_at_once": typical.service.get("most_at_once"),
                "lateness_p99_ms": _ms(typical.service.get("lateness_p99")),
                "service_cpu_seconds": typical.service.get("cpu_seconds"),
                "retransmissions": None if None in retransmitted else sum(retransmitted),
            })
    return out


def _label(name, options):
    """The strategy's name, with the pool size where the run chose one for it."""
    return STRATEGIES[name].label(options.workers)


def _median(runs):
    times = [r.seconds for r in runs if r.error is None]
    return statistics.median(times) if times and len(times) == len(runs) else None


def _ms(seconds):
    return None if seconds is None else seconds * 1000


COLUMNS = [("strategy", "strategy", "{}"), ("n", "N", "{:,}"),
           ("median_seconds", "median s", "{:.3f}"), ("times_ideal", "× ideal", "{:.2f}"),
           ("times_floor", "× floor", "{:.2f}"), ("cpu_us_per_request", "CPU µs/req", "{:.0f}"),
           ("peak_rss_mib", "peak RSS MiB", "{:.0f}"), ("threads", "threads", "{}"),
           ("most_at_once", "held at once", "{:,}"),
           ("lateness_p99_ms", "late p99 ms", "{:.1f}"),
           ("service_cpu_seconds", "service CPU s", "{:.3f}"),
           ("retransmissions", "retrans", "{}")]


def table(rows, *, columns=None):
    """The rows as a Markdown table; a skipped or failed row says why in its time column.

    `columns` picks some of COLUMNS by key, in their order (default: every one).
    """
    chosen = COLUMNS if columns is None else _columns(columns)
    lines = ["| " + " | ".join(title for _key, title, _f in chosen) + " |",
             "|" + "|".join("---" if i < 1 else "---:" for i in range(len(chosen))) + "|"]
    for row in rows:
        cells = []
        for key, _title, form in chosen:
            if row["status"] != "ok" and key not in ("strategy", "n"):
                cells.append(_why(row) if key == "median_seconds" else "")
                continue
            value = row.get("label", row["strategy"]) if key == "strategy" else row.get(key)
            cells.append("–" if value is None else form.format(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _columns(keys):
    known = [key for key, _title, _form in COLUMNS]
    if isinstance(keys, str) or not all(key in known for key in keys) or \
            "strategy" not in keys or "median_seconds" not in keys:
        raise InvalidParameter(f"columns must list keys of the table, with 'strategy' and "
                               f"'median_seconds', from {', '.join(known)}; got {keys!r}.")
    return [column for column in COLUMNS if column[0] in keys]


LEGEND = ("median s: of the repeats; × ideal: over one delay; × floor: over floor's median "
          "at the same N; the other columns are the median run's: client CPU per request, "
          "peak RSS and threads of its process, what the service held at once, its p99 "
          "lateness (answered - arrived - delay) and CPU time; retrans: TCP segments "
          "retransmitted during all the repeats, system-wide (every connection on this "
          "machine, from /proc/net/snmp; – where the OS does not say).")


def _why(row):
    text = row["reason"].replace("|", "/")
    return ("**failed**: " if row["status"] == "failed" else "skipped: ") + text


def header(options, service_loop, load_before, load_after):
    """The lines above the table: what ran, where, and how busy the machine was."""
    return (f"delay {options.delay:g} s, {options.repeats} repeat"
            f"{'' if options.repeats == 1 else 's'}, service on {service_loop}; "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()}; "
            f"load average {_load(load_before)} before, {_load(load_after)} after")


def _load(load):
    return "unknown" if load is None else " ".join(f"{x:.2f}" for x in load)


def load_average():
    try:
        return os.getloadavg()
    except OSError:
        return None


def document(bench, rows, started, finished, load_before, load_after, argv):
    """Everything the run measured, for --json: the raw runs, the skips and the rows."""
    from dataclasses import asdict
    return {
        "command": "python -m helpers.bench " + " ".join(argv),
        "started": started, "finished": finished,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "load_average_before": load_before,
                    "load_average_after": load_after},
        "service": {"loop": bench.service.loop_version, "delay": bench.options.delay},
        "options": asdict(bench.options),
        "runs": [asdict(r) for r in bench.runs],
        "skipped": [asdict(s) for s in bench.skipped],
        "rows": rows,
    }


def write_json(path, data):
    with open(path, "w") as out:
        json.dump(data, out, indent=1)
        out.write("\n")


def say(text, out=None):
    print(text, file=out or sys.stdout, flush=True)
