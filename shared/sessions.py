"""Staff sessions: signing in (throttled and audited), the sessions a user holds, and their
revocation — all in MongoDB, so that every replica of every service agrees."""

from __future__ import annotations

import math
from dataclasses import dataclass
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


class LoginThrottle:
    """Failed logins counted per account and per client in fixed windows; a key that reached its
    limit is refused until its window ends. Counters live in ``login_attempts`` (TTL)."""

    def __init__(
        self,
        db: Database,
        *,
        account_limit: int = 5,
        client_limit: int = 20,
        window: timedelta = timedelta(minutes=15),
    ) -> None:
        self._attempts = db["login_attempts"]
        self._limits = {"account": account_limit, "client": client_limit}
        self._window = window

    def _window_of(self, now: datetime) -> tuple[int, datetime]:
        seconds = self._window.total_seconds()
        index = math.floor(now.timestamp() / seconds)
        return index, datetime.fromtimestamp((index + 1) * seconds, UTC)

    def _keys(self, username: str, client: str, now: datetime) -> dict[str, str]:
        index, _ = self._window_of(now)
        return {
            "account": f"account:{username.strip().lower()}:{index}",
            "client": f"client:{client}:{index}",
        }

    async def retry_after(self, username: str, client: str) -> int | None:
        """Seconds until this account and client may try again, or None if they may now."""
        now = datetime.now(UTC)
        keys = self._keys(username, client, now)
        cursor = self._attempts.find({"_id": {"$in": list(keys.values())}})
        async for doc in cursor:
            kind = "account" if doc["_id"] == keys["account"] else "client"
            if doc["failures"] >= self._limits[kind]:
                _, window_end = self._window_of(now)
                return max(1, math.ceil((window_end - now).total_seconds()))
        return None

    async def record_failure(self, username: str, client: str) -> None:
        now = datetime.now(UTC)
        _, window_end = self._window_of(now)
        for key in self._keys(username, client, now).values():
            await self._attempts.update_one(
                {"_id": key},
                {"$inc": {"failures": 1}, "$setOnInsert": {"expires_at": window_end}},
                upsert=True,
            )

    async def clear_account(self, username: str) -> None:
        """A successful login forgives the account's failures (not the client's)."""
        key = self._keys(username, "-", datetime.now(UTC))["account"]
        await self._attempts.delete_one({"_id": key})


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
        retry_after = await self._throttle.retry_after(username, client)
        if retry_after is not None:
            await self._audit.record(
                AuditAction.LOGIN_THROTTLED,
                actor=user.id if user else username,
                target=user.id if user else username,
                clinic=user.clinic if user else None,
                district=user.district if user else None,
                detail={"client": client},
            )
            raise LoginThrottledError(retry_after)
        matches = await self._passwords.verify(user.password_hash if user else None, password)
        if user is None or not matches or not user.active:
            await self._refuse(username, client, user, matches)
        assert user is not None
        await self._throttle.clear_account(username)
        if self._passwords.needs_rehash(user.password_hash):
            new_hash = await self._passwords.hash(password)
            await self._users.update(user.id, {"password_hash": new_hash})
        return await self.open_session(user)

    async def _refuse(
        self, username: str, client: str, user: StaffUser | None, matches: bool
    ) -> None:
        await self._throttle.record_failure(username, client)
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
