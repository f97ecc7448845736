"""Staff sessions: signing in (throttled and audited), the sessions a user holds, and their
revocation — all in MongoDB, so that every replica of every service agrees."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from pymongo import UpdateOne

from shared.audit import AuditAction, AuditLog
from shared.auth import Principal, TokenCodec
from shared.storage import Database
from shared.users import Passwords, StaffUser, UserStore


class RevocationStore:
    """Sessions issued at login (``sessions``) and sessions ended before their expiry
    (``revoked_tokens``); both expire with the token through TTL indexes.

    It is the ``RevocationCheck`` every service consults (``app.state.revocations``).
    """

    def __init__(self, db: Database) -> None:
        self._sessions = db["sessions"]
        self._revoked = db["revoked_tokens"]

    async def is_revoked(self, token_id: str) -> bool:
        return await self._revoked.find_one({"_id": token_id}, {"_id": 1}) is not None

    async def record_session(self, token_id: str, user_id: str, expires_at: datetime) -> None:
        await self._sessions.insert_one(
            {"_id": token_id, "user_id": user_id, "expires_at": expires_at}
        )

    async def revoke(self, token_id: str, expires_at: datetime) -> None:
        await self._revoked.update_one(
            {"_id": token_id},
            {"$setOnInsert": {"expires_at": expires_at, "revoked_at": datetime.now(UTC)}},
            upsert=True,
        )

    async def revoke_user(self, user_id: str) -> int:
        """End every live session of a user (password reset, role change, deactivation)."""
        now = datetime.now(UTC)
        cursor = self._sessions.find({"user_id": user_id, "expires_at": {"$gt": now}})
        writes = [
            UpdateOne(
                {"_id": doc["_id"]},
                {"$setOnInsert": {"expires_at": doc["expires_at"], "revoked_at": now}},
                upsert=True,
            )
            async for doc in cursor
        ]
        if writes:
            await self._revoked.bulk_write(writes, ordered=False)
        return len(writes)


@dataclass(frozen=True)
class LoginAttempt:
    """One sign-in attempt, already counted against its account and its client."""

    account_key: str
    client_key: str
    retry_after: int | None  # seconds until this account and client may try again, if refused


class LoginThrottle:
    """Sign-in attempts counted per account and per client in fixed windows; a key past its
    limit is refused until its window ends. Counters live in ``login_attempts`` (TTL).

    An attempt is counted *before* its password is checked: checking first and counting the
    failure afterwards would let parallel guesses all pass the check. A successful attempt is
    then taken back (and forgives the account's failures), so the counters hold failures and
    attempts still in flight."""

    def __init__(
        self,
        db: Database,
        *,
        account_limit: int = 5,
        client_limit: int = 20,
        window: timedelta = timedelta(minutes=15),
    ) -> None:
        self._attempts = db["login_attempts"]
        self._account_limit = account_limit
        self._client_limit = client_limit
        self._window = window

    async def admit(self, username: str, client: str) -> LoginAttempt:
        now = datetime.now(UTC)
        seconds = self._window.total_seconds()
        index = math.floor(now.timestamp() / seconds)
        window_end = datetime.fromtimestamp((index + 1) * seconds, UTC)
        attempt = LoginAttempt(
            account_key=f"account:{username.strip().lower()}:{index}",
            client_key=f"client:{client}:{index}",
            retry_after=max(1, math.ceil((window_end - now).total_seconds())),
        )
        over_limit = False
        for key, limit in (
            (attempt.account_key, self._account_limit),
            (attempt.client_key, self._client_limit),
        ):
            await self._attempts.update_one(
                {"_id": key},
                {"$inc": {"attempts": 1}, "$setOnInsert": {"expires_at": window_end}},
                upsert=True,
            )
            # Read after our own increment: the count seen is at least this attempt's place in
            # line, so no more than ``limit`` attempts can see a count within the limit.
            counted = await self._attempts.find_one({"_id": key}, {"attempts": 1})
            over_limit = over_limit or counted is None or counted["attempts"] > limit
        return attempt if over_limit else replace(attempt, retry_after=None)

    async def succeeded(self, attempt: LoginAttempt) -> None:
        """The account's failures are forgiven; for the client the attempt was no failure."""
        await self._attempts.delete_one({"_id": attempt.account_key})
        await self._attempts.update_one({"_id": attempt.client_key}, {"$inc": {"attempts": -1}})


class LoginRefusedError(Exception):
    """Wrong username or password, or an inactive account; the caller is not told which."""


class LoginThrottledError(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after}s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Session:
    user: StaffUser
    token: str
    principal: Principal
    expires_at: datetime


class SignIn:
    """Login and logout: the use cases behind the staff auth endpoints."""

    def __init__(
        self,
        users: UserStore,
        passwords: Passwords,
        throttle: LoginThrottle,
        revocations: RevocationStore,
        audit: AuditLog,
        tokens: TokenCodec,
        ttl: timedelta,
    ) -> None:
        self._users = users
        self._passwords = passwords
        self._throttle = throttle
        self._revocations = revocations
        self._audit = audit
        self._tokens = tokens
        self._ttl = ttl

    async def login(self, username: str, password: str, client: str) -> Session:
        user = await self._users.by_username(username)
        attempt = await self._throttle.admit(username, client)
        if attempt.retry_after is not None:
            await self._audit.record(
                AuditAction.LOGIN_THROTTLED,
                actor=user.id if user else username,
                target=user.id if user else username,
                clinic=user.clinic if user else None,
                district=user.district if user else None,
                detail={"client": client},
            )
            raise LoginThrottledError(attempt.retry_after)
        matches = await self._passwords.verify(user.password_hash if user else None, password)
        if user is None or not matches or not user.active:
            await self._refuse(username, client, user, matches)
        assert user is not None
        await self._throttle.succeeded(attempt)
        if self._passwords.needs_rehash(user.password_hash):
            new_hash = await self._passwords.hash(password)
            await self._users.update(user.id, {"password_hash": new_hash})
        return await self.open_session(user)

    async def _refuse(
        self, username: str, client: str, user: StaffUser | None, matches: bool
    ) -> None:
        reason = "unknown_user" if user is None else "wrong_password" if not matches else "inactive"
        await self._audit.record(
            AuditAction.LOGIN_FAILED,
            actor=user.id if user else username,
            target=user.id if user else username,
            clinic=user.clinic if user else None,
            district=user.district if user else None,
            detail={"reason": reason, "client": client},
        )
        raise LoginRefusedError(username)

    async def open_session(self, user: StaffUser) -> Session:
        now = datetime.now(UTC)
        principal = user.principal()
        token = self._tokens.issue(principal, self._ttl, now=now)
        principal = self._tokens.verify(token)
        expires_at = principal.expires_at or now + self._ttl
        await self._revocations.record_session(principal.token_id or "", user.id, expires_at)
        await self._audit.record(AuditAction.LOGIN, actor=principal, target=user.id)
        return Session(user, token, principal, expires_at)

    async def logout(self, principal: Principal) -> None:
        expires_at = principal.expires_at or datetime.now(UTC) + self._ttl
        await self._revocations.revoke(principal.token_id or "", expires_at)
        await self._audit.record(AuditAction.LOGOUT, actor=principal, target=principal.user_id)
