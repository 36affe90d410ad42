"""A non-editable install carries every module of helpers: a wheel is built from the
project's files alone, unpacked outside the repository, and every module imported from
it; then a service started from that copy answers a request.

A JupyterHub image or Binder may install the course this way (`pip install .`); a
subpackage that pyproject.toml forgot would fail there with ModuleNotFoundError.
"""
import pkgutil
import subprocess
import sys
import zipfile
from pathlib import Path

import helpers

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import importlib, pkgutil, sys
import helpers
assert helpers.__file__.startswith(sys.argv[1]), helpers.__file__
names = [m.name for m in pkgutil.walk_packages(helpers.__path__, "helpers.")]
for name in names:
    importlib.import_module(name)
from helpers.clients import call_blocking
from helpers.service import Service
with Service(delay=0.01) as service:
    assert call_blocking(service.url) == b"resource"
print("\\n".join(sorted(names)))
"""


def test_a_wheel_holds_every_module_and_runs_outside_the_repository(tmp_path):
    # pip builds in a fresh environment with the build-system pyproject.toml names, as
    # any installer would: what the repository's own files declare is what is tested.
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
         "--wheel-dir", str(tmp_path / "wheel"), str(ROOT)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert built.returncode == 0, built.stderr[-3000:]
    wheel, = (tmp_path / "wheel").glob("*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)

    # sys.path comes before the editable install's finder (appended to sys.meta_path),
    # so the copy in `site` is the one imported; the probe checks it is.
    done = subprocess.run([sys.executable, "-c", PROBE, str(site)], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path,
                          env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-3000:]
    in_wheel = set(done.stdout.split())
    in_repo = {m.name for m in pkgutil.walk_packages(helpers.__path__, "helpers.")}
    assert in_repo <= in_wheel, f"missing from the wheel: {sorted(in_repo - in_wheel)}"
    assert "helpers.exercises.threads" in in_wheel and "helpers.service.server" in in_wheel
