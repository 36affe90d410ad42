"""The benchmark: every strategy at every request count, against one downstream
service, each run in a fresh process, every response checked.

    python3 course.py bench --n 1,100,1000,10000 --delay 1.0 --repeats 3
    python -m helpers.bench --list
    python -m helpers.bench --strategies floor,asyncio_streams --n 10000 --json out.json

    race      the same from a notebook: race(strategies, ns, delay=...) -> the rows
    table     the rows as the command's Markdown table (or some of its columns)
    options   the flags, each checked before anything runs
    runner    the plan, the service, a child process per run, Ctrl-C
    child     one measured run (the clock rule is there)
    report    the table, the JSON; the plot is drawn by helpers.views.benchmark

The measuring parts import no matplotlib, so the explorer notebook can use them at a
smaller N; only --plot draws.
"""
from .command import main
from .race import race
from .report import LEGEND, table

__all__ = ["LEGEND", "main", "race", "table"]
