"""How much room a lesson's timing assert leaves on top of its prediction.

Every claim in a notebook is checked on the learner's own machine, which may be a
busy laptop or a shared hub. A prediction ("about one delay", "N delays") is exact
only for an idle machine; slack() is the one rule for what an assert tolerates
above it, so that every notebook allows the same and says so in one place.
"""
from .validate import request_count

PER_RUN = 0.5        # a stall of the whole machine, once per experiment
PER_REQUEST = 0.01   # what each request costs the client: a socket, a connect, a read
PER_WAIT = 0.05      # waking up after each wait in a row (a serial request, a pool's wave)

__all__ = ["slack"]


def slack(requests=1, waits=1):
    """Seconds an assert allows above its prediction, for `requests` requests made in
    `waits` waits one after another (1 for all at once, N for serial, waves for a pool)."""
    requests = request_count(requests, name="requests")
    waits = request_count(waits, name="waits", unit="wait")
    return PER_RUN + PER_REQUEST * requests + PER_WAIT * waits
