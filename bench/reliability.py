"""Load and fault tests of the several-server stack (deploy/stack.py): two app servers
behind nginx on this machine's PostgreSQL and Redis. Each writes its figures into
docs/reliability.md (between its markers) and prints them.

    .venv/bin/python bench/reliability.py peak              # the stack's peak, 30 s
    .venv/bin/python bench/reliability.py soak              # 10 minutes at 80 % of peak
    .venv/bin/python bench/reliability.py postgres-restart  # PostgreSQL down 10 s under load
    .venv/bin/python bench/reliability.py redis-stop        # Redis down 15 s under load
    .venv/bin/python bench/reliability.py server-kill       # one app server killed under load

(``make reliability`` runs all five.) Every run is bounded in time and sends its traffic
to 127.0.0.1 only. The traffic is mixed: pages in Korean and English, search, the API,
and cooperation requests sent through the form; every request acknowledged with a
reference number is looked up in the database afterwards.

The fault tests stop and start the machine's own PostgreSQL (``pg_ctlcluster``) and Redis
(``redis-cli shutdown``, then ``redis-server`` as the machine starts it): run them on a
machine where nothing else needs either for that minute. The stack has its own database
(``seoulsolution_reliability``) and Redis database (12), left in place for the next run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from http_bench import machine, worker_pss_mb  # noqa: E402  (this folder is on the path)

from deploy.http_client import CSRF_INPUT, Client, Response  # noqa: E402
from deploy.stack import Stack  # noqa: E402

DOC = ROOT / "docs" / "reliability.md"
WORK = ROOT / "var" / "reliability"
DATABASE = "postgres://postgres@127.0.0.1:5432/seoulsolution_reliability"
REDIS = "redis://127.0.0.1:6379/12"
SEARCHES = {
    "ko": ["대중교통", "버스 노선", "쓰레기 재활용", "스마트 도시", "주택 정책", "상수도"],
    "en": ["public transport", "bus routes", "waste recycling", "smart city", "housing", "water"],
}
# What the traffic is made of, by share of requests.
MIX = {"page-ko": 0.30, "page-en": 0.20, "search": 0.20, "api": 0.20, "form": 0.10}
# The site's 503 page and the API's 503 answer, in either language.
UNAVAILABLE_MARKS = ("잠시 이용할 수 없습니다", "briefly unavailable")


@dataclass
class Sample:
    start: float  # seconds since the load began
    kind: str
    status: int  # 0: no answer (connection refused or reset)
    seconds: float
    reference: str = ""  # a form acknowledged with this reference number
    token: str = ""  # the form's own mark, to find it in the database
    proper: bool = True  # an error answered with the site's page, not a stack trace
    cache: str = ""  # X-Page-Cache


# -- the stack ------------------------------------------------------------------------------
def make_stack(args) -> Stack:
    return Stack(
        directory=str(WORK / "stack"),
        database_url=args.database_url,
        redis_url=REDIS,
        port=8400,
        app_ports=[8401, 8402],
        workers=args.workers,
        env={
            # One address sends every request here: no per-address limits.
            "INQUIRIES_RATE_LIMIT": "1000000000",
            "API_RATE_LIMIT": "1000000000",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LOG_LEVEL": "WARNING",
            "GUNICORN_LOG_LEVEL": "warning",
        },
    )


def worker_memory(stack: Stack) -> dict[str, list[int]]:
    return {port: worker_pss_mb(pid) for port, pid in stack.pids.items()}


# -- the traffic ----------------------------------------------------------------------------
class Traffic:
    def __init__(self, base: str):
        probe = Client(base)
        self.pages: dict[str, list[str]] = {"ko": [], "en": []}
        for language in ("ko", "en"):
            items = json.loads(probe.get(f"/api/v1/items?language={language}").body)
            self.pages[language] = [f"/{language}/"] + [
                urlsplit(item["url"]).path for item in items["results"]
            ]
            for board in ("news", "policies", "archives"):
                self.pages[language].append(f"/{language}/{board}/")
        probe.close()
        self.base = base

    def one(self, client: Client, rng: random.Random, t0: float) -> Sample:
        kind = rng.choices(list(MIX), weights=list(MIX.values()))[0]
        language = {"page-ko": "ko", "page-en": "en"}.get(kind) or rng.choice(["ko", "en"])
        if kind == "form":
            return self._form(client, rng, language, t0)
        if kind.startswith("page"):
            path = rng.choice(self.pages[language])
        elif kind == "search":
            path = f"/{language}/search/?q={quote(rng.choice(SEARCHES[language]))}"
        else:
            path = rng.choice(
                [
                    f"/api/v1/items?language={language}",
                    f"/api/v1/items?type=news&page={rng.randint(1, 2)}",
                    "/api/v1/sectors",
                ]
            )
        return self._timed(client, "GET", path, kind, t0)[0]

    def _timed(self, client, method, path, kind, t0, **options) -> tuple[Sample, Response | None]:
        started = time.monotonic()
        try:
            if method == "GET":
                response = client.get(path)
            else:
                response = client.request("POST", path, **options)
        except OSError:
            client.close()
            return Sample(started - t0, kind, 0, time.monotonic() - started, proper=False), None
        sample = Sample(started - t0, kind, response.status, time.monotonic() - started)
        sample.cache = response.headers.get("x-page-cache", "")
        if response.status >= 500:
            text = response.text
            sample.proper = any(mark in text for mark in UNAVAILABLE_MARKS) and (
                "Traceback" not in text
            )
        elif response.status in (301, 302) and "/sent/" in response.headers.get("location", ""):
            sample.reference = response.headers["location"].rstrip("/").rsplit("/", 1)[1]
        return sample, response

    def _form(self, client: Client, rng: random.Random, language: str, t0: float) -> Sample:
        path = f"/{language}/inquiries/request/"
        page, response = self._timed(client, "GET", path, "form", t0)
        if response is None or page.status != 200:
            return page
        token = uuid.uuid4().hex
        fields = {
            "csrfmiddlewaretoken": CSRF_INPUT.search(response.text).group(1),
            "name": "Load Test",
            "organisation": "Reliability run",
            "city": rng.choice(["Lima", "Nairobi", "Hanoi", "Quito"]),
            "country": "Peru",
            "email": "load@example.org",
            "kind": "study_visit",
            "people": "3",
            "message": f"Study visit request {token}",
            "consent": "on",
            "website": "",
        }
        sample, _ = self._timed(
            client,
            "POST",
            path,
            "form",
            t0,
            body=urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        sample.token = token
        return sample


def run_load(
    traffic: Traffic,
    *,
    seconds: float,
    rate: float | None,
    threads: int,
    seed: int = 1,
    started: list[float] | None = None,
) -> tuple[list[Sample], float]:
    """Send the mix for ``seconds``: at ``rate`` requests/s (open loop: each request has
    its slot, whatever the answers' speed), or as fast as ``threads`` clients go (closed
    loop) when ``rate`` is None. Returns the samples and the start (monotonic), which is
    also appended to ``started`` for threads that time themselves from it."""
    samples: list[Sample] = []
    lock = threading.Lock()
    t0 = time.monotonic()
    if started is not None:
        started.append(t0)
    end = t0 + seconds
    next_slot = [t0]

    def take_slot() -> float | None:
        with lock:
            slot = next_slot[0]
            next_slot[0] += 1.0 / rate
        return slot if slot < end else None

    def worker(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        client = Client(traffic.base, timeout=30)
        mine = []
        while True:
            if rate is None:
                if time.monotonic() >= end:
                    break
            else:
                slot = take_slot()
                if slot is None:
                    break
                if (wait := slot - time.monotonic()) > 0:
                    time.sleep(wait)
            mine.append(traffic.one(client, rng, t0))
        client.close()
        with lock:
            samples.extend(mine)

    pool = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    samples.sort(key=lambda sample: sample.start)
    return samples, t0


# -- figures --------------------------------------------------------------------------------
def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summary(samples: list[Sample]) -> dict:
    times = [sample.seconds * 1000 for sample in samples]
    return {
        "requests": len(samples),
        "ok": sum(1 for s in samples if 0 < s.status < 400),
        "5xx": sum(1 for s in samples if s.status >= 500),
        "5xx_improper": sum(1 for s in samples if s.status >= 500 and not s.proper),
        "4xx": sum(1 for s in samples if 400 <= s.status < 500),
        "no_answer": sum(1 for s in samples if s.status == 0),
        "p50": percentile(times, 0.50),
        "p95": percentile(times, 0.95),
        "p99": percentile(times, 0.99),
    }


def stored_references(stack: Stack, references: list[str]) -> set[str]:
    import psycopg

    with psycopg.connect(stack.database_url) as connection:
        rows = connection.execute(
            "SELECT reference FROM inquiries_cooperationrequest WHERE reference = ANY(%s)",
            [references],
        ).fetchall()
    return {row[0] for row in rows}


def stored_tokens(stack: Stack, tokens: list[str]) -> set[str]:
    import psycopg

    if not tokens:
        return set()
    with psycopg.connect(stack.database_url) as connection:
        rows = connection.execute(
            "SELECT message FROM inquiries_cooperationrequest WHERE message LIKE ANY(%s)",
            [[f"%{token}" for token in tokens]],
        ).fetchall()
    return {row[0].rsplit(" ", 1)[1] for row in rows}


def forms_report(stack: Stack, samples: list[Sample]) -> tuple[str, dict]:
    forms = [s for s in samples if s.kind == "form" and s.token]
    acknowledged = [s.reference for s in forms if s.reference]
    stored = stored_references(stack, acknowledged)
    refused = [s.token for s in forms if not s.reference]
    stored_anyway = stored_tokens(stack, refused)
    figures = {
        "forms_sent": len(forms),
        "acknowledged": len(acknowledged),
        "acknowledged_stored": len(stored),
        "acknowledged_lost": len(acknowledged) - len(stored),
        "not_acknowledged": len(refused),
        "not_acknowledged_but_stored": len(stored_anyway),
    }
    text = (
        f"Cooperation requests posted: {len(forms)}; acknowledged with a reference number: "
        f"{len(acknowledged)}, of which **{len(stored)} found in the database "
        f"({figures['acknowledged_lost']} lost)**; answered with an error: {len(refused)}"
        f" (stored all the same: {len(stored_anyway)})."
    )
    return text, figures


def phase_table(samples: list[Sample], phases: list[tuple[str, float, float]]) -> str:
    lines = [
        "| phase | seconds | requests | ok | 503 (site's page) | other 5xx | no answer "
        "| p50 ms | p95 ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, start, end in phases:
        part = [s for s in samples if start <= s.start < end]
        figures = summary(part)
        proper_503 = sum(1 for s in part if s.status == 503 and s.proper)
        other = figures["5xx"] - proper_503
        lines.append(
            f"| {name} | {start:.1f}–{end:.1f} | {figures['requests']} | {figures['ok']} | "
            f"{proper_503} | {other} | {figures['no_answer']} | {figures['p50']:.0f} | "
            f"{figures['p95']:.0f} |"
        )
    return "\n".join(lines)


def header(title: str, args, stack: Stack, rate: float | None) -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    load = f"{rate:.0f} requests/s (open loop)" if rate else "as fast as the clients go"
    return (
        f"### {title}\n\n"
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC at {commit} on {machine()} "
        f"by `.venv/bin/python bench/reliability.py {args.command}`: two app servers × "
        f"{stack.workers} gunicorn workers behind nginx, PostgreSQL and Redis on the same "
        f"machine, the load generator too (its {args.threads} client threads share the two "
        f"cores). Load: {load}; mix: "
        + ", ".join(f"{kind} {share:.0%}" for kind, share in MIX.items())
        + ".\n"
    )


def write_section(name: str, text: str) -> None:
    start, end = f"<!-- reliability:{name}:start -->", f"<!-- reliability:{name}:end -->"
    doc = DOC.read_text() if DOC.exists() else "# Reliability\n"
    block = f"{start}\n{text.rstrip()}\n{end}"
    if start in doc:
        before, rest = doc.split(start, 1)
        doc = before + block + rest.split(end, 1)[1]
    else:
        doc = doc.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(doc)


# -- the scenarios --------------------------------------------------------------------------
def peak(args, stack: Stack, traffic: Traffic) -> str:
    samples, _ = run_load(traffic, seconds=args.peak_seconds, rate=None, threads=args.threads)
    figures = summary(samples)
    rps = figures["requests"] / args.peak_seconds
    (WORK / "peak.json").write_text(json.dumps({"rps": rps, "at": time.time()}))
    forms, _ = forms_report(stack, samples)
    return header("Peak", args, stack, None) + (
        f"\n{figures['requests']} requests in {args.peak_seconds} s: **{rps:.1f} requests/s**, "
        f"p50 {figures['p50']:.0f} ms, p95 {figures['p95']:.0f} ms, p99 {figures['p99']:.0f} "
        f"ms; 5xx: {figures['5xx']}, no answer: {figures['no_answer']}. {forms}\n"
    )


def soak_rate(args, stack, traffic) -> float:
    """``--share`` of the peak measured last (measured now if never)."""
    saved = WORK / "peak.json"
    if not saved.exists():
        report = peak(args, stack, traffic)
        if not args.no_write:
            write_section("peak", report)
    return json.loads(saved.read_text())["rps"] * args.share


def soak(args, stack: Stack, traffic: Traffic) -> str:
    rate = soak_rate(args, stack, traffic)
    before = worker_memory(stack)
    samples, _ = run_load(traffic, seconds=args.minutes * 60, rate=rate, threads=args.threads)
    after = worker_memory(stack)
    figures = summary(samples)
    lines = [
        "| minute | requests | requests/s | p50 ms | p95 ms | p99 ms | 5xx | no answer |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for minute in range(int(args.minutes)):
        part = [s for s in samples if minute * 60 <= s.start < (minute + 1) * 60]
        f = summary(part)
        lines.append(
            f"| {minute + 1} | {f['requests']} | {f['requests'] / 60:.1f} | {f['p50']:.0f} | "
            f"{f['p95']:.0f} | {f['p99']:.0f} | {f['5xx']} | {f['no_answer']} |"
        )
    memory = [
        "| server | worker | PSS at start MB | PSS at end MB | growth |",
        "|---|---:|---:|---:|---:|",
    ]
    growths = []
    for port in before:
        for number, (start, end) in enumerate(zip(before[port], after.get(port, []), strict=False)):
            growth = (end - start) / start
            growths.append(growth)
            memory.append(f"| {port} | {number + 1} | {start} | {end} | {growth:+.1%} |")
    forms, _ = forms_report(stack, samples)
    rate_5xx = figures["5xx"] / max(1, figures["requests"])
    verdict_5xx = "met" if figures["5xx"] == 0 else "missed"
    verdict_memory = "met" if growths and max(growths) < 0.10 else "missed"
    return (
        header(f"Soak, {args.minutes:g} minutes at {args.share:.0%} of peak", args, stack, rate)
        + f"\n{figures['requests']} requests: **5xx {figures['5xx']} ({rate_5xx:.3%})**, no "
        f"answer {figures['no_answer']}, 4xx {figures['4xx']}; p50 {figures['p50']:.0f} ms, "
        f"p95 {figures['p95']:.0f} ms, p99 {figures['p99']:.0f} ms. {forms}\n\n"
        + "\n".join(lines)
        + "\n\nMemory of each worker (PSS, shared pages counted by share):\n\n"
        + "\n".join(memory)
        + f"\n\nTargets: 0 responses 5xx: {verdict_5xx}; worker memory growth under 10 %: "
        f"{verdict_memory} (largest {max(growths, default=0):+.1%}).\n"
    )


def _fault(
    args,
    stack: Stack,
    traffic: Traffic,
    *,
    stop,
    start,
    down_seconds: float,
    probe=None,
) -> tuple[list[Sample], list[tuple[str, float]], float]:
    """Load for ``before + down + after`` seconds; ``stop()`` at ``before``, ``start()``
    ``down_seconds`` later. Returns the samples, the events (name, second) and t0."""
    rate = soak_rate(args, stack, traffic)
    events: list[tuple[str, float]] = []
    t0_box: list[float] = []
    total = args.before + down_seconds + args.after

    def faults() -> None:
        while not t0_box:
            time.sleep(0.01)
        time.sleep(args.before)
        events.append(("stopped", time.monotonic() - t0_box[0]))
        stop()
        events.append(("stop returned", time.monotonic() - t0_box[0]))
        time.sleep(down_seconds)
        events.append(("starting", time.monotonic() - t0_box[0]))
        start()
        events.append(("back", time.monotonic() - t0_box[0]))

    fault_thread = threading.Thread(target=faults, daemon=True)
    fault_thread.start()
    probe_thread = None
    if probe:
        probe_thread = threading.Thread(target=probe, args=(t0_box, total), daemon=True)
        probe_thread.start()
    samples, _ = run_load(traffic, seconds=total, rate=rate, threads=args.threads, started=t0_box)
    fault_thread.join()
    if probe_thread:
        probe_thread.join()
    return samples, events, rate


def fault_phases(when: dict, samples: list[Sample], down: str) -> list[tuple[str, float, float]]:
    """Before the fault, while the service is down, and after it is back."""
    return [
        ("before", 0.0, when["stopped"]),
        (down, when["stopped"], when["back"]),
        ("after", when["back"], samples[-1].start + 0.001),
    ]


def recovery_figures(samples: list[Sample], back: float) -> tuple[float | None, float | None]:
    """Seconds from ``back`` to the last failed request sent after it, and to the first
    acknowledged form after it."""
    failed_after = [
        s.start for s in samples if s.start >= back and (s.status >= 500 or s.status == 0)
    ]
    last_failure = max(failed_after) - back if failed_after else None
    forms_after = [s.start for s in samples if s.start >= back and s.reference]
    first_form = min(forms_after) - back if forms_after else None
    return last_failure, first_form


def postgres_restart(args, stack: Stack, traffic: Traffic) -> str:
    cluster = sorted(Path("/etc/postgresql").iterdir())[-1].name

    def pg(action: str) -> None:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", action]
            + (["-m", "fast"] if action == "stop" else []),
            check=True,
            capture_output=True,
        )

    def start() -> None:
        pg("start")
        while subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode:
            time.sleep(0.05)

    samples, events, rate = _fault(
        args,
        stack,
        traffic,
        stop=lambda: pg("stop"),
        start=start,
        down_seconds=args.down,
    )
    when = dict(events)
    last_failure, first_form = recovery_figures(samples, when["back"])
    forms, figures = forms_report(stack, samples)
    recovered = 0.0 if last_failure is None else last_failure
    phases = fault_phases(when, samples, "database down")
    improper = sum(1 for s in samples if s.status >= 500 and not s.proper and s.status != 0)
    return (
        header("PostgreSQL restarted under load", args, stack, rate)
        + f"\nPostgreSQL stopped (`pg_ctlcluster … stop -m fast`) at {when['stopped']:.1f} s, "
        f"started again {args.down:g} s later, accepting connections at {when['back']:.1f} s.\n\n"
        + phase_table(samples, phases)
        + f"\n\n- Errors answered with something else than the site's 503 page: {improper}.\n"
        + (
            f"- **Recovery: the last failed request was sent {last_failure:.2f} s after the "
            "database accepted connections again**"
            if last_failure is not None
            else "- **Recovery at once: no request sent after the database accepted "
            "connections again failed**"
        )
        + (
            f"; the first acknowledged form after it, {first_form:.2f} s."
            if first_form is not None
            else "."
        )
        + f"\n- {forms}\n\n"
        f"Targets: recovery within 5 s: {'met' if recovered <= 5 else 'missed'}; 0 acknowledged "
        f"requests lost: {'met' if figures['acknowledged_lost'] == 0 else 'missed'}.\n"
    )


def redis_stop(args, stack: Stack, traffic: Traffic) -> str:
    cache_probe: list[tuple[float, str]] = []
    page = traffic.pages["ko"][1]

    def probe(t0_box, total) -> None:
        client = Client(stack.app_url(stack.app_ports[0]))
        while not t0_box:
            time.sleep(0.01)
        while (now := time.monotonic() - t0_box[0]) < total:
            try:
                cache_probe.append((now, client.get(page).headers.get("x-page-cache", "")))
            except OSError:
                client.close()
            time.sleep(0.25)

    def stop() -> None:
        subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], capture_output=True)

    def start() -> None:
        subprocess.run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "--port",
                "6379",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=True,
            capture_output=True,
        )
        while (
            subprocess.run(["redis-cli", "-p", "6379", "ping"], capture_output=True).stdout.strip()
            != b"PONG"
        ):
            time.sleep(0.05)

    samples, events, rate = _fault(
        args,
        stack,
        traffic,
        stop=stop,
        start=start,
        down_seconds=args.down,
        probe=probe,
    )
    when = dict(events)
    phases = fault_phases(when, samples, "Redis down")
    hits_down = sum(
        1 for t, state in cache_probe if when["stopped"] + 1 < t < when["back"] and state == "hit"
    )
    first_hit = next(
        (t - when["back"] for t, state in cache_probe if t > when["back"] and state == "hit"), None
    )
    figures = summary(samples)
    forms, _ = forms_report(stack, samples)
    resumed = (
        f"{first_hit:.1f} s after Redis came back"
        if first_hit is not None
        else "not within the run"
    )
    return (
        header("Redis stopped under load", args, stack, rate)
        + f"\nRedis shut down at {when['stopped']:.1f} s, started again {args.down:g} s later "
        f"(answering at {when['back']:.1f} s).\n\n"
        + phase_table(samples, phases)
        + f"\n\n- A probe read one page from the first app server every 0.25 s: page-cache hits "
        f"while Redis was down: {hits_down}; **the cache served hits again {resumed}**.\n"
        f"- {forms}\n\n"
        f"Target: 0 responses 5xx: {'met' if figures['5xx'] == 0 else 'missed'} "
        f"({figures['5xx']}).\n"
    )


def server_kill(args, stack: Stack, traffic: Traffic) -> str:
    victim = stack.app_ports[0]
    access_log = stack.dir / "access.log"
    log_start = access_log.stat().st_size if access_log.exists() else 0

    def stop() -> None:
        stack.stop_server(victim, kill=True)

    def start() -> None:
        stack.start_server(victim)
        stack.wait_ready(stack.app_url(victim))

    samples, events, rate = _fault(
        args,
        stack,
        traffic,
        stop=stop,
        start=start,
        down_seconds=args.down,
    )
    when = dict(events)
    phases = fault_phases(when, samples, f"server {victim} killed")
    upstreams = Counter()
    with open(access_log, "rb") as log:
        log.seek(log_start)
        lines = log.read().decode().splitlines()
    retried = Counter()
    for line in lines:
        entry = json.loads(line)
        if ", " in entry["upstream"]:  # nginx tried one server, then the other
            retried[entry["method"]] += 1
    for line in lines[-2000:]:
        upstreams[json.loads(line)["upstream"]] += 1
    figures = summary(samples)
    forms, form_figures = forms_report(stack, samples)
    shares = ", ".join(
        f"{name or 'micro-cache'}: {count}" for name, count in upstreams.most_common()
    )
    return (
        header("One app server killed under load", args, stack, rate)
        + f"\nThe server on port {victim} and its workers were killed (SIGKILL) at "
        f"{when['stopped']:.1f} s and started again {args.down:g} s later (ready at "
        f"{when['back']:.1f} s).\n\n"
        + phase_table(samples, phases)
        + f"\n\n- {forms}\n- Requests nginx passed to the other server after the killed one "
        f"failed them: {sum(retried.values())} ("
        + (", ".join(f"{method} {count}" for method, count in retried.items()) or "none")
        + ").\n- Upstreams of the last 2,000 requests in nginx's log (after the "
        f"restart the first server takes its share again): {shares}.\n\n"
        f"Target: no lost form submissions: "
        f"{'met' if form_figures['acknowledged_lost'] == 0 else 'missed'}; 5xx during the run: "
        f"{figures['5xx']}, no answer: {figures['no_answer']}.\n"
    )


SCENARIOS = {
    "peak": peak,
    "soak": soak,
    "postgres-restart": postgres_restart,
    "redis-stop": redis_stop,
    "server-kill": server_kill,
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=[*SCENARIOS, "all"])
    parser.add_argument("--database-url", default=DATABASE)
    parser.add_argument("--workers", type=int, default=2, help="workers per app server")
    parser.add_argument("--threads", type=int, default=24, help="client threads")
    parser.add_argument("--peak-seconds", type=int, default=30)
    parser.add_argument("--share", type=float, default=0.8, help="load as a share of peak")
    parser.add_argument("--minutes", type=float, default=10, help="soak duration")
    parser.add_argument("--before", type=float, default=20, help="seconds of load before a fault")
    parser.add_argument("--down", type=float, default=10, help="seconds a service is down")
    parser.add_argument("--after", type=float, default=30, help="seconds of load after it")
    parser.add_argument("--no-write", action="store_true", help="print, do not edit the docs")
    args = parser.parse_args()
    if urlsplit(args.database_url).hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("The fault tests restart this machine's services: use a local database.")

    WORK.mkdir(parents=True, exist_ok=True)
    if running := Stack.load(WORK / "stack"):
        running.down()  # left over from an interrupted run
    stack = make_stack(args)
    print(f"Starting the stack in {stack.dir} …", flush=True)
    stack.up()
    try:
        traffic = Traffic(stack.url)
        names = list(SCENARIOS) if args.command == "all" else [args.command]
        for name in names:
            print(f"Running {name} …", flush=True)
            args.command = name
            report = SCENARIOS[name](args, stack, traffic)
            print(report, flush=True)
            if not args.no_write:
                write_section(name, report)
    finally:
        stack.down()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
