"""The shipped nginx configuration, run by nginx itself: uploaded files are downloads that
never run, and every response carries a request id."""

import socket
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
