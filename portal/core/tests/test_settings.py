"""Production settings come from the environment and refuse to start without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _load_production(env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    clean.update(env)
    code = "import django, django.conf as c; django.setup(); print(c.settings.DEBUG, c.settings.ALLOWED_HOSTS, c.settings.CACHES['default']['BACKEND'])"
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
