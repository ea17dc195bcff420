"""What a cached page was made by: this release (code, templates, packages, settings) and this database.

The shared cache outlives releases and restores. Django's cache calls ``cache_key`` for
every key (``KEY_FUNCTION`` in settings), which puts ``fingerprint()`` in it, so:

- a release that changes a template, the code, a package version or a setting never
  reads another release's entries (old ones expire, see ``reports.public.caching.TIMEOUT``);
- a database restored from a backup (``DatabaseRestore``) never reads entries made for
  the database as it was: after a restore the same ids can stand for other content.

Everything is read once per process: a process serves one release and one database for
its life (a restore needs the app servers stopped, see README "Backup and restore").
"""

import functools
import hashlib
import importlib.metadata
import json
import re
import sys
from pathlib import Path, PurePath

from django.apps import apps
from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django.utils.functional import Promise

CODE_SUFFIXES = {".py", ".html", ".txt", ".xml", ".mo", ".json"}
# Secrets change no page, and must not be fed anywhere they were not meant to go.
LEFT_OUT = re.compile(r"SECRET|PASSWORD|^CACHES$|^DATABASES$")


def cache_key(key: str, key_prefix: str, version) -> str:
    """Django's default key, with the release and the database's identity in it."""
    return f"{key_prefix}:{fingerprint()}:{version}:{key}"


@functools.cache
def fingerprint() -> str:
    digest = hashlib.sha256()
    for part in (code_digest(), packages_digest(), settings_digest(), database_identity()):
        digest.update(part.encode())
    return digest.hexdigest()[:16]


@functools.cache
def code_digest() -> str:
    """The project's own apps, templates, translations and static manifest, as deployed."""
    base = Path(settings.BASE_DIR).resolve()
    roots = {Path(config.path).resolve() for config in apps.get_app_configs()}
    # The project's apps; installed packages count by their versions (a virtualenv may sit inside BASE_DIR).
    roots = {root for root in roots if root.is_relative_to(base) and "site-packages" not in root.parts}
    roots.add(base / settings.ROOT_URLCONF.split(".")[0])  # the project package: settings, URLs
    for template in settings.TEMPLATES:
        roots |= {Path(directory).resolve() for directory in template.get("DIRS", [])}
    roots |= {Path(directory).resolve() for directory in settings.LOCALE_PATHS}
    digest = hashlib.sha256()
    for root in sorted(roots):
        for path in sorted(root.rglob("*")):
            if path.suffix in CODE_SUFFIXES and path.is_file():
                digest.update(f"{root.name}/{path.relative_to(root)}".encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()


@functools.cache
def packages_digest() -> str:
    """Every installed distribution and its version, and Python's."""
    installed = sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions())
    return hashlib.sha256("\n".join([sys.version, *installed]).encode()).hexdigest()


@functools.cache
def settings_digest() -> str:
    """Every setting but the secrets and the connection details (the database counts by its identity)."""
    names = sorted(name for name in dir(settings) if name.isupper() and not LEFT_OUT.search(name))
    values = {name: _stable(getattr(settings, name)) for name in names}
    database = settings.DATABASES["default"]
    values["DATABASE"] = [database.get(field) for field in ("ENGINE", "HOST", "PORT", "NAME")]
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


@functools.cache
def database_identity() -> str:
    """The token of the database's latest restore, or "original" if it was never restored."""
    from operations.models import DatabaseRestore

    if DatabaseRestore._meta.db_table not in connection.introspection.table_names():
        return "unmigrated"  # a brand-new database: nothing of it can be cached anywhere yet
    token = DatabaseRestore.objects.values_list("token", flat=True).first()
    return str(token) if token else "original"


def forget() -> None:
    """Read everything again at the next key (tests; a process never changes release)."""
    for memo in (fingerprint, code_digest, packages_digest, settings_digest, database_identity):
        memo.cache_clear()


@receiver(setting_changed)
def _settings_changed(**kwargs) -> None:
    fingerprint.cache_clear()
    settings_digest.cache_clear()
    database_identity.cache_clear()


def _stable(value):
    """``value`` as JSON-able data that is the same in every process (no memory addresses)."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _stable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_stable(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(json.dumps(_stable(item), sort_keys=True, default=str) for item in value)
    if isinstance(value, PurePath):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return re.sub(r" at 0x[0-9a-f]+", "", repr(value))
