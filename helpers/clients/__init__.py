"""One request to the service, each way the course shows: urllib, http.client, a bare
socket, one timed step by step, a generator task for the article's loop, and a task
that blocks nowhere for the general loop.

Clients take an address or a URL and never import the service: what both sides must
agree on is in helpers.wire.
"""
from .blocking import call_blocking, call_low_level
from .nonblocking import fetch, fetch_task
from .phases import PHASES, Phases, median_durations, time_phases, waiting_share
from .raw_socket import open_request, read_reply
from .tasks import call_downstream_async, delayed_requests

__all__ = ["PHASES", "Phases", "call_blocking", "call_downstream_async", "call_low_level",
           "delayed_requests", "fetch", "fetch_task", "median_durations", "open_request",
           "read_reply", "time_phases", "waiting_share"]
