"""The shipped nginx configuration, run by nginx itself: uploaded files are downloads that
never run, and every response carries a request id."""

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def nginx(tmp_path):
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: run .ci/run (it installs nginx-light).")
    port, media = _free_port(), tmp_path / "media"
    media.mkdir()
    site = (
        (ROOT / "deploy" / "nginx" / "seoulsolution.conf")
        .read_text()
        .replace("listen 80;", f"listen 127.0.0.1:{port};")
        .replace("listen [::]:80;", "")
        .replace("/var/cache/nginx/seoulsolution", str(tmp_path / "cache"))
        .replace("/var/log/nginx/seoulsolution.access.log", str(tmp_path / "access.log"))
        .replace("/srv/seoulsolution/", f"{tmp_path}/")
    )
    temp = tmp_path / "temp"
    conf = tmp_path / "nginx.conf"
    # Run as root, nginx's workers would be "nobody", who cannot read pytest's folders.
    user = "user root;" if os.geteuid() == 0 else ""
    conf.write_text(
        f"""{user}
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {temp}/body; proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi; uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;
{site}
}}
"""
    )
    temp.mkdir()
    subprocess.run([NGINX, "-t", "-c", str(conf)], check=True, capture_output=True)
    subprocess.run([NGINX, "-c", str(conf)], check=True, capture_output=True)
    try:
        for _attempt in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", media, tmp_path / "access.log"
    finally:
        subprocess.run([NGINX, "-c", str(conf), "-s", "stop"], capture_output=True)


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
