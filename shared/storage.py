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
    },
    "triage": {
        "complaints": [
            IndexModel([("tracking_number", ASCENDING)], unique=True),
            IndexModel([("clinic", ASCENDING), ("status", ASCENDING), ("received_at", DESCENDING)]),
            IndexModel([("clinic", ASCENDING), ("received_at", DESCENDING)]),
        ],
    },
    "notify": {
        "notifications": [
            IndexModel([("cause_event_id", ASCENDING), ("recipient_key", ASCENDING)], unique=True),
            IndexModel([("complaint_id", ASCENDING)]),
        ],
    },
    "reporting": {
        "complaint_counts": [IndexModel([("district", ASCENDING), ("month", ASCENDING)])],
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
