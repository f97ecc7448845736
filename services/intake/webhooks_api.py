"""Provider webhooks: WhatsApp Business Cloud API and Twilio-compatible SMS.

The signature is checked on the raw body before anything else is read from it; a forged or
missing one is refused with 403 and nothing else happens. A signed notification is answered
200 as soon as its messages are published (unknown phone-number ids are logged and skipped),
or 503 when the broker did not confirm, so that the provider delivers it again.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from services.intake.channel_service import ChannelService, WebhookOutcome
from services.intake.domain.signatures import verify_twilio_signature
from services.intake.domain.sms import InvalidSmsError, parse_inbound_sms
from services.intake.domain.whatsapp import (
    InvalidWhatsAppPayloadError,
    parse_notification,
    verify_handshake,
    verify_signature,
)
from services.intake.edge import (
    RateLimits,
    accepted,
    limited_route,
    media_type,
    wrong_content_type,
)
from shared.http import correlation_id, field_error
from shared.logging import get_logger
from shared.settings import Settings

log = get_logger(__name__)
FORM = "application/x-www-form-urlencoded"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def router(channels: ChannelService, settings: Settings, limits: RateLimits) -> APIRouter:
    api = APIRouter(
        prefix="/webhooks",
        tags=["webhooks"],
        route_class=limited_route(settings.intake_max_body_bytes),
        dependencies=[Depends(limits.dependency("webhook"))],
    )
    app_secret = settings.whatsapp_app_secret.get_secret_value()
    verify_token = settings.whatsapp_verify_token.get_secret_value()
    auth_token = settings.twilio_auth_token.get_secret_value()
    sms_url = settings.public_base_url.rstrip("/") + "/webhooks/sms"

    @api.get("/whatsapp", response_class=PlainTextResponse)
    async def whatsapp_handshake(request: Request) -> Response:
        challenge = verify_handshake(dict(request.query_params), verify_token)
        if challenge is None:
            log.warning("whatsapp.handshake_refused")
            return field_error(403, "hub.verify_token", "Token verifikasi tidak cocok")
        return PlainTextResponse(challenge)

    @api.post("/whatsapp", responses={403: {"description": "Tanda tangan tidak sah"}})
    async def whatsapp_notification(request: Request) -> Response:
        raw = await request.body()
        signature = request.headers.get("x-hub-signature-256")
        if not verify_signature(raw, signature, app_secret):
            log.warning("whatsapp.bad_signature")
            return field_error(403, "X-Hub-Signature-256", "Tanda tangan tidak sah")
        if media_type(request) != "application/json":
            return wrong_content_type("application/json")
        try:
            batch = parse_notification(json.loads(raw))
        except (ValueError, InvalidWhatsAppPayloadError) as exc:
            reason = str(exc) if isinstance(exc, InvalidWhatsAppPayloadError) else "bukan JSON"
            return field_error(422, "body", f"Notifikasi tidak dikenali: {reason}")
        outcome = await accepted(channels.whatsapp(batch, correlation_id(request)))
        if not isinstance(outcome, WebhookOutcome):
            return outcome
        log.info(
            "whatsapp.notification",
            accepted=len(outcome.accepted),
            duplicates=outcome.duplicates,
            replies=outcome.replies,
            skipped=outcome.skipped,
            receipts=outcome.receipts,
        )
        return JSONResponse({"received": len(outcome.accepted), "duplicates": outcome.duplicates})

    @api.post("/sms", responses={403: {"description": "Tanda tangan tidak sah"}})
    async def sms_message(request: Request) -> Response:
        raw = await request.body()
        is_form = media_type(request) == FORM
        pairs = parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True) if is_form else []
        url = sms_url + (f"?{request.url.query}" if request.url.query else "")
        if not verify_twilio_signature(
            url, pairs, request.headers.get("x-twilio-signature"), auth_token
        ):
            log.warning("sms.bad_signature")
            return field_error(403, "X-Twilio-Signature", "Tanda tangan tidak sah")
        if not is_form:
            return wrong_content_type(FORM)
        form = dict(pairs)
        if "MessageStatus" in form and "Body" not in form:
            result = await accepted(channels.sms_status(form, correlation_id(request)))
            return result if isinstance(result, Response) else _twiml()
        try:
            sms = parse_inbound_sms(form)
        except InvalidSmsError as exc:
            field, _, reason = str(exc).partition(":")
            return field_error(422, field.strip(), reason.strip() or str(exc))
        outcome = await accepted(channels.sms(sms, correlation_id(request)))
        if isinstance(outcome, Response):
            return outcome
        log.info("sms.received", accepted=outcome is not None)
        return _twiml()

    return api


def _twiml() -> Response:
    return Response(EMPTY_TWIML, media_type="application/xml")
