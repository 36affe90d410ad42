"""The fixtures that many test files use. (Test-wide settings, which must reach the
notebook kernels too, are in the conftest.py at the top of the repository.)"""
import resource

import nbval.kernel
import pytest

import helpers
from helpers.limits import FD_SETSIZE
from support.ci import skip_or_fail
from support.kernels import with_fresh_ports
from support.leaks import settled, snapshot

# nbval's kernels: started again when one dies at start (see tests/support/kernels.py).
nbval.kernel.start_new_kernel = with_fresh_ports(nbval.kernel.start_new_kernel)


# -- fixtures shared by the unit tests ------------------------------------------------
SERVICE_DELAY = 0.05  # seconds: short, so unit tests are quick; a test module may set its own


@pytest.fixture(scope="module")
def service(request):
    """A private helpers.Service for one test module, started before its first test that
    asks for it and stopped after its last.

    Its delay is the module's SERVICE_DELAY when the module sets one (its asserts are
    stated in that delay), else the one above.
    """
    with helpers.Service(delay=getattr(request.module, "SERVICE_DELAY", SERVICE_DELAY)) as s:
        yield s


@pytest.fixture
def no_leaks():
    """Fail a test that leaves a thread or a socket behind."""
    before = snapshot()
    yield
    after = settled(before)
    assert after["threads"] <= before["threads"], "a thread outlived the test"
    assert after["descriptors"] <= before["descriptors"], "a descriptor outlived the test"


@pytest.fixture
def room_past_fd_setsize():
    """An open-file limit well above FD_SETSIZE, so that select() is the limit met first;
    the limits are put back after the test."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 2 * FD_SETSIZE + 200
    if soft < wanted:
        if hard != resource.RLIM_INFINITY and hard < wanted:
            skip_or_fail(f"the hard open-file limit ({hard}) is below {wanted}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
