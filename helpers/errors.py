"""The course's own exceptions: each message says what happened and what to do."""


class CourseError(Exception):
    """Base class: every error the helpers raise on purpose."""


class InvalidParameter(CourseError, ValueError):
    """A request count, delay or other knob that the course cannot use."""


class ServiceError(CourseError):
    """The downstream service failed to start, stopped, or is not reachable."""


class BadResponse(CourseError):
    """The service answered, but not with the 200 and the body we expect."""


class IncompleteMeasurement(CourseError):
    """A strategy lost or mangled responses: its time must not be reported."""


class TooManySockets(CourseError):
    """An experiment needs more open files than this process may have."""


class MeasurementInterrupted(KeyboardInterrupt):
    """Ctrl-C (a kernel interrupt) stopped a measurement; the message says what is left.

    Still a KeyboardInterrupt, so whatever stops on Ctrl-C stops on it too; and not a
    CourseError, so that no `except CourseError:` or `except Exception:` swallows it.
    """
