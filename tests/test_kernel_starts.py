"""tests/support/kernels.py: a kernel that dies at start is started again, nothing else is."""
import pytest

from support.kernels import KERNEL_DIED, KERNEL_STARTS, with_fresh_ports


def starts_failing(*errors):
    calls = []

    def start(name):
        calls.append(name)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return f"kernel {name}"
    return start, calls


def test_a_kernel_that_died_at_start_is_started_again():
    start, calls = starts_failing(RuntimeError(KERNEL_DIED), RuntimeError(KERNEL_DIED))
    assert with_fresh_ports(start)("python3") == "kernel python3"
    assert len(calls) == 3


def test_it_gives_up_after_the_last_start():
    start, calls = starts_failing(*[RuntimeError(KERNEL_DIED)] * KERNEL_STARTS)
    with pytest.raises(RuntimeError, match=KERNEL_DIED):
        with_fresh_ports(start)("python3")
    assert len(calls) == KERNEL_STARTS


def test_any_other_failure_is_not_retried():
    start, calls = starts_failing(RuntimeError("No such kernel named python7"))
    with pytest.raises(RuntimeError, match="python7"):
        with_fresh_ports(start)("python7")
    assert len(calls) == 1
