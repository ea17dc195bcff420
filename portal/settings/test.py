"""Test settings: the base settings with fast hashing and a throwaway media folder."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from portal.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-media-"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each view written by its request, so a test reads the count it caused; the view buffer
# has its own tests, and the servers tests start run with the production default.
VIEW_COUNT_FLUSH_MS = 0

# Each pytest-xdist worker gets its own Redis database: the suite empties the cache before
# every test (FLUSHDB), which must not empty the cache of a test running in another worker.
# The servers a test starts inherit it through the environment.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker:  # noqa: F405
    REDIS_URL = urlunsplit(urlsplit(REDIS_URL)._replace(path=f"/{int(_worker.removeprefix('gw')) + 1}"))  # noqa: F405
    os.environ["REDIS_URL"] = REDIS_URL
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
