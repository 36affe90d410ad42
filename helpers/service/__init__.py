"""The downstream service: a slow HTTP API in a process of its own, and the handles
that start, share and stop it.

It shares only helpers.wire with the clients, and never imports a client, a plot or
a widget: it must start, and keep up, in any Python that has the standard library.
"""
from .process import Record, Service, Stats, default_delay, lesson_delay, shared_service

__all__ = ["Record", "Service", "Stats", "default_delay", "lesson_delay", "shared_service"]
