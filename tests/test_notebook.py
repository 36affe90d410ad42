"""In a notebook, course errors and stale-DELAY checks show one short message, and the cell
still fails (helpers.notebook).

The cells run in a real kernel, as a learner runs them: a check after DELAY changed but
the service did not, a CourseError from inside a thread pool, Ctrl-C during a
measurement. Each must show a message of a few lines that says what happened and what to
do, leave the full traceback to %tb, and still count as an error: the kernel replies
"error" and publishes it, which is what nbval and Run All stop on. The last test runs
nbval itself on a small generated notebook.
"""
import os
import re
import subprocess
import sys
import threading

import nbformat
import pytest
from jupyter_client.manager import start_new_kernel

from support.timing import time_limit

SETUP = """
import helpers
from helpers.strategies import serial, thread_pool
DELAY = 0.1
service = helpers.shared_service(DELAY)
"""
# Notebook 01's sweep check, as a learner meets it after changing DELAY to 0.2 and
# running only the cells below the parameters cell that do not restart the service.
SERIAL_CHECK = """
m = helpers.measure(serial, 2)
low, high = 0.99 * 2 * DELAY, 2 * DELAY + 0.5
assert low <= m.seconds <= high, f"2 serial requests should take about 2 delays: {m}"
"""
STALE = ("This notebook's DELAY is 0.2 s, but the service still waits 0.1 s per request: it "
         "was started before DELAY changed, so the check above compared two different "
         "delays. Run ▸ Run Selected Cell and All Below from the parameters cell.")
FULL_TRACEBACK = "%tb in a new cell shows the full traceback"
SHORT = 4  # lines: a message, where, and the pointer to %tb
COLOUR = re.compile(r"\x1b\[[0-9;]*m")  # IPython colours its tracebacks


def as_text(error):
    """A published error's traceback as plain text."""
    return COLOUR.sub("", "\n".join(error["traceback"]))


class Kernel:
    """A kernel that runs cells and says what each showed."""

    def __init__(self, cwd):
        env = {**os.environ, "COURSE_DELAY": "0.1"}
        self.manager, self.client = start_new_kernel(kernel_name="python3", cwd=str(cwd),
                                                     env=env)

    def run(self, code, interrupt_after=None):
        """(status of the reply, the errors it published as text, what it printed)."""
        messages = []
        timer = None
        if interrupt_after is not None:
            timer = threading.Timer(interrupt_after, self.manager.interrupt_kernel)
            timer.start()
        try:
            reply = self.client.execute_interactive(code, timeout=60,
                                                    output_hook=messages.append)
        finally:
            if timer is not None:
                timer.cancel()
        errors = [m["content"] for m in messages if m["msg_type"] == "error"]
        printed = "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream")
        return reply["content"]["status"], errors, printed

    def run_ok(self, code):
        status, errors, printed = self.run(code)
        assert status == "ok" and not errors, (errors, printed)
        return printed

    def fails_with(self, code, **kwargs):
        """Run code that must fail; return its one published error as (ename, text)."""
        status, errors, printed = self.run(code, **kwargs)
        assert status == "error", f"the cell should count as failed: {status}, {printed}"
        assert len(errors) == 1, f"one error should be published, not {len(errors)}: {errors}"
        return errors[0]["ename"], as_text(errors[0])

    def stop(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    with time_limit(60):
        started = Kernel(tmp_path_factory.mktemp("kernel"))
        try:
            started.run_ok(SETUP)
        except BaseException:
            started.stop()
            raise
    yield started
    started.stop()


@pytest.fixture(autouse=True)
def hard_time_bound():
    with time_limit(90):
        yield


@pytest.fixture
def stale_delay(kernel):
    """DELAY changed in the parameters cell; the service still runs with the old one."""
    kernel.run_ok("DELAY = 0.2")
    yield
    kernel.run_ok("DELAY = 0.1\nservice = helpers.shared_service(DELAY)")


def test_a_check_after_delay_changed_says_so_and_still_fails(kernel, stale_delay):
    ename, text = kernel.fails_with(SERIAL_CHECK)
    assert ename == "AssertionError"
    assert text.startswith(STALE), text
    assert "said: AssertionError: 2 serial requests should take about 2 delays: serial: 2 " \
           "requests in" in text, "the check's own message must still be shown"
    assert FULL_TRACEBACK in text and len(text.splitlines()) <= SHORT, text


def test_the_full_traceback_is_one_command_away(kernel, stale_delay):
    kernel.fails_with(SERIAL_CHECK)
    _status, errors, _printed = kernel.run("%tb")
    [shown] = errors
    text = as_text(shown)
    assert shown["ename"] == "AssertionError" and "assert low <= m.seconds <= high" in text
    assert "This notebook's DELAY" not in text


def test_a_check_that_fails_for_another_reason_shows_its_usual_traceback(kernel):
    kernel.run_ok("service = helpers.shared_service(DELAY)")  # the delays agree
    ename, text = kernel.fails_with('m = helpers.measure(serial, 1)\n'
                                    'assert m.seconds < 0, "a real failure"')
    assert ename == "AssertionError" and "a real failure" in text
    assert "This notebook's DELAY" not in text
    assert 'assert m.seconds < 0, "a real failure"' in text, "the usual traceback shows the code"


def test_a_course_error_is_one_short_message_that_says_where(kernel):
    ename, text = kernel.fails_with("helpers.measure(serial, 0)")
    assert ename == "InvalidParameter"
    assert text.splitlines() == [
        "InvalidParameter: n must be at least 1 request; got 0.",
        f"Raised at `helpers.measure(serial, 0)`. ({FULL_TRACEBACK}.)"]


def test_a_course_error_from_a_thread_pool_is_short_too(kernel):
    ename, text = kernel.fails_with(
        "from concurrent.futures import ThreadPoolExecutor\n"
        "def broken(n, service):\n"
        "    with ThreadPoolExecutor(2) as pool:\n"
        "        return list(pool.map(lambda _: helpers.check_response(500, b'oops'), range(n)))\n"
        "helpers.measure(broken, 2, service)")
    assert ename == "BadResponse"
    lines = text.splitlines()
    assert lines[0].startswith("BadResponse: ") and "500" in lines[0], text
    assert "check_response(500, b'oops')" in lines[1], "it names the notebook's own line"
    assert "concurrent" not in text and "threading" not in text and len(lines) <= SHORT, text


def test_an_exercise_keeps_its_own_short_message(kernel):
    ename, text = kernel.fails_with("from helpers.exercises import ExerciseFailed\n"
                                    "raise ExerciseFailed('return the body')")
    assert ename == "ExerciseFailed" and text == "✗ Not yet: return the body"


def test_ctrl_c_during_a_measurement_says_what_stopped_and_what_was_closed(kernel):
    kernel.run_ok("slow = helpers.Service(delay=1.0).start()")
    try:
        ename, text = kernel.fails_with("helpers.measure(thread_pool, 40, slow)",
                                        interrupt_after=1.0)
        # Still a KeyboardInterrupt: nbval reads that name to report a cell timeout.
        assert ename == "KeyboardInterrupt"
        assert text.splitlines() == [
            "Interrupted: the measurement of thread_pool with N=40 stopped; its sockets and "
            "threads are closed. Run the cell again, with a smaller N if it was slow.",
            f"({FULL_TRACEBACK}.)"]
        _status, [full], _printed = kernel.run("%tb")
        assert "concurrent" in as_text(full), "%tb shows where Ctrl-C landed"
        assert "threads: 0" in kernel.run_ok(
            "import threading\n"
            "print('threads:', sum(t.name.startswith('course-pool') "
            "for t in threading.enumerate()))")
    finally:
        kernel.run_ok("slow.stop()")


def test_a_broken_handler_still_shows_the_failure(kernel, stale_delay):
    kernel.run_ok("import helpers.notebook\n"
                  "_working = helpers.notebook.delay_mismatch\n"
                  "helpers.notebook.delay_mismatch = lambda namespace: 1 / 0")
    try:
        ename, text = kernel.fails_with(SERIAL_CHECK)
        assert ename == "AssertionError" and "2 serial requests should take" in text
        assert "assert low <= m.seconds <= high" in text, "the usual traceback, in full"
    finally:
        kernel.run_ok("helpers.notebook.delay_mismatch = _working")
    _ename, text = kernel.fails_with(SERIAL_CHECK)
    assert text.startswith(STALE), "the handler is still installed afterwards"


def test_another_custom_handler_is_left_alone(kernel):
    printed = kernel.run_ok(
        "shell = get_ipython()\n"
        "saved = shell.custom_exceptions, shell.CustomTB\n"
        "shell.set_custom_exc((ValueError,), lambda *args, **kwargs: None)\n"
        "print('installed:', helpers.notebook.install(shell))\n"
        "print('kept:', shell.custom_exceptions == (ValueError,))\n"
        "shell.set_custom_exc((), None)\n"
        "print('again:', helpers.notebook.install())\n"
        "print('twice:', helpers.notebook.install())\n")
    assert printed.split() == ["installed:", "False", "kept:", "True", "again:", "True",
                               "twice:", "True"]


def test_outside_ipython_importing_helpers_installs_nothing_and_imports_no_ipython():
    done = subprocess.run(
        [sys.executable, "-c",
         "import sys, helpers\n"
         "print(helpers.notebook.install(), 'IPython' in sys.modules)"],
        capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["False", "False"], done.stdout + done.stderr


def test_nbval_still_counts_the_cells_as_failed(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in (
        SETUP, "DELAY = 0.2", SERIAL_CHECK, "helpers.measure(serial, 0)", "print('done')")]
    nbformat.write(notebook, tmp_path / "stale.ipynb")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly",
         "--nbval-lax", "--nbval-current-env", "--nbval-cell-timeout=60", "stale.ipynb"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120)
    report = run.stdout + run.stderr
    assert run.returncode == 1 and "2 failed, 3 passed" in report, report
    assert STALE in report and "InvalidParameter: n must be at least 1" in report, report
