"""MongoDB access: the one client factory, one database per owner, every index in one place.

Only features that both MongoDB 7 and SecantusDB support are used (no text indexes).
"""

from __future__ import annotations

from typing import Any

from bson.codec_options import CodecOptions
from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from shared.settings import Settings

Document = dict[str, Any]
Database = AsyncDatabase[Document]
Client = AsyncMongoClient[Document]

# owner → collection → indexes. An owner is a service, or "directory" for the clinic register.
INDEXES: dict[str, dict[str, list[IndexModel]]] = {
    "directory": {
        "clinics": [
            IndexModel([("district", ASCENDING), ("code", ASCENDING)]),
            IndexModel([("whatsapp_phone_number_id", ASCENDING)], sparse=True, unique=True),
            IndexModel([("sms_number", ASCENDING)], sparse=True, unique=True),
        ],
        "users": [
            IndexModel([("username", ASCENDING)], unique=True),
            IndexModel([("clinic", ASCENDING), ("username", ASCENDING)]),
            IndexModel([("district", ASCENDING), ("username", ASCENDING)]),
        ],
        "sessions": [
            IndexModel([("user_id", ASCENDING)]),
            IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0),
        ],
        "revoked_tokens": [IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0)],
        "login_attempts": [IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0)],
        "audit_log": [
            IndexModel([("clinic", ASCENDING), ("at", DESCENDING)]),
            IndexModel([("district", ASCENDING), ("at", DESCENDING)]),
        ],
    },
    "triage": {
        "complaints": [
            IndexModel([("tracking_number", ASCENDING)], unique=True),
            IndexModel([("clinic", ASCENDING), ("status", ASCENDING), ("received_at", DESCENDING)]),
            IndexModel([("clinic", ASCENDING), ("received_at", DESCENDING)]),
            IndexModel([("clinic", ASCENDING), ("unit", ASCENDING), ("received_at", DESCENDING)]),
            IndexModel([("keywords", ASCENDING)]),
            IndexModel([("clinic", ASCENDING), ("reporter_key", ASCENDING)], sparse=True),
            IndexModel([("status", ASCENDING), ("deadlines.triage_due", ASCENDING)]),
            IndexModel([("status", ASCENDING), ("deadlines.response_due", ASCENDING)]),
            IndexModel([("status", ASCENDING), ("deadlines.close_due", ASCENDING)]),
        ],
        "deadline_settings": [],
    },
    "notify": {
        "notifications": [
            IndexModel([("cause_event_id", ASCENDING), ("recipient_key", ASCENDING)], unique=True),
            IndexModel([("complaint_id", ASCENDING)]),
            # The sender's queue, leases, digests, delivery receipts, the operators' list.
            IndexModel([("status", ASCENDING), ("next_attempt_at", ASCENDING)]),
            IndexModel([("status", ASCENDING), ("lease_until", ASCENDING)]),
            IndexModel([("status", ASCENDING), ("clinic", ASCENDING), ("created_at", ASCENDING)]),
            IndexModel([("provider_message_id", ASCENDING)], sparse=True),
            IndexModel(
                [("status", ASCENDING), ("district", ASCENDING), ("updated_at", DESCENDING)]
            ),
        ],
        "board_entries": [IndexModel([("clinic", ASCENDING), ("responded_at", DESCENDING)])],
    },
    "reporting": {
        "complaint_counts": [
            IndexModel([("district", ASCENDING), ("month", ASCENDING)]),
            IndexModel([("clinic", ASCENDING), ("month", ASCENDING)]),
        ],
        "event_log": [
            IndexModel([("complaint_id", ASCENDING), ("occurred_at", ASCENDING)]),
            IndexModel([("subject", ASCENDING), ("complaint_id", ASCENDING)]),
        ],
        "complaint_facts": [
            IndexModel([("clinic", ASCENDING), ("month", ASCENDING), ("received_at", ASCENDING)]),
        ],
        "clinic_status": [IndexModel([("district", ASCENDING)])],
        "ikm_tallies": [
            IndexModel([("district", ASCENDING), ("month", ASCENDING)]),
            IndexModel([("clinic", ASCENDING), ("month", ASCENDING)]),
        ],
        "visits": [
            IndexModel([("district", ASCENDING), ("month", ASCENDING)]),
            IndexModel([("clinic", ASCENDING), ("month", ASCENDING)]),
        ],
        "district_counts": [IndexModel([("district", ASCENDING), ("month", ASCENDING)])],
        "district_status": [IndexModel([("district", ASCENDING)])],
        "ikm_clinic_tallies": [
            IndexModel([("district", ASCENDING), ("month", ASCENDING)]),
            IndexModel([("clinic", ASCENDING), ("month", ASCENDING)]),
        ],
        "ikm_district_tallies": [IndexModel([("district", ASCENDING), ("month", ASCENDING)])],
    },
    "intake": {
        # _id is the tracking number; the rest serve operators and crash clean-up.
        "submissions": [
            IndexModel([("complaint_id", ASCENDING)], unique=True),
            IndexModel([("published", ASCENDING), ("created_at", ASCENDING)]),
            IndexModel([("reporter_key", ASCENDING), ("status", ASCENDING)], sparse=True),
        ],
        "inbound": [IndexModel([("state", ASCENDING), ("claimed_at", ASCENDING)])],
        "pin_failures": [IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0)],
        "suggestion_box_openings": [
            IndexModel([("clinic", ASCENDING), ("opened_on", DESCENDING)]),
        ],
    },
}
# Every consuming owner also has these (see shared.idempotency and shared.outbox).
CONSUMER_INDEXES: dict[str, list[IndexModel]] = {
    "processed_events": [IndexModel([("processed_at", ASCENDING)])],
    "outbox": [IndexModel([("published", ASCENDING), ("created_at", ASCENDING)])],
}


def create_client(settings: Settings) -> Client:
    return AsyncMongoClient(
        settings.mongodb_url.get_secret_value(),
        tz_aware=True,
        uuidRepresentation="standard",
        serverSelectionTimeoutMS=settings.mongodb_timeout_ms,
        connectTimeoutMS=settings.mongodb_timeout_ms,
        appname="sigap",
    )


def database(client: Client, settings: Settings, owner: str) -> Database:
    return client.get_database(
        f"{settings.mongodb_db_prefix}_{owner}",
        codec_options=CodecOptions(tz_aware=True, uuid_representation=4),
    )


async def ensure_indexes(db: Database, owner: str) -> None:
    collections = dict(INDEXES.get(owner, {}))
    if owner != "directory":
        collections.update(CONSUMER_INDEXES)
    for name, indexes in collections.items():
        if indexes:
            await db[name].create_indexes(indexes)


async def ping(client: Client) -> None:
    await client.admin.command("ping")
