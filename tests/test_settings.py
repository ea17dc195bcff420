"""The settings as production starts them: each case runs manage.py in a fresh process with its own environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.base",
    "DEBUG": "0",
    "SECRET_KEY": "x7-Qm2vL9pR4tY8wZ1cE5bN0hJ3kF6sD-aG7uI2oP9lK4jH8gF1dS5aQ0wE3rT6y",
    "ALLOWED_HOSTS": "fzzf.example.gov.cn",
}
# What a request looks like in production mode, read back as JSON.
PRODUCTION_REQUEST = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
# The static-file manifest is made by collectstatic at deployment; it is not what this checks.
plain_static = {
    **settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
}
with override_settings(STORAGES=plain_static):
    response = Client().get("/%s/login/" % settings.ADMIN_PATH, secure=True, HTTP_HOST="fzzf.example.gov.cn")
cookie = response.cookies[settings.CSRF_COOKIE_NAME]
print(json.dumps({
    "status": response.status_code,
    "headers": dict(response.headers),
    "csrf_cookie": {"secure": cookie["secure"], "httponly": cookie["httponly"], "samesite": cookie["samesite"]},
    "session_cookie": [
        settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY, settings.SESSION_COOKIE_SAMESITE
    ],
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
}))
"""


def run(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "ADMIN_PATH"}
    }
    environment.update(PORTAL_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False
    )


def test_deploy_check_is_clean_in_production_mode(tmp_path):
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


@pytest.mark.parametrize(
    ("without", "adding", "message"),
    [
        ("SECRET_KEY", {}, "SECRET_KEY must be set when DEBUG is off."),
        ("ALLOWED_HOSTS", {}, "ALLOWED_HOSTS must be set when DEBUG is off."),
        (None, {"VIEW_COUNT_FLUSH_MS": "-5"}, "VIEW_COUNT_FLUSH_MS must be 0 or more milliseconds."),
    ],
)
def test_a_missing_or_invalid_setting_stops_production_with_one_line_naming_it(tmp_path, without, adding, message):
    env = {key: value for key, value in PRODUCTION.items() if key != without} | adding
    result = run("manage.py", "check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert result.stderr.strip() == f"Configuration error: {message}"


def test_unparsable_database_url_stops_with_one_line(tmp_path):
    result = run("manage.py", "check", env={**PRODUCTION, "DATABASE_URL": "nonsense://whatever"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert result.stderr.startswith("Configuration error: DATABASE_URL cannot be parsed")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_unreachable_database_stops_with_one_line(tmp_path):
    url = "postgres://portal:secret@127.0.0.1:9/portal"  # port 9 (discard): nothing listens there
    result = run("manage.py", "migrate", env={**PRODUCTION, "DATABASE_URL": url}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert result.stderr.startswith("Database error: cannot connect to postgresql database")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_production_responses_carry_hsts_and_secure_cookies(tmp_path):
    result = run(
        "-c", PRODUCTION_REQUEST, env={**PRODUCTION, "ALLOWED_HOSTS": "fzzf.example.gov.cn"}, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["status"] == 200
    assert seen["headers"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["headers"]["X-Content-Type-Options"] == "nosniff"
    assert seen["csrf_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert seen["session_cookie"] == [True, True, "Lax"]
    assert seen["ssl_redirect"] is True


@pytest.mark.parametrize("admin_path", ["back-office", "gl/houtai"])
def test_admin_lives_at_the_configured_path(tmp_path, admin_path):
    script = (
        "import django; django.setup(); from django.urls import reverse; from django.test import Client; "
        "print(reverse('admin:index'), Client().get('/admin/').status_code, "
        "Client().get(reverse('admin:login')).status_code)"
    )
    result = run(
        "-c",
        script,
        env={"DJANGO_SETTINGS_MODULE": "portal.settings.test", "ADMIN_PATH": admin_path},
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [f"/{admin_path}/", "404", "200"]
