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
