"""The complaints of the reliability run, sent as real clients send them: the public form over
HTTP, and WhatsApp and SMS provider webhooks, signed as the providers sign them.

Each complaint carries a reference ("ref R00042") in its text, so that what was stored can be
matched to what was sent. The clients behave as real ones do while services, the broker and the
database restart: a provider delivers the same notification again until it gets a 200; a person
on the web form sends again after a failure. An attempt whose answer was lost (the connection
cut after the request went out) may have been accepted: it is counted as a lost answer, so that
a complaint stored twice because its sender tried again is told apart from a real duplicate.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

Channel = Literal["web", "whatsapp", "sms"]
CLINIC = "MDRJ1"  # the demo clinic with a WhatsApp number id and an SMS number
WHATSAPP_PHONE_NUMBER_ID = "100000000000001"
SMS_NUMBER = "+6228641147801"
APP_SECRET = "reliability-app-secret-0123456789"
TWILIO_TOKEN = "reliability-twilio-token-0123"
PUBLIC_BASE_URL = "https://sigap.reliability.test"
TEXTS = (
    "Antrian di pendaftaran lama sekali, sudah dua jam belum dipanggil",
    "Obat di farmasi sering kosong, disuruh beli di luar",
    "Petugas loket kurang ramah kepada pasien lansia",
    "Toilet ruang tunggu kotor dan bau",
)
# Transport errors after which the request may have reached intake (its answer was lost).
ANSWER_LOST = (httpx.ReadError, httpx.RemoteProtocolError, httpx.ReadTimeout, httpx.WriteError)


def reference(index: int) -> str:
    return f"R{index:05d}"


def channel_of(index: int) -> Channel:
    return ("web", "web", "web", "whatsapp", "sms")[index % 5]


@dataclass
class Ledger:
    """What the clients know at the end: which complaints were accepted, and how it went."""

    web: dict[str, str] = field(default_factory=dict)  # reference -> tracking number (202)
    webhooks: dict[str, str] = field(default_factory=dict)  # reference -> provider message id
    lost_answers: Counter[str] = field(default_factory=Counter)  # reference -> attempts
    statuses: Counter[str] = field(default_factory=Counter)  # "web 503", "sms ConnectError", …
    attempts: int = 0

    @property
    def accepted(self) -> int:
        return len(self.web) + len(self.webhooks)


def whatsapp_body(index: int) -> tuple[bytes, str]:
    message_id = f"wamid.RELIABILITY{index:08d}"
    sender = f"62812{index:08d}"
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "114422557788990",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "6228641147801",
                                "phone_number_id": WHATSAPP_PHONE_NUMBER_ID,
                            },
                            "contacts": [{"profile": {"name": "Pelapor"}, "wa_id": sender}],
                            "messages": [
                                {
                                    "from": sender,
                                    "id": message_id,
                                    "timestamp": "1735707600",
                                    "type": "text",
                                    "text": {"body": complaint_text(index)},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }
    return json.dumps(payload).encode(), message_id


def sms_form(index: int) -> dict[str, str]:
    return {
        "MessageSid": f"SMRELIABILITY{index:019d}",
        "AccountSid": "AC" + "0" * 32,
        "From": f"+62813{index:08d}",
        "To": SMS_NUMBER,
        "Body": complaint_text(index),
        "NumMedia": "0",
    }


def complaint_text(index: int) -> str:
    return f"{TEXTS[index % len(TEXTS)]} (ref {reference(index)})"


def twilio_signature(url: str, form: dict[str, str]) -> str:
    signed = url + "".join(name + value for name, value in sorted(form.items()))
    return base64.b64encode(
        hmac.new(TWILIO_TOKEN.encode(), signed.encode(), hashlib.sha1).digest()
    ).decode()


class Sender:
    """Sends complaint ``index`` over its channel until it is accepted."""

    def __init__(self, http: httpx.AsyncClient, ledger: Ledger, give_up_after: float) -> None:
        self._http = http
        self._ledger = ledger
        self._give_up_after = give_up_after

    async def send(self, index: int) -> None:
        channel = channel_of(index)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._give_up_after
        delay = 0.1
        while True:
            self._ledger.attempts += 1
            try:
                done = await self._attempt(channel, index)
            except httpx.TransportError as exc:
                self._ledger.statuses[f"{channel} {type(exc).__name__}"] += 1
                if isinstance(exc, ANSWER_LOST):
                    self._ledger.lost_answers[reference(index)] += 1
                done = False
            if done:
                return
            if loop.time() > deadline:
                raise AssertionError(f"{reference(index)} ({channel}) never accepted")
            await asyncio.sleep(delay)  # back off as a client would
            delay = min(delay * 2, 2.0)

    async def _attempt(self, channel: Channel, index: int) -> bool:
        if channel == "web":
            reply = await self._http.post(
                "/api/v1/complaints",
                json={"clinic": CLINIC, "kind": "keluhan", "text": complaint_text(index)},
            )
            if reply.status_code == 202:
                self._ledger.web[reference(index)] = reply.json()["tracking_number"]
                return True
        elif channel == "whatsapp":
            body, message_id = whatsapp_body(index)
            signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
            reply = await self._http.post(
                "/webhooks/whatsapp",
                content=body,
                headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
            )
            if reply.status_code == 200:
                counts: dict[str, Any] = reply.json()
                assert counts["received"] + counts["duplicates"] == 1, counts
                self._ledger.webhooks[reference(index)] = message_id
                return True
        else:
            form = sms_form(index)
            signature = twilio_signature(f"{PUBLIC_BASE_URL}/webhooks/sms", form)
            reply = await self._http.post(
                "/webhooks/sms", data=form, headers={"X-Twilio-Signature": signature}
            )
            if reply.status_code == 200:
                self._ledger.webhooks[reference(index)] = form["MessageSid"]
                return True
        self._ledger.statuses[f"{channel} {reply.status_code}"] += 1
        if reply.status_code < 500 and reply.status_code != 429:
            raise AssertionError(f"{reference(index)} refused: {reply.status_code} {reply.text}")
        return False
