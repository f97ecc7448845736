"""CSRF protection for every HTML form: a random token in a cookie and in the form must match
(double submit). JSON APIs are not affected: browsers cannot send them cross-site with cookies
without a CORS preflight, which no service allows."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request, Response

CSRF_COOKIE = "sigap_csrf"
CSRF_FIELD = "csrf_token"


def csrf_token(request: Request) -> str:
    """The token to put in the page's forms (the cookie's, or a new one set by `remember`)."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if token is None:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return str(token)


def remember_csrf(request: Request, response: Response) -> None:
    new = getattr(request.state, "new_csrf", None)
    if new:
        secure = request.url.scheme == "https"
        response.set_cookie(CSRF_COOKIE, new, httponly=True, samesite="strict", secure=secure)


def csrf_valid(request: Request, submitted: str | None) -> bool:
    expected = request.cookies.get(CSRF_COOKIE)
    if not expected or not submitted:
        return False
    return hmac.compare_digest(expected, submitted)
