"""gunicorn settings; every value can be overridden on the command line or by GUNICORN_* variables."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
wsgi_app = "portal.wsgi:application"
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
timeout = 30
preload_app = True


def on_starting(server):
    """Refuse to start against a database that cannot be reached."""
    from portal.startup import check_database_or_exit, load_settings_or_exit

    load_settings_or_exit()
    import django

    django.setup()
    check_database_or_exit()
