"""A solution to notebook 10's exercise: the cheapest strategy that meets a latency budget."""
from helpers.exercises.explorer import check_cheapest_within


def cheapest_within(rows, n, budget):
    """The strategy measured at N = n within `budget` seconds that cost the least client CPU
    per request; None if none made it."""
    within = [row for row in rows
              if row["status"] == "ok"                # skipped and failed rows have no times
              and row["n"] == n
              and row["median_seconds"] <= budget]    # seconds, and exactly on budget counts
    if not within:
        return None
    return min(within, key=lambda row: row["cpu_us_per_request"])["strategy"]


check_cheapest_within(cheapest_within)
