"""Reading the portal's configuration from the environment (12-factor)."""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable; anything unrecognised is a configuration error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    """One of ``choices``; anything else is a configuration error naming them."""
    value = os.environ.get(name, "").strip() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def mandatory(name: str) -> str:
    """A setting production cannot run without: fail at start, naming the variable."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DEBUG is off.")
    return value


def clamd_url(name: str) -> str:
    """An optional ClamAV daemon address, tcp://host:port or unix:///path; "" when unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return ""
    parts = urlsplit(raw)
    try:
        valid = (parts.scheme == "tcp" and parts.hostname and parts.port is not None) or (
            parts.scheme == "unix" and parts.path and not parts.netloc
        )
    except ValueError:
        valid = False
    if not valid:
        raise ImproperlyConfigured(f"{name} must be tcp://host:port or unix:///path/to/clamd.ctl, not {raw!r}.")
    return raw


def local_secret_key(var_dir: Path) -> str:
    """A per-checkout random key for demo mode, kept in the git-ignored var/ folder.

    There is deliberately no fallback key in the repository.
    """
    var_dir.mkdir(parents=True, exist_ok=True)
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


def database(url: str, *, conn_max_age: int) -> dict:
    """Parse DATABASE_URL, turning a bad URL into a one-line configuration error."""
    try:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=conn_max_age > 0)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be parsed ({exc}): {url!r}") from None
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["ENGINE"] = "operations.postgresql"  # Django's, with a health check without a round trip
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Connections are kept like any other database's: opening one costs SQLite more
        # (functions to register, pragmas to run) than a public page's queries do.
        # WAL lets public readers carry on while the view counter writes;
        # IMMEDIATE transactions avoid "database is locked" on lock upgrades.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif not config.get("NAME"):
        raise ImproperlyConfigured(f"DATABASE_URL names no database: {url!r}")
    return config
