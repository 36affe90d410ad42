"""Short error messages in a notebook, with the full traceback one command away (%tb).

`import helpers` in an IPython kernel calls install(), which registers one handler
for three kinds of exception raised by a cell:

- an AssertionError while the kernel's shared service waits another delay than the
  notebook's DELAY: the learner changed DELAY and ran some cells but not the one that
  restarts the service, so the check compared a measurement at the old delay with
  bounds at the new one. The message says so, and which cells to run; the check's own
  message follows. Any other AssertionError gets its usual traceback.
- a CourseError: its message already says what happened and what to do; forty lines
  through concurrent.futures and threading add nothing to it.
- a MeasurementInterrupted (Ctrl-C during helpers.measure): what stopped, what was
  cleaned up, what to do.

The cell still fails (the kernel reports an error, so nbval and Run All stop as before),
and `%tb` in the next cell prints the full traceback. If anything goes wrong in the
handler itself, the usual traceback is shown: it must never hide a failure.
"""
import linecache
import math
import numbers
import sys

from .errors import CourseError, MeasurementInterrupted
from .service.process import running_shared_service

__all__ = ["install"]

HANDLED = (AssertionError, CourseError, MeasurementInterrupted)
FULL_TRACEBACK = "(%tb in a new cell shows the full traceback.)"
RUN_FROM_PARAMETERS = "Run ▸ Run Selected Cell and All Below from the parameters cell."


def install(shell=None):
    """Show short messages in this IPython shell (the running one if None); True if done.

    Safe to call again. Outside IPython it does nothing, without importing IPython; a
    shell that already has another custom exception handler keeps it.
    """
    if shell is None:
        ipython = sys.modules.get("IPython")  # a kernel has imported it; a script has not
        shell = ipython.get_ipython() if ipython is not None else None
        if shell is None:
            return False
    if shell.custom_exceptions == HANDLED:
        return True
    if shell.custom_exceptions:
        return False  # someone else's handler: leave it alone
    shell.set_custom_exc(HANDLED, _handle)
    return True


def _handle(shell, etype, value, tb, tb_offset=None):
    """IPython's custom exception handler: show the short message, or the usual traceback."""
    try:
        short = _short_message(shell, value, tb)
        if short is not None:
            _show(shell, etype, value, tb, short)
            return None
    except Exception:  # a bug here must not hide the cell's own failure
        pass
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    return None


def _show(shell, etype, value, tb, lines):
    # What showtraceback() records, so that %tb and %debug find this exception.
    sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb
    if sys.version_info >= (3, 12):
        sys.last_exc = value
    # Shown as a KeyboardInterrupt, which it is: nbval reads that name to report a timeout.
    shown = KeyboardInterrupt if isinstance(value, MeasurementInterrupted) else etype
    shell._showtraceback(shown, value, lines)  # publishes the error, as showtraceback does


def _short_message(shell, value, tb):
    """The lines to show instead of the traceback, or None for the usual traceback."""
    if hasattr(value, "_render_traceback_"):
        return None  # it renders itself (helpers.exercises.ExerciseFailed)
    where = _cell_line(shell, tb)
    if isinstance(value, AssertionError):
        mismatch = delay_mismatch(shell.user_ns)
        if mismatch is None:
            return None
        said = f"{type(value).__name__}: {value}" if str(value) else type(value).__name__
        return [mismatch, f"The check{where} said: {said}", FULL_TRACEBACK]
    if isinstance(value, MeasurementInterrupted):
        return [str(value), FULL_TRACEBACK]  # it begins "Interrupted: ..."
    return [f"{type(value).__name__}: {value}",
            f"Raised{where}. {FULL_TRACEBACK}" if where else FULL_TRACEBACK]


def delay_mismatch(namespace):
    """What to say when the shared service's delay is not the notebook's DELAY (else None)."""
    service = running_shared_service()
    delay = namespace.get("DELAY")
    if service is None or isinstance(delay, bool) or not isinstance(delay, numbers.Real):
        return None
    if math.isclose(float(delay), service.delay, rel_tol=1e-9, abs_tol=1e-12):
        return None
    return (f"This notebook's DELAY is {float(delay):g} s, but the service still waits "
            f"{service.delay:g} s per request: it was started before DELAY changed, so the "
            f"check above compared two different delays. {RUN_FROM_PARAMETERS}")


def _cell_line(shell, tb):
    """' at `line`' for the innermost line of the notebook's own code in tb, else ''."""
    found = None
    while tb is not None:
        if tb.tb_frame.f_globals is shell.user_ns:  # a cell, or a function defined in one
            found = tb
        tb = tb.tb_next
    if found is None:
        return ""
    line = linecache.getline(found.tb_frame.f_code.co_filename, found.tb_lineno).strip()
    return f" at `{line}`" if line else ""
