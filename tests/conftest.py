"""Test-wide settings. They are set here, before any kernel starts, so they reach
the notebook kernels that nbval launches too."""
import atexit
import os
import shutil
import tempfile

import matplotlib

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
