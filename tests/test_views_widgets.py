"""The explorer's controls (notebook 10): a list of request counts, a pick of strategies,
and rerun() saying in one line that a run was stopped."""
import pytest

import helpers
from helpers.strategies import STRATEGIES
from helpers.views import request_counts_input, rerun, strategy_picker


def test_the_counts_box_holds_the_counts_sorted_once_each():
    box = request_counts_input([100, 1, 10, 10])
    assert box.value == [1, 10, 100] and box.min == 1


@pytest.mark.parametrize("ns, says", [([0], r"ns\[0\] must be at least 1"),
                                      ("1,10", r"ns must be a list of request counts"),
                                      ([], r"at least one request count")])
def test_the_counts_box_refuses_bad_counts(ns, says):
    with pytest.raises(helpers.InvalidParameter, match=says):
        request_counts_input(ns)


def test_the_picker_offers_what_runs_here_with_the_chosen_ticked():
    picker = strategy_picker(["serial", "general_loop"])
    assert picker.value == ("serial", "general_loop")
    assert set(picker.options) <= set(STRATEGIES) and "floor" in picker.options
    assert all(STRATEGIES[name].missing() is None for name in picker.options)
    assert "thread_pool_workers" in picker.options and "recorded_pool" not in picker.options
    assert strategy_picker(["floor"], choices=["floor", "serial"]).options == ("floor", "serial")


@pytest.mark.parametrize("arguments, says", [
    ({"strategies": ["telepathy"]}, r"unknown 'telepathy'; choose from serial"),
    ({"strategies": "serial"}, r"strategies must be a list of names"),
    ({"strategies": ["floor"], "choices": ["serial"]}, r"'floor' are not among the choices"),
])
def test_the_picker_refuses_names_it_cannot_offer(arguments, says):
    with pytest.raises(helpers.InvalidParameter, match=says):
        strategy_picker(**arguments)


def test_a_run_stopped_by_the_interrupt_button_prints_one_line(capsys):
    def stopped(strategies):
        raise helpers.MeasurementInterrupted("Interrupted: the race stopped after 2 run(s).")

    rerun(stopped, strategies=strategy_picker(["serial"])).f(strategies=("serial",))
    assert capsys.readouterr().out == "Interrupted: the race stopped after 2 run(s).\n"
