"""Check that this machine can run the course, and name the fix for each problem."""
import importlib
import importlib.metadata
import resource
import sys
from dataclasses import dataclass

# The course's later notebooks open this many sockets at once (10,000 requests).
WANTED_OPEN_FILES = 10_240

__all__ = ["Check", "check_environment", "report"]

FIX_INSTALL = "run `python3 course.py lab` from the course folder, which installs it"


@dataclass(frozen=True)
class Check:
    what: str
    ok: bool
    found: str
    fix: str = ""

    def __str__(self):
        mark = "ok  " if self.ok else "FIX "
        return f"{mark} {self.what:<50} {self.found}" + ("" if self.ok else f"\n       -> {self.fix}")


def _version(package):
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _major(version):
    return int(version.split(".")[0])


def check_environment():
    """Return a list of Checks; every one should be ok."""
    checks = []
    py = sys.version_info
    checks.append(Check("Python 3.10 or newer", py >= (3, 10), sys.version.split()[0],
                        "install Python 3.10+ and create the course's .venv with it"))
    for package, major, role in [("jupyterlab", 4, "the notebook editor"),
                                 ("ipywidgets", 8, "sliders and buttons"),
                                 ("jupyterlab_widgets", 3, "widgets in the browser"),
                                 ("matplotlib", 3, "the plots")]:
        version = _version(package)
        ok = version is not None and _major(version) >= major
        checks.append(Check(f"{package} >= {major} ({role})", ok, version or "missing",
                            FIX_INSTALL))
    try:
        importlib.import_module("helpers")
        checks.append(Check("helpers package importable", True, "yes"))
    except ImportError:
        checks.append(Check("helpers package importable", False, "no", FIX_INSTALL))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    can_raise = hard == resource.RLIM_INFINITY or hard >= WANTED_OPEN_FILES
    checks.append(Check(
        "open-file limit (thousands of sockets)", soft >= WANTED_OPEN_FILES or can_raise,
        f"soft {soft}, hard {'unlimited' if hard == resource.RLIM_INFINITY else hard}",
        f"only the ten-thousand-connection experiments need it: before `python3 course.py lab`, run `ulimit -n {WANTED_OPEN_FILES}`"
        " (on macOS you may need `sudo launchctl limit maxfiles 65536 200000` first)"))
    return checks


def report(checks=None):
    """Print every check; return True if all are ok."""
    checks = check_environment() if checks is None else checks
    for check in checks:
        print(check)
    return all(c.ok for c in checks)
