"""What the service tells about a run: one Record per answered request, the Share the
service itself took (helpers.service.share computes it), and the Stats holding both."""
from dataclasses import dataclass, field
from typing import Optional


@dataclass(frozen=True)
class Record:
    """One answered request, as the service saw it (times in seconds since the epoch)."""
    arrived: float
    answered: float
    delay: float
    client_port: int


@dataclass(frozen=True)
class Share:
    """The service's own share of a run (helpers.service.share): None where unknown."""
    answered: int = 0
    arrival_spread: Optional[float] = None   # s, first to last arrival
    lateness_median: Optional[float] = None  # s, answered - arrived - delay
    lateness_p99: Optional[float] = None
    lateness_max: Optional[float] = None
    cpu_seconds: Optional[float] = None      # the service's CPU time since reset()
    retransmissions: Optional[int] = None    # TCP segments sent again since reset()
    retransmissions_scope: str = "not measured"


@dataclass(frozen=True)
class Stats:
    """What the service recorded since it started or was last reset."""
    delay: float
    most_at_once: int
    in_flight: int
    records: Optional[list]  # None when asked for stats(records=False)
    loop: str = "unknown"    # the event loop the service runs, as 'uvloop 0.23.0'
    share: Share = field(default_factory=Share)
