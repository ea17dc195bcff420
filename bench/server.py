"""The load generator the benchmark drives the portal with: Debian's wrk."""

import os
import subprocess
import sys


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
