"""The pip route (pyproject.toml) and the conda route (environment.yml) stay in sync.

conda is not available on the test machines, so environment.yml is checked as text.
"""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT = re.compile(r"^([A-Za-z0-9_.-]+)\s*([<>=!~][^\s#;]*)?$")


def pip_requirements():
    text = (ROOT / "pyproject.toml").read_text()
    blocks = re.findall(r"^(?:dependencies|test) = \[(.*?)^\]", text, re.S | re.M)
    found = re.findall(r'"([^"]+)"', "".join(blocks))
    assert found, "no dependencies found in pyproject.toml"
    return dict(REQUIREMENT.match(r).groups() for r in found)


def conda_lines():
    text = (ROOT / "environment.yml").read_text()
    lines = text.split("\ndependencies:\n", 1)[1].splitlines()
    return [line for line in lines if re.match(r"^  - (?!pip:)", line)]


def conda_requirements():
    found = {}
    for line in conda_lines():
        spec = line[4:].split("#")[0].strip()
        name, bounds = REQUIREMENT.match(spec).groups()
        found[name] = bounds
    return found


def test_same_packages_and_bounds_on_both_routes():
    conda = conda_requirements()
    assert conda.pop("python") == ">=3.10"
    assert conda.pop("pip") is None
    assert conda == pip_requirements()


def test_python_bound_matches_pyproject():
    assert 'requires-python = ">=3.10"' in (ROOT / "pyproject.toml").read_text()


def test_every_conda_dependency_says_what_it_is_for():
    for line in conda_lines():
        name = line[4:].split()[0]
        if name not in ("python>=3.10", "pip"):
            assert "#" in line, f"environment.yml: say what {name} is for"


def test_the_conda_route_installs_the_helpers_package():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s+- --editable \.\s", text, re.M)
    assert "conda-forge" in text
