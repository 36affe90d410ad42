"""The service's own share of a measurement: what shows it is not the bottleneck.

A client that takes 1.9 s for 10,000 one-second requests is slow only if the service
answered on time. These numbers, from the service's side, say whether it did:

    arrival_spread  first to last arrival (s): how fast the client got its requests out
    lateness_*      answered - arrived - delay (s), median, p99 and max: how late the
                    service's own timers and writes went out
    cpu_seconds     the service process's CPU time since /reset: if it nears the wall
                    time of a run, the service had no core to spare
    retransmissions TCP segments sent again since /reset, from /proc/net/snmp: a full
                    listen backlog or a dropped SYN shows here. System-wide (every TCP
                    connection on this machine, not only ours); None where the OS does
                    not expose it (macOS, Windows)

Standard library only: it runs inside the service process.
"""
import math
import resource

SNMP = "/proc/net/snmp"
RETRANSMISSIONS_SCOPE = "system-wide: every TCP connection on this machine, from " + SNMP


def retransmitted_segments():
    """The kernel's count of TCP segments retransmitted since boot, or None if unknown."""
    try:
        with open(SNMP) as table:
            rows = [line.split() for line in table if line.startswith("Tcp:")]
        header, values = rows[0], rows[1]  # the first Tcp: line names the columns
        return int(values[header.index("RetransSegs")])
    except (OSError, IndexError, ValueError):
        return None


def cpu_seconds():
    """This process's CPU time so far, user and system, every thread."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def nearest_rank(ordered, fraction):
    """The value below which `fraction` of the sorted list lies (nearest rank), or None."""
    if not ordered:
        return None
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def share(records, retransmissions_at_reset, cpu_at_reset):
    """The service's share, as plain data for /stats, from its records since /reset.

    records: [arrived, answered, delay, client port] per answered request.
    """
    arrivals = [r[0] for r in records]
    # The service never answers before arrived + delay (server.Connection waits out a
    # timer that fires early), so a value below 0 here is the float rounding of epoch
    # seconds (about 0.2 microseconds), not an early answer.
    lateness = sorted(max(0.0, answered - arrived - delay)
                      for arrived, answered, delay, _port in records)
    now = retransmitted_segments()
    retransmitted = (None if now is None or retransmissions_at_reset is None
                     else now - retransmissions_at_reset)
    return {
        "answered": len(records),
        "arrival_spread": max(arrivals) - min(arrivals) if arrivals else None,
        "lateness_median": nearest_rank(lateness, 0.5),
        "lateness_p99": nearest_rank(lateness, 0.99),
        "lateness_max": lateness[-1] if lateness else None,
        "cpu_seconds": cpu_seconds() - cpu_at_reset,
        "retransmissions": retransmitted,
        "retransmissions_scope": RETRANSMISSIONS_SCOPE if retransmitted is not None
        else "not exposed by this operating system",
    }
