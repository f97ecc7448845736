"""SMS through a Twilio-compatible REST gateway (Messages resource, form-encoded)."""

from __future__ import annotations

import httpx

from services.notify.channels import DeliveryError, OutgoingMessage
from services.notify.domain.delivery import http_status_is_temporary
from shared.settings import Settings


class TwilioSmsAdapter:
    def __init__(self, settings: Settings, http: httpx.AsyncClient) -> None:
        self._base = settings.sms_api_base_url.rstrip("/")
        self._sid = settings.sms_account_sid
        self._token = settings.twilio_auth_token.get_secret_value()
        self._default_from = settings.sms_default_from
        self._http = http

    async def send(self, message: OutgoingMessage) -> str | None:
        sender = message.sms_from or self._default_from
        if not (self._sid and self._token and sender):
            raise DeliveryError("Gateway SMS belum dikonfigurasi", temporary=False)
        try:
            reply = await self._http.post(
                f"{self._base}/2010-04-01/Accounts/{self._sid}/Messages.json",
                data={"To": message.to, "From": sender, "Body": message.body},
                auth=(self._sid, self._token),
            )
        except httpx.HTTPError as exc:
            raise DeliveryError(f"Gateway SMS tidak terjangkau: {exc!r}", temporary=True) from exc
        try:
            body = reply.json()
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        if reply.is_success:
            return str(body["sid"]) if body.get("sid") else None
        reason = f"SMS {reply.status_code} ({body.get('code')}): {body.get('message', reply.text)}"
        raise DeliveryError(reason[:1000], temporary=http_status_is_temporary(reply.status_code))
