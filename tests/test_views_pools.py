"""helpers.views.pools: the staircase of waves and the Gantt chart of who ran what."""
import matplotlib.pyplot as plt
import pytest

import helpers
from helpers import strategies, views
from helpers.strategies import thread_pool

DELAY = 0.1
SERVICE_DELAY = DELAY  # read by the `service` fixture (tests/conftest.py)


def test_staircase_and_gantt_draw(service, no_leaks):
    pool = strategies.RecordedPool(workers=2)
    results = {2: [helpers.measure(pool, n, service) for n in (1, 3)],
               4: [helpers.measure(lambda n, s: thread_pool(n, s, workers=4), 3, service)]}
    fig, (left, right) = plt.subplots(1, 2)
    views.plot_staircase(results, delay=DELAY, title="steps", ax=left)
    views.plot_gantt(pool.jobs, title="who ran what", delay=DELAY, ax=right)
    assert right.get_ylabel() == "worker thread" and left.get_xlabel() == "requests (N)"
    assert [t.get_text() for t in right.get_yticklabels()] == ["worker_0", "worker_1"]
    plt.close(fig)
    with pytest.raises(ValueError, match="No jobs"):
        views.plot_gantt([], title="nothing")
