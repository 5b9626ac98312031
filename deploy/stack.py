"""Several app servers on one machine, as a city runs them on several: two gunicorn servers
on their own ports behind nginx, sharing one PostgreSQL database, one Redis and one media
folder, each with its own data folder (its search vectors), all on loopback.

    .venv/bin/python deploy/stack.py up      # build the site if needed, start everything
    .venv/bin/python deploy/stack.py status  # what runs, and whether each server is ready
    .venv/bin/python deploy/stack.py down    # stop everything (the data stays)

``up`` creates the database if it does not exist, migrates it, loads the demo content
the first time, collects the static files once for every server, creates an
administrator (its password in ``DIR/admin-password``), then starts the servers and nginx
and waits until nginx answers ``/readyz``. Options (``up --help``) choose the database,
Redis, the ports and the folder; ``--env NAME=VALUE`` passes a setting to every server.
The same code in a real deployment: docs/operations.md, "Several app servers".
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from deploy import local_nginx  # noqa: E402

PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DEFAULT_DIR = ROOT / "var" / "stack"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/seoulsolution_stack"
DEFAULT_REDIS = "redis://127.0.0.1:6379/1"
STATE = "stack.json"


@dataclass
class Stack:
    """One stack's settings and, once started, its processes (saved in ``DIR/stack.json``)."""

    directory: str = str(DEFAULT_DIR)
    database_url: str = DEFAULT_DATABASE
    redis_url: str = DEFAULT_REDIS
    port: int = 8300
    app_ports: list[int] = field(default_factory=lambda: [8301, 8302])
    workers: int = 2
    env: dict[str, str] = field(default_factory=dict)
    pids: dict[str, int] = field(default_factory=dict)  # app port (as text) → gunicorn master

    # -- where things are ---------------------------------------------------------------
    @property
    def dir(self) -> Path:
        return Path(self.directory)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def app_url(self, app_port: int) -> str:
        return f"http://127.0.0.1:{app_port}"

    @property
    def conf(self) -> Path:
        return self.dir / "nginx.conf"

    def log(self, app_port: int) -> Path:
        return self.dir / f"app-{app_port}.log"

    # -- the environment of every process -------------------------------------------------
    def _secret_key(self) -> str:
        path = self.dir / "secret-key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(50))
            path.chmod(0o600)
        return path.read_text().strip()

    def server_env(self, app_port: int | None = None) -> dict[str, str]:
        data = self.dir / (f"app-{app_port}" if app_port else "app-setup")
        data.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": self._secret_key(),
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "PORTAL_DATA_DIR": str(data),
            "MEDIA_ROOT": str(self.dir / "media"),
            "STATIC_ROOT": str(self.dir / "static"),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on loopback; a real deployment terminates TLS in nginx.
            "SECURE_SSL_REDIRECT": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "PYTHONPATH": str(ROOT),
            **self.env,
        }
        if app_port:
            env.update(
                GUNICORN_BIND=f"127.0.0.1:{app_port}",
                WEB_CONCURRENCY=str(self.workers),
            )
        return env

    def manage(self, *command: str, quiet: bool = True) -> str:
        result = subprocess.run(
            [PY, "manage.py", *command],
            cwd=ROOT,
            env=self.server_env(),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            sys.stderr.write(result.stdout + result.stderr)
            raise SystemExit(f"manage.py {' '.join(command)} failed")
        return result.stdout

    # -- building -------------------------------------------------------------------------
    def create_database(self) -> None:
        import psycopg
        import psycopg.sql

        parts = urlsplit(self.database_url)
        name = parts.path.lstrip("/")
        server = urlunsplit(parts._replace(path="/postgres"))
        try:
            with psycopg.connect(server, autocommit=True, connect_timeout=5) as connection:
                exists = connection.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [name]
                ).fetchone()
                if not exists:
                    connection.execute(
                        psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name))
                    )
                    print(f"Created the database {name}.")
        except psycopg.Error as error:
            raise SystemExit(
                f"PostgreSQL at {parts.hostname}:{parts.port or 5432}: {error}"
            ) from None

    def build(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "media").mkdir(exist_ok=True)
        if self.database_url.startswith("postgres"):
            self.create_database()
        print("Migrating, loading the demo content where missing, collecting static files …")
        self.manage("migrate", "--noinput")
        self.manage("load_seed")
        self.manage("load_glossary")
        self.manage("rebuild_search_index", "--if-empty")
        self.manage("collectstatic", "--noinput", "-v0")
        created = self.manage("ensure_admin")
        if "password:" in created:
            password = created.split("password:", 1)[1].split()[0]
            path = self.dir / "admin-password"
            path.write_text(password + "\n")
            path.chmod(0o600)

    # -- processes ------------------------------------------------------------------------
    def start_server(self, app_port: int) -> None:
        process = subprocess.Popen(
            [GUNICORN, "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "portal.wsgi"],
            cwd=ROOT,
            env=self.server_env(app_port),
            stdout=subprocess.DEVNULL,
            stderr=open(self.log(app_port), "a"),  # noqa: SIM115
            start_new_session=True,  # its own process group: stopped (or killed) whole
        )
        self.pids[str(app_port)] = process.pid
        self.save()

    def stop_server(self, app_port: int, *, kill: bool = False) -> None:
        """Stop one server: gracefully, or ``kill`` it and its workers at once (a crash)."""
        pid = self.pids.pop(str(app_port), None)
        self.save()
        if pid is None:
            return
        try:
            os.killpg(pid, signal.SIGKILL if kill else signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.1)
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)

    def wait_ready(self, base: str, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                with urllib.request.urlopen(base + "/readyz", timeout=5) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"{base}/readyz did not answer within {seconds:.0f} s")
            time.sleep(0.5)

    def up(self) -> None:
        self.build()
        for app_port in self.app_ports:
            if not _alive(self.pids.get(str(app_port))):
                self.start_server(app_port)
        for app_port in self.app_ports:
            self.wait_ready(self.app_url(app_port))
        local_nginx.stop(self.conf)
        conf = local_nginx.write_config(
            self.dir,
            port=self.port,
            upstreams=self.app_ports,
            static_root=self.dir / "static",
            media_root=self.dir / "media",
            access_log=self.dir / "access.log",
            worker_processes=2,
        )
        local_nginx.start(conf)
        self.wait_ready(self.url)

    def down(self) -> None:
        for app_port in list(self.pids):
            self.stop_server(int(app_port))
        if self.conf.exists():
            local_nginx.stop(self.conf)

    def status(self) -> dict[str, str]:
        def ready(base: str) -> str:
            try:
                with urllib.request.urlopen(base + "/readyz", timeout=5) as response:
                    return json.loads(response.read())["status"]
            except urllib.error.HTTPError as error:
                return f"HTTP {error.code}"
            except (OSError, urllib.error.URLError):
                return "not answering"

        states = {f"nginx {self.url}": ready(self.url)}
        for app_port in self.app_ports:
            states[f"app {self.app_url(app_port)}"] = ready(self.app_url(app_port))
        return states

    # -- state ------------------------------------------------------------------------------
    def save(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / STATE).write_text(json.dumps(asdict(self), indent=2))

    @classmethod
    def load(cls, directory: Path) -> Stack | None:
        path = directory / STATE
        if not path.exists():
            return None
        return cls(**json.loads(path.read_text()))


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) is not alive.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def _ports(text: str) -> list[int]:
    try:
        ports = [int(port) for port in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of ports: {text!r}") from None
    if len(ports) < 1 or any(not 0 < port < 65536 for port in ports):
        raise argparse.ArgumentTypeError(f"not a list of ports: {text!r}")
    return ports


def _setting(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name:
        raise argparse.ArgumentTypeError(f"not NAME=VALUE: {text!r}")
    return name, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["up", "down", "status"])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="the stack's folder")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--port", type=int, default=8300, help="nginx's port")
    parser.add_argument(
        "--app-ports", type=_ports, default=[8301, 8302], help="the app servers' ports: 8301,8302"
    )
    parser.add_argument("--workers", type=int, default=2, help="workers per app server")
    parser.add_argument("--env", type=_setting, action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)

    directory = args.dir.resolve()
    stack = Stack.load(directory)
    if args.command == "up":
        if not local_nginx.available():
            raise SystemExit("nginx is missing: apt-get install nginx-light")
        pids = stack.pids if stack else {}
        stack = Stack(
            directory=str(directory),
            database_url=args.database_url,
            redis_url=args.redis_url,
            port=args.port,
            app_ports=args.app_ports,
            workers=args.workers,
            env=dict(args.env),
            pids=pids,
        )
        stack.up()
        print(f"Serving on {stack.url}/ (app servers: {', '.join(map(str, stack.app_ports))}).")
        password = stack.dir / "admin-password"
        if password.exists():
            print(f"Administrator 'admin', password in {password}")
        else:
            print(
                "The database had an administrator already: its password is the one set "
                "then (manage.py changepassword admin, with the stack's settings, sets another)."
            )
        return 0
    if stack is None:
        print(f"No stack in {directory}.")
        return 0 if args.command == "down" else 1
    if args.command == "down":
        stack.down()
        print("Stopped.")
        return 0
    states = stack.status()
    for name, state in states.items():
        print(f"{name}: {state}")
    return 0 if all(state in ("ok", "degraded") for state in states.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
