"""No personal data in any service's logs: complaints with distinctive names, phone numbers and
e-mail addresses go in over the public form, WhatsApp and SMS, flow through every service (stored,
counted, answered, tracked with their PIN), and then every line those processes wrote is
searched for them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pymongo import AsyncMongoClient

from tests.support.infra import Infrastructure
from tests.support.service_processes import RunningServices, services_on
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration

APP_SECRET = "pii-app-secret"
TWILIO_TOKEN = "pii-twilio-token"
PUBLIC_BASE_URL = "https://sigap.pii.test"
WEB_PERSON = {
    "name": "Kusumawardhani Prasetyaningsih",
    "phone": "081398765432",
    "email": "kusuma.prasetya@contoh-pribadi.id",
}
WHATSAPP_PERSON = {"name": "Bonifasius Tjahjadiningrat", "wa_id": "6281277665544"}
SMS_PHONE = "+6285711223344"


@pytest.fixture
def running(infra: Infrastructure, tmp_path: Path) -> Iterator[RunningServices]:
    env = {
        "SIGAP_LOG_LEVEL": "DEBUG",  # the most a service would ever write
        "SIGAP_WHATSAPP_APP_SECRET": APP_SECRET,
        "SIGAP_TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "SIGAP_PUBLIC_BASE_URL": PUBLIC_BASE_URL,
    }
    with services_on(infra, tmp_path / "logs", env) as services:
        yield services


def phone_forms(local: str) -> list[str]:
    """The ways a number can be written: 0812…, 62812…, +62812…."""
    digits = local.removeprefix("+").removeprefix("62").removeprefix("0")
    return [f"0{digits}", f"62{digits}", f"+62{digits}"]


def whatsapp_body(text: str) -> bytes:
    message = {
        "from": WHATSAPP_PERSON["wa_id"],
        "id": f"wamid.PII{uuid.uuid4().hex}",
        "timestamp": "1735707600",
        "type": "text",
        "text": {"body": text},
    }
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6228641147801", "phone_number_id": "100000000000001"},
        "contacts": [{"profile": {"name": WHATSAPP_PERSON["name"]}, "wa_id": message["from"]}],
        "messages": [message],
    }
    payload = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(payload).encode()


def sms_signature(form: dict[str, str]) -> str:
    signed = f"{PUBLIC_BASE_URL}/webhooks/sms" + "".join(k + v for k, v in sorted(form.items()))
    return base64.b64encode(
        hmac.new(TWILIO_TOKEN.encode(), signed.encode(), hashlib.sha1).digest()
    ).decode()


async def test_names_phone_numbers_emails_and_pins_never_reach_the_logs(
    running: RunningServices,
) -> None:
    secrets = [WEB_PERSON["name"], WEB_PERSON["email"], WHATSAPP_PERSON["name"]]
    secrets += phone_forms(WEB_PERSON["phone"]) + phone_forms(WHATSAPP_PERSON["wa_id"])
    secrets += phone_forms(SMS_PHONE)
    async with httpx.AsyncClient(base_url=running.url("intake"), timeout=30) as http:
        web = await http.post(
            "/api/v1/complaints",
            json={
                "clinic": "MDRJ1",
                "kind": "keluhan",
                # Contacts written in the text itself, as complainants do.
                "text": f"Saya {WEB_PERSON['name']}, hp {WEB_PERSON['phone']}, "
                f"email {WEB_PERSON['email']}: obat di farmasi kosong",
                "reporter": WEB_PERSON,
            },
        )
        assert web.status_code == 202, web.text
        receipt = web.json()
        secrets.append(receipt["pin"])
        body = whatsapp_body(f"Nama saya {WHATSAPP_PERSON['name']}, antrean lama sekali")
        signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
        whatsapp = await http.post(
            "/webhooks/whatsapp",
            content=body,
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
        )
        assert whatsapp.status_code == 200, whatsapp.text
        form = {
            "MessageSid": f"SM{uuid.uuid4().hex}",
            "From": SMS_PHONE,
            "To": "+6228641147801",
            "Body": f"Petugas loket membentak saya. Hubungi {SMS_PHONE}",
        }
        sms = await http.post(
            "/webhooks/sms", data=form, headers={"X-Twilio-Signature": sms_signature(form)}
        )
        assert sms.status_code == 200, sms.text
        mongo: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
            running.settings.mongodb_url.get_secret_value(), uuidRepresentation="standard"
        )
        prefix = running.settings.mongodb_db_prefix
        try:
            await eventually(
                lambda: mongo[f"{prefix}_triage"]["complaints"].count_documents({}),
                until=lambda n: n == 3,
                timeout=60,
                what="three complaints stored by triage",
            )
            await eventually(
                lambda: mongo[f"{prefix}_reporting"]["processed_events"].count_documents(
                    {"type": "complaint.triaged"}
                ),
                until=lambda n: n == 3,
                timeout=60,
                what="three triaged complaints counted by reporting",
            )
            await eventually(
                lambda: mongo[f"{prefix}_notify"]["notifications"].count_documents({}),
                until=lambda n: n >= 3,
                timeout=60,
                what="the receipts queued by notify",
            )
        finally:
            await mongo.close()
        tracked = await http.get(
            f"/api/v1/complaints/track/{receipt['tracking_number']}", params={"pin": receipt["pin"]}
        )
        assert tracked.status_code == 200, tracked.text

    logged = running.log_text()
    assert '"event.handled"' in logged  # the services did log while handling these complaints
    assert receipt["tracking_number"] in logged
    leaked = [secret for secret in secrets if secret in logged]
    lines = [line for line in logged.splitlines() if any(s in line for s in leaked)]
    assert leaked == [], "\n".join(lines[:20])
