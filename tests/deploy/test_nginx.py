"""The shipped nginx configuration, run by nginx itself: uploaded files are downloads that
never run, and every response carries a request id."""

import socket
import urllib.error
import urllib.request

import pytest

from deploy import local_nginx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def nginx(tmp_path):
    if not local_nginx.available():
        pytest.fail("nginx is missing: run .ci/run (it installs nginx-light).")
    port, media = _free_port(), tmp_path / "media"
    media.mkdir()
    conf = local_nginx.write_config(
        tmp_path,
        port=port,
        upstreams=[_free_port()],
        static_root=tmp_path / "static",
        media_root=media,
        access_log=tmp_path / "access.log",
    )
    local_nginx.start(conf)
    try:
        local_nginx.wait_for_port(port)
        yield f"http://127.0.0.1:{port}", media, tmp_path / "access.log"
    finally:
        local_nginx.stop(conf)


def _get(url: str):
    return urllib.request.urlopen(url, timeout=5)


def test_an_uploaded_page_or_script_is_a_download_that_never_runs(nginx):
    base, media, _log = nginx
    (media / "documents").mkdir()
    (media / "documents" / "evil.html").write_text("<script>alert(1)</script>")
    (media / "documents" / "evil.svg").write_text("<svg onload='alert(1)'/>")
    for name in ("evil.html", "evil.svg"):
        response = _get(f"{base}/media/documents/{name}")
        assert response.status == 200, name
        assert response.headers["Content-Type"] == "application/octet-stream", name
        assert response.headers["Content-Disposition"] == "attachment", name
        assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_each_response_has_its_own_request_id_and_a_json_log_line(nginx):
    import json

    base, media, log = nginx
    (media / "brochure.pdf").write_bytes(b"%PDF-1.4\n")
    first, second = (_get(f"{base}/media/brochure.pdf") for _ in range(2))
    assert first.headers["Content-Type"] == "application/pdf"
    ids = [first.headers["X-Request-ID"], second.headers["X-Request-ID"]]
    assert len(set(ids)) == 2 and all(len(value) == 32 for value in ids)
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [line["request_id"] for line in lines] == ids
    assert lines[0]["uri"] == "/media/brochure.pdf" and lines[0]["status"] == 200


class _Upstream:
    """An app server stand-in on its own port: it either answers every request or, like a server killed in the middle of a request, reads it and hangs up."""

    def __init__(self, *, crash: bool):
        import http.server
        import threading

        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                received.append((self.path, self.rfile.read(length)))
                if crash:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def two_upstreams(tmp_path):
    crashing, working = _Upstream(crash=True), _Upstream(crash=False)
    port = _free_port()
    conf = local_nginx.write_config(
        tmp_path,
        port=port,
        upstreams=[crashing.port, working.port],
        static_root=tmp_path / "static",
        media_root=tmp_path / "media",
        access_log=None,
    )
    local_nginx.start(conf)
    try:
        local_nginx.wait_for_port(port)
        yield f"http://127.0.0.1:{port}", crashing, working
    finally:
        local_nginx.stop(conf)
        crashing.server.shutdown()
        working.server.shutdown()


def _post(url: str, body: bytes) -> int:
    request = urllib.request.Request(url, data=body, method="POST")
    try:
        response = urllib.request.urlopen(request, timeout=5)
    except urllib.error.HTTPError as error:
        response = error
    assert len(response.headers["X-Request-ID"]) == 32
    return response.status


def test_a_cooperation_request_cut_off_by_a_failing_server_goes_to_another(two_upstreams):
    base, crashing, working = two_upstreams
    body = b"submission=5f0c6a52-8c1e-4f3b-9d7e-0a1b2c3d4e5f&name=Ana"
    # Round robin: within two requests one reaches the failing server first.
    statuses = [
        _post(f"{base}/en/inquiries/request/", body),
        _post(f"{base}/ko/inquiries/request/", body),
    ]
    assert crashing.received, "the failing server got no request"
    assert statuses == [200, 200]
    # The one the failing server cut off reached the working one too, intact.
    cut_off = crashing.received[0]
    assert cut_off in working.received


def test_other_posts_are_never_sent_twice(two_upstreams):
    base, crashing, working = two_upstreams
    statuses = [_post(f"{base}/admin/documents/multiple/add/", b"x=1") for _ in range(2)]
    # The one the failing server cut off is answered 502, not resent elsewhere.
    assert len(crashing.received) == 1
    assert 502 in statuses
    assert crashing.received[0] not in working.received or len(working.received) == 1
