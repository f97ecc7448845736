"""Each channel adapter against its local stand-in: the exact request, and how failures are
told apart (temporary ones are retried, permanent ones are not)."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from pydantic import SecretStr

from services.notify.channels import DeliveryError, OutgoingMessage
from services.notify.channels.email import SmtpEmailAdapter
from services.notify.channels.sms import TwilioSmsAdapter
from services.notify.channels.whatsapp import WhatsAppCloudAdapter
from shared.settings import Settings
from tests.support.infra import free_port
from tests.support.provider_stub import HttpProviderStub, SmtpStub, http_provider, smtp_server

pytestmark = pytest.mark.integration


def message(channel: str, to: str, **extra: object) -> OutgoingMessage:
    fields: dict[str, object] = {
        "channel": channel,
        "to": to,
        "title": "Pengaduan Anda sudah diterima — MDRJ1-2611-ABCD",
        "body": "Terima kasih.\nNomor tiket: MDRJ1-2611-ABCD\nPIN: 123456",
        "clinic": "MDRJ1",
        "whatsapp_phone_number_id": "100000000000001",
        "sms_from": "+6228641147801",
    }
    return OutgoingMessage(**{**fields, **extra})  # type: ignore[arg-type]


@pytest.fixture
async def provider() -> AsyncIterator[HttpProviderStub]:
    async with http_provider() as stub:
        yield stub


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


@pytest.fixture
def smtp() -> Iterator[SmtpStub]:
    with smtp_server() as stub:
        yield stub


def whatsapp(provider: HttpProviderStub, http: httpx.AsyncClient) -> WhatsAppCloudAdapter:
    settings = Settings(
        whatsapp_api_base_url=f"{provider.base_url}/v21.0",
        whatsapp_access_token=SecretStr("default-token"),
        whatsapp_access_tokens={"RANAI": SecretStr("ranai-token")},
    )
    return WhatsAppCloudAdapter(settings, http)


async def test_whatsapp_text_inside_the_window_is_the_graph_api_send_message_request(
    provider: HttpProviderStub, http: httpx.AsyncClient
) -> None:
    message_id = await whatsapp(provider, http).send(message("whatsapp", "+6281234567890"))

    assert message_id == "wamid.STUB1"
    [request] = provider.requests
    assert request.method == "POST"
    assert request.path == "/v21.0/100000000000001/messages"
    assert request.headers["authorization"] == "Bearer default-token"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281234567890",
        "type": "text",
        "text": {"preview_url": False, "body": message("whatsapp", "x").body},
    }


async def test_whatsapp_outside_the_window_sends_the_approved_template_in_indonesian(
    provider: HttpProviderStub, http: httpx.AsyncClient
) -> None:
    outgoing = message("whatsapp", "+6281234567890", whatsapp_mode="template", clinic="RANAI")
    await whatsapp(provider, http).send(outgoing)

    [request] = provider.requests
    assert request.headers["authorization"] == "Bearer ranai-token"
    body = request.json()
    assert body["type"] == "template"
    assert body["template"] == {
        "name": "sigap_pemberitahuan",
        "language": {"code": "id"},
        "components": [
            {
                "type": "body",
                "parameters": [
                    {
                        "type": "text",
                        "text": "Terima kasih. Nomor tiket: MDRJ1-2611-ABCD PIN: 123456",
                    }
                ],
            }
        ],
    }


async def test_whatsapp_text_refused_as_outside_the_window_is_resent_as_the_template(
    provider: HttpProviderStub, http: httpx.AsyncClient
) -> None:
    provider.answer_next((400, {"error": {"message": "Re-engagement message", "code": 131047}}))
    message_id = await whatsapp(provider, http).send(message("whatsapp", "+6281234567890"))

    assert message_id == "wamid.STUB2"
    assert [r.json()["type"] for r in provider.requests] == ["text", "template"]


@pytest.mark.parametrize(
    ("status", "code", "temporary"),
    [(503, 2, True), (429, 130429, True), (400, 130429, True), (400, 131026, False)],
)
async def test_whatsapp_failures_are_temporary_only_when_the_provider_says_so(
    provider: HttpProviderStub, http: httpx.AsyncClient, status: int, code: int, temporary: bool
) -> None:
    provider.answer_next((status, {"error": {"message": "refused", "code": code}}))
    with pytest.raises(DeliveryError) as failure:
        await whatsapp(provider, http).send(message("whatsapp", "+6281234567890"))
    assert failure.value.temporary is temporary
    assert str(code) in failure.value.reason


async def test_whatsapp_without_a_token_fails_permanently_without_calling_the_provider(
    provider: HttpProviderStub, http: httpx.AsyncClient
) -> None:
    settings = Settings(whatsapp_api_base_url=provider.base_url)
    with pytest.raises(DeliveryError) as failure:
        await WhatsAppCloudAdapter(settings, http).send(message("whatsapp", "+6281234567890"))
    assert failure.value.temporary is False
    assert provider.requests == []


def sms(provider: HttpProviderStub, http: httpx.AsyncClient) -> TwilioSmsAdapter:
    settings = Settings(
        sms_api_base_url=provider.base_url,
        sms_account_sid="AC123",
        twilio_auth_token=SecretStr("twilio-secret"),
    )
    return TwilioSmsAdapter(settings, http)


async def test_sms_is_the_twilio_messages_request_with_basic_auth_and_a_form_body(
    provider: HttpProviderStub, http: httpx.AsyncClient
) -> None:
    sid = await sms(provider, http).send(message("sms", "+6281234567890"))

    assert sid == f"SM{1:032d}"
    [request] = provider.requests
    assert request.method == "POST"
    assert request.path == "/2010-04-01/Accounts/AC123/Messages.json"
    expected = base64.b64encode(b"AC123:twilio-secret").decode()
    assert request.headers["authorization"] == f"Basic {expected}"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.form() == {
        "To": "+6281234567890",
        "From": "+6228641147801",
        "Body": message("sms", "x").body,
    }


@pytest.mark.parametrize(("status", "temporary"), [(500, True), (429, True), (400, False)])
async def test_sms_failures_are_temporary_for_429_and_server_errors(
    provider: HttpProviderStub, http: httpx.AsyncClient, status: int, temporary: bool
) -> None:
    provider.answer_next((status, {"code": 21211, "message": "Invalid 'To' Phone Number"}))
    with pytest.raises(DeliveryError) as failure:
        await sms(provider, http).send(message("sms", "+6281234567890"))
    assert failure.value.temporary is temporary


async def test_unreachable_gateway_is_a_temporary_failure(http: httpx.AsyncClient) -> None:
    settings = Settings(
        sms_api_base_url=f"http://127.0.0.1:{free_port()}",
        sms_account_sid="AC123",
        twilio_auth_token=SecretStr("twilio-secret"),
    )
    with pytest.raises(DeliveryError) as failure:
        await TwilioSmsAdapter(settings, http).send(message("sms", "+6281234567890"))
    assert failure.value.temporary is True


def email(smtp: SmtpStub) -> SmtpEmailAdapter:
    settings = Settings(
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_tls="none",
        smtp_sender="Puskesmas <aduan@puskesmas.test>",
    )
    return SmtpEmailAdapter(settings)


async def test_email_goes_over_smtp_with_the_title_as_subject(smtp: SmtpStub) -> None:
    message_id = await email(smtp).send(message("email", "warga@contoh.id"))

    [mail] = smtp.messages
    assert smtp.envelopes == [("aduan@puskesmas.test", ["warga@contoh.id"])]
    assert mail["To"] == "warga@contoh.id"
    assert mail["Subject"] == "Pengaduan Anda sudah diterima — MDRJ1-2611-ABCD"
    assert mail["Message-ID"] == message_id
    assert "PIN: 123456" in mail.get_content()


@pytest.mark.parametrize(
    ("reply", "temporary"),
    [("450 4.2.1 Mailbox busy", True), ("550 5.1.1 No such user", False)],
)
async def test_email_refusals_are_temporary_only_for_smtp_4xx(
    smtp: SmtpStub, reply: str, temporary: bool
) -> None:
    smtp.refuse_next.append(reply)
    with pytest.raises(DeliveryError) as failure:
        await email(smtp).send(message("email", "warga@contoh.id"))
    assert failure.value.temporary is temporary
    assert smtp.messages == []
