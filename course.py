#!/usr/bin/env python3
"""Set up and run the course. Needs only Python 3.10 or newer.

    python3 course.py lab     open the course in JupyterLab, at the start notebook
    python3 course.py test    run every test, several at a time (extra arguments go to
                              pytest; -m quick: the quick tier, about a minute)
    python3 course.py bench   time every strategy up to 10,000 requests at once
                              (extra arguments go to python -m helpers.bench: --help)

Each command first creates a virtual environment in .venv/ and installs the
course into it (once; again only when pyproject.toml changes).
"""
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / "course-installed.txt"
START = "notebooks/00-start-here.ipynb"
# Lab serves the folder of the file it is given, and the URL it prints (and opens) is its
# default URL: make that the start notebook, not the Launcher at /lab.
START_URL = "/lab/tree/" + Path(START).name
# `test` runs this many pytest-xdist workers per core (at most 8 in all): the tests mostly
# wait on sockets and delays. On 2 cores: 2 per core, about 250 s; 3, 205-230 s; 4, slower.
WORKERS_PER_CORE = 3


def fail(message):
    sys.exit(f"course.py: {message}")


def has_pip():
    """Whether .venv exists and its Python can run pip."""
    if not PYTHON.exists():
        return False
    check = subprocess.run([str(PYTHON), "-m", "pip", "--version"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return check.returncode == 0


def setup():
    if sys.version_info < (3, 10):
        fail(f"the course needs Python 3.10 or newer; this is {sys.version.split()[0]}. "
             "Run this file with a newer python3.")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not has_pip():
        # Missing, or half-made by an earlier failed attempt: start it afresh.
        shutil.rmtree(VENV, ignore_errors=True)
        print("Creating the virtual environment in .venv/ ...", flush=True)
        try:
            venv.create(VENV, with_pip=True)
        except (subprocess.CalledProcessError, OSError) as error:
            shutil.rmtree(VENV, ignore_errors=True)
            fail(f"could not create .venv ({error}). On Debian or Ubuntu, "
                 "install the venv module (sudo apt install python3-venv) and run this again.")
    print("Installing the course and its packages into .venv/ (about a minute, once) ...",
          flush=True)
    done = subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--editable", f"{ROOT}[test]"], cwd=ROOT)
    if done.returncode != 0:
        fail("pip could not install the packages (see above). Check your connection "
             "to PyPI and run the command again.")
    STAMP.write_text(wanted + "\n")


def parallel(pytest_args):
    """pytest-xdist's flags: WORKERS_PER_CORE workers per core (the tests mostly wait on
    sockets), a notebook's cells kept together, and the order conftest.py gives (the longest
    first); none if the caller chose (-n, -p no:xdist)."""
    if any(arg.startswith("-n") or arg == "no:xdist" for arg in pytest_args):
        return []
    workers = min(8, WORKERS_PER_CORE * (os.cpu_count() or 1))
    return ["-n", str(workers), "--dist", "loadgroup", "--no-loadscope-reorder"]


def main(argv):
    command, rest = (argv[0], argv[1:]) if argv else ("", [])
    if command not in ("lab", "test", "bench", "edition"):
        fail("say what to do: 'python3 course.py lab', 'python3 course.py test', "
             "'python3 course.py bench' or 'python3 course.py edition OUTDIR'")
    setup()
    if command not in ("bench", "edition"):  # these stay put: their paths are the user's
        os.chdir(ROOT)
    if command == "lab":
        # Localhost only; token authentication stays on (the URL printed carries it).
        args = [str(BIN / "jupyter"), "lab", "--ip=127.0.0.1",
                f"--LabApp.default_url={START_URL}", START, *rest]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            print("Running as root (a container?): passing --allow-root to JupyterLab.")
            args.insert(2, "--allow-root")
    elif command == "bench":
        args = [str(PYTHON), "-m", "helpers.bench", *rest]
    elif command == "edition":
        args = [str(PYTHON), "-m", "helpers.edition", *rest]
    else:
        args = [str(PYTHON), "-m", "pytest", *parallel(rest), *rest]
    if os.name == "nt":
        sys.exit(subprocess.call(args))
    os.execv(args[0], args)


if __name__ == "__main__":
    main(sys.argv[1:])
