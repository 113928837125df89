"""The staff web app and the ready board as one Starlette application.

Pages are rendered on the server (Jinja2), so there is no build chain; the little plain
JavaScript only listens to server-sent events and swaps in the HTML the server sends, or
posts a form without reloading (every form also works without it). Every page works with
the keyboard, in Korean and English.

    /login, /logout            staff sign-in (the kiosk's admin PIN, its lockout)
    /staff                     queue, staff calls, sold out, devices, totals (signed in)
    /staff/events              the live part of /staff as server-sent events
    /staff/...  (POST)         one change each; CSRF token and same origin required
    /staff/orders.csv          the day's orders
    /board, /board/events      the customers' ready board (public, read-only)
    /board/call/{n}.wav        the spoken call for order n
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import secrets
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from untact.shop.export import describe_lines
from untact.shop.order_feed import STATUSES, OrderFeed, ShopControl, ready_board
from untact.shop.staff_access import PinCheck

from . import security
from .board import Announcer, SpeechUnavailable, announcement_wav
from .config import WebConfig
from .strings import LANGUAGES, t

HERE = Path(__file__).parent
NEXT = {"new": "preparing", "preparing": "ready", "ready": "collected"}
WAIT_S = 0.5  # one wait on the feed; shop changes (menu, calls, devices) are seen at this pace
KEEPALIVE_S = 15.0


def create_app(feed: OrderFeed, control: ShopControl, check_pin: Callable[[str], PinCheck],
               config: WebConfig | None = None, secret_key: str | None = None) -> Starlette:
    """``check_pin`` is the kiosk's PinGate.check (slow on purpose: run in a thread)."""
    config = config if config is not None else WebConfig()
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    announcer = Announcer(feed.orders())

    def lang_of(request: Request) -> str:
        lang = request.session.get("lang")
        if lang in LANGUAGES:
            return str(lang)
        return control.menu().languages[0] if control.menu().languages[0] in LANGUAGES else "ko"

    def render(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
        lang = lang_of(request)
        context.update(lang=lang, other=[x for x in LANGUAGES if x != lang][0],
                       t=lambda key, **kw: t(key, lang, **kw), csrf=security.csrf_token(request),
                       shop_name=control.menu().shop_name.get(lang, ""))
        return templates.TemplateResponse(request, name, context, status_code=status_code)

    def live_context(lang: str) -> dict[str, Any]:
        orders = feed.orders()
        menu = control.menu()
        s = feed.summary()
        return {
            "queue": [o for o in orders if o.status != "collected"],
            "next": NEXT,
            "describe": lambda o: describe_lines(o.lines, lang),
            "calls": control.staff_calls(),
            "items": menu.items,
            "health": control.device_health(),
            "summary": s,
            "statuses": STATUSES,
        }

    def live_html(request: Request) -> str:
        lang = lang_of(request)
        template = templates.get_template("staff_live.html")
        return template.render(lang=lang, t=lambda key, **kw: t(key, lang, **kw),
                               csrf=security.csrf_token(request), **live_context(lang))

    # --- sign-in -------------------------------------------------------------------------

    async def login_page(request: Request) -> Response:
        if security.signed_in(request):
            return RedirectResponse("/staff", 303)
        return render(request, "login.html", message="")

    async def login(request: Request) -> Response:
        try:
            form = await security.checked_form(request)
        except security.Refused as exc:
            return security.refused(str(exc))
        result: PinCheck = await anyio.to_thread.run_sync(check_pin, str(form.get("pin", "")))
        if result.ok:
            security.sign_in(request)
            return RedirectResponse("/staff", 303)
        lang = lang_of(request)
        return render(request, "login.html", status_code=429 if result.locked_for_s else 401,
                      message=t("login.no_pin", lang) if result.no_pin else result.message(lang))

    async def logout(request: Request) -> Response:
        try:
            await security.checked_form(request)
        except security.Refused as exc:
            return security.refused(str(exc))
        request.session.clear()
        return RedirectResponse("/login", 303)

    async def set_language(request: Request) -> Response:
        lang = request.path_params["lang"]
        if lang in LANGUAGES:
            request.session["lang"] = lang
        back = request.query_params.get("back", "/staff")
        return RedirectResponse(back if back in ("/staff", "/login", "/board") else "/staff", 303)

    # --- the staff page ------------------------------------------------------------------

    def staff_only(handler: Callable[[Request], Any]) -> Callable[[Request], Any]:
        async def guarded(request: Request) -> Response:
            if not security.signed_in(request):
                if request.method == "GET" and request.url.path == "/staff":
                    return RedirectResponse("/login", 303)
                return security.refused("sign in first")
            if request.method == "POST":
                try:
                    form = await security.checked_form(request)
                except security.Refused as exc:
                    return security.refused(str(exc))
                request.state.form = form
            response: Response = await handler(request)
            return response
        return guarded

    async def staff_page(request: Request) -> Response:
        return render(request, "staff.html", live=await anyio.to_thread.run_sync(live_html, request))

    async def staff_events(request: Request) -> Response:
        return StreamingResponse(_stream(request, lambda: _sse("live", live_html(request))),
                                 media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    def done(request: Request) -> Response:
        # A form posted without JavaScript gets the page back; fetch() gets a 204.
        if request.headers.get("x-requested-with") == "fetch":
            return Response(status_code=204)
        return RedirectResponse("/staff", 303)

    def problem(request: Request, exc: Exception) -> Response:
        return Response(t("refused", lang_of(request), reason=exc), status_code=409,
                        media_type="text/plain; charset=utf-8")

    async def set_status(request: Request) -> Response:
        form = request.state.form
        try:
            await anyio.to_thread.run_sync(feed.set_status, str(form.get("ref", "")),
                                           str(form.get("status", "")))
        except ValueError as exc:
            return problem(request, exc)
        return done(request)

    async def sold_out(request: Request) -> Response:
        form = request.state.form
        try:
            await anyio.to_thread.run_sync(control.set_sold_out, str(form.get("item", "")),
                                           form.get("sold_out") == "1")
        except (KeyError, ValueError) as exc:
            return problem(request, exc)
        return done(request)

    async def acknowledge(request: Request) -> Response:
        control.acknowledge_call(str(request.state.form.get("kiosk", "")))
        return done(request)

    async def orders_csv(request: Request) -> Response:
        day = request.query_params.get("day") or dt.date.today().isoformat()
        try:
            dt.date.fromisoformat(day)
        except ValueError:
            return Response("400: day must be YYYY-MM-DD", status_code=400)
        lang = lang_of(request)
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(("ref", "kiosk", "day", "number", "created_at", "items", "total", "payment",
                    "paid", "status"))
        for o in await anyio.to_thread.run_sync(feed.orders, day):
            w.writerow((o.ref, o.kiosk, o.day, o.number, o.created_at, describe_lines(o.lines, lang),
                        o.total, o.payment, "yes" if o.paid else "no", o.status))
        return Response(out.getvalue().encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="untact-orders-{day}.csv"'})

    # --- the ready board -------------------------------------------------------------------

    async def board_page(request: Request) -> Response:
        orders = await anyio.to_thread.run_sync(feed.orders)
        return render(request, "board.html", numbers=ready_board(orders))

    def board_event() -> str:
        orders = feed.orders()
        calls = [{"number": o.number, "text": {lang: t("board.announce", lang, number=o.number)
                                               for lang in LANGUAGES}}
                 for o in announcer.claim(orders)]
        return _sse("board", json.dumps({**ready_board(orders), "announce": calls}))

    async def board_events(request: Request) -> Response:
        return StreamingResponse(_stream(request, board_event), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store"})

    async def board_call(request: Request) -> Response:
        lang = request.query_params.get("lang", "ko")
        number = int(request.path_params["number"])
        if lang not in LANGUAGES or not 1 <= number <= 9999:
            return Response("400: a number 1-9999 and lang ko or en", status_code=400)
        try:
            wav = await anyio.to_thread.run_sync(announcement_wav, number, lang)
        except SpeechUnavailable as exc:
            return Response(f"503: {exc}", status_code=503)
        return Response(wav, media_type="audio/wav", headers={"Cache-Control": "max-age=86400"})

    async def _stream(request: Request, event: Callable[[], str]) -> AsyncIterator[str]:
        """Send ``event()`` now and after every change of the feed or the shop."""
        version = (-1, -1)
        last_sent = time.monotonic()
        while not await request.is_disconnected():
            current = (feed.version(), control.version())
            if current != version:
                version = current
                yield await anyio.to_thread.run_sync(event)
                last_sent = time.monotonic()
            elif time.monotonic() - last_sent > KEEPALIVE_S:
                yield ": keep-alive\n\n"
                last_sent = time.monotonic()
            await anyio.to_thread.run_sync(feed.wait_change, version[0], WAIT_S)

    async def root(request: Request) -> Response:
        return RedirectResponse("/staff", 303)

    routes = [
        Route("/", root),
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/lang/{lang}", set_language),
        Route("/staff", staff_only(staff_page)),
        Route("/staff/events", staff_only(staff_events)),
        Route("/staff/status", staff_only(set_status), methods=["POST"]),
        Route("/staff/sold-out", staff_only(sold_out), methods=["POST"]),
        Route("/staff/call/acknowledge", staff_only(acknowledge), methods=["POST"]),
        Route("/staff/orders.csv", staff_only(orders_csv)),
        Route("/board", board_page),
        Route("/board/events", board_events),
        Route("/board/call/{number:int}.wav", board_call),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    middleware = [
        Middleware(security.LanOnly, config=config),
        Middleware(SessionMiddleware, secret_key=secret_key or secrets.token_urlsafe(32),
                   session_cookie="untact_staff", max_age=int(config.session_hours * 3600),
                   same_site="strict", https_only=False),
    ]
    return Starlette(routes=routes, middleware=middleware)


def _sse(event: str, data: str) -> str:
    return f"event: {event}\n" + "".join(f"data: {line}\n" for line in data.splitlines()) + "\n"
