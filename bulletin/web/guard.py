"""The one middleware every request passes: a request id on each log line, the reader's language,
security headers, a cap on the request body (counted while it streams), POSTs only from our own pages,
and a page in the reader's language, never a traceback, when something fails."""
from __future__ import annotations

import logging
import time
import uuid
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse

from bulletin import i18n
from bulletin.i18n import _

log = logging.getLogger("bulletin.web")

HEADERS = [(b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                                         b"form-action 'self'; object-src 'none'"),
           (b"x-content-type-options", b"nosniff"),
           (b"x-frame-options", b"DENY"),
           (b"referrer-policy", b"same-origin")]
MAX_REQUEST_BYTES = 100 * 1024 * 1024  # several 20 MB submissions at once, and no more


class TooLarge(Exception):
    pass


def chosen_language(accept: str) -> str:
    """Chinese, unless Accept-Language puts English before Chinese."""
    ranked = []
    for n, part in enumerate(accept.split(",")):
        tag, _sep, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        tag = tag.strip().lower()
        if q > 0 and (tag.startswith("zh") or tag.startswith("en")):
            ranked.append((-q, n, tag[:2]))
    return min(ranked)[2] if ranked else "zh"


def _cross_site(request: Request) -> bool:
    """A POST sent by another site's page: Sec-Fetch-Site says so, or Origin names another host."""
    site = request.headers.get("sec-fetch-site")
    if site and site not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    if origin:
        return origin == "null" or urlsplit(origin).netloc != request.headers.get("host", "")
    return False


class Guard:
    def __init__(self, app, allowed_hosts: tuple[str, ...], max_request_bytes: int = MAX_REQUEST_BYTES):
        self.app = app
        self.allowed_hosts = allowed_hosts
        self.max_request_bytes = max_request_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        from bulletin.web.pages import error_page

        rid = uuid.uuid4().hex[:12]
        scope["request_id"] = rid
        request = Request(scope)
        started = {"status": None}
        t0 = time.perf_counter()

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                started["status"] = message["status"]
                message["headers"] = [*message.get("headers", []), *HEADERS, (b"x-request-id", rid.encode())]
            await send(message)

        seen = {"bytes": 0}

        async def counted_receive():
            message = await receive()
            if message["type"] == "http.request":
                seen["bytes"] += len(message.get("body", b""))
                if seen["bytes"] > self.max_request_bytes:
                    raise TooLarge()
            return message

        with i18n.speaking(chosen_language(request.headers.get("accept-language", ""))):
            try:
                host = (request.headers.get("host", "").rsplit(":", 1)[0]).strip("[]")
                length = request.headers.get("content-length", "")
                if host not in self.allowed_hosts:  # a rebound DNS name pointing at this PC
                    response = error_page(request, 400, _("This server answers only to its own address."))
                elif request.method not in ("GET", "HEAD") and _cross_site(request):
                    response = error_page(request, 403, _("A change can only be made from the workbench's own "
                                                          "pages."))
                elif length.isdigit() and int(length) > self.max_request_bytes:
                    response = error_page(request, 413, _("The upload is larger than {mb} MB.").format(
                        mb=self.max_request_bytes // (1024 * 1024)))
                else:
                    response = None
                if response is not None:
                    await response(scope, receive, send_with_headers)
                else:
                    await self.app(scope, counted_receive, send_with_headers)
            except TooLarge:
                if started["status"] is None:
                    await error_page(request, 413, _("The upload is larger than {mb} MB.").format(
                        mb=self.max_request_bytes // (1024 * 1024)))(scope, receive, send_with_headers)
            except Exception:
                log.exception("[%s] %s %s failed", rid, request.method, request.url.path)
                if started["status"] is None:
                    message = _("Something went wrong on the server. Tell the administrator the request number "
                                "below.")
                    try:
                        response = error_page(request, 500, message)
                    except Exception:  # the error page itself failed: plain words, still no traceback
                        log.exception("[%s] the error page failed", rid)
                        response = PlainTextResponse(f"500 {message} {rid}", status_code=500)
                    await response(scope, receive, send_with_headers)
                return
        log.info("[%s] %s %s %s %.0f ms", rid, request.method, request.url.path, started["status"],
                 (time.perf_counter() - t0) * 1000)
