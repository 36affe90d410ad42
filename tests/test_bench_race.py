"""helpers.bench.race (the benchmark from a notebook), a pool of chosen workers through it,
the table's columns and labels, and views.plot_scaling.

The runs are tiny (a 0.05 s delay, N up to 8): they prove the plumbing, each strategy's
rows and the pool size reaching the child, not the lessons, which the notebooks assert.
"""
import io
import math
import os
import subprocess
import sys
import time

import matplotlib.pyplot as plt
import pytest

import helpers
from helpers import bench
from helpers.bench import race, table
from helpers.bench import options as bench_options
from helpers.bench.runner import Bench, plan
from helpers.strategies import STRATEGIES, chosen_strategies, default_pool_size
from helpers.views import plot_scaling

from support.processes import descendants, process_alive
from support.signals import ctrl_c_after

DELAY = 0.05
WORKERS = 3


@pytest.fixture(scope="module")
def raced():
    out = io.StringIO()
    rows = race(["thread_pool_workers", "general_loop", "serial"], [1, 8], delay=DELAY,
                workers=WORKERS, out=out)
    return rows, out.getvalue()


def test_race_returns_a_row_per_strategy_and_n_in_plan_order(raced):
    rows, _progress = raced
    assert [(r["strategy"], r["n"]) for r in rows] == [
        (s, n) for n in (1, 8) for s in ("thread_pool_workers", "general_loop", "serial")]
    for row in rows:
        assert row["status"] == "ok" and row["repeats"] == 1
        assert row["times_ideal"] == pytest.approx(row["median_seconds"] / DELAY)
        assert row["cpu_us_per_request"] > 0 and row["peak_rss_mib"] > 1


def test_the_chosen_pool_size_reaches_the_run(raced):
    rows, _progress = raced
    [pool] = [r for r in rows if r["strategy"] == "thread_pool_workers" and r["n"] == 8]
    assert pool["label"] == f"thread_pool_workers({WORKERS})"
    # One wave in flight at a time; a busy machine may show the next wave's requests
    # arriving before the service has seen the last wave's connections close.
    assert WORKERS <= pool["most_at_once"] <= 2 * WORKERS, "the pool caps requests in flight"
    assert pool["threads"] == WORKERS + 1  # the workers and the main thread
    waves = math.ceil(8 / WORKERS)
    assert pool["median_seconds"] >= 0.95 * waves * DELAY
    assert [r["label"] for r in rows if r["n"] == 8][1:] == ["general_loop", "serial"]


def test_race_prints_one_progress_line_per_run(raced):
    _rows, progress = raced
    lines = progress.splitlines()
    assert len(lines) == 6 and lines[0].startswith("[1/6, 5 left, ")
    assert f"thread_pool_workers({WORKERS}) N=8 repeat 1/1 ... " in progress


def test_race_skips_what_is_hopeless_and_says_why_in_the_row_and_the_progress():
    out = io.StringIO()
    rows = race(["serial", "general_loop"], [2, 30], delay=DELAY, out=out)
    [skipped] = [r for r in rows if r["status"] != "ok"]
    assert (skipped["strategy"], skipped["n"], skipped["status"]) == ("serial", 30, "skipped")
    assert "hopeless: predicted 1.5 s, more than 20 delays" in skipped["reason"]
    assert "skipping serial N=30: hopeless" in out.getvalue()
    assert "skipped: hopeless" in table(rows)


def test_the_pool_size_changes_the_plan():
    """A pool of 2 makes 100 requests hopeless (50 waves); a pool of 10 does not (10)."""
    for workers, runs in ((2, False), (10, True)):
        options = bench_options.parse(["--n", "100", "--delay", "1", "--repeats", "1",
                                       "--strategies", "thread_pool_workers",
                                       "--workers", str(workers)])
        todo, skipped = plan(options)
        assert bool(todo) is runs and bool(skipped) is not runs, (workers, todo, skipped)


def test_without_workers_the_sized_pool_takes_the_default_size():
    strategy = STRATEGIES["thread_pool_workers"]
    assert strategy.sized_by(None) == {} and strategy.label(None) == "thread_pool_workers"
    assert strategy.predict(100, 1.0) == math.ceil(100 / default_pool_size())
    assert strategy.predict(100, 1.0, **strategy.sized_by(40)) == 3
    assert STRATEGIES["general_loop"].sized_by(40) == {}, "unsized strategies ignore workers"
    assert STRATEGIES["general_loop"].label(40) == "general_loop"


@pytest.mark.parametrize("arguments, says", [
    ({"workers": 0}, r"workers must be at least 1 worker; got 0"),
    ({"workers": "ten"}, r"workers must be a whole number of workers"),
    ({"strategies": ["serial", "telepathy"]}, r"unknown 'telepathy'; choose from serial"),
    ({"strategies": "serial"}, r"strategies must be a list of names"),
    ({"strategies": []}, r"strategies: none named"),
    ({"ns": [0]}, r"ns\[0\] must be at least 1 request"),
    ({"ns": "ten"}, r"ns must be a list of request counts"),
    ({"delay": 3600}, r"longer than the service serves"),
    ({"repeats": 11}, r"repeats=11 is more than this experiment allows \(10\)"),
])
def test_race_refuses_a_bad_value_before_anything_starts(arguments, says, monkeypatch):
    monkeypatch.setattr(Bench, "__enter__", lambda self: pytest.fail("it started"))
    call = {"strategies": ["serial"], "ns": [1], "delay": DELAY, **arguments}
    with pytest.raises(helpers.InvalidParameter, match=says):
        race(call.pop("strategies"), call.pop("ns"), **call)


def test_chosen_strategies_keeps_each_name_once_in_order():
    assert chosen_strategies(("serial", "floor", "serial")) == ["serial", "floor"]


def test_a_bad_workers_flag_gets_one_line(capsys):
    with pytest.raises(SystemExit) as exit_:
        bench.main(["--workers", "0"])
    assert exit_.value.code == 2
    assert "--workers must be at least 1 worker; got 0" in capsys.readouterr().err


def test_an_interrupt_stops_the_race_says_so_in_one_line_and_leaves_nothing(monkeypatch):
    started = []
    real_run_one = Bench.run_one

    def interrupted_after_one(self, name, n, repeat):
        started.append(self.service)
        if len(started) > 1:
            raise KeyboardInterrupt
        return real_run_one(self, name, n, repeat)

    monkeypatch.setattr(Bench, "run_one", interrupted_after_one)
    with pytest.raises(helpers.MeasurementInterrupted) as stopped:
        race(["general_loop"], [1, 2], delay=DELAY, out=io.StringIO())
    message = str(stopped.value)
    assert message.startswith("Interrupted: the race stopped after 1 run(s)")
    assert "\n" not in message
    assert not started[0].running, "the race's service outlived the interrupt"


def test_table_shows_the_columns_asked_for():
    rows = [{"strategy": "thread_pool_workers", "label": "thread_pool_workers(4)", "n": 10,
             "status": "ok", "median_seconds": 0.3, "times_ideal": 3.0,
             "cpu_us_per_request": 120.0, "peak_rss_mib": 30.0}]
    lines = table(rows, columns=["strategy", "n", "median_seconds", "peak_rss_mib"])
    assert lines.splitlines()[0] == "| strategy | N | median s | peak RSS MiB |"
    assert lines.splitlines()[2] == "| thread_pool_workers(4) | 10 | 0.300 | 30 |"
    with pytest.raises(helpers.InvalidParameter, match=r"columns must list keys"):
        table(rows, columns=["strategy", "speed"])


def scaling_rows():
    rows = []
    for name, label, seconds in (("serial", "serial", lambda n: n * 1.0),
                                 ("thread_pool_workers", "thread_pool_workers(4)",
                                  lambda n: math.ceil(n / 4) * 1.0),
                                 ("general_loop", "general_loop", lambda n: 1.0)):
        for n in (1, 10, 100):
            rows.append({"strategy": name, "label": label, "n": n, "status": "ok",
                         "median_seconds": seconds(n), "cpu_us_per_request": 100.0 + n,
                         "peak_rss_mib": 25.0 + n / 10, "lateness_p99_ms": 1.0})
    rows.append({"strategy": "serial", "label": "serial", "n": 1000, "status": "skipped",
                 "reason": "hopeless"})
    return rows


def test_plot_scaling_draws_four_labelled_panels_with_the_ideal():
    plt.close("all")
    plot_scaling(scaling_rows(), delay=1.0, title="Only the loop stays at one delay")
    figure = plt.gcf()
    try:
        wall, cpu, memory, lateness = figure.axes
        assert figure._suptitle.get_text() == "Only the loop stays at one delay"
        assert wall.get_xscale() == wall.get_yscale() == "log"
        assert wall.get_xlabel() and "(s" in wall.get_ylabel()
        legend = [t.get_text() for t in wall.get_legend().get_texts()]
        assert legend == ["serial", "thread_pool_workers(4)", "general_loop",
                          "ideal: one delay (1 s)"]
        for ax in (cpu, memory, lateness):
            assert ax.get_xscale() == "log" and ax.get_xlabel() and ax.get_title()
            assert "(" in ax.get_ylabel(), "the y axis says its unit"
            assert len(ax.get_lines()) == 3  # one per strategy; the skipped row is not drawn
        assert cpu.get_yscale() == "log" and memory.get_yscale() == "linear"
        colours = [line.get_color() for line in wall.get_lines()[:3]]
        assert [line.get_color() for line in cpu.get_lines()] == colours
    finally:
        plt.close(figure)


def test_plot_scaling_of_nothing_measured_is_refused():
    with pytest.raises(helpers.InvalidParameter, match=r"No measured rows to draw"):
        plot_scaling([{"strategy": "serial", "n": 1, "status": "skipped"}], delay=1.0,
                     title="t")


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="Linux's /proc")
def test_a_runs_peak_memory_is_its_own_not_its_parents():
    """getrusage's ru_maxrss survives exec: a run started by a big process (a notebook's
    kernel) reported the parent's peak. The run's own peak is far below a 300 MiB parent."""
    code = ("import json, subprocess, sys\n"
            "ballast = bytearray(300 * 2**20)\n"
            "ballast[::4096] = b'x' * len(ballast[::4096])  # touched: resident\n"
            "child = ('from helpers.bench.child import peak_rss_bytes; '\n"
            "         'print(peak_rss_bytes())')\n"
            "print(subprocess.run([sys.executable, '-c', child], capture_output=True,\n"
            "                     text=True, check=True).stdout)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert int(done.stdout) < 150 * 2**20, f"{int(done.stdout) / 2**20:.0f} MiB"


def child_processes():
    """PIDs of this process's live descendants (Linux /proc)."""
    return [pid for pid in descendants(os.getpid()) if process_alive(pid)]


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="finds children in Linux's /proc")
def test_a_real_interrupt_mid_race_stops_the_run_and_the_service():
    """What the kernel's stop button does: SIGINT to the main thread while a run waits."""
    before = set(child_processes())
    with ctrl_c_after(1.5), pytest.raises(helpers.MeasurementInterrupted,
                                          match=r"^Interrupted: the race"):
        race(["serial"], [8], delay=0.5, out=io.StringIO())  # 4 s if not stopped
    deadline = time.monotonic() + 5
    while set(child_processes()) - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not set(child_processes()) - before, "a run or the service outlived the interrupt"
