"""The one settings object: every value comes from the environment (prefix ``SIGAP_``)."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "development-only-secret-change-me-in-production"
# Docker secrets: a file named after the variable (e.g. /run/secrets/sigap_auth_secret) sets it,
# so that no secret needs to be in the environment or the compose file.
SECRETS_DIR = os.environ.get("SIGAP_SECRETS_DIR", "/run/secrets")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SIGAP_",
        extra="ignore",
        frozen=True,
        secrets_dir=SECRETS_DIR if os.path.isdir(SECRETS_DIR) else None,
    )

    environment: Literal["development", "test", "production"] = "development"
    log_level: str = "INFO"
    log_format: Literal["json", "console"] = "json"

    rabbitmq_url: SecretStr = SecretStr("amqp://guest:guest@127.0.0.1:5672/")
    # Names are prefixed so that tests (and several deployments on one broker) never collide.
    amqp_prefix: str = "sigap"
    # An intake running as a clinic's edge node (deploy/edge): its complaints are also kept in
    # the uplink queue its shovel forwards to the district's intake, which answers tracking.
    edge_uplink: bool = False
    prefetch_count: int = Field(default=64, ge=1, le=5000)
    # Growing delay between attempts of a failing handler; len(retry_delays) + 1 attempts in all,
    # then the message goes to the service's dead-letter queue.
    retry_delays_seconds: tuple[float, ...] = (1.0, 5.0, 30.0, 120.0)
    # Broker-side safety net for messages the application could not even re-route.
    delivery_limit: int = Field(default=20, ge=1)
    publish_timeout_seconds: float = Field(default=5.0, gt=0)

    mongodb_url: SecretStr = SecretStr("mongodb://127.0.0.1:27017/?directConnection=true")
    # One database per service: "<prefix>_<service>", plus "<prefix>_directory" for the
    # clinic register that every service reads.
    mongodb_db_prefix: str = "sigap"
    mongodb_timeout_ms: int = Field(default=5000, ge=100)

    public_base_url: str = "http://localhost:8000"

    # Notify: outgoing messages. A provider without credentials is "not configured": its
    # messages fail at once (recorded, never sent), so no environment sends by accident.
    whatsapp_api_base_url: str = "https://graph.facebook.com/v21.0"
    whatsapp_access_token: SecretStr = SecretStr("")
    # Per clinic code, for clinics whose WhatsApp number belongs to their own business account.
    whatsapp_access_tokens: dict[str, SecretStr] = Field(default_factory=dict)
    # Approved template for messages outside the 24-hour customer-service window; its body
    # takes one parameter, the message text.
    whatsapp_template_name: str = "sigap_pemberitahuan"
    whatsapp_template_language: str = "id"
    # Twilio-compatible SMS gateway (the auth token is twilio_auth_token).
    sms_api_base_url: str = "https://api.twilio.com"
    sms_account_sid: str = ""
    sms_default_from: str | None = None
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_sender: str = "SIGAP <sigap@localhost>"
    smtp_tls: Literal["auto", "starttls", "tls", "none"] = "auto"
    provider_timeout_seconds: float = Field(default=10.0, gt=0)
    # Operator-edited message templates (<dir>/<name>.txt, per clinic <dir>/<CLINIC>/<name>.txt).
    templates_dir: str | None = None
    notify_sender_interval_seconds: float = Field(default=2.0, gt=0)
    notify_max_send_attempts: int = Field(default=5, ge=1)
    notify_retry_base_seconds: float = Field(default=30.0, gt=0)
    # A sender that crashed mid-send loses its claim after this long; another one resends.
    notify_lease_seconds: float = Field(default=300.0, gt=0)
    # Daily digests leave at this hour of the clinic's local time.
    notify_digest_hour: int = Field(default=7, ge=0, le=23)

    # Staff sessions: a signed token every service verifies (shared/auth.py).
    auth_secret: SecretStr = SecretStr(DEVELOPMENT_SECRET)
    auth_issuer: str = "sigap"
    auth_audience: str = "sigap-staff"
    session_minutes: int = Field(default=480, ge=5, le=24 * 60)
    # Kept out of the database: what makes a leaked table of PIN hashes useless.
    pin_pepper: SecretStr = SecretStr(DEVELOPMENT_SECRET)
    outbox_relay_interval_seconds: float = Field(default=1.0, gt=0)

    # Intake channels. An empty secret refuses every webhook (an HMAC keyed with "" is forgeable).
    whatsapp_app_secret: SecretStr = SecretStr("")
    whatsapp_verify_token: SecretStr = SecretStr("")
    twilio_auth_token: SecretStr = SecretStr("")
    # Per-client limits of intake's public endpoints (per process: behind N replicas a client
    # gets N times these). Requests per minute, with bursts up to the same number.
    rate_limit_submit_per_minute: int = Field(default=20, ge=1)
    rate_limit_read_per_minute: int = Field(default=120, ge=1)
    rate_limit_webhook_per_minute: int = Field(default=1200, ge=1)
    # Wrong PINs tolerated per tracking number (and per client) in 15 minutes before 429.
    tracking_failures_allowed: int = Field(default=5, ge=1)
    # The client is the address the proxy put in X-Forwarded-For (nginx and ops.gateway
    # overwrite it); turn off when intake is reached without one of them in front.
    trust_forwarded_for: bool = True
    intake_max_body_bytes: int = Field(default=256 * 1024, ge=1024)

    # Personal data of complaints closed or rejected longer ago than this is erased by
    # `sigap purge-personal-data` (UU 27/2022); the anonymous statistics stay.
    retention_days: int = Field(default=730, ge=1)

    # Observability. Traces go over OTLP/HTTP to this base URL (e.g. http://otel-collector:4318);
    # empty turns tracing off entirely. GET /metrics asks for "Authorization: Bearer <token>"
    # when a token is set, and is never served through the public proxy.
    otel_endpoint: str = ""
    otel_sample_ratio: float = Field(default=1.0, ge=0.0, le=1.0)
    metrics_token: SecretStr = SecretStr("")

    @field_validator("retry_delays_seconds")
    @classmethod
    def _delays_positive(cls, delays: tuple[float, ...]) -> tuple[float, ...]:
        if any(d <= 0 for d in delays):
            raise ValueError("every retry delay must be positive")
        return delays

    @model_validator(mode="after")
    def _production_has_real_secrets(self) -> Settings:
        if self.environment == "production":
            for name in ("auth_secret", "pin_pepper"):
                if getattr(self, name).get_secret_value() == DEVELOPMENT_SECRET:
                    raise ValueError(f"SIGAP_{name.upper()} must be set in production")
        return self

    @property
    def max_attempts(self) -> int:
        return len(self.retry_delays_seconds) + 1

    @property
    def exchange_name(self) -> str:
        return f"{self.amqp_prefix}.events"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
