"""The single origin's route table: which path prefix goes to which service.

docker compose implements the same table in deploy/nginx.conf; tests/unit/test_routes.py checks
that the two agree.
"""

from __future__ import annotations

SERVICES = ("intake", "triage", "notify", "reporting")

# (path prefix, service, strip the prefix?) — first match wins, so the most specific comes first.
ROUTES: tuple[tuple[str, str, bool], ...] = (
    *((f"/{service}/", service, True) for service in SERVICES),
    ("/api/v1/reports/", "reporting", False),
    # Staff pages: entry of staff-logged feedback at intake, the rest of the console at triage,
    # the reports and the district dashboard at reporting.
    ("/konsol/catat/", "intake", False),
    ("/konsol/", "triage", False),
    ("/dasbor/", "reporting", False),
    ("/api/v1/staff/", "triage", False),
    ("/api/v1/notify/", "notify", False),
    ("/papan-tanggapan/", "notify", False),
    ("/api/v1/", "intake", False),
    ("/webhooks/", "intake", False),
    ("/", "intake", False),
)


def route(path: str) -> tuple[str, str]:
    """The service for a request path and the path that service sees."""
    for prefix, service, strip in ROUTES:
        if path.startswith(prefix) or path == prefix.rstrip("/"):
            return service, ("/" + path[len(prefix) :]) if strip else path
    return "intake", path
