"""Kernels that die at start, started again.

jupyter_client picks a kernel's ports by binding port 0 and letting go; another process
may take one before the kernel binds it, and the kernel dies at start ("Kernel died
before replying to kernel_info", jupyter/jupyter_client#154). Under pytest-xdist, beside
tests that open thousands of loopback connections, that happens now and then: start it
again, with fresh ports. Any other failure, and a third death, still fail the test. The
rule is the static edition's (helpers.edition), which meets the same race.
"""
import functools

from helpers.edition import KERNEL_DIED, KERNEL_STARTS, died_at_start

__all__ = ["KERNEL_DIED", "KERNEL_STARTS", "died_at_start", "with_fresh_ports"]


def with_fresh_ports(start):
    """start(...), called again when the kernel it starts dies at start."""
    @functools.wraps(start)
    def start_kernel(*args, **kwargs):
        for attempt in range(1, KERNEL_STARTS + 1):
            try:
                return start(*args, **kwargs)
            except RuntimeError as error:
                if not died_at_start(error, attempt):
                    raise
    return start_kernel
