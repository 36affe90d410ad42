"""Test-wide settings. They are set here, before any kernel starts, so they reach
the notebook kernels that nbval launches too; and the fixtures that many test files use."""
import atexit
import os
import shutil
import tempfile

import matplotlib
import pytest

import helpers
from support.leaks import settled, snapshot

# Fast mode: the notebooks read their delay from this variable (see helpers.service).
# Their lessons are stated in delays, so a shorter one proves the same things.
os.environ.setdefault("COURSE_DELAY", "0.25")

# Keep IPython's and matplotlib's caches and the kernels' connection files out of the
# user's home folder, in one scratch folder removed when the run ends.
_scratch = tempfile.mkdtemp(prefix="course-tests-")
atexit.register(shutil.rmtree, _scratch, ignore_errors=True)
os.environ.setdefault("IPYTHONDIR", os.path.join(_scratch, "ipython"))
os.environ.setdefault("MPLCONFIGDIR", os.path.join(_scratch, "matplotlib"))
os.environ.setdefault("JUPYTER_RUNTIME_DIR", os.path.join(_scratch, "jupyter-runtime"))

# Unit tests draw without a screen. (Kernels keep their own inline backend.)
matplotlib.use("Agg")


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


# -- running in parallel (pytest-xdist) -------------------------------------------------
@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config, items):
    """Under `-n`, the cells of one notebook run in order in one kernel, so nbval's items
    of a notebook go to one worker as a group (`--dist loadgroup`, as pyproject sets)."""
    for item in items:
        if type(item).__name__ == "IPyNbCell":
            item.add_marker(pytest.mark.xdist_group(item.path.name))
