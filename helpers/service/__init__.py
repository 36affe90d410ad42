"""The downstream service: a slow HTTP API in a process of its own, and the handles
that start, share and stop it.

It shares only helpers.wire with the clients, and never imports a client, a plot or
a widget: it must start, and keep up, in any Python that has the standard library
(and runs on uvloop where that is installed).
"""
from .process import Service, shared_service
from .records import Record, Share, Stats
from .settings import default_delay, lesson_delay, service_loop

__all__ = ["Record", "Service", "Share", "Stats", "default_delay", "lesson_delay",
           "service_loop", "shared_service"]
