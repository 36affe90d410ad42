"""Choosing the service's loop, and keeping its secret, from the process that starts it."""
import pytest

import helpers
from helpers.service import process, settings, service_loop

LOOP_VARIABLE = "COURSE_SERVICE_LOOP"


@pytest.fixture(autouse=True)
def no_loop_variable(monkeypatch):
    monkeypatch.delenv(LOOP_VARIABLE, raising=False)


def test_uvloop_where_installed_else_asyncio(monkeypatch):
    assert service_loop() == ("uvloop" if settings.uvloop_installed() else "asyncio")
    monkeypatch.setattr(settings, "uvloop_installed", lambda: False)
    assert service_loop() == "asyncio"
    assert helpers.Service(delay=0.1).loop == "asyncio"


def test_asyncio_on_request_by_argument_or_environment(monkeypatch):
    assert helpers.Service(delay=0.1, loop="asyncio").loop == "asyncio"
    monkeypatch.setenv(LOOP_VARIABLE, "asyncio")
    assert helpers.Service(delay=0.1).loop == "asyncio"
    assert service_loop() == "asyncio"


def test_the_argument_wins_over_the_environment(monkeypatch):
    if not settings.uvloop_installed():
        pytest.skip("uvloop is not installed here")
    monkeypatch.setenv(LOOP_VARIABLE, "asyncio")
    assert helpers.Service(delay=0.1, loop="uvloop").loop == "uvloop"


def test_a_bad_loop_variable_is_named(monkeypatch):
    monkeypatch.setenv(LOOP_VARIABLE, "tokio")
    with pytest.raises(helpers.InvalidParameter,
                       match=r"environment variable COURSE_SERVICE_LOOP must be 'uvloop' or"):
        helpers.Service(delay=0.1)


def test_uvloop_asked_for_where_it_is_missing_says_how_to_get_it(monkeypatch):
    monkeypatch.setattr(settings, "uvloop_installed", lambda: False)
    with pytest.raises(helpers.InvalidParameter, match=r"pip install 'uvloop>=0.19'.*'asyncio'"):
        helpers.Service(delay=0.1, loop="uvloop")


def test_the_repr_says_the_loop_and_never_the_secret():
    s = helpers.Service(delay=0.1, loop="asyncio")
    assert repr(s) == "<Service stopped, delay 0.1 s, on asyncio>"
    with s:
        assert "on asyncio>" in repr(s) and s._secret not in repr(s)
        first = s._secret
    with s:  # a restart makes a new secret: the old one opens nothing
        assert s._secret != first


def test_a_refused_request_is_a_service_error_that_quotes_the_service(monkeypatch):
    with helpers.Service(delay=0.1) as s:
        monkeypatch.setattr(s, "_secret", "not-the-secret")
        with pytest.raises(helpers.ServiceError, match=r"refused /stats: HTTP 403.*secret"):
            s.stats()


def test_stats_of_a_fake_service_keep_working_without_the_new_fields():
    """Stand-ins (tests' FakeService) build Stats from the four fields it always had."""
    stats = helpers.service.Stats(delay=1.0, most_at_once=0, in_flight=0, records=[])
    assert stats.loop == "unknown" and stats.share.retransmissions is None


def test_the_child_gets_the_secret_on_stdin_not_as_an_argument(monkeypatch):
    seen = {}
    real_popen = process.subprocess.Popen

    def spy(args, **kwargs):
        seen["args"] = args
        return real_popen(args, **kwargs)

    monkeypatch.setattr(process.subprocess, "Popen", spy)
    with helpers.Service(delay=0.1) as s:
        assert s._secret not in " ".join(seen["args"])
        assert s.stats().records == []  # and the child has it: its records open
