"""The pip route (pyproject.toml) and the conda route (environment.yml) stay in sync.

conda is not available on the test machines, so environment.yml is checked as text.
A requirement with an environment marker (uvloop: no Windows wheels) sits under `pip:`
in environment.yml, since conda's own list has no markers; it is compared all the same.
"""
import re
from pathlib import Path

from support.course_script import load_course_py

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT = re.compile(r"^([A-Za-z0-9_.-]+)\s*([<>=!~][^\s#;]*)?\s*(?:;\s*(\S.*?))?\s*$")


def parse(spec):
    """(name, (bounds, marker)) of a requirement like "uvloop>=0.19; sys_platform != 'win32'"."""
    match = REQUIREMENT.match(spec)
    assert match, f"not a requirement: {spec!r}"
    name, bounds, marker = match.groups()
    return name, (bounds, marker)


def pip_requirements():
    text = (ROOT / "pyproject.toml").read_text()
    blocks = re.findall(r"^(?:dependencies|test) = \[(.*?)^\]", text, re.S | re.M)
    found = re.findall(r'^\s*"([^"]+)"', "".join(blocks), re.M)
    assert found, "no dependencies found in pyproject.toml"
    return dict(parse(r) for r in found)


def conda_lines():
    text = (ROOT / "environment.yml").read_text()
    lines = text.split("\ndependencies:\n", 1)[1].splitlines()
    return [line for line in lines if re.match(r"^  - (?!pip:)", line)]


def conda_pip_lines():
    """The requirements under `pip:` in environment.yml, but the course's own package."""
    text = (ROOT / "environment.yml").read_text()
    lines = text.split("\n  - pip:\n", 1)[1].splitlines()
    return [line for line in lines if re.match(r"^      - (?!--editable)", line)]


def conda_requirements():
    found = {}
    for line in conda_lines():
        spec = line[4:].split("#")[0].strip()
        name, requirement = parse(spec)
        found[name] = requirement
    for line in conda_pip_lines():
        spec = re.match(r'^      - "([^"]+)"', line)
        assert spec, f"environment.yml: quote the requirement under pip: {line!r}"
        name, requirement = parse(spec.group(1))
        found[name] = requirement
    return found


def test_same_packages_and_bounds_on_both_routes():
    conda = conda_requirements()
    assert conda.pop("python") == (">=3.10", None)
    assert conda.pop("pip") == (None, None)
    assert conda == pip_requirements()


def test_uvloop_is_a_dependency_except_on_windows():
    assert pip_requirements()["uvloop"] == (">=0.19", "sys_platform != 'win32'")


def test_python_bound_matches_pyproject():
    assert 'requires-python = ">=3.10"' in (ROOT / "pyproject.toml").read_text()


def test_every_conda_dependency_says_what_it_is_for():
    for line in conda_lines() + conda_pip_lines():
        name = line.strip()[2:].split()[0]
        if name not in ("python>=3.10", "pip"):
            assert "#" in line, f"environment.yml: say what {name} is for"


def test_the_conda_route_installs_the_helpers_package():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s+- --editable \.\s", text, re.M)
    assert "conda-forge" in text


def test_course_py_test_runs_workers_that_keep_a_notebooks_cells_together(monkeypatch):
    """Without --dist loadgroup a notebook's cells would be split over workers, each with a
    kernel of its own; without --no-loadscope-reorder xdist would run the longest tests
    (the whole course, the browser's) after the short ones, and the suite would take longer."""
    course = load_course_py()
    monkeypatch.setattr(course.os, "cpu_count", lambda: 2)
    assert course.parallel([]) == ["-n", str(2 * course.WORKERS_PER_CORE), "--dist",
                                   "loadgroup", "--no-loadscope-reorder"]
    monkeypatch.setattr(course.os, "cpu_count", lambda: 64)
    assert course.parallel(["-m", "quick"])[:2] == ["-n", "8"]
    assert course.parallel(["-n", "3"]) == [] and course.parallel(["-p", "no:xdist"]) == []
