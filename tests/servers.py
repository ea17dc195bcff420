"""Real servers that tests (and the benchmark) start: gunicorn in production mode, a redis-server of their own.

gunicorn runs on a loopback port with an access log to count from; the fault tests stop
and start redis-server and the CI PostgreSQL. ``bench/run.py`` measures the same server.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Status and request line ("GET /path?query HTTP/1.1"): enough to count what the server answered.
ACCESS_LOG_FORMAT = "%(s)s %(r)s"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    def __init__(self, env: dict, workdir: Path, workers: int = 2, port: int | None = None):
        self.env = env
        self.port = port or free_port()
        self.workers = workers
        self.access_log = workdir / f"access-{self.port}.log"
        self.error_log = workdir / f"gunicorn-{self.port}.log"
        self.process = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_path: str = "/") -> None:
        env = {
            **self.env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_ACCESSLOG": str(self.access_log),
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "portal/gunicorn.conf.py",
            "--no-control-socket",
            "--access-logformat",
            ACCESS_LOG_FORMAT,
        ]
        with self.error_log.open("ab") as errors:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=errors, stderr=errors)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.error_log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.base_url + ready_path, timeout=2) as response:  # noqa: S310
                    response.read()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within 30 s:\n{self.error_log.read_text()[-3000:]}")

    def drain(self, path: str, timeout: float = 120) -> int:
        """Wait until the workers are idle; return how many requests of ``path`` that took.

        A slow page leaves queued requests behind when wrk stops; the next measurement must
        not start behind them.
        """
        deadline = time.monotonic() + timeout
        requests = 0
        while time.monotonic() < deadline:
            requests += 1
            started = time.monotonic()
            with urllib.request.urlopen(self.base_url + path, timeout=timeout) as response:  # noqa: S310
                response.read()
            if time.monotonic() - started < 0.05:
                return requests
        raise RuntimeError(f"gunicorn still busy after {timeout:.0f} s")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def peak_rss_mb(self) -> list[float]:
        """Each worker's peak resident set size (VmHWM), in MB."""
        peaks = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return peaks

    def stop(self) -> None:
        """Graceful stop: workers finish the requests in hand, so the access log is complete."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def served(self) -> Counter:
        """(path, status) → how many responses the server wrote, from its access log."""
        counts = Counter()
        if not self.access_log.exists():
            return counts
        for line in self.access_log.read_text().splitlines():
            status, _method, path, _protocol = line.split(" ")
            counts[(path, status)] += 1
        return counts


def production_env(workdir: Path, database_url: str, *, static_root: Path | None = None) -> dict:
    """Production mode on loopback: DEBUG off, a random key, plain http allowed.

    ``static_root``: static files already collected (the ``static_root`` fixture), else ``workdir/static``.
    """
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(static_root or workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "PORTAL_VAR_DIR": str(workdir / "var"),
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
        # wrk is one client hammering: a limit it cannot reach, so the throttle's cost is still measured.
        "OPEN_DATA_RATE_LIMIT": "100000/s",
    }


class RedisServer:
    """A throwaway redis-server on a fixed loopback port, so it can come back at the same address."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, cwd=self.workdir, stdout=subprocess.DEVNULL)
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.02)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def keys(self) -> list[bytes]:
        import redis

        return redis.Redis(port=self.port).keys("*")


def require(program: str) -> None:
    """Skip when a server program is missing locally; under CI it must be there."""
    if shutil.which(program) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{program} is not installed (.ci/run installs it)")
        pytest.skip(f"{program} is not installed")


def database_url_of_tests() -> str:
    """The URL of the database the tests run against, for servers started beside them."""
    from urllib.parse import quote

    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def collect_static(static_root: Path) -> None:
    from django.conf import settings

    env = production_env(static_root, "sqlite:///unused.sqlite3", static_root=static_root)
    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
    subprocess.run(command, cwd=settings.BASE_DIR, env=env, check=True)
