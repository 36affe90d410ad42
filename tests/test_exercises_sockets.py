"""The check of notebook 03's exercise accepts select() on one thread, and says what is
wrong with anything else."""
import contextlib
import select
from concurrent.futures import ThreadPoolExecutor

import pytest

from helpers.exercises import ExerciseFailed
from helpers.exercises.sockets import check_collect_all
from helpers.clients import open_request, read_reply
from helpers.wire import resource_path

SERVICE_DELAY = 0.2  # seconds, for the `service` fixture (tests/conftest.py)


def fetch(address, delay):
    with open_request(address, resource_path(delay)) as sock:
        return delay, read_reply(sock)[1]


def with_select(address, delays):
    with contextlib.ExitStack() as closing:
        delay_of = {closing.enter_context(open_request(address, resource_path(d))): d
                    for d in delays}
        waiting, pairs = list(delay_of), []
        while waiting:
            readable, _, _ = select.select(waiting, [], [], 10)
            for sock in readable:
                pairs.append((delay_of[sock], read_reply(sock)[1]))
                waiting.remove(sock)
        return pairs


def one_after_another(address, delays):
    return [fetch(address, d) for d in delays]


def on_a_thread_pool(address, delays):
    with ThreadPoolExecutor(len(delays)) as pool:
        return list(pool.map(lambda d: fetch(address, d), delays))


def in_the_order_sent(address, delays):
    """All sent at once, but read in list order: fast, and select() never asked."""
    with contextlib.ExitStack() as closing:
        socks = [closing.enter_context(open_request(address, resource_path(d))) for d in delays]
        return [(d, read_reply(sock)[1]) for d, sock in zip(delays, socks)]


def in_the_order_sent_then_sorted(address, delays):
    """Reads in list order, then hides it by sorting: select() is never called."""
    return sorted(in_the_order_sent(address, delays))


def one_select_then_list_order(address, delays):
    with contextlib.ExitStack() as closing:
        socks = [closing.enter_context(open_request(address, resource_path(d))) for d in delays]
        select.select(socks, [], [], 10)  # waits for the first reply only
        return sorted((d, read_reply(sock)[1]) for d, sock in zip(delays, socks))


def keyed_by_delay(address, delays):
    """A dict keyed by delay: equal delays overwrite each other."""
    with contextlib.ExitStack() as closing:
        sock_of = {d: closing.enter_context(open_request(address, resource_path(d)))
                   for d in delays}
        delay_of = {sock: d for d, sock in sock_of.items()}
        waiting, pairs = list(delay_of), []
        while waiting:
            for sock in select.select(waiting, [], [], 10)[0]:
                pairs.append((delay_of[sock], read_reply(sock)[1]))
                waiting.remove(sock)
        return pairs


def labels_in_the_order_sent(address, delays):
    """Uses select(), but pairs the bodies with the delays in the order sent."""
    return [(d, body) for d, (_, body) in zip(delays, with_select(address, delays))]


def never_closes(address, delays):
    socks = {open_request(address, resource_path(d)): d for d in delays}
    waiting, pairs = list(socks), []
    while waiting:
        readable, _, _ = select.select(waiting, [], [], 10)
        for sock in readable:
            pairs.append((socks[sock], read_reply(sock)[1]))
            waiting.remove(sock)
    return pairs


def bodies_only(address, delays):
    return [body for _, body in with_select(address, delays)]


def whole_replies(address, delays):
    return [(d, (200, body)) for d, body in with_select(address, delays)]


def all_but_the_last(address, delays):
    return with_select(address, delays[:-1])


def wrong_delays(address, delays):
    return [(0, body) for _, body in with_select(address, delays)]


def placeholder(address, delays):
    raise NotImplementedError  # your code here


def test_select_on_one_thread_passes(service, capsys):
    check_collect_all(with_select, service)
    assert "✓" in capsys.readouterr().out


def test_pairs_as_lists_pass_too(service, capsys):
    check_collect_all(lambda a, d: [list(pair) for pair in with_select(a, d)], service)
    assert "✓" in capsys.readouterr().out


def test_select_is_put_back_after_the_check(service):
    original = select.select
    check_collect_all(with_select, service)
    with pytest.raises(ExerciseFailed):
        check_collect_all(one_after_another, service)
    assert select.select is original


@pytest.mark.parametrize("wrong, complaint", [
    (one_after_another, "Send all the requests first"),
    (on_a_thread_pool, "started"),
    (in_the_order_sent, r"select.select\(\) was called 0 time"),
    (in_the_order_sent_then_sorted, r"select.select\(\) was called 0 time"),
    (one_select_then_list_order, r"called 1 time\(s\).*Call it in a loop"),
    (keyed_by_delay, r"a dict keyed by delay keeps only one of them; key it by socket"),
    (labels_in_the_order_sent, r"pair the bodies with the delays in the order sent"),
    (never_closes, "left open for the garbage collector"),
    (bodies_only, r"should be a \(delay, body\) pair"),
    (whole_replies, "are not b'resource'"),
    (all_but_the_last, "returned 4 pairs"),
    (wrong_delays, "pair each body with the delay"),
])
def test_wrong_answers_are_rejected_with_the_reason(service, wrong, complaint):
    with pytest.raises(ExerciseFailed, match=complaint):
        check_collect_all(wrong, service)


def test_the_placeholder_gets_the_hint_and_where_the_solution_is(service, capsys):
    check_collect_all(placeholder, service)
    out = capsys.readouterr().out
    assert "Not attempted" in out and "select.select" in out
    assert "%load solutions/03-watch-sockets-become-ready.py" in out


def test_the_check_uses_the_shared_service_by_default(capsys):
    check_collect_all(with_select)
    assert "✓" in capsys.readouterr().out
