"""The CPU jobs of notebook 09, and the process pool that runs them."""
import hashlib

import pytest

from helpers import InvalidParameter, cpu


def test_the_jobs_compute_what_they_say():
    assert cpu.count_up(5) == 0 + 1 + 2 + 3 + 4
    assert cpu.hash_chunks(2) == hashlib.sha256(cpu.CHUNK * 2).hexdigest()
    assert cpu.sha256_hex(b"abc") == hashlib.sha256(b"abc").hexdigest()
    assert cpu.size_of(b"12345") == 5


def test_calibrated_jobs_take_about_the_time_asked():
    rates = cpu.calibrate(ms=10, repeats=2)
    assert rates.iterations_per_ms > 100 and rates.chunks_per_ms > 0
    assert rates.python_job(0) == 1 and rates.hash_job(1000) >= 1
    assert "iterations/ms" in repr(rates)


def test_gil_enabled_answers_on_every_version():
    assert cpu.gil_enabled() in (True, False)


def test_the_process_pool_runs_module_functions_and_shuts_down():
    with cpu.process_pool(2) as pool:
        assert list(pool.map(cpu.count_up, [3, 4])) == [3, 6]
        workers = list(pool._processes.values())
    assert workers and not any(p.is_alive() for p in workers)


@pytest.mark.parametrize("workers", [0, -5, "ten", 9])
def test_the_process_pool_refuses_a_bad_size(workers):
    with pytest.raises(InvalidParameter, match="workers"):
        with cpu.process_pool(workers):
            pass
