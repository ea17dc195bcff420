"""gunicorn settings; every value can be overridden on the command line or by GUNICORN_* variables.

Timeouts (README "Operations"): a worker silent for ``timeout`` seconds is killed and
replaced, well after PUBLIC_STATEMENT_TIMEOUT_MS and ADMIN_STATEMENT_TIMEOUT_MS have cut
any slow statement short. On SIGTERM gunicorn stops accepting connections and gives the
requests in hand ``graceful_timeout`` seconds to finish; systemd's TimeoutStopSec must be
longer.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
wsgi_app = "portal.wsgi:application"
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Behind nginx on the same machine: keep its upstream connections a little.
keepalive = 5
preload_app = True


def on_starting(server):
    """Refuse to start against a database that cannot be reached."""
    from portal.startup import check_database_or_exit, load_settings_or_exit

    load_settings_or_exit()
    import django

    django.setup()
    check_database_or_exit()


def child_exit(server, worker):
    """With PROMETHEUS_MULTIPROC_DIR (metrics summed over workers), forget a worker that has gone."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
