"""WhatsApp Business Cloud API: the Graph API send-message request."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx

from services.notify.channels import DeliveryError, OutgoingMessage
from services.notify.domain.delivery import WHATSAPP_TEMPORARY_CODES, http_status_is_temporary
from services.notify.domain.messages import single_line
from shared.settings import Settings

# "Re-engagement message": more than 24 hours since the customer last wrote.
RE_ENGAGEMENT_REQUIRED = 131047


class WindowClosedError(Exception):
    pass


class WhatsAppCloudAdapter:
    def __init__(self, settings: Settings, http: httpx.AsyncClient) -> None:
        self._base = settings.whatsapp_api_base_url.rstrip("/")
        self._default_token = settings.whatsapp_access_token.get_secret_value()
        self._tokens = {k: v.get_secret_value() for k, v in settings.whatsapp_access_tokens.items()}
        self._template = settings.whatsapp_template_name
        self._language = settings.whatsapp_template_language
        self._http = http

    async def send(self, message: OutgoingMessage) -> str | None:
        token = self._tokens.get(message.clinic) or self._default_token
        if not token or not message.whatsapp_phone_number_id:
            raise DeliveryError("WhatsApp belum dikonfigurasi untuk puskesmas ini", temporary=False)
        try:
            return await self._post(message, token)
        except WindowClosedError:
            # The window closed after we looked (or the reply came from another phone):
            # the approved template is allowed at any time.
            return await self._post(replace(message, whatsapp_mode="template"), token)

    async def _post(self, message: OutgoingMessage, token: str) -> str | None:
        try:
            reply = await self._http.post(
                f"{self._base}/{message.whatsapp_phone_number_id}/messages",
                json=self.payload(message),
                headers={"Authorization": f"Bearer {token}"},
            )
        except httpx.HTTPError as exc:  # timeouts, refused connections: try again later
            raise DeliveryError(f"WhatsApp tidak terjangkau: {exc!r}", temporary=True) from exc
        if reply.is_success:
            messages = _json(reply).get("messages") or [{}]
            return str(messages[0].get("id")) if messages[0].get("id") else None
        error = _json(reply).get("error") or {}
        code = error.get("code")
        if code == RE_ENGAGEMENT_REQUIRED and message.whatsapp_mode == "text":
            raise WindowClosedError
        temporary = http_status_is_temporary(reply.status_code) or code in WHATSAPP_TEMPORARY_CODES
        reason = f"WhatsApp {reply.status_code} ({code}): {error.get('message', reply.text)}"
        raise DeliveryError(reason[:1000], temporary=temporary)

    def payload(self, message: OutgoingMessage) -> dict[str, Any]:
        base: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.to.lstrip("+"),
        }
        if message.whatsapp_mode == "text":
            return {**base, "type": "text", "text": {"preview_url": False, "body": message.body}}
        parameter = {"type": "text", "text": single_line(message.body)}
        template = {
            "name": self._template,
            "language": {"code": self._language},
            "components": [{"type": "body", "parameters": [parameter]}],
        }
        return {**base, "type": "template", "template": template}


def _json(reply: httpx.Response) -> dict[str, Any]:
    try:
        body = reply.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
