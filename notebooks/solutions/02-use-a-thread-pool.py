"""A solution to notebook 02's exercise: the smallest pool that meets a deadline."""
import math

from helpers.exercises.threads import check_pool_size_for


def pool_size_for(n, delay, deadline):
    """The fewest workers that finish n requests of `delay` seconds within `deadline` seconds."""
    waves_that_fit = math.floor(deadline / delay)  # each wave costs one delay
    if math.isclose((waves_that_fit + 1) * delay, deadline):
        waves_that_fit += 1  # 0.3 / 0.1 is 2.9999999999999996 in floating point: 3 waves fit
    return math.ceil(n / waves_that_fit)           # the fewest workers for that many waves


check_pool_size_for(pool_size_for)
