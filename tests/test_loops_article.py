"""helpers.loops.article: the article's select() loop, finished: a hook that fails still
closes every task."""
import pytest

from helpers import loops
from helpers.clients import delayed_requests

from support.leaks import settled, snapshot


def test_a_failing_hook_still_closes_every_task(service):
    before = snapshot()

    def fails(**_state):
        raise RuntimeError("the hook broke")

    with pytest.raises(RuntimeError, match="hook broke"):
        loops.run(delayed_requests(service, [0.01] * 5), on_step=fails)
    after = settled(before)
    assert after["descriptors"] <= before["descriptors"], (before, after)
