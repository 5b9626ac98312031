"""Production settings come from the environment and refuse to start without a secret key."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _load_production(env: dict, code: str | None = None) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    clean.update(env)
    code = (
        code
        or "import django, django.conf as c; django.setup(); print(c.settings.DEBUG, c.settings.ALLOWED_HOSTS, c.settings.CACHES['default']['BACKEND'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings.production"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _load_production({})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_reads_hosts_and_redis_from_the_environment():
    result = _load_production(
        {
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "seoulsolution.example,www.seoulsolution.example",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 1)[0] == "False"
    assert "www.seoulsolution.example" in result.stdout
    assert "RedisCache" in result.stdout


def test_production_logs_json_lines_unless_told_otherwise():
    code = (
        "import logging, django; django.setup(); "
        "logging.getLogger('portal').warning('요청 %s', 'SS-1')"
    )
    result = _load_production({"SECRET_KEY": "x" * 50}, code)
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "요청 SS-1" and line["level"] == "WARNING"
    assert line["request_id"] == "-"
    text = _load_production({"SECRET_KEY": "x" * 50, "LOG_FORMAT": "text"}, code)
    assert text.stderr.strip().endswith("WARNING portal [-] 요청 SS-1")
    wrong = _load_production({"SECRET_KEY": "x" * 50, "LOG_FORMAT": "xml"}, code)
    assert wrong.returncode != 0 and "LOG_FORMAT='xml' is not one of text, json" in wrong.stderr


def test_production_passes_djangos_deployment_checks_without_a_warning():
    code = (
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = _load_production(
        {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "a.example"},
        code,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
