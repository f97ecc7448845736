"""Per-client rate limiting for intake's public endpoints: one token bucket per client and bucket.

Each client starts with ``capacity`` tokens; a request takes one and tokens come back at
``refill_per_second``. When the bucket is empty the caller answers 429 with ``retry_after``.

The buckets live in the process's memory: with several intake replicas a client gets each
replica's allowance, which is acceptable because the proxy in front (nginx) limits per client
address too; this limiter is the service's own net. The number of tracked clients is bounded
(the least recently seen are forgotten first), so a flood of spoofed addresses cannot exhaust
memory. Time is passed in, so the rules are tested without waiting.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass

__all__ = ["Decision", "RateLimiter"]


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    retry_after: int  # whole seconds until one token is back; 0 when allowed


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, capacity: int, refill_per_second: float, max_clients: int = 50_000) -> None:
        if capacity < 1 or refill_per_second <= 0 or max_clients < 1:
            raise ValueError("capacity, refill rate and max_clients must be positive")
        self.capacity = capacity
        self.refill_per_second = refill_per_second
        self._max_clients = max_clients
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    @classmethod
    def per_minute(cls, requests: int, max_clients: int = 50_000) -> RateLimiter:
        return cls(requests, requests / 60.0, max_clients)

    def check(self, client: str, now: float) -> Decision:
        """Take one token for ``client`` at time ``now`` (seconds, monotonic)."""
        bucket = self._refilled(client, now)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return Decision(True, 0)
        missing = 1.0 - bucket.tokens
        return Decision(False, max(1, math.ceil(missing / self.refill_per_second)))

    def peek(self, client: str, now: float) -> Decision:
        """Whether ``client`` could make a request now, without taking a token."""
        bucket = self._refilled(client, now)
        if bucket.tokens >= 1.0:
            return Decision(True, 0)
        return Decision(False, max(1, math.ceil((1.0 - bucket.tokens) / self.refill_per_second)))

    def _refilled(self, client: str, now: float) -> _Bucket:
        bucket = self._buckets.get(client)
        if bucket is None:
            bucket = _Bucket(float(self.capacity), now)
            self._buckets[client] = bucket
            if len(self._buckets) > self._max_clients:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(client)
            elapsed = max(0.0, now - bucket.updated)
            bucket.tokens = min(
                float(self.capacity), bucket.tokens + elapsed * self.refill_per_second
            )
            bucket.updated = now
        return bucket
