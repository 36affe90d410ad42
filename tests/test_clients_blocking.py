"""helpers.clients.blocking: one request with urllib or http.client, its reply checked,
its failures explained."""
import pytest

import helpers

from support.fakes import free_port


def test_both_clients_return_the_checked_body(service):
    assert helpers.call_blocking(service.url) == b"resource"
    assert helpers.call_low_level(service.address) == b"resource"


def test_urllib_ignores_proxy_settings_for_loopback(service, monkeypatch):
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")  # nothing listens there
    assert helpers.call_blocking(service.url) == b"resource"


def test_connection_refused_says_the_service_is_not_running():
    port = free_port()
    with pytest.raises(helpers.ServiceError, match="not running"):
        helpers.call_blocking(f"http://127.0.0.1:{port}/get_resource")
    with pytest.raises(helpers.ServiceError, match="not running"):
        helpers.call_low_level(("127.0.0.1", port))


def test_a_service_slower_than_the_timeout_is_named(service):
    with pytest.raises(helpers.ServiceError, match="slower than"):
        helpers.call_blocking(service.url_with_delay(2), timeout=0.2)
