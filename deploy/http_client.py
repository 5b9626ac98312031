"""A small HTTP client for scripts and tests that drive a running site over loopback as a
visitor or an editor would: it keeps the cookies the site sets (its own jar: the
production cookies are ``Secure`` and this is plain HTTP on loopback), sends the CSRF
token with every form, and can say it came through HTTPS (``X-Forwarded-Proto``, which
the site trusts from loopback) so that production settings accept the sign-in.
"""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    def __init__(self, base: str, *, timeout: float = 30, https: bool = False):
        parts = urlsplit(base)
        self.base = base.rstrip("/")
        self.host, self.port = parts.hostname, parts.port or 80
        self.timeout = timeout
        self.https = https
        self.cookies: dict[str, str] = {}
        self._connection: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """One request on a kept-alive connection; a connection the server closed is
        opened again once (never for a POST, which might then be sent twice)."""
        sent = {"Accept-Language": "ko", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if self.https:
            sent["X-Forwarded-Proto"] = "https"
            sent.setdefault("Referer", f"https://{self.host}:{self.port}{path}")
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
            try:
                self._connection.request(method, path, body=body, headers=sent)
                answer = self._connection.getresponse()
                data = answer.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2 or method == "POST":
                    raise
        for name, value in answer.getheaders():
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(morsel.key, None)
                    else:
                        self.cookies[morsel.key] = morsel.value
        if answer.getheader("Connection", "").lower() == "close":
            self.close()
        return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, data)

    def get(self, path: str, **headers: str) -> Response:
        return self.request("GET", path, headers=headers)

    def post_form(self, path: str, data: dict[str, object], *, csrf_from: str = "") -> Response:
        """POST ``data`` as a form, with the CSRF token of the form at ``csrf_from`` (by
        default ``path`` itself), fetched first."""
        page = self.get(csrf_from or path)
        token = CSRF_INPUT.search(page.text)
        fields = dict(data)
        if token:
            fields["csrfmiddlewaretoken"] = token.group(1)
        body = urlencode(fields, doseq=True).encode()
        return self.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def sign_in(self, username: str, password: str) -> None:
        response = self.post_form("/admin/login/", {"username": username, "password": password})
        if response.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in as {username} failed: HTTP {response.status}")
