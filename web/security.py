"""Who may reach the staff pages, and which requests may change anything.

- The shop LAN only: a pure ASGI middleware refuses (403) any client outside private and
  loopback ranges (plus ``[staff_web] allow``) before a route runs, the board included.
- A staff session is a signed cookie (Starlette's SessionMiddleware: itsdangerous,
  HttpOnly, ``SameSite=Strict``; not ``Secure``, a shop LAN has no certificate).
- Every POST needs the session's CSRF token in its form, and an ``Origin`` (or
  ``Sec-Fetch-Site``) saying it came from this site: a page on another site cannot make a
  staff tablet's browser change an order.
- Sign-in goes through the kiosk's own :class:`~untact.shop.staff_access.PinGate`
  (scrypt hash, lockout kept in SQLite): one PIN check for the kiosk and the web.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from .config import WebConfig, client_allowed

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
                   Awaitable[None]]


class Refused(Exception):
    """A request that must not go through; the handler answers 403 with a short reason."""


class LanOnly:
    """ASGI middleware: clients outside the shop LAN get 403 and nothing else."""

    def __init__(self, app: ASGIApp, config: WebConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Any]],
                       send: Callable[[Any], Awaitable[None]]) -> None:
        if scope["type"] in ("http", "websocket"):
            client = scope.get("client")
            if not client_allowed(client[0] if client else None, self.config):
                await PlainTextResponse("403: the staff pages answer the shop's network only",
                                        status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def csrf_token(request: Request) -> str:
    """The session's token, made on first use (a signed-out visitor gets one too, for
    the sign-in form)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def same_site(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is not None:
        parts = urlsplit(origin)
        return parts.netloc.lower() == request.headers.get("host", "").lower()
    fetch_site = request.headers.get("sec-fetch-site")
    return fetch_site in (None, "same-origin", "none")


async def checked_form(request: Request) -> FormData:
    """The POST's form, once its origin and CSRF token check out; Refused otherwise."""
    if not same_site(request):
        raise Refused("cross-site request")
    form = await request.form()
    sent = form.get("csrf")
    token = request.session.get("csrf")
    if not isinstance(sent, str) or not isinstance(token, str) or not hmac.compare_digest(sent, token):
        raise Refused("missing or wrong CSRF token")
    return form


def signed_in(request: Request) -> bool:
    return request.session.get("staff") is True


def sign_in(request: Request) -> None:
    lang = request.session.get("lang")
    request.session.clear()  # nothing from before sign-in survives it
    request.session.update({"staff": True, "csrf": secrets.token_urlsafe(32)})
    if lang:
        request.session["lang"] = lang


def refused(reason: str) -> Response:
    return PlainTextResponse(f"403: {reason}", status_code=403)
