"""Turn configuration and database problems at start-up into one readable line."""

import importlib
import os
import sys

from django.core.exceptions import ImproperlyConfigured

DEFAULT_SETTINGS = "portal.settings.base"


def load_settings_or_exit() -> None:
    """Import the settings module, exiting with a one-line message if it is misconfigured."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    try:
        importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    except ImproperlyConfigured as exc:
        sys.exit(f"Configuration error: {exc}")


def check_database_or_exit() -> None:
    """Open one connection to the configured database, exiting with a clear message if it fails."""
    from django.db import OperationalError, connection

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        sys.exit(f"Database error: cannot connect to {connection.vendor} database: {first_line}")
    # Forked gunicorn workers must not share this connection.
    connection.close()
