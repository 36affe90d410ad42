"""The course's event loops: the article's select() loop, finished, and a recorder of
its turns.

Loops know tasks, sockets and time; they import no client and no view.
"""
from .article import run
from .trace import Step, trace_run

__all__ = ["Step", "run", "trace_run"]
