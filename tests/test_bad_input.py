"""Bad values for every knob get an InvalidParameter that says what is allowed.

The functions are found, not listed: every callable in helpers.__all__, every public
function and class of the modules the notebooks import from (MODULES), every strategy
in helpers.strategies.STRATEGIES and the widgets' sliders is inspected, and each of its
parameters named like a knob (n, ns, delay, delays, workers, timeout, address, cpus,
value/low/high, ...) gets every kind of bad value: 0, negative, non-integer, huge, wrong
type, NaN, infinity, a URL for an address, and a delay the service cannot serve. A new
function or strategy is covered as soon as it exists; a parameter with a new name fails
test_every_parameter_is_classified until it is added to KNOBS or OTHER_PARAMETERS below.
"""
import dataclasses
import inspect
import math
import re

import matplotlib.pyplot as plt
import pytest

import helpers
from helpers import anatomy, loops, plots, raw_http, threads, trace, widgets
from helpers.strategies import STRATEGIES, serial

from resources import time_limit

# bad value -> a pattern the message must match: it names what is allowed.
BAD_COUNTS = [
    (0, r"at least 1"), (-5, r"at least 1"), (2.5, r"whole number"), ("ten", r"whole number"),
    ("10", r"whole number"), (True, r"whole number"), (None, r"whole number"),
    (10**9, r"more than .* allows \([\d,]+\)"), (1e300, r"more than .* allows"),
    (math.inf, r"whole number"), (math.nan, r"whole number"), ([10], r"whole number"),
]
BAD_DELAYS = [
    (-1, r"0 seconds or more"), (math.nan, r"0 seconds or more"), ("fast", r"number of seconds"),
    (True, r"number of seconds"), (None, r"number of seconds"), ([1], r"number of seconds"),
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
KNOBS = {"n": BAD_COUNTS, "workers": BAD_COUNTS, "repeats": BAD_COUNTS, "cpus": BAD_COUNTS,
         "count": BAD_COUNTS, "task_count": BAD_COUNTS, "interval_ms": BAD_COUNTS,
         "delay": BAD_DELAYS, "delays": BAD_DELAY_LISTS, "timeout": BAD_TIMEOUTS,
         "ns": BAD_COUNT_LISTS, "address": BAD_ADDRESSES}
# Parameters that are not knobs a learner turns (the test passes good values for them).
OTHER_PARAMETERS = {"strategy", "service", "url", "path", "label", "name",
                    "maximum", "unit", "status", "body", "title", "ax", "show", "results",
                    "jobs", "measurements", "predictions", "phases", "records", "tasks",
                    "on_step", "step", "steps", "host", "sock", "data", "ms", "share"}
# Beside helpers.__all__: the modules whose functions the notebooks import by name.
MODULES = [threads, anatomy, raw_http, trace, loops, plots]


@pytest.fixture(autouse=True)
def hard_time_bound():
    with time_limit(60):
        yield


@pytest.fixture(scope="module")
def service():
    with helpers.Service(delay=0.01) as s:
        yield s


@pytest.fixture(scope="module")
def good(service):
    """A valid value for every parameter a function under test may require."""
    measurement = helpers.Measurement("serial", 1, 0.01, 0.01, 1)
    _results, steps = trace.trace_run(trace.delayed_requests(service, [0.01, 0.02]))
    fig, ax = plt.subplots()
    yield {"strategy": serial, "service": service, "url": service.url,
           "address": service.address, "n": 1, "ns": [1], "delay": 0.01, "workers": 1,
           "repeats": 1, "timeout": 5, "self": service, "cpus": 4, "task_count": 2,
           "status": 200, "body": helpers.downstream.BODY, "title": "a title", "ax": ax,
           "results": {1: [measurement]}, "measurements": [measurement],
           "jobs": [threads.Job(0, "worker_0", 0.0, 0.01)], "tasks": [], "delays": [0.01, 0.02],
           "steps": steps, "step": steps[0]}
    plt.close(fig)


def _checkable(obj):
    """A function or class to call, not an exception or a record of results."""
    if not callable(obj) or dataclasses.is_dataclass(obj):
        return False
    return not (inspect.isclass(obj) and issubclass(obj, BaseException))


def public_callables():
    """(name, callable) for helpers.__all__ (not exceptions or result records), the public
    functions and classes defined in MODULES, the service's url_with_delay, and every
    strategy."""
    found = [(name, getattr(helpers, name)) for name in helpers.__all__
             if _checkable(getattr(helpers, name))]
    found.append(("Service.url_with_delay", helpers.Service.url_with_delay))
    found += [(f"STRATEGIES[{name!r}]", strategy) for name, strategy in sorted(STRATEGIES.items())]
    for module in MODULES:
        short = module.__name__.rsplit(".", 1)[-1]
        for name, obj in sorted(vars(module).items()):
            # Defined there (an import is covered where it is defined), and public.
            if (not name.startswith("_") and _checkable(obj)
                    and (inspect.isfunction(obj) or inspect.isclass(obj))
                    and obj.__module__ == module.__name__):
                found.append((f"{short}.{name}", obj))
    # One entry per function, under its first name (loops.article_loop is a strategy too).
    unique = {}
    for name, obj in found:
        unique.setdefault(id(obj), (name, obj))
    return list(unique.values())


def shown(value):
    """A short repr for a test id: 10**400 is 401 digits."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:12]}...({len(text)} characters)"


def knob_cases():
    """One case per (callable, knob parameter, bad value)."""
    cases = []
    for name, function in public_callables():
        for parameter in inspect.signature(function).parameters.values():
            for bad, pattern in KNOBS.get(parameter.name, []):
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
            "call_blocking", "call_low_level", "request_count"} <= names
    assert {"threads.predicted_seconds", "threads.article_era_pool_size",
            "threads.plot_staircase", "anatomy.time_phases", "raw_http.open_request",
            "loops.call_downstream_async", "loops.run", "trace.delayed_requests",
            "trace.step_through", "plots.plot_latency"} <= names
    assert {f"STRATEGIES[{name!r}]" for name in STRATEGIES} <= names


def call(function, arguments):
    """function(**arguments); a generator function checks its arguments when it first runs,
    so take its first step (and close it)."""
    result = function(**arguments)
    if inspect.isgenerator(result):
        try:
            next(result)
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
        trace.step_through(good["steps"], delays=[0.1])


@pytest.mark.parametrize("draw", [
    lambda: plots.plot_timeline([], title="t"), lambda: plots.plot_latency([], title="t"),
    lambda: threads.plot_staircase({}, delay=1, title="t"),
    lambda: threads.plot_gantt([], title="t"),
    lambda: anatomy.plot_where_the_time_goes([], title="t"),
], ids=["plot_timeline", "plot_latency", "plot_staircase", "plot_gantt",
        "plot_where_the_time_goes"])
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
SLIDERS = {"request_slider": (widgets.request_slider, BAD_COUNTS, (10, 1, 200)),
           "delay_slider": (widgets.delay_slider, BAD_DELAYS, (1.0, 0.1, 2.0))}


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
        widgets.request_slider(10, 200, 1)
    with pytest.raises(helpers.InvalidParameter, match=r"low <= high"):
        widgets.delay_slider(1.0, 2.0, 0.1)
    # A parameters cell may ask for more than the slider's usual range: show that value,
    # rather than quietly clamping it to the maximum as ipywidgets would.
    assert widgets.request_slider(300, 1, 200).value == 300
    assert widgets.delay_slider(3.0, 0.1, 2.0).value == 3.0


def test_rerun_refuses_what_it_cannot_call():
    with pytest.raises(helpers.InvalidParameter, match=r"experiment as a function"):
        widgets.rerun("measure", n=widgets.request_slider(10, 1, 200))


@pytest.mark.parametrize("bad, pattern", BAD_COUNTS + [(10**6, r"more than")])
def test_rerun_prints_the_message_for_a_bad_value(bad, pattern, service, capsys):
    def experiment(n):
        print(helpers.measure(serial, n, service))

    panel = widgets.rerun(experiment, n=widgets.request_slider(2, 1, 10))
    panel.f(n=bad)  # what pressing Run calls, here with a value no slider would give
    printed = capsys.readouterr().out
    assert printed.startswith("Could not run the experiment: "), printed
    assert re.search(pattern, printed), printed


def test_rerun_prints_a_failed_run_and_lets_real_bugs_through(capsys):
    def fails(n):
        raise helpers.ServiceError("the service is gone")

    widgets.rerun(fails, n=widgets.request_slider(2, 1, 10)).f(n=2)
    assert "Could not run the experiment: the service is gone" in capsys.readouterr().out

    def has_a_bug(n):
        return 1 / 0

    with pytest.raises(ZeroDivisionError):  # a bug in the notebook's own code stays visible
        widgets.rerun(has_a_bug, n=widgets.request_slider(2, 1, 10)).f(n=2)
