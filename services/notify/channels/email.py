"""E-mail over SMTP (aiosmtplib)."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

import aiosmtplib

from services.notify.channels import DeliveryError, OutgoingMessage
from services.notify.domain.delivery import smtp_code_is_temporary
from shared.settings import Settings


class SmtpEmailAdapter:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def compose(self, message: OutgoingMessage) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self._settings.smtp_sender
        mail["To"] = message.to
        mail["Subject"] = message.title
        mail["Message-ID"] = make_msgid(domain="sigap")
        mail.set_content(message.body)
        return mail

    async def send(self, message: OutgoingMessage) -> str | None:
        settings = self._settings
        if not settings.smtp_host:
            raise DeliveryError("SMTP belum dikonfigurasi", temporary=False)
        mail = self.compose(message)
        tls = settings.smtp_tls
        try:
            await aiosmtplib.send(
                mail,
                hostname=settings.smtp_host,
                port=settings.smtp_port,
                username=settings.smtp_username,
                password=settings.smtp_password.get_secret_value()
                if settings.smtp_password
                else None,
                use_tls=tls == "tls",
                start_tls={"auto": None, "starttls": True}.get(tls, False),
                timeout=settings.provider_timeout_seconds,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [refused.code for refused in exc.recipients]
            temporary = all(smtp_code_is_temporary(code) for code in codes)
            raise DeliveryError(f"SMTP menolak penerima: {codes}", temporary=temporary) from exc
        except aiosmtplib.SMTPResponseException as exc:
            reason = f"SMTP {exc.code}: {exc.message}"[:1000]
            raise DeliveryError(reason, temporary=smtp_code_is_temporary(exc.code)) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:  # connection and timeout errors
            raise DeliveryError(f"SMTP tidak terjangkau: {exc!r}", temporary=True) from exc
        return str(mail["Message-ID"])
