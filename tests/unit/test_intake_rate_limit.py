"""The per-client token bucket of intake's public endpoints."""

from __future__ import annotations

import pytest

from services.intake.domain.rate_limit import RateLimiter


def test_client_may_burst_up_to_capacity_then_is_refused() -> None:
    limiter = RateLimiter(capacity=3, refill_per_second=1.0)
    assert [limiter.check("a", now=0.0).allowed for _ in range(4)] == [True, True, True, False]


def test_refused_request_says_when_to_retry() -> None:
    limiter = RateLimiter.per_minute(2)
    limiter.check("a", now=0.0)
    limiter.check("a", now=0.0)
    decision = limiter.check("a", now=0.0)
    assert not decision.allowed
    assert decision.retry_after == 30


def test_tokens_come_back_over_time_but_never_beyond_capacity() -> None:
    limiter = RateLimiter(capacity=2, refill_per_second=0.5)
    limiter.check("a", now=0.0)
    limiter.check("a", now=0.0)
    assert not limiter.check("a", now=1.0).allowed
    assert limiter.check("a", now=2.0).allowed
    assert [limiter.check("a", now=1000.0).allowed for _ in range(3)] == [True, True, False]


def test_each_client_has_its_own_bucket() -> None:
    limiter = RateLimiter(capacity=1, refill_per_second=0.01)
    assert limiter.check("a", now=0.0).allowed
    assert not limiter.check("a", now=0.0).allowed
    assert limiter.check("b", now=0.0).allowed


def test_peek_does_not_take_a_token() -> None:
    limiter = RateLimiter(capacity=1, refill_per_second=0.01)
    assert limiter.peek("a", now=0.0).allowed
    assert limiter.peek("a", now=0.0).allowed
    assert limiter.check("a", now=0.0).allowed
    assert not limiter.peek("a", now=0.0).allowed


def test_least_recently_seen_clients_are_forgotten_beyond_the_bound() -> None:
    limiter = RateLimiter(capacity=1, refill_per_second=0.01, max_clients=2)
    limiter.check("a", now=0.0)
    limiter.check("b", now=0.0)
    limiter.check("c", now=0.0)  # "a" is forgotten: it starts again with a full bucket
    assert limiter.check("a", now=0.0).allowed
    assert not limiter.check("c", now=0.0).allowed


def test_a_clock_going_backwards_gives_no_tokens() -> None:
    limiter = RateLimiter(capacity=1, refill_per_second=1.0)
    limiter.check("a", now=100.0)
    assert not limiter.check("a", now=50.0).allowed


@pytest.mark.parametrize(("capacity", "rate"), [(0, 1.0), (1, 0.0), (1, -1.0)])
def test_limits_must_be_positive(capacity: int, rate: float) -> None:
    with pytest.raises(ValueError):
        RateLimiter(capacity, rate)
