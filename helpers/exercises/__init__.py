"""The machinery behind every exercise's check function.

Each notebook's checks live in a module here named after its topic
(helpers/exercises/blocking.py, ...). A check is a function that takes the learner's answer, returns a message when it
is right, and raises ExerciseFailed saying what is wrong otherwise. Decorated
with @exercise, it also recognises the untouched placeholder (which raises
NotImplementedError) and answers with the hint and where the solution is.

Strict mode, for grading: with COURSE_STRICT=1 in the environment, an untouched
placeholder fails its check (NotAttempted) instead of printing the hint, so that nbval,
nbgrader or pytest score it as zero, not as full marks.

    @exercise(hint="...", solution="01-make-blocking-calls.py")
    def check_serial(fn):
        ...
        return "right: ..."
"""
import functools
import inspect
import os
import time

from ..errors import CourseError


STRICT_VARIABLE = "COURSE_STRICT"
_STRICT = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False,
           "": False}


class ExerciseFailed(CourseError):
    """The learner's answer runs, but does not do what the exercise asks."""

    def _render_traceback_(self):
        # IPython shows this instead of a traceback through the check's own code:
        # what is wrong is the message, not where in the check it was noticed.
        return [f"✗ Not yet: {self}"]


class NotAttempted(ExerciseFailed):
    """In strict mode: the exercise's placeholder is still there."""

    def _render_traceback_(self):
        return [f"✗ Not attempted: {self}"]


def strict():
    """Whether COURSE_STRICT asks that an untouched exercise fail (read at each check,
    so a grader may set it for one run)."""
    value = os.environ.get(STRICT_VARIABLE, "").strip().lower()
    if value not in _STRICT:
        raise CourseError(f"The environment variable {STRICT_VARIABLE} is {value!r}: set it "
                          "to 1 to fail untouched exercises (for grading), or 0 or nothing.")
    return _STRICT[value]


def exercise(*, hint, solution):
    def decorate(check):
        @functools.wraps(check)
        def run_check(*args, **kwargs):
            try:
                message = check(*args, **kwargs)
            except NotImplementedError:
                if strict():
                    raise NotAttempted(
                        "the `raise NotImplementedError` placeholder is still there "
                        f"({STRICT_VARIABLE} is set: an untouched exercise fails).\n"
                        f"Hint: {hint}") from None
                print("Not attempted yet: replace the `raise NotImplementedError` with your code.\n"
                      f"Hint: {hint}\n"
                      f"Stuck? Run `%load solutions/{solution}` in a new cell to load a solution.")
                return  # None: the notebook shows only the printed verdict
            print(f"✓ {message}")
        run_check.is_exercise_check = True  # how tests find every check, new ones too
        run_check.solution = solution
        return run_check
    return decorate


def require(condition, what_is_wrong):
    """Raise ExerciseFailed(what_is_wrong) unless condition holds."""
    if not condition:
        raise ExerciseFailed(what_is_wrong)


def run_learner_driver(driver, tasks, *, escaped):
    """Time driver(tasks), the learner's loop over generator tasks.

    Returns (answer, seconds, waiting): `waiting` holds the numbers of the tasks that
    were still paused at a yield when the driver returned (never run to their end).
    The tasks are always closed afterwards, so no socket outlives the check. A
    StopIteration that escapes the driver becomes ExerciseFailed with the text
    `escaped`, in which {value} stands for the escaped task's return value.
    """
    tasks = list(tasks)
    start = time.perf_counter()
    try:
        answer = driver(list(tasks))
        seconds = time.perf_counter() - start
        waiting = [i for i, task in enumerate(tasks)
                   if inspect.getgeneratorstate(task) == inspect.GEN_SUSPENDED]
    except StopIteration as stop:
        raise ExerciseFailed(escaped.format(value=repr(stop.value))) from None
    finally:
        for task in tasks:
            task.close()  # runs each unfinished task's `finally`: its connection closes
    return answer, seconds, waiting
