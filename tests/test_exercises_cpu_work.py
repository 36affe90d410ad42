"""The check of notebook 09's exercise tells a right answer from the usual slips."""
import pytest

from helpers import loops
from helpers.cpu import sha256_hex
from helpers.exercises import ExerciseFailed
from helpers.exercises.cpu_work import check_digest_task


def offloaded_task(executor, data):
    return (yield from loops.run_in_executor(executor, sha256_hex, data))


def inline_task(executor, data):
    yield from loops.sleep(0)
    return sha256_hex(data)  # on the loop's thread: every other task waits


def plain_function(executor, data):
    return sha256_hex(data)


def wrong_data_task(executor, data):
    return (yield from loops.run_in_executor(executor, sha256_hex, b"other"))


def forgets_to_return_task(executor, data):
    yield from loops.run_in_executor(executor, sha256_hex, data)


def stub(executor, data):
    raise NotImplementedError


def test_the_solution_passes(capsys, no_leaks):
    check_digest_task(offloaded_task)
    assert "✓" in capsys.readouterr().out


@pytest.mark.parametrize("answer, says", [
    (inline_task, "stuck"),
    (plain_function, "make it a generator"),
    (wrong_data_task, "not the SHA-256"),
    (forgets_to_return_task, "returned None"),
    ("not a function", "should be a function"),
])
def test_each_slip_is_named(answer, says):
    with pytest.raises(ExerciseFailed, match=says):
        check_digest_task(answer)


def test_the_untouched_stub_gets_the_hint(capsys):
    check_digest_task(stub)
    out = capsys.readouterr().out
    assert "Not attempted" in out and "09-keep-cpu-work-off-the-loop.py" in out
