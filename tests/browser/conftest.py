"""Headless Chromium (the system's, not a downloaded one) against the live test server."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ADMIN = ("browser-admin", "browser-admin-pw-4821")  # made in the served site


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    for needed in (Path(CHROMIUM), AXE, VNU):
        if not needed.exists():
            pytest.fail(f"{needed} is missing: run `make test` (it installs it) or .ci/run.")
    if shutil.which("java") is None:
        pytest.fail("java is missing: the HTML checker needs a Java runtime.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def site_url(tmp_path_factory):
    """The seeded site served by gunicorn from its own SQLite file, as `make run` would
    serve it: the browser sees real responses, and the suite's database is left alone."""
    data_dir = tmp_path_factory.mktemp("site")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        {
            "PORTAL_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "LOG_LEVEL": "WARNING",
        }
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    admin = (
        "from django.contrib.auth import get_user_model; get_user_model().objects"
        f".create_superuser('{ADMIN[0]}', 'browser@example.org', '{ADMIN[1]}')"
    )
    for command in (["migrate", "--noinput", "-v0"], ["load_seed"], ["shell", "-c", admin]):
        subprocess.run(
            manage + command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300
        )
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            try:
                urllib.request.urlopen(url + "/ko/", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the site did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
