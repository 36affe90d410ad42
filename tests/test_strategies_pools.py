"""helpers.strategies.pools: wave predictions, pool sizes of two Python eras, and the
recording pool: every request checked and scheduled, nothing left behind."""
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import helpers
from helpers import strategies

from support.fakes import free_port
from support.signals import ctrl_c_after

DELAY = 0.1
SERVICE_DELAY = DELAY  # read by the `service` fixture (tests/conftest.py)


@pytest.mark.parametrize("n, workers, expected", [
    (1, 1, 1), (2, 2, 1), (3, 2, 2), (100, 6, 17), (100, 40, 3), (100, 100, 1), (7, 32, 1),
])
def test_waves_are_n_over_workers_rounded_up(n, workers, expected):
    assert strategies.waves(n, workers) == expected
    assert strategies.predicted_seconds(n, workers, 0.5) == expected * 0.5


def test_bad_counts_are_refused():
    with pytest.raises(helpers.InvalidParameter, match="workers"):
        strategies.waves(10, 0)
    with pytest.raises(helpers.InvalidParameter, match="at least 1"):
        strategies.waves(0, 4)
    with pytest.raises(helpers.InvalidParameter, match="workers"):
        strategies.RecordedPool(workers="six")


def test_pool_sizes_of_the_two_eras():
    assert strategies.default_pool_size(2) == 6
    assert strategies.default_pool_size(8) == 12
    assert strategies.default_pool_size(64) == 32
    assert strategies.article_era_pool_size(8) == 40
    # The article's three waves for 100 requests fit 7, 8 or 9 CPUs, and no other count.
    three_waves = [c for c in range(1, 33)
                   if strategies.waves(100, strategies.article_era_pool_size(c)) == 3]
    assert three_waves == [7, 8, 9]


def test_default_pool_size_matches_this_pythons_executor():
    pool = ThreadPoolExecutor()
    try:
        assert strategies.default_pool_size() == pool._max_workers
    finally:
        pool.shutdown()


def test_recorded_pool_checks_and_records_every_request(service, no_leaks):
    pool = strategies.RecordedPool(workers=3)
    result = helpers.measure(pool, 7, service)
    assert result.strategy == "thread_pool(workers=3)"
    assert result.most_at_once == 3
    assert strategies.predicted_seconds(7, 3, DELAY) <= result.seconds < 3 * DELAY + 0.5
    assert [job.request for job in pool.jobs] == list(range(7))
    assert strategies.workers_used(pool.jobs) == ["worker_0", "worker_1", "worker_2"]
    for job in pool.jobs:
        assert job.finished - job.started >= DELAY - 0.005
    # The queue is first in, first out: request i starts in wave i // workers.
    for job in pool.jobs:
        assert (job.request // 3) * DELAY <= job.started < (job.request // 3 + 0.5) * DELAY + 0.1


def test_recorded_pool_uses_the_default_size_when_not_told(service, no_leaks):
    pool = strategies.RecordedPool()
    assert pool.workers == strategies.default_pool_size()
    helpers.measure(pool, 2, service)
    assert len(pool.jobs) == 2


def test_recorded_pool_cleans_up_when_a_request_fails(no_leaks):
    with helpers.Service(delay=DELAY) as s:
        pool = strategies.RecordedPool(workers=2)

        class Gone:  # a service whose URL points nowhere: every request fails
            url = s.url.replace(f":{s.port}/", f":{free_port()}/")

        with pytest.raises(helpers.ServiceError):
            pool(5, Gone())


def test_recorded_pool_cancels_queued_requests_on_interrupt(service, no_leaks):
    """Ctrl-C while waiting: the running wave finishes, the queued requests are dropped."""
    pool = strategies.RecordedPool(workers=2)
    start = time.perf_counter()
    with ctrl_c_after(0.5 * DELAY), pytest.raises(KeyboardInterrupt):
        pool(40, service)  # 20 waves if it ran to the end
    assert time.perf_counter() - start < 5 * DELAY


def test_workers_sort_by_number():
    jobs = [strategies.Job(i, f"worker_{w}", 0, 1) for i, w in enumerate([10, 2, 0, 2])]
    assert strategies.workers_used(jobs) == ["worker_0", "worker_2", "worker_10"]
