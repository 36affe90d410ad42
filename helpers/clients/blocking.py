"""Calls to the downstream service, each one checked.

call_blocking    urllib, as most code does it (the article's call_downstream)
call_low_level   http.client, which shows the steps: connect, send, wait, read

Both return the body and raise a CourseError that names the problem (nothing
listening, too slow, wrong status, wrong body) instead of a bare socket error.
"""
import http.client
import urllib.error

from .. import validate
from ..wire import (DEFAULT_TIMEOUT, RESOURCE_PATH, check_response, direct_opener,
                    explain_failure)


def call_blocking(url, timeout=DEFAULT_TIMEOUT):
    """GET url with urllib; return the checked body."""
    timeout = validate.timeout_seconds(timeout)
    try:
        with direct_opener.open(url, timeout=timeout) as reply:
            return check_response(reply.status, reply.read())
    except urllib.error.HTTPError as error:
        return check_response(error.code, error.read())
    except (OSError, http.client.HTTPException) as error:
        # urllib wraps what goes wrong while connecting (and sending) in a URLError.
        connecting = isinstance(error, urllib.error.URLError)
        raise explain_failure(error, url, timeout, connecting=connecting) from None


def call_low_level(address, path=RESOURCE_PATH, timeout=DEFAULT_TIMEOUT):
    """GET path from (host, port) with http.client; return the checked body."""
    timeout = validate.timeout_seconds(timeout)
    host, port = validate.address(address)
    where = f"{host}:{port}{path}"
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        try:
            conn.connect()
        except OSError as error:
            raise explain_failure(error, where, timeout, connecting=True) from None
        try:
            conn.request("GET", path)
            reply = conn.getresponse()
            return check_response(reply.status, reply.read())
        except (OSError, http.client.HTTPException) as error:
            raise explain_failure(error, where, timeout, connecting=False) from None
    finally:
        conn.close()
