"""helpers.strategies: every strategy in the registry returns N checked responses, no
faster than its prediction."""
import pytest

import helpers
from helpers.strategies import STRATEGIES


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_every_strategy_returns_n_checked_responses(name, service):
    strategy = STRATEGIES[name]
    result = helpers.measure(strategy.run, 5, service)
    # A function is labelled by its name, which the registry uses too; RecordedPool by its size.
    assert result.n == 5 and result.strategy == getattr(strategy.run, "__name__", None)
    assert result.strategy == name or isinstance(strategy.run, helpers.strategies.RecordedPool)
    assert result.seconds >= strategy.predict(5, service.delay)
