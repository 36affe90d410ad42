"""A solution to notebook 02's exercise: the smallest pool that meets a deadline."""
import math

from helpers.exercises.threads import check_pool_size_for


def pool_size_for(n, delay, deadline):
    """The fewest workers that finish n requests of `delay` seconds within `deadline` seconds."""
    waves_that_fit = math.floor(deadline / delay)  # each wave costs one delay
    return math.ceil(n / waves_that_fit)           # the fewest workers for that many waves


check_pool_size_for(pool_size_for)
