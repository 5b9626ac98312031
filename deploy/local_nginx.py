"""The shipped nginx site (``deploy/nginx/seoulsolution.conf``) run on this machine, on
loopback, by a user's own nginx process: for the several-server stack, the benchmarks and
the tests. Only paths, ports and the upstream servers change; every rule is the shipped
one, so what is measured and tested is what is deployed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx" / "seoulsolution.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SHIPPED_UPSTREAM = "server 127.0.0.1:8000;"
SHIPPED_LOG = "/var/log/nginx/seoulsolution.access.log"


def available() -> bool:
    return Path(NGINX).exists()


def upstream_servers(ports: list[int]) -> str:
    """The upstream block's servers: one failure takes a server out for 5 s, during
    which nginx sends its requests to the others."""
    return "\n    ".join(f"server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports)


def write_config(
    work: Path,
    *,
    port: int,
    upstreams: list[int],
    static_root: Path,
    media_root: Path,
    access_log: Path | None,
    extra: str = "",
    worker_processes: int = 1,
) -> Path:
    """Write ``work/nginx.conf``: the shipped site on ``127.0.0.1:port`` in front of the
    app servers on ``upstreams``; ``extra`` is more of the http block (another server)."""
    site = SITE.read_text()
    for shipped in (SHIPPED_UPSTREAM, SHIPPED_LOG, "listen 80;", "listen [::]:80;"):
        if shipped not in site:
            raise RuntimeError(f"{SITE} no longer holds {shipped!r}: update {__file__}")
    site = (
        site.replace("listen 80;", f"listen 127.0.0.1:{port};")
        .replace("listen [::]:80;", "")
        .replace(SHIPPED_UPSTREAM, upstream_servers(upstreams))
        .replace("/srv/seoulsolution/static/", f"{static_root}/")
        .replace("/srv/seoulsolution/media/", f"{media_root}/")
        .replace("/var/cache/nginx/seoulsolution", str(work / "nginx-cache"))
        # Not on port 80: the application's absolute links need the port.
        .replace("proxy_set_header Host $host;", "proxy_set_header Host $host:$server_port;")
    )
    if access_log is None:
        site = site.replace(f"access_log {SHIPPED_LOG} seoulsolution_json;", "access_log off;")
    else:
        site = site.replace(SHIPPED_LOG, str(access_log))
    temp = work / "nginx-temp"
    temp.mkdir(parents=True, exist_ok=True)
    conf = work / "nginx.conf"
    # Run as root, nginx's workers would be "nobody", who may not read these folders.
    user = "user root;" if os.geteuid() == 0 else ""
    conf.write_text(
        f"""{user}
worker_processes {worker_processes};
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
{extra}
{site}
}}
"""
    )
    subprocess.run([NGINX, "-t", "-q", "-c", str(conf), "-p", str(work)], check=True)
    return conf


def start(conf: Path, *, foreground: bool = False) -> subprocess.Popen | None:
    """Start nginx with ``conf``; in the foreground, the process is returned."""
    command = [NGINX, "-c", str(conf), "-p", str(conf.parent)]
    if foreground:
        return subprocess.Popen([*command, "-g", "daemon off;"])
    subprocess.run(command, check=True, capture_output=True)
    return None


def stop(conf: Path) -> None:
    subprocess.run(
        [NGINX, "-c", str(conf), "-p", str(conf.parent), "-s", "stop"], capture_output=True
    )


def wait_for_port(port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
