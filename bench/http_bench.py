"""Requests per second of the real site against the framework floor and nginx's limit.

One run, on this machine, loopback only:

1. builds a fresh site (demo content) in ``var/bench-http`` with the production settings;
2. starts it under gunicorn with ``deploy/gunicorn.conf.py`` (2 workers) twice: with the
   page cache off ("uncached": only the shared fragments are cached) and on ("cached");
3. saves the home page and starts the framework floor (``bench/floor_app.py``: a bare
   Django view returning those bytes) under the same gunicorn configuration;
4. starts nginx with ``deploy/nginx/seoulsolution.conf`` in front of the cached site,
   and a second nginx server serving the saved home page as a static file (the limit);
5. drives each with ``wrk -t2 -c16`` over the home page, a listing, a detail page and a
   search, and writes requests/s, p50 and p99 with each figure's ratio to the floor and to
   nginx into ``docs/benchmarks.md`` (between the ``http-bench`` markers).

    make bench-http                       # SQLite + Redis (when Redis answers)
    make bench-http BENCH_ARGS="--database-url postgres://postgres@127.0.0.1:5432/test"

Needs the Debian packages ``wrk`` and ``nginx`` (or ``nginx-light``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from search_latency import scratch_postgres  # this folder is on the path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from deploy import local_nginx  # noqa: E402

PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- http-bench:start -->", "<!-- http-bench:end -->"

PORTS = {"uncached": 8101, "cached": 8102, "floor": 8103, "nginx-static": 8104, "nginx": 8105}
SEARCH = "대중교통"
# Targets of the performance issue (requests/s and ratios).
TARGETS = {"home": 170, "detail": 260}


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def wrk(url: str, *, duration: int, connections: int, threads: int) -> Result:
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = 0
    if found := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        errors += int(found.group(1))
    if found := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    ):
        errors += sum(int(n) for n in found.groups())
    return Result(rps, p50, p99, errors)


def wait_for(port: int, path: str = "/", seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5):
                return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"Nothing answered on 127.0.0.1:{port}{path} within {seconds:.0f} s.")


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def redis_url() -> str | None:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            if sock.recv(16).startswith(b"+PONG"):
                return "redis://127.0.0.1:6379/15"
    except OSError:
        pass
    return None


def nginx_config(work: Path, static_root: Path, media_root: Path) -> Path:
    # The limit: the saved home page as a file, from a second server of the same nginx.
    limit = f"""    server {{
        listen 127.0.0.1:{PORTS["nginx-static"]};
        location / {{ root {work}/limit; try_files /home.html =404; }}
    }}"""
    return local_nginx.write_config(
        work,
        port=PORTS["nginx"],
        upstreams=[PORTS["cached"]],
        static_root=static_root,
        media_root=media_root,
        access_log=None,  # as the limit: no access log in the measurement
        extra=limit,
        worker_processes=2,
    )


def production_env(data: Path, workers: int) -> dict[str, str]:
    """The environment of the site with the production settings over plain HTTP on this
    machine, its data in ``data``, SQLite unless ``DATABASE_URL`` is set after."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "PORTAL_DATA_DIR": str(data),
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_LOG_LEVEL": "warning",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    return env


def worker_pss_mb(master_pid: int) -> list[int]:
    """PSS of each worker of a gunicorn master: shared pages counted by share."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                sizes.append(round(int(line.split()[1]) / 1024))
    return sizes


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = "?"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GB"
    return f"{os.cpu_count()} cores ({cpu}), {memory} RAM, {platform.system()} {platform.release()}"


def versions() -> str:
    nginx = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
    code = (
        "import django, wagtail, gunicorn; "
        "print(f'Django {django.__version__}, Wagtail {wagtail.__version__}, "
        "gunicorn {gunicorn.__version__}')"
    )
    python = subprocess.run([PY, "-c", code], capture_output=True, text=True).stdout.strip()
    nginx = nginx.replace("nginx version: ", "")
    return f"Python {platform.python_version()}, {python}, {nginx}, wrk {wrk_version}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load before each")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", help="PostgreSQL server to use (a scratch database)")
    parser.add_argument("--no-write", action="store_true", help="print, do not edit the docs")
    args = parser.parse_args()

    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is missing: apt-get install wrk nginx-light")

    work = ROOT / "var" / "bench-http"
    shutil.rmtree(work, ignore_errors=True)
    (work / "limit").mkdir(parents=True)
    drop = None
    env = production_env(work, args.workers)
    database = "SQLite"
    if args.database_url:
        env["DATABASE_URL"], drop = scratch_postgres(args.database_url, prefix="bench_http")
        database = "PostgreSQL"
    cache_store = "files"
    if url := redis_url():
        env["REDIS_URL"] = url
        cache_store = "Redis"
        subprocess.run(["redis-cli", "-n", "15", "flushdb"], capture_output=True)

    processes: list[subprocess.Popen] = []
    masters: dict[str, subprocess.Popen] = {}
    try:
        print(f"Building the site in {work} ({database}, cache in {cache_store}) …", flush=True)
        for command in (
            ["migrate", "--noinput"],
            ["load_seed"],
            ["load_glossary"],
            ["rebuild_search_index"],
            ["collectstatic", "--noinput", "-v0"],
        ):
            subprocess.run(
                [PY, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )

        def gunicorn(name: str, app: str, **extra: str) -> None:
            process_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{PORTS[name]}", **extra}
            masters[name] = subprocess.Popen(
                [GUNICORN, "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), app],
                cwd=ROOT,
                env=process_env,
                stderr=open(work / f"{name}.log", "w"),  # noqa: SIM115
            )
            processes.append(masters[name])

        gunicorn("uncached", "portal.wsgi", PAGE_CACHE_SECONDS="0")
        gunicorn("cached", "portal.wsgi")
        wait_for(PORTS["uncached"], "/ko/")
        wait_for(PORTS["cached"], "/ko/")

        base = f"http://127.0.0.1:{PORTS['cached']}"
        listing = fetch(base + "/ko/news/").decode()
        detail = re.search(r'href="(/ko/news/[^"/]+/)"', listing).group(1)
        paths = {
            "home": "/ko/",
            "listing": "/ko/news/",
            "detail": detail,
            "search": f"/ko/search/?q={quote(SEARCH)}",
        }
        saved = fetch(base + "/ko/")
        (work / "limit" / "home.html").write_bytes(saved)
        gunicorn(
            "floor",
            "bench.floor_app:application",
            BENCH_FLOOR_FILE=str(work / "limit" / "home.html"),
        )
        wait_for(PORTS["floor"])

        conf = nginx_config(work, work / "static", work / "media")
        processes.append(local_nginx.start(conf, foreground=True))
        wait_for(PORTS["nginx-static"])
        wait_for(PORTS["nginx"], "/ko/")

        def measure(port: int, path: str) -> Result:
            url = f"http://127.0.0.1:{port}{path}"
            fetch(url)
            if args.warmup:
                wrk(url, duration=args.warmup, connections=args.connections, threads=args.threads)
            result = wrk(
                url, duration=args.duration, connections=args.connections, threads=args.threads
            )
            print(
                f"  {url}: {result.rps:.0f} req/s, "
                f"p50 {result.p50_ms:.2f} ms, p99 {result.p99_ms:.2f} ms",
                flush=True,
            )
            return result

        print("Measuring …", flush=True)
        floor = measure(PORTS["floor"], "/")
        limit = measure(PORTS["nginx-static"], "/")
        rows = []
        for server in ("uncached", "cached", "nginx"):
            for page, path in paths.items():
                rows.append((server, page, path, measure(PORTS[server], path)))
        memory = worker_pss_mb(masters["uncached"].pid)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        if drop:
            drop()

    report = render(args, database, cache_store, paths, floor, limit, rows, memory)
    print(report)
    if not args.no_write:
        write(report)
        print(f"Written to {DOC.relative_to(ROOT)}")
    return 0


LABELS = {
    "uncached": "gunicorn, page cache off",
    "cached": "gunicorn, page cache on",
    "nginx": "nginx (shipped config) → gunicorn",
}


def render(args, database, cache_store, paths, floor, limit, rows, memory) -> str:
    def line(label, page, r: Result) -> str:
        return (
            f"| {label} | {page} | {r.rps:,.0f} | {r.p50_ms:.2f} | {r.p99_ms:.2f} | "
            f"{r.rps / floor.rps:.0%} | {r.rps / limit.rps:.0%} | {r.errors} |"
        )

    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        START,
        f"Measured {when} on {machine()}.",
        f"{versions()}.",
        f"Site: production settings, {database} database, cache in {cache_store}, demo content; "
        f"gunicorn `deploy/gunicorn.conf.py` with {args.workers} workers; "
        f"`wrk -t{args.threads} -c{args.connections} -d{args.duration}s` "
        f"after {args.warmup} s of warm-up, "
        "wrk, servers and database sharing the same cores.",
        "",
        "Pages: " + ", ".join(f"{page} `{path}`" for page, path in paths.items()) + ".",
        "",
        "| server | page | requests/s | p50 ms | p99 ms | of floor | of nginx | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
        line("bare Django view, same bytes (floor)", "saved home", floor),
        line("nginx, saved home page as a file (limit)", "saved home", limit),
    ]
    out += [line(LABELS[server], page, result) for server, page, _path, result in rows]
    by = {(server, page): result for server, page, _path, result in rows}
    out += ["", "Targets:", ""]
    for page, target in TARGETS.items():
        got = by[("uncached", page)].rps
        out.append(f"- uncached {page} ≥ {target} req/s: {got:,.0f} ({_verdict(got >= target)})")
    for page in paths:
        share = by[("cached", page)].rps / floor.rps
        out.append(
            f"- cached {page} via gunicorn ≥ 80 % of the floor: {share:.0%} "
            f"({_verdict(share >= 0.8)})"
        )
    for page in paths:
        share = by[("nginx", page)].rps / limit.rps
        out.append(
            f"- cached {page} via nginx ≥ 50 % of nginx's file: {share:.0%} "
            f"({_verdict(share >= 0.5)})"
        )
    out += [
        "",
        "Memory (PSS) of each worker of the uncached site after its runs, search included: "
        + ", ".join(f"{size} MB" for size in memory)
        + ".",
        END,
    ]
    return "\n".join(out)


def _verdict(met: bool) -> str:
    return "met" if met else "missed"


def write(report: str) -> None:
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + report + after
    else:
        text = text.rstrip() + "\n\n## Pages over HTTP (`make bench-http`)\n\n" + report + "\n"
    DOC.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
