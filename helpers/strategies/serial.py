"""One request after another: the baseline every other strategy is compared with."""
from ..clients import call_blocking, call_low_level


def serial(n, service):
    """One request after another with urllib: about n delays."""
    url = service.url
    return [call_blocking(url) for _ in range(n)]


def serial_low_level(n, service):
    """One request after another with http.client."""
    address, path = service.address, service.path
    return [call_low_level(address, path) for _ in range(n)]
