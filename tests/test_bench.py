"""`python -m helpers.bench` (and `python3 course.py bench`): a tiny real run, every flag
checked, Ctrl-C that leaves nothing behind, and no matplotlib unless it draws.

No timing is asserted beyond what a tiny run at a 0.1 s delay makes certain: the table
and the JSON must hold every field, for every strategy and N asked for.
"""
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import bench
from helpers.bench import options as bench_options
from helpers.bench.child import SAMPLE_EVERY
from helpers.bench.report import COLUMNS
from helpers.bench.runner import HOPELESS_DELAYS, plan
from helpers.strategies import STRATEGIES

from support.course_script import load_course_py

ROOT = Path(__file__).resolve().parent.parent
FAST = ["--delay", "0.05", "--repeats", "1"]
# The child counts its threads every SAMPLE_EVERY (50 ms). At twice that delay, the requests
# of a run wait together long enough for a count to land while they do.
TINY_DELAY = 2 * SAMPLE_EVERY
TINY = ["--n", "1,10", "--delay", str(TINY_DELAY), "--repeats", "1",
        "--strategies", "serial,thread_pool_n,asyncio_streams"]


def run_bench(*args, timeout=120, **kwargs):
    return subprocess.run([sys.executable, "-m", "helpers.bench", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, **kwargs)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    done = run_bench(*TINY, "--json", str(folder / "runs.json"))
    assert done.returncode == 0, done.stderr
    return done, json.loads((folder / "runs.json").read_text())


def test_a_tiny_run_prints_a_table_with_every_column(tiny_run):
    done, _data = tiny_run
    lines = [line for line in done.stdout.splitlines() if line.startswith("|")]
    assert lines[0] == "| " + " | ".join(title for _k, title, _f in COLUMNS) + " |"
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]
    assert [(r[0], r[1]) for r in rows] == [(s, n) for n in ("1", "10")
                                            for s in ("serial", "thread_pool_n",
                                                      "asyncio_streams")]
    for row in rows:
        seconds, times_ideal = float(row[2]), float(row[3])
        # Both rounded in the table: 0.0005 s is 0.005 delays, and the ratio 0.005 more.
        assert seconds >= TINY_DELAY
        assert times_ideal == pytest.approx(seconds / TINY_DELAY, abs=0.011)
        assert row[4] == "–"  # no floor in this run
        assert all(cell for cell in row[5:]), row
    assert "load average" in done.stdout and "service on" in done.stdout


def test_a_tiny_run_writes_every_run_to_the_json(tiny_run):
    _done, data = tiny_run
    assert data["service"]["delay"] == TINY_DELAY and data["service"]["loop"]
    assert data["command"].startswith("python -m helpers.bench --n 1,10")
    assert len(data["runs"]) == 6 and data["interrupted"] is False
    for run in data["runs"]:
        assert run["error"] is None
        assert run["seconds"] >= TINY_DELAY * (run["n"] if run["strategy"] == "serial" else 1)
        assert run["cpu_seconds"] > 0 and run["peak_rss_bytes"] > run["rss_before_bytes"] / 2
        waited_together = TINY_DELAY - run["service"]["arrival_spread"]
        if run["strategy"] == "thread_pool_n" and waited_together > SAMPLE_EVERY:
            # Every thread waited for its reply at once for longer than between two counts.
            assert run["threads"] >= run["n"], run
        assert run["threads"] >= 1, run
        service = run["service"]
        assert service["answered"] == run["n"] and service["most_at_once"] >= 1
        assert service["lateness_median"] >= 0 and service["arrival_spread"] >= 0
        assert service["lateness_p99"] < TINY_DELAY, "the service answered late in a tiny run"
        assert 0 <= service["cpu_seconds"] < run["seconds"] + 1
    spread = {(run["strategy"], run["n"]): run["service"]["arrival_spread"]
              for run in data["runs"]}
    for row in data["rows"]:
        assert row["status"] == "ok" and row["times_floor"] is None
        held = row["most_at_once"]
        if row["strategy"] == "serial":
            assert held == 1, row
        elif spread[row["strategy"], row["n"]] < data["service"]["delay"]:
            # Every request arrived before the first was answered: all were held at once.
            # (A busy machine may spread a concurrent client's arrivals over more.)
            assert held == row["n"], (row, spread)
        else:
            assert 1 <= held <= row["n"], (row, spread)


def test_the_progress_says_what_runs_how_many_are_left_and_the_time(tiny_run):
    done, _data = tiny_run
    progress = [line for line in done.stderr.splitlines() if line.startswith("[")]
    assert len(progress) == 6
    assert progress[0].startswith("[1/6, 5 left, 0 s elapsed] serial N=1 repeat 1/1 ... ")
    assert progress[-1].startswith("[6/6, 0 left, ")


def test_hopeless_combinations_are_skipped_with_their_prediction():
    options = bench_options.parse(["--n", "10,100", "--delay", "1", "--repeats", "2",
                                   "--strategies", "serial,asyncio_streams"])
    todo, skipped = plan(options)
    assert ("serial", 10, 1) in todo and ("serial", 100, 1) not in todo
    [skip] = skipped
    assert skip.strategy == "serial" and skip.n == 100 and skip.predicted_seconds == 100
    assert f"predicted 100 s, more than {HOPELESS_DELAYS} delays" in skip.reason
    assert todo.count(("asyncio_streams", 100, 2)) == 1


def test_a_strategy_past_its_limit_is_skipped_with_the_reason():
    options = bench_options.parse(["--n", "2000", *FAST, "--strategies", "article_loop"])
    todo, [skip] = plan(options)
    assert todo == [] and "FD_SETSIZE" in skip.reason and "at most 1,000" in skip.reason


def test_the_skip_is_in_the_table(tmp_path):
    done = run_bench("--n", "30", *FAST, "--strategies", "serial,asyncio_streams")
    assert done.returncode == 0, done.stderr
    assert "| serial | 30 | skipped: hopeless: predicted 1.5 s" in done.stdout


@pytest.mark.parametrize("flags, says", [
    (["--n", "0"], r"--n must be at least 1 request; got 0"),
    (["--n", "ten"], r"--n must be a whole number, like 3; got 'ten'"),
    (["--n", "1,-4"], r"--n must be at least 1 request; got -4"),
    (["--n", "10000000"], r"--n=10,000,000 is more than this experiment allows"),
    (["--n", ","], r"--n must list request counts"),
    (["--delay", "3600"], r"--delay=3600.0 s is longer than the service serves"),
    (["--delay", "0"], r"--delay must be more than 0 seconds"),
    (["--delay", "-1"], r"--delay must be 0 seconds or more"),
    (["--delay", "soon"], r"--delay must be a number of seconds"),
    (["--repeats", "0"], r"--repeats must be at least 1 run"),
    (["--repeats", "many"], r"--repeats must be a whole number"),
    (["--strategies", "serial,telepathy"], r"unknown 'telepathy'; choose from serial"),
    (["--strategies", ","], r"--strategies must name at least one strategy"),
    (["--json", "no-such-folder/runs.json"], r"--json: the folder .* does not exist"),
    (["--plot", "no-such-folder/plot.png"], r"--plot: the folder .* does not exist"),
    (["--service-loop", "tokio"], r"invalid choice: 'tokio'"),
    (["--warp"], r"unrecognized arguments: --warp"),
], ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_a_bad_flag_gets_one_clear_line_and_status_2(flags, says, capsys):
    with pytest.raises(SystemExit) as exit_:
        bench.main(flags)
    assert exit_.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1, err
    assert err.startswith("python -m helpers.bench: ")
    assert re.search(says, err), err


def test_a_bad_loop_variable_is_refused_before_anything_runs(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_SERVICE_LOOP", "tokio")
    with pytest.raises(SystemExit) as exit_:
        bench.main(["--n", "1"])
    assert exit_.value.code == 2 and "COURSE_SERVICE_LOOP" in capsys.readouterr().err


def test_the_exit_status_of_a_bad_flag_reaches_the_shell():
    done = run_bench("--n", "0", timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "python -m helpers.bench: --n must be at least 1 request; got 0. "
        "(--help lists the flags)"]


def test_list_names_every_strategy_of_the_registry(capsys):
    assert bench.main(["--list"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) == len(STRATEGIES)
    for line, (name, strategy) in zip(lines, STRATEGIES.items()):
        assert line.split()[int(strategy.benchmark)] == name and strategy.summary in line
        assert line.startswith("*") == strategy.benchmark


def children_of(pid):
    """(pid, command line) of each process whose parent is pid, from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode()
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid:
            found.append((int(entry), command))
    return found


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def heeds_ctrl_c():
    """In the child before it starts: SIGINT does what it does in a terminal, even when this
    suite was started in the background (`... &`), where the shell ignores SIGINT for it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="finds children in Linux's /proc")
def test_ctrl_c_stops_the_run_the_service_and_every_child():
    bench_process = subprocess.Popen(
        [sys.executable, "-m", "helpers.bench", "--n", "300", "--delay", "2", "--repeats", "3",
         "--strategies", "asyncio_streams"], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, preexec_fn=heeds_ctrl_c)
    try:
        deadline = time.monotonic() + 30
        children = []
        while time.monotonic() < deadline:  # the service and a run in progress
            children = children_of(bench_process.pid)
            if any("helpers.bench.child" in command for _pid, command in children):
                break
            time.sleep(0.05)
        assert len(children) == 2, children
        time.sleep(0.3)  # the run's requests are out: the service holds them
        bench_process.send_signal(signal.SIGINT)
        out, err = bench_process.communicate(timeout=30)
    finally:
        if bench_process.poll() is None:
            bench_process.kill()
            bench_process.communicate()
    assert bench_process.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid, _command in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [c for c in children if alive(c[0])], "a child outlived the Ctrl-C"


def test_the_measuring_part_runs_without_matplotlib(tmp_path):
    code = ("import sys, runpy\n"
            "sys.modules['matplotlib'] = None\n"
            "sys.argv = ['bench', '--n', '2', '--delay', '0.05', '--repeats', '1',\n"
            "            '--strategies', 'asyncio_streams', '--json', sys.argv[1]]\n"
            "runpy.run_module('helpers.bench', run_name='__main__')\n")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "runs.json")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "runs.json").read_text())["rows"][0]["status"] == "ok"


@pytest.mark.skipif(importlib.util.find_spec("matplotlib") is None, reason="draws")
def test_plot_draws_latency_against_n_on_log_axes(tmp_path):
    done = run_bench("--n", "1,4", *FAST, "--strategies", "asyncio_streams",
                     "--plot", str(tmp_path / "bench.png"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "bench.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    from helpers.views.benchmark import plot_benchmark
    rows = [{"strategy": "a", "n": n, "status": "ok", "median_seconds": 1.0 + n / 1e4}
            for n in (1, 100, 10_000)]
    figure = plot_benchmark(rows, delay=1.0)
    ax = figure.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert "ideal" in [t.get_text() for t in ax.get_legend().get_texts()][-1]


def test_course_py_bench_runs_the_same_command(monkeypatch, tmp_path):
    course = load_course_py()
    captured = []
    monkeypatch.setattr(course, "setup", lambda: None)
    monkeypatch.setattr(course.os, "execv", lambda path, args: captured.append(list(args)))
    monkeypatch.chdir(tmp_path)
    course.main(["bench", "--n", "10", "--json", "runs.json"])
    assert captured == [[str(course.PYTHON), "-m", "helpers.bench", "--n", "10",
                         "--json", "runs.json"]]
    assert os.getcwd() == str(tmp_path), "bench must keep the caller's folder for its paths"


# race(), the same runs from a notebook, is tested in tests/test_bench_race.py.
