"""The portal under test: gunicorn in production mode on a loopback port, with an access log to count from."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

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


def ensure_wrk() -> str:
    """Debian's wrk; installed with apt-get when missing (the benchmark says so)."""
    from shutil import which

    found = which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        sys.exit("bench: wrk is not installed; run `sudo apt-get install -y wrk` and try again.")
    print("  wrk not found: installing it with apt-get (Debian package wrk)", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env, stdout=subprocess.DEVNULL)
    return which("wrk") or sys.exit("bench: apt-get did not install wrk")
