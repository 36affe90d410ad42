"""helpers.backlog: a listener with a small backlog turns connections away, and they come
back a retransmission timeout (one second on Linux) later; a large backlog takes them all."""
import sys

import pytest

from helpers.backlog import SYN_RESENT_AFTER, BacklogRun, connect_to_slow_listener, largest_backlog

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the backlog's size and the dropped SYN are Linux's")


@linux_only
def test_a_full_queue_makes_the_rest_wait_for_a_resent_syn(no_leaks):
    # 10: the 5 turned away come back together, and all fit in the emptied queue
    run = connect_to_slow_listener(10, backlog=4, hold=0.1)
    assert run.never_accepted == 0, run
    assert run.on_time() == 5, f"Linux queues backlog + 1 connections: {run}"
    assert run.late() == 5, run
    late = sorted(run.waits)[-5:]
    assert all(SYN_RESENT_AFTER * 0.9 <= wait < SYN_RESENT_AFTER + 0.5 for wait in late), late


@linux_only
def test_a_backlog_as_large_as_the_crowd_takes_everyone_at_once(no_leaks):
    run = connect_to_slow_listener(12, backlog=16, hold=0.1)
    assert run.late() == 0 and run.on_time() == 12, run
    assert all(0.1 <= wait < 0.5 for wait in run.waits), run.waits


def test_the_summary_says_who_waited_for_what():
    run = BacklogRun(4, 1, 0.2, (0.2, 0.2, 1.01), never_accepted=1)
    assert run.on_time() == 2 and run.late() == 2
    assert "2 waited for the listener only" in str(run) and "1 never accepted" in str(run)


def test_the_largest_backlog_is_a_positive_number():
    assert largest_backlog() >= 128
