"""side_by_side: one column per function, its source escaped; bad input said plainly."""
import pytest

from helpers.errors import InvalidParameter
from helpers.views import side_by_side


def gen_version():
    yield from range(3)  # a < b & c


async def coro_version():
    return 1


def test_one_column_per_function_with_its_source_escaped():
    shown = side_by_side(gen_version, coro_version, titles=["generator", "coroutine"]).data
    assert shown.count("<td") == 2 and "generator" in shown and "coroutine" in shown
    assert "yield from range(3)" in shown and "a &lt; b &amp; c" in shown
    assert "async def coro_version" in shown


@pytest.mark.parametrize("args, kwargs, says", [
    ((), {}, "one or more functions"),
    ((42,), {}, "one or more functions"),
    ((gen_version,), {"titles": ["a", "b"]}, "one title per function"),
])
def test_bad_input_is_refused_with_a_message(args, kwargs, says):
    with pytest.raises(InvalidParameter, match=says):
        side_by_side(*args, **kwargs)
