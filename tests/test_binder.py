"""The Binder route, as far as this machine can check it: the README's badge opens the
start notebook in JupyterLab, and the Dockerfile repo2docker writes for this repository
(without building it: there is no Docker here) installs the course from environment.yml
after copying the repository in, which `--editable .` needs."""
import pathlib
import re
import shutil
import subprocess
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
BADGE = re.compile(r"\[!\[[^\]]*\]\(https://mybinder\.org/badge_logo\.svg\)\]"
                   r"\((https://mybinder\.org/v2/gh/[^/\s]+/[^/\s]+/HEAD\?urlpath=([^)\s]+))\)")


def test_the_readme_badge_opens_the_start_notebook_in_jupyterlab():
    found = BADGE.findall((ROOT / "README.md").read_text())
    assert len(found) == 1, "the README should have one Binder badge"
    [(_url, urlpath)] = found
    assert urlpath.startswith("lab/tree/"), f"the badge should open JupyterLab: {urlpath}"
    assert (ROOT / urlpath.removeprefix("lab/tree/")).is_file(), f"no such notebook: {urlpath}"
    assert urlpath.endswith("notebooks/00-start-here.ipynb")


def tracked_copy(destination):
    """The repository as a clone would hold it: only what git tracks."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return destination


def test_repo2docker_builds_from_environment_yml_after_copying_the_repository(tmp_path):
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists(), \
        "a binder/ folder would be the only one repo2docker reads"
    repo2docker = pathlib.Path(sys.executable).with_name("repo2docker")
    done = subprocess.run([str(repo2docker), "--no-build", "--debug", "--no-run",
                           str(tracked_copy(tmp_path / "repo"))],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    dockerfile = done.stdout + done.stderr  # --debug prints it on one or the other
    copy = dockerfile.find("COPY --chown=0:0 src/ ${REPO_DIR}/")
    update = dockerfile.find('env update -p ${NB_PYTHON_PREFIX} --file "environment.yml"')
    assert update != -1, "repo2docker should install the environment from environment.yml"
    assert copy != -1 and copy < update, \
        "the repository must be copied in before the environment installs `--editable .`"


def test_the_environment_installs_the_course_itself():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    [pip] = [entry["pip"] for entry in environment["dependencies"] if isinstance(entry, dict)]
    assert "--editable ." in pip, "the kernel must import helpers from the repository"
