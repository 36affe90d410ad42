"""Bad values for every knob get an InvalidParameter that says what is allowed.

The functions are found, not listed: every callable named in the `__all__` of a
package face (helpers itself, each subpackage, and each flat module that has one) is
inspected, and each of its parameters named like a knob (n, ns, delay, delays, workers,
timeout, address, cpus, ...) gets every kind of bad value: 0, negative, non-integer,
huge, wrong type, NaN, infinity, a URL for an address. A delay the service cannot serve
(an hour) is refused only where the delay is asked of the service; a prediction or a
plot may speak of an hour. A new function is covered as soon as a face exports it; a
parameter with a new name fails test_every_parameter_is_classified until it is added to
KNOBS or OTHER_PARAMETERS below.

Strategies trust their caller for n (helpers.measure checks it once, at the edge), so
each registered strategy is checked through measure() instead.
"""
import dataclasses
import importlib
import inspect
import math
import pkgutil
import re

import matplotlib.pyplot as plt
import pytest

import helpers
from helpers import strategies, views
from helpers.loops import trace_run
from helpers.clients import delayed_requests
from helpers.strategies import STRATEGIES, serial

from support.timing import time_limit

# bad value -> a pattern the message must match: it names what is allowed.
BAD_COUNTS = [
    (0, r"at least 1"), (-5, r"at least 1"), (2.5, r"whole number"), ("ten", r"whole number"),
    ("10", r"whole number"), (True, r"whole number"), (None, r"whole number"),
    (10**9, r"more than .* allows \([\d,]+\)"), (1e300, r"more than .* allows"),
    (math.inf, r"whole number"), (math.nan, r"whole number"), ([10], r"whole number"),
]
BAD_SECONDS = [
    (-1, r"0 seconds or more"), (math.nan, r"0 seconds or more"), ("fast", r"number of seconds"),
    (True, r"number of seconds"), (None, r"number of seconds"), ([1], r"number of seconds"),
    (math.inf, r"finite number of seconds|longer than the service serves"),
]
# What only a delay asked of the service must refuse.
BEYOND_THE_SERVICE = [
    (3600, r"longer than the service serves \(60 s at most\)"),
    (math.inf, r"longer than the service serves"), (10**400, r"longer than the service serves"),
]
BAD_TIMEOUTS = [
    (0, r"more than 0 and at most"), (-1, r"more than 0 and at most"),
    (math.nan, r"more than 0 and at most"), (math.inf, r"at most 600 seconds"),
    (10**6, r"at most 600 seconds"), (None, r"number of seconds"), ("soon", r"number of seconds"),
    (True, r"number of seconds"), (10**400, r"at most 600 seconds"),
]
BAD_COUNT_LISTS = [
    ([], r"at least one request count"), (5, r"list of request counts, like"),
    ("1248", r"list of request counts, like"), (None, r"list of request counts, like"),
    ([1, 0], r"ns\[1\] must be at least 1"), ([1, "two"], r"ns\[1\] must be a whole number"),
    ([10**9], r"more than .* allows"),
]
BAD_DELAY_LISTS = [
    ([], r"at least one delay"), ("ten", r"list of delays in seconds, like"),
    (0.5, r"list of delays in seconds, like"), (None, r"list of delays in seconds, like"),
    ([0.1, -1], r"delays\[1\] must be 0 seconds or more"),
    (["fast"], r"delays\[0\] must be a number of seconds"),
    ([math.nan], r"delays\[0\] must be 0 seconds or more"),
    ([3600], r"delays\[0\]=3600.0 s is longer than the service serves"),
]
BAD_ADDRESSES = [
    ("http://127.0.0.1:8000/get_resource",
     r"\(host, port\), like service.address.*call_blocking\(url\)"),
    (("127.0.0.1",), r"\(host, port\), like service.address"), (None, r"\(host, port\)"),
    (5, r"\(host, port\)"), (("127.0.0.1", 8000, 0), r"\(host, port\)"),
    (("127.0.0.1", "8000"), r"port must be a whole number from 1 to 65535"),
    (("127.0.0.1", 0), r"port must be a whole number from 1 to 65535"),
    (("127.0.0.1", 70000), r"port must be a whole number from 1 to 65535"),
    ((8000, "127.0.0.1"), r"host must be a name or IP address"),
]
BAD_LOOPS = [("uv", r"'uvloop' or 'asyncio'"), ("", r"'uvloop' or 'asyncio'"),
             (5, r"'uvloop' or 'asyncio'"), (True, r"'uvloop' or 'asyncio'")]
KNOBS = {"loop": BAD_LOOPS, "n": BAD_COUNTS, "workers": BAD_COUNTS, "repeats": BAD_COUNTS,
         "cpus": BAD_COUNTS, "count": BAD_COUNTS, "task_count": BAD_COUNTS, "interval_ms": BAD_COUNTS,
         "requests": BAD_COUNTS, "waits": BAD_COUNTS,
         "delay": BAD_SECONDS, "seconds": BAD_SECONDS, "delays": BAD_DELAY_LISTS,
         "timeout": BAD_TIMEOUTS,
         "ns": BAD_COUNT_LISTS, "address": BAD_ADDRESSES,
         # backlog.connect_to_slow_listener and open_files (notebook 07)
         "connections": BAD_COUNTS, "backlog": BAD_COUNTS, "soft": BAD_COUNTS,
         "hard": BAD_COUNTS, "need": BAD_COUNTS, "hold": BAD_SECONDS,
         "give_up": BAD_SECONDS}
# The public callables whose `delay` is asked of the service (the rest only compute or draw).
ASK_THE_SERVICE = {"Service", "shared_service", "lesson_delay", "Service.url_with_delay",
                   "resource_path", "delay_seconds", "race"}
# The callables whose `loop` names the service's event loop ('uvloop' or 'asyncio'); the
# general loop's Future and Task take an EventLoop there instead.
SERVICE_LOOPS = {"Service"}
# Parameters that are not knobs a learner turns (the test passes good values for them).
OTHER_PARAMETERS = {"strategy", "service", "url", "path", "label", "name",
                    "maximum", "unit", "status", "body", "title", "ax", "show", "results",
                    "jobs", "measurements", "predictions", "phases", "records", "tasks",
                    "on_step", "step", "steps", "host", "port", "sock", "data", "ms", "share",
                    "size", "experiment", "controls", "description", "checks",
                    "functions", "titles",  # views.side_by_side: what to show, checked there
                    "shell",  # helpers.notebook.install: an IPython shell, or None
                    # the general loop's: what a task runs or waits for (and its `loop`,
                    # an EventLoop: the knob `loop` is the service's only, SERVICE_LOOPS)
                    "main", "coro", "awaitable", "awaitables", "what",
                    # loops.run_in_executor / to_thread: a pool and the call to run on it
                    "executor", "fn", "args",
                    # the sliders' bounds: test_a_slider_refuses_bad_bounds below
                    "value", "low", "high",
                    # views.strategy_picker: the names offered (tests/test_views_widgets.py)
                    "choices",
                    # bench: the command line, the names to race, where progress goes
                    "argv", "strategies", "out",
                    # bench.table: which of its columns, checked there (test_bench_race.py)
                    "columns",
                    # views.plot_benchmark / plot_scaling / plot_waits: what to draw
                    "rows", "durations", "marks"}


@pytest.fixture(autouse=True)
def hard_time_bound():
    with time_limit(60):
        yield


SERVICE_DELAY = 0.01  # seconds, for the `service` fixture (tests/conftest.py)


@pytest.fixture(scope="module")
def good(service):
    """A valid value for every parameter a function under test may require."""
    measurement = helpers.Measurement("serial", 1, 0.01, 0.01, 1)
    _results, steps = trace_run(delayed_requests(service, [0.01, 0.02]))
    fig, ax = plt.subplots()
    yield {"strategy": serial, "service": service, "url": service.url,
           "address": service.address, "host": service.address[0],
           "port": service.address[1], "path": service.path, "n": 1, "ns": [1], "delay": 0.01, "workers": 1,
           "repeats": 1, "timeout": 5, "self": service, "cpus": 4, "task_count": 2,
           "status": 200, "body": helpers.BODY, "title": "a title", "ax": ax,
           "results": {1: [measurement]}, "measurements": [measurement],
           "jobs": [strategies.Job(0, "worker_0", 0.0, 0.01)], "tasks": [], "delays": [0.01, 0.02],
           "steps": steps, "step": steps[0], "awaitable": (step for step in steps),
           "seconds": 1.0, "strategies": ["serial"], "connections": 2, "backlog": 8,
           "hold": 0.0, "soft": 64,
           "rows": [{"strategy": "serial", "n": 1, "status": "ok", "median_seconds": 0.01,
                     "cpu_us_per_request": 100.0, "peak_rss_mib": 20.0,
                     "lateness_p99_ms": 1.0}]}
    plt.close(fig)


def _checkable(obj):
    """A function or class to call, not an exception or a record of results."""
    if not callable(obj) or dataclasses.is_dataclass(obj):
        return False
    return not (inspect.isclass(obj) and issubclass(obj, BaseException))


def faces():
    """helpers and every module or subpackage of it that declares its face in __all__."""
    found = [helpers]
    for info in pkgutil.iter_modules(helpers.__path__):
        module = importlib.import_module(f"helpers.{info.name}")
        if hasattr(module, "__all__"):
            found.append(module)
    return found


def strategy_runs():
    return {id(strategy.run) for strategy in STRATEGIES.values()}


def public_callables():
    """(name, callable) for every function and class a face exports (not exceptions or
    result records), and the service's url_with_delay. Each under its first name."""
    found = [("Service.url_with_delay", helpers.Service.url_with_delay)]
    for face in faces():
        prefix = "" if face is helpers else face.__name__.rsplit(".", 1)[-1] + "."
        found += [(prefix + name, getattr(face, name)) for name in face.__all__
                  if _checkable(getattr(face, name))]
    unique = {}
    for name, obj in found:
        unique.setdefault(id(obj), (name, obj))
    return list(unique.values())


def shown(value):
    """A short repr for a test id: 10**400 is 401 digits."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:12]}...({len(text)} characters)"


def knob_cases():
    """One case per (callable, knob parameter, bad value); strategies through measure()."""
    cases = []
    runs = strategy_runs()
    for name, function in public_callables():
        for parameter in inspect.signature(function).parameters.values():
            if parameter.name == "n" and id(function) in runs:
                continue  # measure() checks n for every strategy: strategy_cases() below
            bad_values = list(KNOBS.get(parameter.name, []))
            if parameter.name == "loop" and name.rsplit(".", 1)[-1] not in SERVICE_LOOPS:
                continue
            if parameter.name == "delay" and name.rsplit(".", 1)[-1] in ASK_THE_SERVICE:
                bad_values += BEYOND_THE_SERVICE
            for bad, pattern in bad_values:
                if bad is None and parameter.default is None:
                    continue  # None means "the default" here
                cases.append(pytest.param(name, function, parameter.name, bad, pattern,
                                          id=f"{name}-{parameter.name}={shown(bad)}"))
    return cases


def good_arguments(function, good):
    """A valid value for every required parameter of function (add new ones to `good`)."""
    arguments = {}
    for parameter in inspect.signature(function).parameters.values():
        if parameter.default is parameter.empty and parameter.kind in (
                parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
            arguments[parameter.name] = good[parameter.name]
    return arguments


def test_every_parameter_is_classified():
    for name, function in public_callables():
        for parameter in inspect.signature(function).parameters:
            assert parameter in KNOBS or parameter in OTHER_PARAMETERS | {"self"}, (
                f"{name}({parameter}=...): add {parameter!r} to KNOBS (with its bad values) "
                "or to OTHER_PARAMETERS in tests/test_bad_input.py")


def test_the_knobs_are_found():
    names = {case.values[0] for case in knob_cases()}
    assert {"measure", "sweep", "measure_median", "Service", "shared_service",
            "call_blocking", "call_low_level", "request_count", "slack"} <= names
    assert {"strategies.predicted_seconds", "strategies.article_era_pool_size",
            "strategies.thread_pool", "views.plot_staircase", "clients.time_phases",
            "clients.open_request", "clients.call_downstream_async", "loops.run",
            "clients.delayed_requests", "views.step_through", "views.plot_latency",
            "wire.resource_path", "costs.thread_cost", "service.lesson_delay",
            "loops.sleep", "loops.timeout", "loops.deadline", "loops.Semaphore",
            "clients.fetch_task", "clients.fetch", "strategies.floor",
            "strategies.general_loop"} <= names
    assert len(faces()) >= 10, [face.__name__ for face in faces()]


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
@pytest.mark.parametrize("bad, pattern", BAD_COUNTS)
def test_every_strategy_is_refused_a_bad_count_by_measure(strategy, bad, pattern, service):
    with pytest.raises(helpers.InvalidParameter, match=pattern):
        helpers.measure(STRATEGIES[strategy].run, bad, service)


@pytest.mark.parametrize("call", [
    lambda: strategies.predicted_seconds(100, 40, 3600),
    lambda: views.finish_latency_axes(plt.gca(), title="t", delay=3600),
], ids=["predicted_seconds", "finish_latency_axes"])
def test_an_hour_is_refused_only_where_the_service_is_asked_for_it(call):
    """The service's limit (60 s) is the service's: a prediction may run to hours."""
    call()
    plt.close("all")
    with pytest.raises(helpers.InvalidParameter, match="longer than the service serves"):
        helpers.shared_service(3600)


def call(function, arguments):
    """function(**arguments); a generator or coroutine function checks its arguments when
    it first runs, so take its first step (and close it)."""
    result = function(**arguments)
    if inspect.isgenerator(result) or inspect.iscoroutine(result):
        try:
            result.send(None)
        finally:
            result.close()
    return result


@pytest.mark.parametrize("name, function, parameter, bad, pattern", knob_cases())
def test_a_bad_knob_is_refused_with_what_is_allowed(name, function, parameter, bad, pattern,
                                                    good):
    arguments = good_arguments(function, good)
    arguments[parameter] = bad
    if "self" in arguments:
        function = function.__get__(arguments.pop("self"))
    with pytest.raises(helpers.InvalidParameter, match=pattern) as refused:
        call(function, arguments)
    assert re.search(rf"\b{parameter}\b", str(refused.value)), \
        f"the message should name the parameter {parameter!r}: {refused.value}"


def test_step_through_wants_one_delay_per_task(good):
    with pytest.raises(helpers.InvalidParameter, match=r"delays must hold one delay per task: 2"):
        views.step_through(good["steps"], delays=[0.1])


@pytest.mark.parametrize("draw", [
    lambda: views.plot_timeline([], title="t"), lambda: views.plot_latency([], title="t"),
    lambda: views.plot_staircase({}, delay=1, title="t"),
    lambda: views.plot_gantt([], title="t"),
    lambda: views.plot_where_the_time_goes([], title="t"),
    lambda: views.plot_waits([], title="t"),
    lambda: views.plot_scaling([{"strategy": "serial", "n": 100, "status": "skipped"}],
                               delay=1, title="t"),
], ids=["plot_timeline", "plot_latency", "plot_staircase", "plot_gantt",
        "plot_where_the_time_goes", "plot_waits", "plot_scaling"])
def test_a_plot_of_nothing_is_refused_before_a_figure_opens(draw):
    figures = plt.get_fignums()
    with pytest.raises(helpers.InvalidParameter,
                       match=r"No .* to draw|must map pool sizes|non-empty list"):
        draw()
    assert plt.get_fignums() == figures, "a refused plot left a blank figure behind"


@pytest.mark.parametrize("status, body, pattern", [
    (200, None, r"body must be the bytes the service sent"),
    (200, "resource", r"body must be the bytes the service sent"),
    ("200", b"resource", r"status must be the HTTP status code as a number"),
])
def test_check_response_names_a_wrong_type(status, body, pattern):
    with pytest.raises(helpers.InvalidParameter, match=pattern):
        helpers.check_response(status, body)


@pytest.mark.parametrize("value, pattern", [
    ("-1", r"0 seconds or more"), ("fast", r"number of seconds"), ("3600", r"longer than"),
    ("nan", r"0 seconds or more"),
    ("0", r"more than 0 seconds: the notebooks measure time in delays"),
])
def test_a_bad_course_delay_variable_is_named(value, pattern, monkeypatch):
    monkeypatch.setenv("COURSE_DELAY", value)
    with pytest.raises(helpers.InvalidParameter, match=f"COURSE_DELAY.*{pattern}"):
        helpers.default_delay()


def test_a_notebooks_delay_of_zero_is_refused_before_anything_divides_by_it():
    """A request may ask for 0 s, but the notebooks' DELAY is their unit of time."""
    with pytest.raises(helpers.InvalidParameter, match=r"delay must be more than 0 seconds"):
        helpers.shared_service(0)


def test_measure_refuses_what_is_not_a_strategy_or_a_service(service):
    with pytest.raises(helpers.InvalidParameter, match=r"strategy must be a function"):
        helpers.measure("serial", 1, service)
    with pytest.raises(helpers.InvalidParameter, match=r"service must be a running"):
        helpers.measure(serial, 1, service.url)


# -- widgets ----------------------------------------------------------------------------
SLIDERS = {"request_slider": (views.request_slider, BAD_COUNTS, (10, 1, 200)),
           "delay_slider": (views.delay_slider, BAD_SECONDS + BEYOND_THE_SERVICE, (1.0, 0.1, 2.0))}


def slider_cases():
    return [pytest.param(slider, position, bad, pattern, id=f"{slider}-{parameter}={shown(bad)}")
            for slider, (_make, bad_values, _good) in SLIDERS.items()
            for position, parameter in enumerate(("value", "low", "high"))
            for bad, pattern in bad_values]


@pytest.mark.parametrize("slider, position, bad, pattern", slider_cases())
def test_a_slider_refuses_bad_bounds(slider, position, bad, pattern):
    make, _bad_values, good = SLIDERS[slider]
    arguments = list(good)
    arguments[position] = bad
    with pytest.raises(helpers.InvalidParameter, match=pattern):
        make(*arguments)


def test_a_slider_refuses_low_above_high_and_stretches_to_hold_its_value():
    with pytest.raises(helpers.InvalidParameter, match=r"low <= high"):
        views.request_slider(10, 200, 1)
    with pytest.raises(helpers.InvalidParameter, match=r"low <= high"):
        views.delay_slider(1.0, 2.0, 0.1)
    # A parameters cell may ask for more than the slider's usual range: show that value,
    # rather than quietly clamping it to the maximum as ipywidgets would.
    assert views.request_slider(300, 1, 200).value == 300
    assert views.delay_slider(3.0, 0.1, 2.0).value == 3.0


def test_rerun_refuses_what_it_cannot_call():
    with pytest.raises(helpers.InvalidParameter, match=r"experiment as a function"):
        views.rerun("measure", n=views.request_slider(10, 1, 200))


@pytest.mark.parametrize("bad, pattern", BAD_COUNTS + [(10**6, r"more than")])
def test_rerun_prints_the_message_for_a_bad_value(bad, pattern, service, capsys):
    def experiment(n):
        print(helpers.measure(serial, n, service))

    panel = views.rerun(experiment, n=views.request_slider(2, 1, 10))
    panel.f(n=bad)  # what pressing Run calls, here with a value no slider would give
    printed = capsys.readouterr().out
    assert printed.startswith("Could not run the experiment: "), printed
    assert re.search(pattern, printed), printed


def test_rerun_prints_a_failed_run_and_lets_real_bugs_through(capsys):
    def fails(n):
        raise helpers.ServiceError("the service is gone")

    views.rerun(fails, n=views.request_slider(2, 1, 10)).f(n=2)
    assert "Could not run the experiment: the service is gone" in capsys.readouterr().out

    def has_a_bug(n):
        return 1 / 0

    with pytest.raises(ZeroDivisionError):  # a bug in the notebook's own code stays visible
        views.rerun(has_a_bug, n=views.request_slider(2, 1, 10)).f(n=2)
