"""course.py, the set-up script at the top of the repository, loaded as a module so that
a test can call its functions without running it (it is not a package module)."""
import importlib.util
from pathlib import Path

COURSE_PY = Path(__file__).resolve().parent.parent.parent / "course.py"


def load_course_py():
    """A fresh copy of course.py as a module, for a test to call and monkeypatch."""
    spec = importlib.util.spec_from_file_location("course_under_test", COURSE_PY)
    course = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(course)
    return course
