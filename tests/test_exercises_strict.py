"""Strict mode (COURSE_STRICT=1): an untouched exercise fails its check, so a grader
scores it zero; by default it prints the hint. Every check in helpers/exercises is
found by its @exercise mark, so a new notebook's check is covered without new code."""
import ast
import importlib
import inspect
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import helpers.exercises
from helpers.errors import CourseError
from helpers.exercises import NotAttempted, strict


def all_checks():
    for module in pkgutil.iter_modules(helpers.exercises.__path__):
        imported = importlib.import_module(f"helpers.exercises.{module.name}")
        for name, value in vars(imported).items():
            if getattr(value, "is_exercise_check", False) and value.__module__ == imported.__name__:
                yield pytest.param(value, id=f"{module.name}.{name}")


SOLUTIONS = Path(__file__).resolve().parent.parent / "notebooks" / "solutions"


def placeholder(*args, **kwargs):
    """What every exercise cell holds until the learner writes it."""
    raise NotImplementedError


async def async_placeholder(*args, **kwargs):
    """The same, where the exercise asks for a coroutine function (notebook 08 on)."""
    raise NotImplementedError


def untouched(check, service):
    """Call check as a notebook does, with the placeholder as the learner's answer: an
    `async def` one where the solution's first function is a coroutine function."""
    tree = ast.parse((SOLUTIONS / check.solution).read_text())
    first = next(node for node in tree.body
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)))
    stub = async_placeholder if isinstance(first, ast.AsyncFunctionDef) else placeholder
    params = list(inspect.signature(check).parameters.values())
    args = [stub] + [service for p in params[1:] if p.default is inspect.Parameter.empty]
    return check(*args)


CHECKS = list(all_checks())


def test_every_notebook_exercise_has_a_check_found_here():
    assert len(CHECKS) >= 6  # 01-06 each have one


@pytest.mark.parametrize("check", CHECKS)
def test_strict_mode_fails_an_untouched_exercise(check, service, monkeypatch):
    monkeypatch.setenv("COURSE_STRICT", "1")
    with pytest.raises(NotAttempted, match="placeholder is still there") as failure:
        untouched(check, service)
    assert "Hint:" in str(failure.value)


@pytest.mark.parametrize("check", CHECKS)
def test_by_default_an_untouched_exercise_prints_its_hint(check, service, monkeypatch, capsys):
    monkeypatch.delenv("COURSE_STRICT", raising=False)
    assert untouched(check, service) is None
    assert "Not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize("value, expected", [("1", True), ("yes", True), (" TRUE ", True),
                                             ("0", False), ("", False), ("no", False)])
def test_the_variable_reads_as_yes_or_no(value, expected, monkeypatch):
    monkeypatch.setenv("COURSE_STRICT", value)
    assert strict() is expected


def test_a_value_that_is_neither_says_what_to_set(monkeypatch):
    monkeypatch.setenv("COURSE_STRICT", "maybe")
    with pytest.raises(CourseError, match="set it to 1"):
        strict()


def test_nbval_in_strict_mode_fails_exactly_the_untouched_exercise_cell(tmp_path):
    """What a grader runs: the notebook as handed out, under nbval, COURSE_STRICT=1."""
    notebook = Path(__file__).resolve().parent.parent / "notebooks" / "01-make-blocking-calls.ipynb"
    env = {**os.environ, "COURSE_STRICT": "1"}
    # nbval alone: the second run (tests/support/reruns.py) would fail the same cell again.
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly",
                           "-p", "no:cacheprovider", "-m", "not second_run", str(notebook)],
                          cwd=notebook.parent, env=env, capture_output=True, text=True,
                          timeout=240)
    assert done.returncode == 1, done.stdout[-2000:]
    failed = [line for line in done.stdout.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 1 and "Not attempted" in done.stdout, done.stdout[-2000:]
